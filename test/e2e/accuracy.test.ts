// Peak memory is the kernel's own figure. /usr/bin/time -v around stress-run reports the largest
// "Maximum resident set size" among stress-run and the processes it reaped: for these single-process
// suites that is the Jest child, so stress-run's report must agree with it to within 2%, every time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../src/base/types';
import { BIN, cliEnv, SUITE_CHILD, expectNoLeftovers, FIXTURES_ARG, MiB, REPO, removeDir, tempDir } from './helpers';

afterEach(expectNoLeftovers);

/** Runs one fixture suite under /usr/bin/time -v: the kernel's figure and stress-run's report of the same run. */
function underTime(name: string): { kernelBytes: number; report: RunReport } {
  const dir = tempDir('accuracy');
  try {
    const file = path.join(dir, 'report.json');
    const run = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, '--dir', FIXTURES_ARG, '-s', name, '--json', file], {
      cwd: REPO,
      env: cliEnv(),
      encoding: 'utf8',
    });
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
    if (!kb) throw new Error(`/usr/bin/time gave no figure: ${run.stderr.slice(-400)}`);
    return { kernelBytes: Number(kb[1]) * 1024, report: JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport };
  } finally {
    removeDir(dir);
  }
}

describe.each([
  ['big-buffer', 200 * MiB],
  ['pass', 0],
  ['fail', 0],
])('%s: peak RSS within 2%% of the kernel’s high-water mark', (name, atLeast) => {
  test.each([1, 2, 3])('run %i', (_) => {
    const { kernelBytes, report } = underTime(name);
    const suite = report.suites[0];
    expect(Math.abs(suite.peakRssBytes - kernelBytes) / kernelBytes).toBeLessThanOrEqual(0.02);
    expect(suite.peakRssBytes).toBeGreaterThanOrEqual(atLeast);
  });
});

test('the Jest process is listed with its kernel peak and V8 heap figures from the probe', () => {
  const { report } = underTime('big-buffer');
  const suite = report.suites[0];
  const jestProcess = suite.processes.find((p) => SUITE_CHILD.test(p.command));
  expect(jestProcess).toBeDefined();
  expect(jestProcess!.heapLimitBytes).toBeGreaterThan(300 * MiB);
  expect(jestProcess!.heapUsedPeakBytes).toBeGreaterThan(0);
  expect(suite.peakRssBytes).toBeGreaterThanOrEqual(jestProcess!.peakRssBytes);
});
