// The summed RSS of the suites running at each moment of a run, on the report's clock (startedAtMs +
// a sample's tMs), for charts of a run of suites at once.
import type { SuiteResult } from '../base/types';

/** The summed RSS at `points` even steps over the run, in bytes, with each step's start in ms; null when no timeline can be lined up. */
export function summedRss(suites: SuiteResult[], points: number): { endMs: number; tMs: number[]; bytes: number[] } | null {
  const runs = suites.filter((r) => r.startedAtMs !== undefined && r.samples.length > 0);
  if (runs.length === 0) return null;
  const endMs = Math.max(...runs.map((r) => r.startedAtMs! + Math.max(r.durationMs, r.samples[r.samples.length - 1].tMs)));
  const count = Math.max(2, Math.min(points, Math.ceil(endMs / 50)));
  const step = endMs / count;
  const bytes = new Array<number>(count).fill(0);
  // Per step, each running suite counts with its highest sample in that step (else its latest before
  // it), so no suite's peak is lost between two points.
  for (const r of runs) {
    const start = r.startedAtMs!;
    let at = 0;
    let latest = 0;
    for (let i = 0; i < count; i++) {
      const from = i * step;
      const to = from + step;
      let high = -1;
      while (at < r.samples.length && start + r.samples[at].tMs < to) {
        const s = r.samples[at++];
        latest = s.rssBytes;
        if (start + s.tMs >= from) high = Math.max(high, s.rssBytes);
      }
      const running = start < to && start + r.durationMs >= from;
      if (high >= 0) bytes[i] += high;
      else if (running && at > 0) bytes[i] += latest;
    }
  }
  return { endMs, tMs: bytes.map((_, i) => Math.round(i * step)), bytes };
}
