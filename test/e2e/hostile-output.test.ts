// Output that cannot be turned against the reader: names, titles and failure text that carry terminal
// escapes or GitHub workflow commands are printed as text, in the table, the list and the annotations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, removeDir, runCli, runFixtures, suiteArgs, suiteOf, tempDir, FIXTURES, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Workflow commands the runner would obey: those outside a ::stop-commands:: block. */
function obeyedCommands(output: string): string[] {
  const obeyed: string[] = [];
  let stopToken: string | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.trimStart();
    if (stopToken) {
      if (line === `::${stopToken}::`) stopToken = null;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) stopToken = stop[1];
    else if (line.startsWith('::')) obeyed.push(line.slice(0, 40));
  }
  return obeyed;
}

describe('a failing test whose title and message carry escapes and workflow commands, under GitHub Actions', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures(suiteArgs('hostile-output'), { env: { GITHUB_ACTIONS: 'true' } });
  });

  test('fails, and prints no control character', () => {
    expect(run.code).toBe(1);
    expect(suiteOf(run.report, 'hostile-output').outcome).toBe('failed');
    expect(run.stdout).toContain('forged by a test title');
    expect(run.stdout).not.toMatch(CONTROL);
  });

  test('the only workflow command the runner obeys is stress-run’s own annotation', () => {
    expect(obeyedCommands(run.stdout)).toEqual([expect.stringMatching(/^::error file=/)]);
  });
});

describe('a suite file whose name carries a terminal escape', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('hostile-name');
    fs.copyFileSync(path.join(FIXTURES, 'jest.config.js'), path.join(dir, 'jest.config.js'));
    fs.copyFileSync(path.join(FIXTURES, 'fail.stress.test.js'), path.join(dir, 'x\u001b]0;pwned\u0007\u001b[2J.stress.test.js'));
  });
  afterAll(() => removeDir(dir));

  test('is listed and reported with the escape shown as text', async () => {
    const list = await runCli(['list', '--dir', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('x\\x1b]0;pwned\\x07\\x1b[2J\t');
    expect(list.stdout).not.toMatch(CONTROL);
    const run = await runCli(['--dir', dir, '--json', path.join(dir, 'report.json')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('x\\x1b]0;pwned\\x07\\x1b[2J');
    expect(run.stdout).not.toMatch(CONTROL);
  });
});

// A file whose name carries colour, a carriage return and a workflow command, with a test whose title
// carries a newline and one: nothing stress-run writes carries a raw control character.
describe.each([
  ['in a terminal-less run', {}],
  ['under GITHUB_ACTIONS=true', { GITHUB_ACTIONS: 'true' }],
])('a hostile file and test name, %s', (_how, env: Record<string, string>) => {
  // eslint-disable-next-line no-control-regex
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
  const NAME = 'h\u001b[31mRED\u001b[0m\r::warning::pwn';
  let dir: string;
  let run: CliResult;
  const written: Record<string, string> = {};
  beforeAll(async () => {
    dir = tempDir('hostile-file');
    fs.copyFileSync(path.join(FIXTURES, 'jest.config.js'), path.join(dir, 'jest.config.js'));
    fs.writeFileSync(path.join(dir, `${NAME}.stress.test.js`), "test('a\\n::error::also \\u001b[2J', () => { throw new Error('x'); });\n");
    const md = path.join(dir, 'report.md');
    const xml = path.join(dir, 'report.xml');
    run = await runCli(['--dir', dir, '--markdown', md, '--junit', xml], { env });
    Object.assign(written, { stdout: run.stdout, stderr: run.stderr, markdown: fs.readFileSync(md, 'utf8'), junit: fs.readFileSync(xml, 'utf8') });
  });
  afterAll(() => removeDir(dir));

  test('the suite fails and is named, escaped', () => {
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ h\\x1b[31mRED\\x1b[0m\\r::warning::pwn FAIL');
  });

  test.each(['stdout', 'stderr', 'markdown', 'junit'])('%s carries no raw control character', (what) => {
    const bad = written[what].split('\n').filter((line) => RAW.test(line));
    expect(bad).toEqual([]);
  });

  test.each(['stdout', 'stderr', 'markdown'])('no line of %s starts with the workflow command a name carried', (what) => {
    expect(written[what].split('\n').filter((line) => /^\s*::(error|warning)::(also|pwn)/.test(line))).toEqual([]);
  });
});

describe('a hostile file name under floor --verbose and all --debug', () => {
  // eslint-disable-next-line no-control-regex
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
  let dir: string;
  beforeAll(() => {
    dir = tempDir('hostile-floor');
    fs.copyFileSync(path.join(FIXTURES, 'jest.config.js'), path.join(dir, 'jest.config.js'));
    fs.writeFileSync(path.join(dir, 'h\u001b[31mRED\u001b[0m\r::warning::pwn.stress.test.js'), "test('passes', () => {});\n");
  });
  afterAll(() => removeDir(dir));

  test.each([
    ['floor --verbose', ['floor', '--dir', '<dir>', '--min-heap', '32', '--max-heap', '64', '--verbose']],
    ['all --debug', ['all', '--dir', '<dir>', '--debug']],
  ])('%s: no raw control character on stdout or stderr', async (_what, args) => {
    const run = await runCli(args.map((a) => (a === '<dir>' ? dir : a)));
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toContain('h\\x1b[31mRED');
    expect([...run.stdout.split('\n'), ...run.stderr.split('\n')].filter((line) => RAW.test(line))).toEqual([]);
  });
});
