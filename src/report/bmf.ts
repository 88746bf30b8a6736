import type { RunReport, SuiteRun } from '../base/types';

/** One Bencher Metric: the figure, and with several runs the lowest and highest of them. */
interface Metric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

/**
 * The report in Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format):
 * one benchmark per suite (its name, which carries its Jest project's when there are several), each with two
 * measures, `peak-rss` in bytes and `duration` in milliseconds. The value is the suite's figure (the
 * median with --runs); lower_value and upper_value, with --runs above 1, the lowest and highest run.
 * A suite interrupted before its end says nothing of its cost and is left out.
 */
export function renderBmf(report: RunReport): string {
  const bmf: Record<string, Record<'peak-rss' | 'duration', Metric>> = {};
  for (const r of report.suites) {
    if (r.outcome === 'interrupted') continue;
    const runs = (r.runs ?? []).filter((run) => run.outcome !== 'interrupted');
    bmf[r.name] = {
      'peak-rss': metric(r.peakRssBytes, runs, (run) => run.peakRssBytes),
      duration: metric(r.durationMs, runs, (run) => run.durationMs),
    };
  }
  return JSON.stringify(bmf, null, 2) + '\n';
}

function metric(value: number, runs: SuiteRun[], pick: (run: SuiteRun) => number): Metric {
  if (runs.length < 2) return { value };
  const figures = runs.map(pick);
  return { value, lower_value: Math.min(...figures), upper_value: Math.max(...figures) };
}
