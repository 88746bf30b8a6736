import { studentt } from 'jstat';
import { median } from '../base/median';
import type { RunReport, SuiteResult } from '../base/types';
import { wasRun } from './verdict';
import { writeName } from './escape';
import { MB, toMb, toSeconds } from '../base/units';

/** The figures of one suite that a baseline compares (medians when the suite ran several times). */
export interface SuiteFigures {
  peakRssBytes: number;
  durationMs: number;
}

/**
 * The rule that decided a suite's status: `t-test` (several baseline runs: is the new peak outside
 * what they vary, at 95%), `percent` (one baseline run: growth above --max-regression), `floor`
 * (growth under the absolute floor never fails). null for a suite on one side only.
 */
export type GateRule = 't-test' | 'percent' | 'floor';

/** One suite against the baseline. Deltas are current minus baseline; percentages are of the baseline. */
export interface SuiteComparison {
  name: string;
  /** regressed: peak memory grew past the rule; missing: in the baseline only (a failure); new: in this run only. */
  status: 'ok' | 'regressed' | 'missing' | 'new';
  rule: GateRule | null;
  /** The rule's figures in words: `t = 8.1 > 2.26 (95%, 10 baseline runs)`, `+3 MB < 5 MB floor`. */
  detail: string;
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
  noiseFloorMb: number;
  suites: SuiteComparison[];
  /** No suite regressed and none is missing. */
  ok: boolean;
}

/**
 * Compares each suite's peak memory and time with one or more saved reports. With several baseline
 * runs of a suite (from several reports, or --runs), the new peak regresses only when a t-test at 95%
 * puts it outside what those runs vary; with one, when it grows more than maxRegressionPct. Either
 * way, growth under noiseFloorMb never fails.
 */
export function compareToBaseline(current: RunReport, baseline: RunReport | RunReport[], maxRegressionPct = 10, noiseFloorMb = 0): BaselineComparison {
  const baselines = Array.isArray(baseline) ? baseline : [baseline];
  // A pool's estimate is compared only with estimates, an exact figure only with exact ones.
  const kinds = new Map(current.suites.map((s) => [s.name, s.measuredIn ?? 'file']));
  const now = new Map(current.suites.map((s) => [s.name, peaksOf([s], kinds.get(s.name))]));
  const before = new Map<string, Samples>();
  const otherKind = new Set<string>();
  for (const name of new Set(baselines.flatMap((r) => r.suites.map((s) => s.name)))) {
    const theirs = baselines.flatMap((r) => r.suites.filter((s) => s.name === name));
    const samples = peaksOf(theirs, kinds.get(name));
    if (kinds.has(name) && samples.peaks.length === 0 && peaksOf(theirs).peaks.length > 0) otherKind.add(name);
    else before.set(name, samples);
  }
  const names = [...new Set([...now.keys(), ...before.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const suites = names.map((name) => {
    const compared = compareSuite(name, before.get(name) ?? null, now.get(name) ?? null, maxRegressionPct, noiseFloorMb);
    if (!otherKind.has(name)) return compared;
    const measured = kinds.get(name) === 'pool' ? 'in a pool (an estimate)' : 'alone (an exact figure)';
    return { ...compared, detail: `measured ${measured} now, the other way in the baseline: not compared` };
  });
  return { maxRegressionPct, noiseFloorMb, suites, ok: suites.every((s) => s.status === 'ok' || s.status === 'new') };
}

/** Every run's figures of one suite, from one or more reports. */
interface Samples {
  peaks: number[];
  durations: number[];
}

// Each run counts once: a suite's `runs` when it ran several times, else its one figure; with `kind`,
// only the runs measured that way (a pool's estimates, or figures measured alone).
function peaksOf(results: SuiteResult[], kind?: 'file' | 'pool'): Samples {
  const runs = results.flatMap((r) => (r.runs?.length ? r.runs : [r]).filter(wasRun)).filter((r) => kind === undefined || (r.measuredIn ?? 'file') === kind);
  return { peaks: runs.map((r) => r.peakRssBytes), durations: runs.map((r) => r.durationMs) };
}

function compareSuite(name: string, before: Samples | null, now: Samples | null, maxRegressionPct: number, noiseFloorMb: number): SuiteComparison {
  const baseline = before && before.peaks.length ? { peakRssBytes: median(before.peaks), durationMs: median(before.durations) } : null;
  const current = now && now.peaks.length ? { peakRssBytes: median(now.peaks), durationMs: median(now.durations) } : null;
  if (!baseline || !current) {
    const status = baseline ? 'missing' : 'new';
    return { name, status, rule: null, detail: '', baseline, current, memoryDeltaBytes: null, memoryDeltaPct: null, timeDeltaMs: null, timeDeltaPct: null };
  }
  const memoryDeltaBytes = current.peakRssBytes - baseline.peakRssBytes;
  const memoryDeltaPct = percentOf(memoryDeltaBytes, baseline.peakRssBytes);
  const timeDeltaMs = current.durationMs - baseline.durationMs;
  const judged = judge(before!.peaks, now!.peaks, memoryDeltaBytes, memoryDeltaPct, maxRegressionPct, noiseFloorMb);
  return {
    name,
    ...judged,
    baseline,
    current,
    memoryDeltaBytes,
    memoryDeltaPct,
    timeDeltaMs,
    timeDeltaPct: percentOf(timeDeltaMs, baseline.durationMs),
  };
}

/** Which rule decides, and what it says: the floor first, then the t-test with several baseline runs, else the percentage. */
function judge(
  before: number[],
  now: number[],
  deltaBytes: number,
  deltaPct: number | null,
  maxRegressionPct: number,
  noiseFloorMb: number,
): { status: 'ok' | 'regressed'; rule: GateRule; detail: string } {
  const grown = `${deltaBytes >= 0 ? '+' : ''}${round1(deltaBytes / MB)} MB`;
  if (before.length >= 2) {
    const t = growthT(before, now);
    const critical = studentt.inv(0.975, t.df);
    const outside = t.t > critical;
    const words = `t = ${Number.isFinite(t.t) ? round1(t.t) : '∞'} ${outside ? '>' : '≤'} ${critical.toFixed(2)} (95%, ${before.length} baseline runs)`;
    if (outside && deltaBytes < noiseFloorMb * MB) return { status: 'ok', rule: 'floor', detail: `${grown} < ${noiseFloorMb} MB floor; ${words}` };
    return { status: outside ? 'regressed' : 'ok', rule: 't-test', detail: words };
  }
  const over = deltaPct !== null && deltaPct > maxRegressionPct;
  const words = `${percent(deltaPct) || grown} ${over ? '>' : '≤'} ${maxRegressionPct}% (one baseline run)`;
  if (over && deltaBytes < noiseFloorMb * MB) return { status: 'ok', rule: 'floor', detail: `${grown} < ${noiseFloorMb} MB floor; ${words}` };
  return { status: over ? 'regressed' : 'ok', rule: 'percent', detail: words };
}

/**
 * How far the new peaks sit above the baseline runs, in standard errors. Several new runs: Welch's
 * two-sample t (unequal variances). One new run: Student's t for one more draw from the baseline's
 * distribution (a prediction interval), with n − 1 degrees of freedom. Identical runs give ±∞ or 0.
 */
export function growthT(before: number[], now: number[]): { t: number; df: number } {
  const b = meanVar(before);
  const diff = mean(now) - b.mean;
  if (now.length >= 2) {
    const c = meanVar(now);
    const vb = b.variance / before.length;
    const vc = c.variance / now.length;
    const se = Math.sqrt(vb + vc);
    // Welch–Satterthwaite; with no variance on either side, the smaller side's df.
    const df = vb + vc > 0 ? (vb + vc) ** 2 / (vb ** 2 / (before.length - 1) + vc ** 2 / (now.length - 1)) : Math.min(before.length, now.length) - 1;
    return { t: se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Infinity, df };
  }
  const se = Math.sqrt(b.variance * (1 + 1 / before.length));
  return { t: se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Infinity, df: before.length - 1 };
}

const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
function meanVar(xs: number[]): { mean: number; variance: number } {
  const m = mean(xs);
  return { mean: m, variance: xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) };
}
const round1 = (x: number): number => Math.round(x * 10) / 10;

function percentOf(delta: number, base: number): number | null {
  return base > 0 ? (delta / base) * 100 : null;
}

const STATUS_WORD: Record<SuiteComparison['status'], string> = { ok: 'ok', regressed: 'REGRESSED', missing: 'MISSING', new: 'new' };

/** The comparison as a plain text table, `kb-accuracy  142 → 151 MB  +6.3%  2.1 → 2.3 s  +9.5%  ok`, and a summary line. */
export function renderBaseline(cmp: BaselineComparison): string {
  const rows = [
    ['suite', 'peak RSS', 'Δ', 'time', 'Δ', 'status', 'rule'],
    ...cmp.suites.map((s) => [
      writeName(s.name),
      `${s.baseline ? toMb(s.baseline.peakRssBytes) : '-'} → ${s.current ? toMb(s.current.peakRssBytes) : '-'} MB`,
      percent(s.memoryDeltaPct),
      `${s.baseline ? toSeconds(s.baseline.durationMs) : '-'} → ${s.current ? toSeconds(s.current.durationMs) : '-'} s`,
      percent(s.timeDeltaPct),
      STATUS_WORD[s.status],
      s.rule ? `${s.rule}: ${s.detail}` : s.detail,
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
    count('regressed') && `${suites(count('regressed'))} grew ${rules(cmp, 'regressed')}`,
    count('missing') && `${suites(count('missing'))} of the baseline did not run`,
  ].filter(Boolean);
  const added = count('new') ? ` (${suites(count('new'))} new)` : '';
  return problems.length
    ? `Against the baseline: ${problems.join(', ')}${added}.`
    : `Against the baseline: no suite grew ${rules(cmp, 'ok')}${added}.`;
}

// The rules at work, in words: a t-test with several baseline runs, the percentage with one; the floor always.
function rules(cmp: BaselineComparison, status: 'ok' | 'regressed'): string {
  const used = new Set(cmp.suites.filter((s) => s.status === status).map((s) => s.rule));
  const words = [
    used.has('t-test') && 'beyond what the baseline runs vary (t-test, 95%)',
    (used.has('percent') || !used.has('t-test')) && `more than ${cmp.maxRegressionPct}%`,
  ].filter(Boolean);
  return `${words.join(' or ')} in peak memory${cmp.noiseFloorMb > 0 ? ` (growth under ${cmp.noiseFloorMb} MB never fails)` : ''}`;
}
