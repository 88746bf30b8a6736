import type { SuiteResult } from '../base/types';
import { type Limits, type Queued, type Running, startable } from './plan';

/**
 * Runs suites at once under the limits, in the order of `queue` (see plan.ts for who may start),
 * handing each result on as soon as it is known; results come back in the order of `plans`. Each
 * run reports its tree's RSS through `onSample`, which may let a held-back suite start. After an
 * abort nothing new starts and the running suites are left to stop; if a run throws, the others are
 * stopped too and the error is thrown once they have. `heldBytes` tells what processes started ahead
 * for later suites hold now: it counts against the total as running memory does.
 */
export function runParallel<P extends { name: string }>(
  plans: P[],
  queue: Queued[],
  limits: Limits,
  run: (plan: P, abort: AbortSignal, onSample: (rssBytes: number) => void) => Promise<SuiteResult>,
  skipped: (plan: P) => SuiteResult,
  abort: AbortSignal,
  onResult: (result: SuiteResult, done: SuiteResult[]) => void,
  heldBytes: () => number = () => 0,
): Promise<SuiteResult[]> {
  const byName = new Map(plans.map((p) => [p.name, p]));
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  abort.addEventListener('abort', onAbort, { once: true });
  if (abort.aborted) stop.abort();

  let waiting = [...queue];
  const running = new Map<string, Running>();
  const finished = new Map<string, SuiteResult>();
  const done: SuiteResult[] = [];
  let failure: { error: unknown } | null = null;

  return new Promise((resolve, reject) => {
    // Results are kept by the plan's name: compare runs one suite under several environments.
    const end = (name: string, result: SuiteResult): void => {
      finished.set(name, result);
      done.push(result);
      onResult(result, done);
    };
    const pump = (): void => {
      if (stop.signal.aborted) {
        for (const q of waiting) end(q.name, skipped(byName.get(q.name)!));
        waiting = [];
      } else {
        for (const q of startable(waiting, [...running.values()], limits, waiting.length ? heldBytes() : 0)) start(q);
      }
      if (waiting.length || running.size) return;
      abort.removeEventListener('abort', onAbort);
      if (failure) reject(failure.error);
      else resolve(plans.map((p) => finished.get(p.name)!));
    };
    const start = (q: Queued): void => {
      waiting = waiting.filter((w) => w !== q);
      const slot: Running = { name: q.name, expectedPeakBytes: q.expectedPeakBytes, rssBytes: 0 };
      running.set(q.name, slot);
      const onSample = (rssBytes: number): void => {
        slot.rssBytes = rssBytes;
        // A suite held back by memory may start once the measured total falls.
        if (waiting.length && running.size < limits.parallelism) pump();
      };
      run(byName.get(q.name)!, stop.signal, onSample).then(
        (result) => {
          running.delete(q.name);
          end(q.name, result);
          pump();
        },
        (error: unknown) => {
          running.delete(q.name);
          failure ??= { error };
          stop.abort();
          pump();
        },
      );
    };
    pump();
  });
}
