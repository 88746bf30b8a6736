import type { SuiteRun } from '../../../src/base/types';
import { type PoolItem, type PoolRequest, runPool, type Worker } from '../../../src/schedule/pool';
import type { PoolFileRun } from '../../../src/spawn/pool-worker';
import type { ChildPlan, RunPlan } from '../../../src/spawn/run-plan';
import { passedRun } from '../../support/fake-cli';

const MB = 1024 * 1024;

/** What the fake worker does with a file: pass and leave `leftMb` behind, or die in it. */
type Script = Record<string, { leftMb?: number; dies?: string }>;

/** A fake pool: workers that run files by script, and a log of what happened, in order. */
function fakePool(script: Script = {}, failStarts = 0): { start: NonNullable<PoolRequest['start']>; log: string[] } {
  const log: string[] = [];
  let started = 0;
  const start = async (): Promise<Worker> => {
    const id = ++started;
    let alive = id > failStarts;
    let heap = 10 * MB;
    log.push(`start ${id}`);
    return {
      get alive() {
        return alive;
      },
      ready: async () => (alive ? { kind: 'ready', rssBytes: 50 * MB, heapUsedBytes: heap, peakReset: true } : null),
      stderrTail: () => 'cannot load Jest',
      run: async (plan: RunPlan, _abort: AbortSignal, index: number): Promise<PoolFileRun> => {
        const file = plan.suite.name;
        log.push(`${file} in ${index}`);
        const what = script[file] ?? {};
        if (what.dies !== undefined) {
          alive = false;
          return { run: { ...passedRun(), outcome: 'oom' }, after: null, died: true, test: what.dies };
        }
        heap += (what.leftMb ?? 0) * MB;
        return { run: passedRun(), after: { heapAfterGcBytes: heap, rssBytes: 60 * MB }, died: false, test: null };
      },
      close: async () => {
        log.push(`close ${id}`);
        alive = false;
      },
    };
  };
  return { start, log };
}

const item = (name: string, run = 1): PoolItem => ({ key: name, run, plan: { suite: { name, file: `/p/${name}.test.js`, project: { index: 0, name: null } }, timeoutMs: 60_000 } as RunPlan });
const request = (items: PoolItem[], start: NonNullable<PoolRequest['start']>, over: Partial<PoolRequest> = {}): PoolRequest => ({
  items,
  workers: 1,
  worker: {} as ChildPlan,
  recycleAboveBytes: null,
  killGraceMs: 0,
  start,
  ...over,
});

describe('runPool', () => {
  it('runs every file in one worker, in order, and keeps its settled heap after each', async () => {
    const { start, log } = fakePool({ b: { leftMb: 5 } });
    const out = await runPool(request(['a', 'b', 'c'].map((n) => item(n)), start), new AbortController().signal);
    expect(log).toEqual(['start 1', 'a in 1', 'b in 1', 'c in 1', 'close 1']);
    expect(out.runs.map((r: SuiteRun) => r.outcome)).toEqual(['passed', 'passed', 'passed']);
    expect(out.history).toEqual([
      {
        worker: 1,
        run: 1,
        baselineRssBytes: 50 * MB,
        baselineHeapBytes: 10 * MB,
        files: [
          { file: '/p/a.test.js', heapAfterGcBytes: 10 * MB, rssBytes: 60 * MB },
          { file: '/p/b.test.js', heapAfterGcBytes: 15 * MB, rssBytes: 60 * MB },
          { file: '/p/c.test.js', heapAfterGcBytes: 15 * MB, rssBytes: 60 * MB },
        ],
        ended: 'done',
      },
    ]);
  });

  it('hands the files behind a worker that died to a new worker, and names the file and test it died in', async () => {
    const { start, log } = fakePool({ b: { dies: 'fills the heap' } });
    const out = await runPool(request(['a', 'b', 'c'].map((n) => item(n)), start), new AbortController().signal);
    expect(log).toEqual(['start 1', 'a in 1', 'b in 1', 'close 1', 'start 2', 'c in 2', 'close 2']);
    expect(out.runs.map((r) => r.outcome)).toEqual(['passed', 'oom', 'passed']);
    expect(out.history.map((w) => [w.worker, w.ended, w.diedIn])).toEqual([
      [1, 'died', { file: '/p/b.test.js', test: 'fills the heap' }],
      [2, 'done', undefined],
    ]);
  });

  it('recycles a worker whose settled heap is over the limit', async () => {
    const { start, log } = fakePool({ a: { leftMb: 30 } });
    const out = await runPool(request(['a', 'b'].map((n) => item(n)), start, { recycleAboveBytes: 32 * MB }), new AbortController().signal);
    expect(log).toEqual(['start 1', 'a in 1', 'close 1', 'start 2', 'b in 2', 'close 2']);
    expect(out.history.map((w) => w.ended)).toEqual(['recycled', 'done']);
  });

  it('shares the files among --parallel workers, each taking the next when it is done', async () => {
    const { start, log } = fakePool();
    const out = await runPool(request(['a', 'b', 'c', 'd'].map((n) => item(n)), start, { workers: 2 }), new AbortController().signal);
    expect(log.filter((l) => l.includes(' in ')).sort()).toEqual(['a in 1', 'b in 2', 'c in 1', 'd in 2']);
    expect(out.history.map((w) => w.files.length)).toEqual([2, 2]);
  });

  it('starts fresh workers for each of --runs, numbered after an earlier pool’s', async () => {
    const { start } = fakePool();
    const out = await runPool(request([item('a', 1), item('b', 1), item('a', 2), item('b', 2)], start, { firstWorker: 3 }), new AbortController().signal);
    expect(out.history.map((w) => [w.worker, w.run, w.files.length])).toEqual([
      [3, 1, 2],
      [4, 2, 2],
    ]);
  });

  it('gives the file a row saying why when its worker cannot start, and the next file tries a new one', async () => {
    const { start } = fakePool({}, 1);
    const out = await runPool(request(['a', 'b'].map((n) => item(n)), start), new AbortController().signal);
    expect(out.runs.map((r) => [r.outcome, r.message])).toEqual([
      ['crashed', 'the pool worker could not start:\ncannot load Jest'],
      ['passed', null],
    ]);
  });

  it('gives up on a worker that does not get ready within the first file’s timeout', async () => {
    const { start } = fakePool();
    const stuck: NonNullable<PoolRequest['start']> = async (plan) => ({ ...(await start(plan)), alive: true, ready: () => new Promise(() => undefined), close: async () => undefined });
    const timed = (name: string): PoolItem => ({ ...item(name), plan: { ...item(name).plan, timeoutMs: 20 } });
    const out = await runPool(request([timed('a')], stuck), new AbortController().signal);
    expect(out.runs[0].message).toBe('the pool worker did not get ready within 0.02 s:\ncannot load Jest');
  });

  it('marks the files it never reached as not run when the run is stopped', async () => {
    const stop = new AbortController();
    const { start } = fakePool();
    const out = await runPool(request(['a', 'b'].map((n) => item(n)), start, { onEnd: () => stop.abort() }), stop.signal);
    expect(out.runs.map((r) => r.outcome)).toEqual(['passed', 'interrupted']);
    expect(out.history.map((w) => w.ended)).toEqual(['stopped']);
  });

  it('replaces a worker that died between two files before handing it the next', async () => {
    const { start, log } = fakePool();
    // The first worker dies once its first file is done (something the file left running ends it).
    let killed = false;
    let starts = 0;
    const wrapped: NonNullable<PoolRequest['start']> = async (plan) => {
      const w = await start(plan);
      const first = ++starts === 1;
      return new Proxy(w, { get: (target, key) => (key === 'alive' ? target.alive && !(first && killed) : Reflect.get(target, key)) });
    };
    const out = await runPool(request(['a', 'b'].map((n) => item(n)), wrapped, { onEnd: () => (killed = true) }), new AbortController().signal);
    expect(log).toEqual(['start 1', 'a in 1', 'close 1', 'start 2', 'b in 2', 'close 2']);
    expect(out.history.map((w) => [w.ended, w.diedIn])).toEqual([
      ['died', undefined],
      ['done', undefined],
    ]);
  });
});
