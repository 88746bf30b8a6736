import type { Suite, SuiteResult, SuiteRun } from '../base/types';
import { median } from '../base/median';
import { MB } from '../base/units';
import { UNKNOWN_COUNTS } from './jest-results';
import type { SuiteSettings } from '../config/options';
import { leakOfRuns } from '../forensics/leak';


/** Judges one suite's runs against its budget. With several runs, figures are medians and any failing run decides the outcome. */
export function toSuiteResult(suite: Suite, file: string, runs: SuiteRun[], settings: SuiteSettings): SuiteResult {
  const deciding = runs.find((r) => r.outcome !== 'passed') ?? runs[runs.length - 1];
  const peakRssBytes = median(runs.map((r) => r.peakRssBytes));
  const durationMs = median(runs.map((r) => r.durationMs));
  // --per-test: the time judged is without the forced GCs, which are the hook's cost, not the suite's.
  const judged = runs.some((r) => r.judgedDurationMs !== undefined);
  const judgedDurationMs = judged ? median(runs.map((r) => r.judgedDurationMs ?? r.durationMs)) : durationMs;
  const result: SuiteResult = {
    name: suite.name,
    ...(suite.project.name === null ? {} : { project: suite.project.name }),
    file,
    ...deciding,
    peakRssBytes,
    durationMs,
    ...(judged ? { judgedDurationMs } : {}),
    ...(runs.some((r) => r.perTestGcMs !== undefined) ? { perTestGcMs: median(runs.map((r) => r.perTestGcMs ?? 0)) } : {}),
    ...(runs.some((r) => r.cpuWaitMs !== undefined) ? { cpuWaitMs: median(runs.map((r) => r.cpuWaitMs ?? 0)) } : {}),
    heapCapMb: settings.heapCapMb,
    killAboveMb: settings.killAboveMb,
    timeoutS: settings.timeoutMs / 1000,
    budget: {
      ...settings.budget,
      memoryExceeded: peakRssBytes > settings.budget.memoryMb * MB,
      timeExceeded: judgedDurationMs > settings.budget.timeS * 1000,
    },
    ...(settings.sources ? { sources: settings.sources } : {}),
  };
  // Any cold run makes the figures suspect: with --runs, the range shows how much.
  if (runs.some((r) => r.coldCache)) result.coldCache = true;
  else delete result.coldCache;
  // --per-test: the leak is judged on the median slope and share of the runs, by the same rule as one run.
  if (runs.some((r) => r.perTest)) {
    const leak = leakOfRuns(runs.map((r) => r.leak));
    result.leak = leak;
    const { leakMb } = settings.budget;
    if (leakMb !== undefined) result.budget.leakExceeded = Boolean(leak?.flagged && leak.slopeBytesPerTest > leakMb * MB);
  }
  if (runs.length > 1) result.runs = runs;
  return result;
}

/** The run of a suite that never started because stress-run was interrupted first. */
export function notRun(): SuiteRun {
  return {
    outcome: 'interrupted',
    tests: UNKNOWN_COUNTS,
    testCases: [],
    peakRssBytes: 0,
    durationMs: 0,
    exitCode: null,
    signal: null,
    message: 'not run: stress-run was interrupted first',
    processes: [],
    samples: [],
  };
}
