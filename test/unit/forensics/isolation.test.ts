import type { PoolFigures, PoolWorkerHistory, SuiteResult, SuiteRun } from '../../../src/base/types';
import { growthOf, leftBehind, suggestedWorkerLimitMb, toConfirm, workerLimitBytes } from '../../../src/forensics/isolation';
import { estimateOf, firstFileCosts, sharedLoadOf } from '../../../src/spawn/pool-worker';
import { MB, makePoolFigures, makeResult } from '../../support/make-result';

const figures = (over: Partial<PoolFigures> = {}): PoolFigures => makePoolFigures(1, over);

/** A pool row: 80 MB estimate, 2 s, within the default 300 MB / 30 s budgets unless `over` says otherwise. */
const pooled = (name: string, over: Partial<SuiteResult> = {}, pool: Partial<PoolFigures> = {}): SuiteResult =>
  makeResult({ name, file: `${name}.stress.test.js`, peakRssBytes: 80 * MB, measuredIn: 'pool', leftInWorkerBytes: 0, pool: figures(pool), ...over });

describe('estimateOf', () => {
  it('is a fresh worker plus what the worker rose during the file', () => {
    expect(estimateOf(55 * MB, 300 * MB, 100 * MB)).toBe(255 * MB);
  });

  it('is never below the fresh worker', () => {
    expect(estimateOf(55 * MB, 90 * MB, 100 * MB)).toBe(55 * MB);
  });

  it('is never below the heap and external memory the file itself took: a worker reuses pages an earlier file freed', () => {
    // The RSS rose by 5 MB only, but the file's heap went 40 MB above where it started.
    expect(estimateOf(55 * MB, 165 * MB, 160 * MB, 40 * MB)).toBe(95 * MB);
    expect(estimateOf(55 * MB, 300 * MB, 100 * MB, 40 * MB)).toBe(255 * MB);
  });
});

describe('firstFileCosts and sharedLoadOf', () => {
  it('is what the first file rose beyond its heap; what it left in its worker counts for a later file', () => {
    // commander.js, measured: RSS +31 MB, heap +17.8 MB, 5.4 MB left behind (Jest's runtime modules,
    // kept for the worker's life), the heap 11.3 MB up when its first test started; a later file's 5 MB, say.
    const first = firstFileCosts(31 * MB, 17.8 * MB, 5.4 * MB, 11.3 * MB);
    expect(first.overheadBytes).toBe(31 * MB - 17.8 * MB);
    expect(sharedLoadOf(first, 5 * MB)).toBe(5.4 * MB);
    // A later file that set up more before its tests: only the first file's excess over it counts.
    expect(sharedLoadOf(first, 7.5 * MB)).toBeCloseTo(3.8 * MB, 0);
  });

  it('counts no more of what the first file left than its heap had grown by before its first test beyond the later file’s: what tests keep is their own', () => {
    // The pool fixture's leaks file, first in its worker: 102 MB left on the real global by its tests,
    // the heap 5.5 MB up at its first test; a small file's 4.3 MB.
    const first = firstFileCosts(110 * MB, 105 * MB, 102 * MB, 5.5 * MB);
    expect(sharedLoadOf(first, 4.3 * MB)).toBeCloseTo(1.2 * MB, 0);
    expect(sharedLoadOf(first, 8 * MB)).toBe(0);
  });

  it('counts nothing without both test starts', () => {
    expect(sharedLoadOf(firstFileCosts(30 * MB, 20 * MB, 5 * MB, null), 4 * MB)).toBe(0);
    expect(sharedLoadOf(firstFileCosts(30 * MB, 20 * MB, 5 * MB, 9 * MB), null)).toBe(0);
  });

  it('is never negative: a heap rise above the RSS rise, a heap smaller after the file than before it (garbage at the start collected)', () => {
    const first = firstFileCosts(10 * MB, 12 * MB, -3.6 * MB, 4.6 * MB);
    expect(first.overheadBytes).toBe(0);
    expect(sharedLoadOf(first, 4 * MB)).toBe(0);
  });

  it('adds up, for a later file, to the floor that puts a file like the first at the first file’s figure', () => {
    // The first file: RSS +30 MB, heap +20 MB of which 7 MB stayed (loaded once, before its tests). A
    // later file of the same size rises its heap by 13 MB only, in pages the first one freed (RSS +2 MB).
    const first = firstFileCosts(30 * MB, 20 * MB, 7 * MB, 12 * MB);
    expect(estimateOf(55 * MB, 102 * MB, 100 * MB, 13 * MB + first.overheadBytes + sharedLoadOf(first, 5 * MB))).toBe(55 * MB + 30 * MB);
  });
});

describe('toConfirm (auto)', () => {
  it('picks the files whose estimate is over 80% of a budget, and no other', () => {
    const rows = [
      pooled('small'),
      pooled('under', { peakRssBytes: 250 * MB }),
      pooled('over', { peakRssBytes: 330 * MB }),
      pooled('edge', { peakRssBytes: 240 * MB }),
      pooled('slow', { durationMs: 25_000 }),
    ];
    expect(toConfirm(rows).map((c) => c.name)).toEqual(['under', 'over', 'slow']);
    expect(toConfirm(rows)[0].why).toBe('its estimate, ~250 MB, is over 80% of its 300 MB memory budget');
    expect(toConfirm(rows)[2].why).toBe('its time, 25.0 s, is over 80% of its 30 s time budget');
  });

  it('picks a failed file, one whose worker died, one that spawned processes and one that loaded a transformer first', () => {
    const rows = [
      pooled('failed', { outcome: 'failed' }),
      pooled('died', { outcome: 'oom' }, { died: { test: 'fills the heap' } }),
      pooled('spawns', {}, { spawnedProcesses: true }),
      pooled('first', {}, { loadedTransformer: true }),
      pooled('fine'),
    ];
    expect(toConfirm(rows)).toEqual([
      { name: 'failed', why: 'it failed in the pool' },
      { name: 'died', why: 'its worker died in it' },
      { name: 'spawns', why: 'it started processes of its own: the estimate is unreliable' },
      { name: 'first', why: 'it was the first file of its worker to load a transformer: the estimate is unreliable' },
    ]);
  });

  it('never picks a row measured alone already', () => {
    expect(toConfirm([makeResult({ peakRssBytes: 299 * MB })])).toEqual([]);
  });

  it('looks at every run with --runs', () => {
    const run = (pool: Partial<PoolFigures>): SuiteRun => ({ ...pooled('x'), pool: figures(pool) });
    expect(toConfirm([pooled('x', { runs: [run({}), run({ spawnedProcesses: true })] })]).map((c) => c.name)).toEqual(['x']);
  });
});

describe('leftBehind', () => {
  it('names the leaking file first, with its share of its worker’s growth', () => {
    const rows = [
      pooled('small-1', { leftInWorkerBytes: 1 * MB }),
      pooled('leaks', { leftInWorkerBytes: 50 * MB }),
      pooled('small-2', { leftInWorkerBytes: -2 * MB }),
      pooled('other-worker', { leftInWorkerBytes: 4 * MB }, { worker: 2 }),
    ];
    const left = leftBehind(rows);
    expect(left.map((l) => l.name)).toEqual(['leaks', 'other-worker', 'small-1']);
    expect(left[0].shareOfGrowth).toBeCloseTo(50 / 51);
    expect(left[1].shareOfGrowth).toBe(1);
  });

  it('sums a file’s runs, and its workers’ growth, over --runs', () => {
    const run = (worker: number, left: number): SuiteRun => ({ ...pooled('leaks'), leftInWorkerBytes: left, pool: figures({ worker }) });
    const rows = [pooled('leaks', { leftInWorkerBytes: 20 * MB, runs: [run(1, 10 * MB), run(2, 10 * MB)] }), pooled('small', { leftInWorkerBytes: 10 * MB, runs: [run(2, 10 * MB)] })];
    expect(leftBehind(rows)[0]).toEqual({ name: 'leaks', leftInWorkerBytes: 20 * MB, shareOfGrowth: 20 / 30 });
  });
});

describe('growthOf', () => {
  it('is the settled heap after the last file minus the fresh baseline', () => {
    const files = [{ file: 'a', heapAfterGcBytes: 20 * MB, rssBytes: 0 }, { file: 'b', heapAfterGcBytes: 26 * MB, rssBytes: 0 }];
    expect(growthOf({ worker: 1, run: 1, baselineRssBytes: 0, baselineHeapBytes: 6 * MB, files, ended: 'done' })).toBe(20 * MB);
    expect(growthOf({ worker: 1, run: 1, baselineRssBytes: 0, baselineHeapBytes: 6 * MB, files: [], ended: 'died' })).toBe(0);
  });
});

describe('suggestedWorkerLimitMb', () => {
  const worker = (baselineHeapBytes: number): PoolWorkerHistory => ({ worker: 1, run: 1, baselineRssBytes: 0, baselineHeapBytes, files: [], ended: 'done' });

  it('is 1.5 × the median heap in use after a file, rounded up to 10 MB', () => {
    const rows = [12, 14, 100].map((mb, i) => pooled(`f${i}`, {}, { heapUsedAfterBytes: mb * MB }));
    expect(suggestedWorkerLimitMb(rows, [worker(10 * MB)])).toBe(30);
  });

  it('leaves out of each file’s heap what the files before it left in its worker: a leak raises no limit meant to catch it', () => {
    // The worker started at 10 MB; after the leak, every file starts 100 MB up and ends 104–106 MB up.
    const rows = [pooled('leaks', {}, { heapBeforeBytes: 10 * MB, heapUsedAfterBytes: 114 * MB }), ...[114, 116].map((mb, i) => pooled(`f${i}`, {}, { heapBeforeBytes: 110 * MB, heapUsedAfterBytes: mb * MB }))];
    expect(suggestedWorkerLimitMb(rows, [worker(10 * MB)])).toBe(30);
  });

  it('is null when no file finished in a worker', () => {
    expect(suggestedWorkerLimitMb([pooled('died', {}, { heapUsedAfterBytes: null, heapBeforeBytes: null }), makeResult()], [])).toBeNull();
  });
});

describe('workerLimitBytes (workerIdleMemoryLimit as Jest reads it)', () => {
  const total = 8000 * MB;
  it.each([
    [undefined, null],
    [0.5, 4000 * MB],
    [1, total],
    [512 * MB, 512 * MB],
    ['50%', 4000 * MB],
    ['512MB', 512_000_000],
    ['1.5GiB', 1.5 * 1024 * MB],
    ['300mib', 300 * MB],
    ['0.25', 2000 * MB],
    ['lots', null],
    [-1, null],
  ])('%p → %p', (value, bytes) => {
    expect(workerLimitBytes(value, total)).toBe(bytes);
  });
});
