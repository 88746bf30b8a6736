import type { SuiteResult } from '../base/types';

/** Runs suites one after another, handing each result on as soon as it is known; after an abort the rest are not started. */
export async function runSequential<P>(
  plans: P[],
  run: (plan: P, abort: AbortSignal) => Promise<SuiteResult>,
  skipped: (plan: P) => SuiteResult,
  abort: AbortSignal,
  onResult: (result: SuiteResult, done: SuiteResult[]) => void,
): Promise<SuiteResult[]> {
  const done: SuiteResult[] = [];
  for (const plan of plans) {
    const result = abort.aborted ? skipped(plan) : await run(plan, abort);
    done.push(result);
    onResult(result, done);
  }
  return done;
}
