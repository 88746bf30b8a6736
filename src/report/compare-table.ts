import { createColors } from 'picocolors';
import type { RunReport, SuiteResult } from '../base/types';
import { perTestSize } from './per-test-notes';
import { writeName } from './escape';
import { problemLines, summaryLine, terminalTable, withRange } from './table';
import { isOk, verdict, wasRun } from './verdict';
import { MB, toMb, toSeconds } from '../base/units';
import { estimateMark, poolNotes } from './pool-notes';

/** A variant's environment as one label: `STRESS_MOCKS=heavy`, `A=1 B=x`. */
export function variantLabel(env: Record<string, string>): string {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
}

// In ratio headers the values alone say enough: `heavy ÷ light`.
// An empty value (the variable set, and empty) reads `(empty)`.
const shortLabel = (env: Record<string, string>): string => writeName(Object.values(env).map((v) => (v === '' ? '(empty)' : v)).join(','));

/** A ratio to two decimals, `×2.41`; `-` when either side is missing or zero. */
function ratio(a: number | null, b: number | null): string {
  return a && b ? `×${(a / b).toFixed(2)}` : '-';
}

/**
 * The compare table: one row per suite, a column group per variant (peak RSS, heap floor with
 * --floor, time, and leak slope with --per-test; medians with min–max over --runs), then the first variant's figures as a ratio
 * of each other's, and a verdict that names any variant that did not pass.
 */
export function renderCompareTable(report: RunReport, options: { color: boolean }): string {
  const c = createColors(options.color);
  const variants = report.variants ?? [];
  const perTest = variants.some((v) => v.suites.some((s) => s.leak !== undefined));
  const floors = variants.some((v) => v.suites.some((s) => s.heapFloorMb !== undefined));
  const group = ['peak MB', ...(floors ? ['floor MB'] : []), 'time s', ...(perTest ? ['leak/test'] : [])];
  const others = variants.slice(1);
  // One header row, each column named after its variant: a spanning group header would need a rule under it.
  const table = terminalTable(
    [
      'suite',
      ...variants.flatMap((v) => group.map((h) => `${shortLabel(v.env)} ${h}`)),
      ...others.flatMap((v) => [`${shortLabel(variants[0].env)} ÷ ${shortLabel(v.env)} peak`, ...(floors ? ['floor'] : []), 'time']),
      'verdict',
    ],
    c,
  );
  const names = variants[0]?.suites.map((s) => s.name) ?? [];
  for (const [row, name] of names.entries()) {
    const results = variants.map((v) => v.suites[row]);
    const figures = (r: SuiteResult): string[] => [
      wasRun(r) ? estimateMark(r.measuredIn) + withRange(r, (x) => x.peakRssBytes, (v) => String(toMb(v))) : '-',
      ...(floors ? [r.heapFloorMb === undefined ? '-' : r.heapFloorMb === null ? 'none' : String(r.heapFloorMb)] : []),
      wasRun(r) ? withRange(r, (x) => x.durationMs, toSeconds) : '-',
      ...(perTest ? [r.leak ? `${perTestSize(r.leak.slopeBytesPerTest)}${r.leak.flagged ? ' leak' : ''}` : '-'] : []),
    ];
    const [first] = results;
    const failing = results.map((r, i) => (isOk(r) ? null : `${shortLabel(variants[i].env)}: ${verdict(r)}`)).filter(Boolean);
    table.push([
      writeName(name),
      ...results.flatMap((r) => figures(r).map((f) => ({ content: f, hAlign: 'right' as const }))),
      ...results.slice(1).flatMap((r) => [
        { content: ratio(wasRun(first) ? first.peakRssBytes : null, wasRun(r) ? r.peakRssBytes : null), hAlign: 'right' as const },
        ...(floors ? [{ content: ratio(first.heapFloorMb ?? null, r.heapFloorMb ?? null), hAlign: 'right' as const }] : []),
        { content: ratio(wasRun(first) ? first.durationMs : null, wasRun(r) ? r.durationMs : null), hAlign: 'right' as const },
      ]),
      failing.length ? c.red(failing.join('; ')) : c.green('PASS'),
    ]);
  }
  const flat = report.suites;
  const saved = others.length === 1 ? savedLine(variants[0].suites, others[0].suites, shortLabel(variants[0].env), shortLabel(others[0].env)) : [];
  const legend = `Variants: ${variants.map((v) => `${shortLabel(v.env)} = ${writeName(variantLabel(v.env))}`).join(' · ')}`;
  return [legend, table.toString(), summaryLine(report), ...saved, ...poolNotes(report, c), ...problemLines(flat, c)].join('\n') + '\n';
}

// With two variants: the peak memory of all suites together, one against the other.
function savedLine(a: SuiteResult[], b: SuiteResult[], aLabel: string, bLabel: string): string[] {
  const sum = (rs: SuiteResult[]): number => rs.reduce((total, r) => total + (wasRun(r) ? r.peakRssBytes : 0), 0);
  const [sa, sb] = [sum(a), sum(b)];
  if (!sa || !sb) return [];
  return [`Peak RSS of all suites: ${aLabel} ${Math.round(sa / MB)} MB, ${bLabel} ${Math.round(sb / MB)} MB (${ratio(sa, sb)}).`];
}
