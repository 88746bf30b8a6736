// --verbose passes a suite's own output through whole: every byte the suite's tests print reaches
// stress-run's output, as it reaches the terminal under plain `jest --verbose`.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cliEnv, expectNoLeftovers, REPO, runCli, suiteArgs, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

const DIR = path.join(REPO, 'test', 'fixtures', 'verbose-output');
const JEST = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');

/** What plain `jest --verbose` prints on stdout for one file: the tests' console output, nothing else. */
function plainJest(name: string): string {
  const run = spawnSync(process.execPath, [JEST, '--verbose', '--ci', `${name}.stress.test.js`], {
    cwd: DIR,
    env: cliEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(run.status).toBe(0);
  return run.stdout;
}

/** Whether stress-run's stdout holds the whole of plain Jest's, and their sizes, for a readable failure. */
function passedThrough(stdout: string, expected: string): { whole: boolean; stressRunBytes: number; plainJestBytes: number } {
  return { whole: stdout.includes(expected), stressRunBytes: Buffer.byteLength(stdout), plainJestBytes: Buffer.byteLength(expected) };
}

describe.each([
  ['long-lines', 'four console.log lines of 256 KB'],
  ['flood', '10 MB of console.log'],
  // 10 MB through Jest's verbose console takes about 6 s in each of the two runs (50 MB took half a minute).
])('--verbose, a suite that prints %s (%s)', (name) => {
  let run: CliResult;
  let plain: string;
  beforeAll(async () => {
    plain = plainJest(name);
    run = await runCli(['--dir', DIR, ...suiteArgs(name), '--verbose']);
  });

  test('passes every byte of its output through, as plain jest --verbose prints it', () => {
    expect(run.code).toBe(0);
    expect(plain.length).toBeGreaterThan(name === 'flood' ? 10 * 1000 * 1024 : 4 * 256 * 1024);
    expect(passedThrough(run.stdout, plain)).toMatchObject({ whole: true });
  });
});
