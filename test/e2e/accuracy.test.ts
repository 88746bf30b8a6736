// Peak memory agrees with the kernel: the same Jest child stress-run would start, run directly under
// /usr/bin/time -v, reports the same "Maximum resident set size" to within 2%.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from '../../src/median';
import { expectNoLeftovers, FIXTURES, MiB, REPO, removeDir, runFixtures, suiteArgs, suiteOf, tempDir } from './helpers';

// From the build, like the CLI under test: the launcher and probe paths point at dist/run/*.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { jestCommand } = require(path.join(REPO, 'dist/run/jest-command.js')) as typeof import('../../src/run/jest-command');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolveJest } = require(path.join(REPO, 'dist/run/resolve-jest.js')) as typeof import('../../src/run/resolve-jest');

afterEach(expectNoLeftovers);

const ROUNDS = 3;

/** The kernel's max RSS of the child stress-run starts for `name`, run directly (with the probe, as stress-run runs it). */
function kernelPeakOfDirectRun(name: string): number {
  const work = tempDir('direct');
  try {
    const command = jestCommand({
      file: path.join(FIXTURES, `${name}.stress.test.js`),
      jest: resolveJest(FIXTURES, null, REPO),
      outputFile: path.join(work, 'jest.json'),
      heapCapMb: 300,
      probeDir: work,
      nodePath: process.execPath,
      inheritedNodeOptions: undefined,
    });
    const run = spawnSync('/usr/bin/time', ['-v', ...command.argv], { cwd: command.cwd, env: { ...process.env, ...command.env }, encoding: 'utf8' });
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
    if (!kb) throw new Error(`/usr/bin/time gave no figure: ${run.stderr.slice(-400)}`);
    expect(JSON.parse(fs.readFileSync(path.join(work, 'jest.json'), 'utf8')).success).toBe(true);
    return Number(kb[1]) * 1024;
  } finally {
    removeDir(work);
  }
}

describe.each(['big-buffer', 'pass'])('%s: peak RSS within 2%% of the kernel', (name) => {
  test('medians of three runs each way', async () => {
    const ours: number[] = [];
    const kernel: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const run = await runFixtures(suiteArgs(name));
      expect(run.code).toBe(0);
      ours.push(suiteOf(run.report, name).peakRssBytes);
      kernel.push(kernelPeakOfDirectRun(name));
    }
    const diff = Math.abs(median(ours) - median(kernel)) / median(kernel);
    expect(diff).toBeLessThanOrEqual(0.02);
    if (name === 'big-buffer') expect(median(ours)).toBeGreaterThanOrEqual(200 * MiB);
  });
});

test('the kernel peak of the Jest process is reported even between samples: never below its VmHWM at exit', async () => {
  const run = await runFixtures(suiteArgs('big-buffer'));
  const suite = suiteOf(run.report, 'big-buffer');
  const jestProcess = suite.processes.find((p) => p.command.includes('launcher.js'));
  expect(jestProcess).toBeDefined();
  expect(jestProcess!.heapLimitBytes).toBeGreaterThan(300 * MiB);
  expect(jestProcess!.heapUsedPeakBytes).toBeGreaterThan(0);
  expect(suite.peakRssBytes).toBeGreaterThanOrEqual(jestProcess!.peakRssBytes);
});
