import { escapeControl } from './escape';
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

/**
 * The verdict shown in the table, the Markdown and the JUnit: how the run ended, then every budget it
 * broke, so no verdict hides another: `PASS`, `FAIL 2 tests`, `OOM at 48 MB heap`,
 * `OVER MEMORY 312/300 MB`, `FAIL 1 test, OVER MEMORY 312/300 MB` … A budget the outcome already
 * names is not repeated (a timeout is over time, a kill over the memory limit is over memory).
 */
export function verdict(result: SuiteResult): string {
  const ended = outcomeWords(result);
  if (result.outcome === 'interrupted' && !wasRun(result)) return ended!;
  const over: string[] = [];
  if (result.budget.memoryExceeded && result.outcome !== 'memory-killed') {
    // A pool's estimate keeps its ~ wherever it is shown.
    over.push(`OVER MEMORY ${result.measuredIn === 'pool' ? '~' : ''}${toMb(result.peakRssBytes)}/${result.budget.memoryMb} MB`);
  }
  if (result.budget.timeExceeded && result.outcome !== 'timeout') {
    over.push(`OVER TIME ${Number(toSeconds(result.judgedDurationMs ?? result.durationMs))}/${result.budget.timeS} s`);
  }
  if (result.budget.leakExceeded && result.leak) {
    over.push(`OVER LEAK ${Number((result.leak.slopeBytesPerTest / MB).toFixed(2))}/${result.budget.leakMb} MB/test`);
  }
  const all = [...(ended ? [ended] : []), ...over];
  return all.length ? all.join(', ') : 'PASS';
}

/** How the run ended, in words; null for a pass (its budgets say the rest). */
function outcomeWords(result: SuiteResult): string | null {
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
      return null;
  }
}

/**
 * The verdict with the test the suite died in, when one was running: `OOM at 48 MB heap in test "grows third"`.
 * The title comes from the suite: quoted, with every control character shown as an escape.
 */
export function verdictWithTest(result: SuiteResult): string {
  return result.runningTest === undefined ? verdict(result) : `${verdict(result)} in test ${escapeControl(JSON.stringify(result.runningTest))}`;
}
