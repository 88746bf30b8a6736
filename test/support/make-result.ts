import { isOk } from '../../src/report/verdict';
import type { PoolFigures, RunReport, SuiteResult, TestCase } from '../../src/base/types';

const MB = 1024 * 1024;

/** A passing SuiteResult of 100 MB and 2 s under the default budgets; `overrides` replace any field. */
export function makeResult(overrides: Partial<SuiteResult> = {}): SuiteResult {
  return {
    name: 'kb-accuracy',
    file: 'stress-suites/kb-accuracy.stress.test.ts',
    outcome: 'passed',
    tests: { passed: 2, failed: 0, skipped: 0, total: 2 },
    testCases: [makeCase({ title: 'answers from the knowledge base' }), makeCase({ title: 'ranks by score' })],
    peakRssBytes: 100 * MB,
    durationMs: 2000,
    exitCode: 0,
    signal: null,
    message: null,
    processes: [],
    samples: [],
    heapCapMb: 300,
    timeoutS: 60,
    budget: { memoryMb: 300, timeS: 30, memoryExceeded: false, timeExceeded: false },
    ...overrides,
  };
}

/** A suite that died without results: null counts, no test cases, the given outcome. */
export function makeDeath(outcome: 'oom' | 'timeout' | 'killed' | 'memory-killed' | 'crashed' | 'interrupted', overrides: Partial<SuiteResult> = {}): SuiteResult {
  return makeResult({
    outcome,
    tests: { passed: null, failed: null, skipped: null, total: null },
    testCases: [],
    exitCode: null,
    signal: outcome === 'oom' ? 'SIGABRT' : outcome === 'crashed' ? 'SIGSEGV' : 'SIGKILL',
    message: `the suite ended: ${outcome}`,
    ...overrides,
  });
}

/** A passing Jest test case; `overrides` replace any field. */
export function makeCase(overrides: Partial<TestCase> = {}): TestCase {
  return { ancestors: [], title: 'works', status: 'passed', durationMs: 5, failureMessages: [], ...overrides };
}

/** A RunReport around `suites`, with ok computed the way the CLI does. */
export function makeReport(suites: SuiteResult[], overrides: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: suites.reduce((sum, s) => sum + s.durationMs, 0),
    budgets: { memoryMb: 300, timeS: 30 },
    suites,
    ok: suites.length > 0 && suites.every(isOk),
    ...overrides,
  };
}

export { MB };

/** A pool file's figures in worker `worker`: 80 MB peak from a 60 MB start, 10 MB settled heap; `over` replaces any field. */
export function makePoolFigures(worker: number, over: Partial<PoolFigures> = {}): PoolFigures {
  return {
    worker,
    baselineRssBytes: 55 * MB,
    rssAtStartBytes: 60 * MB,
    peakInWorkerBytes: 80 * MB,
    heapRiseBytes: 0,
    fileOverheadBytes: 0,
    heapBeforeBytes: 10 * MB,
    heapAfterGcBytes: 10 * MB,
    heapUsedAfterBytes: 14 * MB,
    spawnedProcesses: false,
    loadedTransformer: false,
    died: null,
    ...over,
  };
}
