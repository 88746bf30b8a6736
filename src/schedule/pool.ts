// A pool run (--isolation pool): the files through a few long-lived workers, several files per
// worker, as Jest's own worker pool runs them. Each worker takes the next file in the queue when it is
// done with one; a worker that dies is replaced for the files behind it; a worker whose settled heap
// is over the worker memory limit is recycled, as Jest's workerIdleMemoryLimit does.
import type { PoolWorkerHistory, SuiteRun } from '../base/types';
import { notRun } from '../outcome/suite-result';
import { PoolWorker, type PoolFileRun } from '../spawn/pool-worker';
import type { PoolRecord } from '../child/protocol';
import type { ChildPlan, RunPlan } from '../spawn/run-plan';

/** One file's run in the pool: the key it is reported under, and its plan (file, limits, callbacks). */
export interface PoolItem {
  key: string;
  plan: RunPlan;
  /** Which of --runs this is (1-based). */
  run: number;
}

/** What the pool needs of a worker (spawn/pool-worker's PoolWorker; a fake in the unit tests). */
export interface Worker {
  readonly alive: boolean;
  ready(): Promise<Extract<PoolRecord, { kind: 'ready' }> | null>;
  run(plan: RunPlan, abort: AbortSignal, index: number): Promise<PoolFileRun>;
  close(graceMs: number): Promise<void>;
  stderrTail(): string;
}

/** What a pool run is given. */
export interface PoolRequest {
  /** The files, in the order they are handed out (every run's files after the previous run's). */
  items: PoolItem[];
  /** Workers at once. */
  workers: number;
  /** The number the first worker started gets (the next after an earlier pool's); 1 by default. */
  firstWorker?: number;
  /** How a worker is started: a pool worker's command (one heap cap for all its files). */
  worker: ChildPlan;
  /** Recycle a worker whose settled heap after a file is over this; null never. */
  recycleAboveBytes: number | null;
  /** How long a worker asked to end may take before it is killed. */
  killGraceMs: number;
  /** Called as each file starts and ends (progress, the report rewritten). */
  onStart?: (item: PoolItem) => void;
  onEnd?: (item: PoolItem, run: SuiteRun) => void;
  /** Starts a worker (default: a pool worker child, spawn/pool-worker). */
  start?: (plan: ChildPlan) => Promise<Worker>;
}

/** What a pool run found: each item's run (in the items' order) and every worker's history. */
export interface PoolOutcome {
  runs: SuiteRun[];
  history: PoolWorkerHistory[];
}

/** The worker's ready record, or null when it died, did not get ready within `timeoutMs`, or the run was stopped meanwhile. */
async function readyWithin(worker: Worker, timeoutMs: number, abort: AbortSignal): Promise<Extract<PoolRecord, { kind: 'ready' }> | null> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const giveUp = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
    onAbort = () => resolve(null);
    abort.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([worker.ready(), giveUp]);
  } finally {
    clearTimeout(timer);
    abort.removeEventListener('abort', onAbort!);
  }
}

/** Runs the items through `workers` pool workers; an item not reached (the run was stopped) gets notRun(). */
export async function runPool(request: PoolRequest, abort: AbortSignal): Promise<PoolOutcome> {
  const { items } = request;
  const runs: Array<SuiteRun | null> = items.map(() => null);
  const history: PoolWorkerHistory[] = [];
  let next = 0;
  let started = (request.firstWorker ?? 1) - 1;

  const slot = async (): Promise<void> => {
    let worker: Worker | null = null;
    let entry: PoolWorkerHistory | null = null;
    const retire = async (ended: PoolWorkerHistory['ended']): Promise<void> => {
      if (entry && entry.ended === 'done') entry.ended = ended;
      await worker?.close(request.killGraceMs);
      worker = null;
      entry = null;
    };
    try {
      while (next < items.length && !abort.aborted) {
        const at = next++;
        const item = items[at];
        if (worker && entry && entry.run !== item.run) await retire('done');
        // A worker that died between two files (something a file left running): the next file gets a fresh one.
        if (worker && !worker.alive) await retire('died');
        if (!worker) {
          worker = await (request.start ?? PoolWorker.start)(request.worker);
          // Getting ready counts against the first file's timeout, as a suite child's start does; a stop ends the wait too.
          const ready = await readyWithin(worker, item.plan.timeoutMs, abort);
          // Stopped while it got ready: this file and the rest are not run.
          if (abort.aborted) break;
          if (!ready) {
            // A worker that cannot even start: this file's row says why, and the next file tries a new one.
            const tail = worker.stderrTail().trim().split('\n').slice(-8).join('\n');
            const why = worker.alive ? `did not get ready within ${item.plan.timeoutMs / 1000} s` : 'could not start';
            runs[at] = { ...notRun(), outcome: 'crashed', message: `the pool worker ${why}${tail ? `:\n${tail}` : ''}` };
            request.onEnd?.(item, runs[at]!);
            await retire('died');
            continue;
          }
          entry = { worker: ++started, run: item.run, baselineRssBytes: ready.rssBytes, baselineHeapBytes: ready.heapUsedBytes, files: [], ended: 'done' };
          history.push(entry);
        }
        request.onStart?.(item);
        const result = await worker.run(item.plan, abort, entry!.worker);
        runs[at] = result.run;
        request.onEnd?.(item, result.run);
        if (result.after) entry!.files.push({ file: item.plan.suite.file, ...result.after });
        if (result.died) {
          entry!.ended = abort.aborted ? 'stopped' : 'died';
          if (!abort.aborted) entry!.diedIn = { file: item.plan.suite.file, test: result.test };
          await retire(entry!.ended);
        } else if (request.recycleAboveBytes !== null && result.after && result.after.heapAfterGcBytes > request.recycleAboveBytes) {
          await retire('recycled');
        }
      }
    } finally {
      await retire(abort.aborted ? 'stopped' : 'done');
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(request.workers, items.length)) }, slot));
  return { runs: runs.map((run) => run ?? notRun()), history };
}
