// main() with a fake runner in which each run passes when its heap cap covers a made-up need and
// runs out of heap otherwise: for driving `floor` and `compare --floor` without spawning Jest.
import type { RunPlan } from '../../src/spawn/run-plan';
import type { SuiteRun } from '../../src/base/types';
import { type FakeCli, fakeCli } from './fake-cli';

const MB = 1024 * 1024;

/** The outcome of one run of `plan`, and the peak RSS in MB it reports. */
export type HeapNeed = (plan: RunPlan) => { outcome: SuiteRun['outcome']; peakMb: number };

export function heapNeedHarness(argv: string[], need: HeapNeed): FakeCli {
  return fakeCli(argv, async (plan) => {
    const { outcome, peakMb } = need(plan);
    const passed = outcome === 'passed';
    return {
      outcome,
      tests: passed ? { passed: 1, failed: 0, skipped: 0, total: 1 } : { passed: null, failed: null, skipped: null, total: null },
      testCases: [],
      peakRssBytes: peakMb * MB,
      durationMs: 500,
      exitCode: passed ? 0 : null,
      signal: passed ? null : 'SIGABRT',
      message: passed ? null : 'V8 ran out of heap',
      processes: [],
      samples: [],
    };
  });
}
