import { defaultTotalMemoryMb } from '../../../src/base/machine-memory';
import { type Limits, orderQueue, oversized, type Queued, type Running, startable } from '../../../src/schedule/plan';

const MB = 1024 * 1024;
const q = (name: string, peakMb: number, ms = 0): Queued => ({ name, expectedPeakBytes: peakMb * MB, expectedMs: ms });
const r = (name: string, peakMb: number, rssMb = 0): Running => ({ name, expectedPeakBytes: peakMb * MB, rssBytes: rssMb * MB });
const limits = (parallelism: number, totalMb: number): Limits => ({ parallelism, totalBytes: totalMb * MB });
const names = (list: Queued[]): string[] => list.map((x) => x.name);

describe('orderQueue', () => {
  it('puts the longest suites first, unknown times last, ties by name', () => {
    expect(names(orderQueue([q('b', 1), q('a', 1), q('slow', 1, 9000), q('mid', 1, 3000)]))).toEqual(['slow', 'mid', 'a', 'b']);
  });
});

describe('startable', () => {
  it('fills the free slots in queue order when memory allows', () => {
    expect(names(startable([q('a', 100), q('b', 100), q('c', 100)], [], limits(2, 1000)))).toEqual(['a', 'b']);
    expect(names(startable([q('b', 100), q('c', 100)], [r('a', 100)], limits(2, 1000)))).toEqual(['b']);
    expect(startable([q('c', 100)], [r('a', 100), r('b', 100)], limits(2, 1000))).toEqual([]);
  });

  it('starts a suite only if the expected peaks of the running ones plus its own fit in the total', () => {
    // 250 + 250 fit in 600, a third does not.
    expect(names(startable([q('a', 250), q('b', 250), q('c', 250)], [], limits(4, 600)))).toEqual(['a', 'b']);
    expect(startable([q('c', 250)], [r('a', 250), r('b', 250)], limits(4, 600))).toEqual([]);
    expect(names(startable([q('c', 250)], [r('a', 250)], limits(4, 600)))).toEqual(['c']);
  });

  it('counts a running suite at its measured RSS when that is above its expected peak', () => {
    expect(startable([q('b', 250)], [r('a', 250, 400)], limits(4, 600))).toEqual([]);
  });

  it('starts nothing while the measured RSS of the running trees is over the total', () => {
    expect(startable([q('c', 10)], [r('a', 100, 350), r('b', 100, 300)], limits(4, 600))).toEqual([]);
    expect(names(startable([q('c', 10)], [r('a', 100, 250), r('b', 100, 300)], limits(4, 600)))).toEqual(['c']);
  });

  it('counts what standby children hold in the measured RSS, and reserves nothing for them', () => {
    // 250 expected + 250 more fit in 600 whatever the standby children hold, while the measured total is under it.
    expect(names(startable([q('b', 250)], [r('a', 250, 100)], limits(4, 600), 300 * MB))).toEqual(['b']);
    // Measured RSS plus held memory over the total stops everything.
    expect(startable([q('b', 10)], [r('a', 10, 400)], limits(4, 600), 250 * MB)).toEqual([]);
  });

  it('lets a smaller suite pass a head that does not fit', () => {
    expect(names(startable([q('big', 400), q('small', 100)], [r('a', 300)], limits(4, 600)))).toEqual(['small']);
  });

  it('runs a suite larger than the total alone: only when nothing runs, and nothing beside it', () => {
    expect(names(startable([q('huge', 900), q('a', 100)], [], limits(4, 600)))).toEqual(['huge']);
    // At the head of the queue it waits for the running suites to end, and holds the others back.
    expect(startable([q('huge', 900), q('a', 100)], [r('b', 100)], limits(4, 600))).toEqual([]);
    // Behind others, it waits until it is alone.
    expect(names(startable([q('a', 100), q('huge', 900), q('c', 100)], [r('b', 100)], limits(4, 600)))).toEqual(['a', 'c']);
    expect(names(oversized([q('a', 100), q('huge', 900)], limits(4, 600)))).toEqual(['huge']);
  });

  it('always starts the head when nothing runs, so the queue never stalls', () => {
    expect(names(startable([q('a', 5000)], [], limits(1, 1)))).toEqual(['a']);
  });
});

describe('defaultTotalMemoryMb', () => {
  const GB = 1024 * MB;
  it('is 75% of a container limit when one is set', () => {
    expect(defaultTotalMemoryMb({ constrainedBytes: 4 * GB, freeBytes: 20 * GB, totalBytes: 24 * GB })).toBe(3072);
  });

  it.each([[undefined], [0], [2 ** 64]])('is 75%% of the free memory without a limit (%p)', (constrainedBytes) => {
    expect(defaultTotalMemoryMb({ constrainedBytes, freeBytes: 8 * GB, totalBytes: 24 * GB })).toBe(6144);
  });
});
