// The one fake process and fake runner that unit tests drive main() with: a fake Io (argv, streams,
// signals) and Deps whose runSuite stands in for Jest, recording every plan it is handed.
import * as path from 'node:path';
import type { Deps, Io } from '../../src/cli/main';
import type { RunPlan } from '../../src/spawn/run-plan';
import type { WarmupRequest } from '../../src/spawn/warmup';
import type { SuiteRun } from '../../src/base/types';
import { fakeDiscover } from './fake-discover';

export const REPO = path.resolve(__dirname, '../..');
const MB = 1024 * 1024;

/** A passing run of three tests at 90 MB, with `over` in its place. */
export const passedRun = (over: Partial<SuiteRun> = {}): SuiteRun => ({
  outcome: 'passed',
  tests: { passed: 3, failed: 0, skipped: 0, total: 3 },
  testCases: [],
  peakRssBytes: 90 * MB,
  durationMs: 400,
  exitCode: 0,
  signal: null,
  message: null,
  processes: [],
  samples: [{ tMs: 0, rssBytes: 90 * MB, heapUsedBytes: null }],
  ...over,
});

export interface FakeCli {
  io: Io;
  deps: Deps;
  out: () => string;
  err: () => string;
  /** Every plan runSuite was handed, in order. */
  plans: RunPlan[];
  warmups: WarmupRequest[];
  /** Sends a stop signal to the run, as a Ctrl-C would. */
  signal: (name: 'SIGINT' | 'SIGTERM') => void;
}

/** main()'s process and side effects, faked: `runSuite` decides each run's figures (the fake clock moves 100 ms a call). */
export function fakeCli(argv: string[], runSuite: (plan: RunPlan, abort: AbortSignal) => Promise<SuiteRun>): FakeCli {
  let stdout = '';
  let stderr = '';
  const plans: RunPlan[] = [];
  const warmups: WarmupRequest[] = [];
  let handler: ((s: 'SIGINT' | 'SIGTERM') => void) | null = null;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  return {
    io: {
      argv,
      env: {},
      cwd: REPO,
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      onSignal: (h) => {
        handler = h;
        return () => (handler = null);
      },
    },
    deps: {
      version: '9.9.9',
      now: () => (clock += 100),
      discover: fakeDiscover,
      warmup: async (request) => {
        warmups.push(request);
      },
      runSuite: async (plan, abort) => {
        plans.push(plan);
        return runSuite(plan, abort);
      },
      // A pool of one worker that runs each file through the same fake, its figures marked as a pool's.
      runPool: async (request, abort) => {
        const runs: SuiteRun[] = [];
        const files: Array<{ file: string; heapAfterGcBytes: number; rssBytes: number }> = [];
        for (const item of request.items) {
          plans.push(item.plan);
          request.onStart?.(item);
          const run = await runSuite(item.plan, abort);
          const left = run.leftInWorkerBytes ?? 0;
          const heapAfterGcBytes = (files[files.length - 1]?.heapAfterGcBytes ?? 20 * MB) + left;
          files.push({ file: item.plan.suite.file, heapAfterGcBytes, rssBytes: run.peakRssBytes });
          const pooled: SuiteRun = {
            measuredIn: 'pool',
            leftInWorkerBytes: left,
            pool: { worker: request.firstWorker ?? 1, baselineRssBytes: 60 * MB, rssAtStartBytes: 60 * MB, peakInWorkerBytes: run.peakRssBytes, heapRiseBytes: 0, fileOverheadBytes: 0, heapBeforeBytes: heapAfterGcBytes - left, heapAfterGcBytes, heapUsedAfterBytes: heapAfterGcBytes + 4 * MB, spawnedProcesses: false, loadedTransformer: false, died: null },
            ...run,
          };
          runs.push(pooled);
          request.onEnd?.(item, pooled);
        }
        return { runs, history: [{ worker: request.firstWorker ?? 1, run: 1, baselineRssBytes: 60 * MB, baselineHeapBytes: 20 * MB, files, ended: 'done' as const }] };
      },
    },
    out: () => stdout,
    err: () => stderr,
    plans,
    warmups,
    signal: (name) => handler?.(name),
  };
}
