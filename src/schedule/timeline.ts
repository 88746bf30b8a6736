import type { SuiteRun } from '../base/types';

type TimedRun = Pick<SuiteRun, 'startedAtMs' | 'durationMs' | 'samples' | 'peakRssBytes'>;

/**
 * The highest summed RSS of runs at the same moment, from their timelines lined up by `startedAtMs`:
 * each run counts with its latest sample from its first sample to its end, and not at all otherwise.
 * Never below one run's own peak, which may fall between two samples.
 */
export function peakConcurrentRssBytes(runs: TimedRun[]): number {
  const events: Array<{ tMs: number; run: number; rssBytes: number }> = [];
  runs.forEach((r, run) => {
    if (r.startedAtMs === undefined || r.samples.length === 0) return;
    for (const s of r.samples) events.push({ tMs: r.startedAtMs + s.tMs, run, rssBytes: s.rssBytes });
    // It ends after its last sample, whichever comes later: Jest's exit or the last reading.
    const endMs = Math.max(r.durationMs, r.samples[r.samples.length - 1].tMs + 0.5);
    events.push({ tMs: r.startedAtMs + endMs, run, rssBytes: 0 });
  });
  // A stable sort: a run's own samples keep their order.
  events.sort((a, b) => a.tMs - b.tMs);
  const current = new Map<number, number>();
  let sum = 0;
  let peak = Math.max(0, ...runs.map((r) => r.peakRssBytes));
  for (const e of events) {
    sum += e.rssBytes - (current.get(e.run) ?? 0);
    current.set(e.run, e.rssBytes);
    peak = Math.max(peak, sum);
  }
  return peak;
}
