import type { SuiteResult } from '../base/types';
import { MB, toMb, toSeconds } from '../base/units';

/** False for a suite stress-run was stopped before it started: it has no figures to show. */
export function wasRun(result: Pick<SuiteResult, 'outcome' | 'durationMs'>): boolean {
  return !(result.outcome === 'interrupted' && result.durationMs === 0);
}

/** True when the suite passed and stayed within both budgets. */
export function isOk(result: Pick<SuiteResult, 'outcome' | 'budget'>): boolean {
  return result.outcome === 'passed' && !result.budget.memoryExceeded && !result.budget.timeExceeded && !result.budget.leakExceeded;
}

/** The one-phrase verdict shown in the table: `PASS`, `FAIL 2 tests`, `OOM at 48 MB heap`, `OVER MEMORY 312/300 MB` … */
export function verdict(result: SuiteResult): string {
  switch (result.outcome) {
    case 'failed': {
      const n = result.tests.failed;
      return n ? `FAIL ${n} test${n === 1 ? '' : 's'}` : 'FAIL suite error';
    }
    case 'oom':
      return result.heapCapMb === null ? 'OOM (no heap cap)' : `OOM at ${result.heapCapMb} MB heap`;
    case 'timeout':
      return `TIMEOUT after ${result.timeoutS} s`;
    case 'killed':
      return 'KILLED (SIGKILL)';
    case 'memory-killed':
      return result.killAboveMb == null ? 'KILLED over memory limit' : `KILLED over ${result.killAboveMb} MB RSS`;
    case 'crashed':
      return `CRASHED ${result.signal ?? `exit ${result.exitCode}`}`;
    case 'interrupted':
      return 'INTERRUPTED';
    case 'passed':
      break;
  }
  const over: string[] = [];
  if (result.budget.memoryExceeded) {
    // A pool's estimate keeps its ~ wherever it is shown.
    over.push(`OVER MEMORY ${result.measuredIn === 'pool' ? '~' : ''}${toMb(result.peakRssBytes)}/${result.budget.memoryMb} MB`);
  }
  if (result.budget.timeExceeded) {
    over.push(`OVER TIME ${Number(toSeconds(result.durationMs))}/${result.budget.timeS} s`);
  }
  if (result.budget.leakExceeded && result.leak) {
    over.push(`OVER LEAK ${Number((result.leak.slopeBytesPerTest / MB).toFixed(2))}/${result.budget.leakMb} MB/test`);
  }
  return over.length ? over.join(', ') : 'PASS';
}
