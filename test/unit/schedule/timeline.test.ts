import { peakConcurrentRssBytes } from '../../../src/schedule/timeline';

const run = (startedAtMs: number | undefined, durationMs: number, points: Array<[number, number]>, peakRssBytes = 0) => ({
  startedAtMs,
  durationMs,
  peakRssBytes,
  samples: points.map(([tMs, rssBytes]) => ({ tMs, rssBytes, heapUsedBytes: null })),
});

describe('peakConcurrentRssBytes', () => {
  it('is the highest single peak for runs one after another', () => {
    expect(peakConcurrentRssBytes([run(0, 100, [[0, 5], [50, 7]]), run(200, 100, [[0, 6], [50, 9]])])).toBe(9);
  });

  it('adds runs that overlap, each at its latest sample', () => {
    // a: 10 from 0, 30 from 50 until 100; b (started at 60): 20 from 60, 5 from 90.
    expect(peakConcurrentRssBytes([run(0, 100, [[0, 10], [50, 30]]), run(60, 100, [[0, 20], [30, 5]])])).toBe(50);
  });

  it('is never below the peak of one run, which may fall between samples', () => {
    expect(peakConcurrentRssBytes([run(0, 100, [[0, 5]], 12), run(200, 100, [[0, 6]], 8)])).toBe(12);
  });

  it('stops counting a run at its end, and ignores runs that never started', () => {
    expect(peakConcurrentRssBytes([run(0, 100, [[0, 40]]), run(100, 50, [[0, 30]]), run(undefined, 0, [])])).toBe(40);
  });
});
