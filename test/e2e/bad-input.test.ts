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
  ['an unknown command', () => ['frobnicate', ...D], ["'frobnicate'", 'list']],
  ['an unknown flag', () => [...D, '--frobnicate'], ['--frobnicate']],
  ['--parallel 0', () => [...D, '-s', 'pass', '--parallel', '0'], ['--parallel', "'0'", 'auto']],
  ['--total-memory lots', () => [...D, '-s', 'pass', '--parallel', '2', '--total-memory', 'lots'], ['--total-memory', "'lots'"]],
  ['--history that does not exist', () => [...D, '-s', 'pass', '--parallel', '2', '--history', path.join(dir, 'missing.json')], ['missing.json']],
];

test.each(CASES)('%s: exit 2, one line on stderr, nothing on stdout', async (_, argv, expected) => {
  const run = await runCli(argv());
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toEqual([expect.stringMatching(/^stress-run: /)]);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
  for (const text of expected) {
    if (typeof text === 'string') expect(lines[0]).toContain(text);
    else expect(lines[0]).toMatch(text);
  }
});
