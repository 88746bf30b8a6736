// Bad usage ends with exit code 2 and one readable line on stderr: no stack trace, nothing on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, removeDir, runCli, tempDir, FIXTURES_ARG } from './helpers';

afterEach(expectNoLeftovers);

let dir: string;
beforeAll(() => {
  dir = tempDir('bad-input');
  fs.writeFileSync(path.join(dir, 'invalid.json'), '{"budgets": {');
  fs.mkdirSync(path.join(dir, 'a-folder.json'));
  fs.writeFileSync(path.join(dir, 'huge.json'), `{"dir": "${'x'.repeat(3 * 1024 * 1024)}"}`);
  fs.writeFileSync(path.join(dir, 'deep.json'), '['.repeat(500_000) + ']'.repeat(500_000));
  fs.writeFileSync(path.join(dir, 'huge-key.json'), JSON.stringify({ ['k'.repeat(100_000)]: 1 }));
  fs.writeFileSync(path.join(dir, 'a-file'), '');
  fs.writeFileSync(path.join(dir, 'injected.json'), 'x\n::warning::injected');
  // A Jest config naming a setup module that does not exist: Jest's validation error says which.
  fs.mkdirSync(path.join(dir, 'missing-setup'));
  fs.writeFileSync(path.join(dir, 'missing-setup', 'jest.config.js'), "module.exports = { testEnvironment: 'node', testMatch: ['**/*.stress.test.js'], setupFiles: ['/nonexistent/setup.js'] };\n");
  fs.writeFileSync(path.join(dir, 'missing-setup', 'a.stress.test.js'), "test('x', () => {});\n");
  // A suite whose docblock gives a budget the command line and the config file refuse.
  for (const [name, value] of [['docblock-exponent', '1e9'], ['docblock-huge', '5000000']]) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'jest.config.js'), "module.exports = { testEnvironment: 'node', testMatch: ['**/*.stress.test.js'] };\n");
    fs.writeFileSync(path.join(dir, name, 'big.stress.test.js'), `/**\n * @stress-memory ${value}\n */\ntest('x', () => {});\n`);
  }
});
afterAll(() => removeDir(dir));

const D = ['--dir', FIXTURES_ARG];

// [what, argv (a function so the temp folder exists by then), texts the one line must hold]
const CASES: Array<[string, () => string[], Array<string | RegExp>]> = [
  ['an unknown suite', () => [...D, '-s', 'nope'], ["'nope'", 'pass', 'fail', 'big-buffer', 'syntax-error']],
  ['--max-heap abc', () => [...D, '-s', 'pass', '--max-heap', 'abc'], ['--max-heap', 'abc']],
  ['--max-heap -5', () => [...D, '-s', 'pass', '--max-heap', '-5'], ['--max-heap', '-5']],
  ['--max-heap 0', () => [...D, '-s', 'pass', '--max-heap', '0'], ['--max-heap', "'0'"]],
  ['--memory-budget x', () => [...D, '-s', 'pass', '--memory-budget', 'x'], ['--memory-budget', "'x'"]],
  ['--timeout 0', () => [...D, '-s', 'pass', '--timeout', '0'], ['--timeout', "'0'"]],
  ['--dir without its value', () => ['-s', 'pass', '--dir'], ['--dir']],
  ['a --dir that does not exist', () => ['--dir', path.join(dir, 'no-such-folder'), '-s', 'pass'], ['no-such-folder', '--dir']],
  ['a --pattern that matches nothing', () => [...D, '--pattern', '**/*.nothing.js'], ['**/*.nothing.js', '--pattern']],
  ['a config file that is not valid JSON', () => [...D, '--config', path.join(dir, 'invalid.json')], ['invalid.json', /JSON/]],
  ['a config file that does not exist', () => [...D, '--config', path.join(dir, 'missing.json')], ['missing.json']],
  ['a config file that cannot be read', () => [...D, '--config', path.join(dir, 'a-folder.json')], ['a-folder.json']],
  ['a --jest-config that does not exist', () => [...D, '-s', 'pass', '--jest-config', 'no/such/jest.config.js'], ['no/such/jest.config.js']],
  ['--max-heap 0x10 (hex)', () => [...D, '-s', 'pass', '--max-heap', '0x10'], ['--max-heap', "'0x10'"]],
  ['--memory-budget 0b1 (binary)', () => [...D, '-s', 'pass', '--memory-budget', '0b1'], ['--memory-budget', "'0b1'"]],
  ['--max-heap 1e21', () => [...D, '-s', 'pass', '--max-heap', '1e21'], ['--max-heap', "'1e21'"]],
  ['--memory-budget of 22 digits', () => [...D, '-s', 'pass', '--memory-budget', '1000000000000000000000'], ['--memory-budget must be at most']],
  ['--shard 1/N with a huge N', () => [...D, '--shard', '1/99999999999'], ['at most 1000 shards']],
  ['a --pattern over 64 KB', () => [...D, '--pattern', '*'.repeat(70_000)], ['--pattern is 70000 characters']],
  ['a 3 MB config file', () => [...D, '--config', path.join(dir, 'huge.json')], ['huge.json is 3.0 MB']],
  ['a deeply nested config file', () => [...D, '--config', path.join(dir, 'deep.json')], ['deep.json']],
  ['a config with a 100 KB key', () => [...D, '--config', path.join(dir, 'huge-key.json')], ['(100000 characters)']],
  ['a --jest-config that is a folder', () => [...D, '-s', 'pass', '--jest-config', dir], ['is a folder']],
  ['a TMPDIR that cannot be used', () => [...D, '-s', 'pass', '--tmpdir-case'], ['TMPDIR']],
  ['an unknown command', () => ['frobnicate', ...D], ["'frobnicate'", 'list']],
  ['an unknown flag', () => [...D, '--frobnicate'], ['--frobnicate']],
  ['--parallel 0', () => [...D, '-s', 'pass', '--parallel', '0'], ['--parallel', "'0'", 'auto']],
  ['--total-memory lots', () => [...D, '-s', 'pass', '--parallel', '2', '--total-memory', 'lots'], ['--total-memory', "'lots'"]],
  ['@stress-memory 1e9 in a docblock, as --memory-budget 1e9', () => ['--dir', path.join(dir, 'docblock-exponent')], ['big.stress.test.js:2: @stress-memory must be a positive number', "'1e9'"]],
  ['@stress-memory 5000000 in a docblock, as --memory-budget 5000000', () => ['--dir', path.join(dir, 'docblock-huge')], ['big.stress.test.js:2: @stress-memory must be at most 1048576 MB', "'5000000'"]],
  ['a baseline whose text would start a line of its own', () => [...D, '-s', 'pass', '--baseline', path.join(dir, 'injected.json')], ['injected.json', 'x\\n::warnin']],
  ['an unknown flag that carries a newline and an escape', () => [...D, '--frob\n::warning::x\u001b[2J'], ['--frob\\n::warning::x\\x1b[2J']],
  ['an unknown suite that carries a carriage return', () => [...D, '-s', 'no\r::warning::x'], ["'no\\r::warning::x'"]],
  ['a Jest config whose setupFiles module is missing', () => ['--dir', path.join(dir, 'missing-setup')], ["Jest could not list the project's tests", 'Validation Error: Module /nonexistent/setup.js in the setupFiles option was not found.']],
  ['--kill-above 10, below every suite’s budget', () => [...D, '-s', 'pass', '--kill-above', '10'], ['--kill-above 10 MB', "memory budget (300 MB) of suite 'pass'", 'give at least 300, or none']],
  ['--history that does not exist', () => [...D, '-s', 'pass', '--parallel', '2', '--history', path.join(dir, 'missing.json')], ['missing.json']],
];

test.each(CASES)('%s: exit 2, one line on stderr, nothing on stdout', async (_, argv, expected) => {
  const args = argv();
  // The TMPDIR case runs with TMPDIR set to a plain file.
  const tmpdirCase = args.includes('--tmpdir-case');
  const run = await runCli(args.filter((a) => a !== '--tmpdir-case'), tmpdirCase ? { env: { TMPDIR: path.join(dir, 'a-file') } } : {});
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toEqual([expect.stringMatching(/^stress-run: /)]);
  // Every echoed value on that one line, escaped: no control character at all.
  // eslint-disable-next-line no-control-regex
  expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
  expect(lines[0].length).toBeLessThan(600);
  for (const text of expected) {
    if (typeof text === 'string') expect(lines[0]).toContain(text);
    else expect(lines[0]).toMatch(text);
  }
});
