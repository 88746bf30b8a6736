import type { RunReport, SuiteResult } from '../types';
import { toMb, toSeconds } from './verdict';

/** The figures of one suite that a baseline compares (medians when the suite ran several times). */
export interface SuiteFigures {
  peakRssBytes: number;
  durationMs: number;
}

/** One suite against the baseline. Deltas are current minus baseline; percentages are of the baseline. */
export interface SuiteComparison {
  name: string;
  /** regressed: peak memory grew more than maxRegressionPct; missing: in the baseline only (a failure); new: in this run only. */
  status: 'ok' | 'regressed' | 'missing' | 'new';
  baseline: SuiteFigures | null;
  current: SuiteFigures | null;
  memoryDeltaBytes: number | null;
  /** null when a side is absent or the baseline measured no memory. */
  memoryDeltaPct: number | null;
  timeDeltaMs: number | null;
  timeDeltaPct: number | null;
}

/** Every suite of both reports, in name order, and whether the run holds up against the baseline. */
export interface BaselineComparison {
  maxRegressionPct: number;
  suites: SuiteComparison[];
  /** No suite regressed and none is missing. */
  ok: boolean;
}

/** Compares each suite's peak memory and time with a saved report; memory growth above maxRegressionPct is a regression. */
export function compareToBaseline(current: RunReport, baseline: RunReport, maxRegressionPct = 10): BaselineComparison {
  const now = new Map(current.suites.map((s) => [s.name, s]));
  const before = new Map(baseline.suites.map((s) => [s.name, s]));
  const names = [...new Set([...now.keys(), ...before.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const suites = names.map((name) => compareSuite(name, figures(before.get(name)), figures(now.get(name)), maxRegressionPct));
  return { maxRegressionPct, suites, ok: suites.every((s) => s.status === 'ok' || s.status === 'new') };
}

function compareSuite(name: string, baseline: SuiteFigures | null, current: SuiteFigures | null, maxRegressionPct: number): SuiteComparison {
  if (!baseline || !current) {
    const status = baseline ? 'missing' : 'new';
    return { name, status, baseline, current, memoryDeltaBytes: null, memoryDeltaPct: null, timeDeltaMs: null, timeDeltaPct: null };
  }
  const memoryDeltaBytes = current.peakRssBytes - baseline.peakRssBytes;
  const memoryDeltaPct = percentOf(memoryDeltaBytes, baseline.peakRssBytes);
  const timeDeltaMs = current.durationMs - baseline.durationMs;
  return {
    name,
    status: memoryDeltaPct !== null && memoryDeltaPct > maxRegressionPct ? 'regressed' : 'ok',
    baseline,
    current,
    memoryDeltaBytes,
    memoryDeltaPct,
    timeDeltaMs,
    timeDeltaPct: percentOf(timeDeltaMs, baseline.durationMs),
  };
}

// SuiteResult's figures already are the medians of its runs when there are several.
function figures(r: SuiteResult | undefined): SuiteFigures | null {
  return r ? { peakRssBytes: r.peakRssBytes, durationMs: r.durationMs } : null;
}

function percentOf(delta: number, base: number): number | null {
  return base > 0 ? (delta / base) * 100 : null;
}

const STATUS_WORD: Record<SuiteComparison['status'], string> = { ok: 'ok', regressed: 'REGRESSED', missing: 'MISSING', new: 'new' };

/** The comparison as a plain text table, `kb-accuracy  142 → 151 MB  +6.3%  2.1 → 2.3 s  +9.5%  ok`, and a summary line. */
export function renderBaseline(cmp: BaselineComparison): string {
  const rows = [
    ['suite', 'peak RSS', 'Δ', 'time', 'Δ', 'status'],
    ...cmp.suites.map((s) => [
      s.name,
      `${s.baseline ? toMb(s.baseline.peakRssBytes) : '-'} → ${s.current ? toMb(s.current.peakRssBytes) : '-'} MB`,
      percent(s.memoryDeltaPct),
      `${s.baseline ? toSeconds(s.baseline.durationMs) : '-'} → ${s.current ? toSeconds(s.current.durationMs) : '-'} s`,
      percent(s.timeDeltaPct),
      STATUS_WORD[s.status],
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => [...row[col]].length)));
  const lines = rows.map((row) =>
    row
      .map((text, col) => (col === 2 || col === 4 ? text.padStart(widths[col]) : text + ' '.repeat(widths[col] - [...text].length)))
      .join('  ')
      .trimEnd(),
  );
  return [...lines, summary(cmp)].join('\n') + '\n';
}

function percent(pct: number | null): string {
  if (pct === null) return '';
  const rounded = Math.round(pct * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded === 0 ? '0.0' : rounded.toFixed(1)}%`;
}

function summary(cmp: BaselineComparison): string {
  const count = (status: SuiteComparison['status']): number => cmp.suites.filter((s) => s.status === status).length;
  const suites = (n: number): string => `${n} suite${n === 1 ? '' : 's'}`;
  const problems = [
    count('regressed') && `${suites(count('regressed'))} grew more than ${cmp.maxRegressionPct}% in peak memory`,
    count('missing') && `${suites(count('missing'))} of the baseline did not run`,
  ].filter(Boolean);
  const added = count('new') ? ` (${suites(count('new'))} new)` : '';
  return problems.length
    ? `Against the baseline: ${problems.join(', ')}${added}.`
    : `Against the baseline: no suite grew more than ${cmp.maxRegressionPct}% in peak memory${added}.`;
}
