import Table from 'cli-table3';
import { createColors } from 'picocolors';
import type { RunReport, SuiteResult, SuiteRun } from '../base/types';
import { commonFailure } from './common-failure';
import { perTestNotes } from './per-test-notes';
import { estimateMark, poolNotes } from './pool-notes';
import { breakdownOf, breakdownText, dominantPart } from './breakdown';
import { escapeControl, namesOf, writeName } from './escape';
import { sparkline } from './sparkline';
import { tableNotes } from './table-notes';
import { isOk, verdict, verdictWithTest, wasRun } from './verdict';
import { toMb, toSeconds } from '../base/units';

/** "passed/failed/skipped", with ? for counts Jest never reported. */
export function testsCell(r: SuiteResult): string {
  const n = (v: number | null): string => (v === null ? '?' : String(v));
  return `${n(r.tests.passed)}/${n(r.tests.failed)}/${n(r.tests.skipped)}`;
}

/** A figure, with its min–max over repeated runs when there were several (as hyperfine shows them). */
export function withRange<R extends SuiteRun>(r: R & { runs?: SuiteRun[] }, pick: (run: R | SuiteRun) => number, format: (v: number) => string): string {
  const shown = format(pick(r));
  if (!r.runs) return shown;
  const values = r.runs.map(pick);
  return `${shown} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The one-line summary under the table. */
export function summaryLine(report: RunReport): string {
  const ok = report.suites.filter(isOk).length;
  const sum = (pick: (r: SuiteResult) => number | null): number => report.suites.reduce((a, r) => a + (pick(r) ?? 0), 0);
  const unknown = report.suites.filter((r) => r.tests.total === null).length;
  return (
    `${ok}/${report.suites.length} suites passed within budget · ` +
    `${plural(sum((r) => r.tests.total), 'test')} (${sum((r) => r.tests.passed)} passed, ${sum((r) => r.tests.failed)} failed, ${sum((r) => r.tests.skipped)} skipped` +
    `${unknown ? `, ${unknown} suite${unknown > 1 ? 's' : ''} without results` : ''}) · ${toSeconds(report.durationMs)} s${mergedLabel(report)}`
  );
}

/** After a merge, what the time is: the span from the first report's start to the last one's end, or their sum. */
function mergedLabel(report: RunReport): string {
  if (!report.merged) return '';
  const of = plural(report.merged.reports, 'merged report');
  return report.merged.duration === 'span' ? ` (span of ${of}: first start to last end)` : ` (sum of ${of})`;
}

/** An empty terminal table in stress-run's one style: bold headings, no colours of its own, no rule between rows. */
export function terminalTable(head: string[], c: ReturnType<typeof createColors>, colAligns?: Array<'left' | 'right'>): InstanceType<typeof Table> {
  return new Table({
    head: head.map((h) => c.bold(h)),
    ...(colAligns ? { colAligns } : {}),
    style: { head: [], border: [] },
    // No rule between rows: one line per suite reads faster.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

/** The terminal table: one row per suite, a summary line, then why each failing suite failed. */
export function renderTable(report: RunReport, options: { color: boolean }): string {
  const c = createColors(options.color);
  // Where the budgets came from: a column of its own once the report says (older reports do not).
  const from = report.suites.some((r) => r.sources);
  // The heap cap: a column only when some suite ran under one (there is none unless asked for).
  const capped = hasHeapCap(report);
  const table = terminalTable(
    ['suite', 'tests p/f/s', 'peak RSS MB', ...(capped ? ['heap cap'] : []), 'time s', ...(from ? ['budget from'] : []), 'memory', 'verdict'],
    c,
    ['left', 'right', 'right', ...(capped ? ['right' as const] : []), 'right', ...(from ? ['left' as const] : []), 'left', 'left'],
  );
  for (const r of report.suites) {
    const v = verdict(r);
    const shown = (isOk(r) ? c.green(v) : r.outcome === 'passed' ? c.yellow(v) : c.red(v)) + (r.coldCache ? c.dim(' · cold cache') : '') + c.dim(contendedWord(r));
    const peak = !wasRun(r) ? '-' : estimateMark(r.measuredIn) + withRange(r, (x) => x.peakRssBytes, (v) => String(toMb(v)));
    const time = withRange(r, (x) => x.durationMs, toSeconds);
    table.push([
      writeName(r.name),
      testsCell(r),
      r.budget.memoryExceeded ? c.yellow(peak) : peak,
      ...(capped ? [capCell(r)] : []),
      r.budget.timeExceeded ? c.yellow(time) : time,
      ...(from ? [budgetFrom(r)] : []),
      c.dim(sparkline(r.samples.map((s) => s.rssBytes))),
      shown,
    ]);
  }
  const notes = tableNotes(report).map((note) => c.dim(note));
  return [table.toString(), summaryLine(report), ...notes, ...poolNotes(report, c), ...perTestNotes(report.suites, c), ...problemLines(report.suites, c)].join('\n') + '\n';
}

/** Whether any suite of the report ran under a heap cap. */
export function hasHeapCap(report: RunReport): boolean {
  return report.suites.some((r) => r.heapCapMb !== null);
}

/** The heap cap cell: `48 MB`, or `none`. */
export function capCell(r: SuiteResult): string {
  return r.heapCapMb === null ? 'none' : `${r.heapCapMb} MB`;
}

/** --parallel: whether the time shown was measured beside other suites (it grows with them; then the time judged, without its wait for a core), or again alone after it went over budget so. */
export function contendedWord(r: SuiteResult): string {
  if (r.contendedDurationMs !== undefined) return ` · timed alone (${toSeconds(r.contendedDurationMs)} s contended)`;
  if (!r.timeContended) return '';
  return r.cpuWaitMs !== undefined && r.judgedDurationMs !== undefined ? ` · time contended, judged ${toSeconds(r.judgedDurationMs)} s` : ' · time contended';
}

/** One word for where a budget came from: flag, docblock, config or default (none: no such budget). */
export function sourceWord(source: string | undefined): string {
  if (source === undefined) return '?';
  if (source.startsWith('--')) return 'flag';
  if (source.startsWith('docblock')) return 'docblock';
  if (source.startsWith('config')) return 'config';
  return source;
}

/** The "budget from" cell: one word when the memory and time budgets came from the same place, else memory/time. */
export function budgetFrom(r: SuiteResult): string {
  if (!r.sources) return '?';
  const memory = sourceWord(r.sources.memoryMb);
  const time = sourceWord(r.sources.timeS);
  return memory === time ? memory : `${memory}/${time}`;
}

/**
 * Under a table: why each suite that did not pass did not pass, after a blank line. Suites that never
 * ran are one note above, not a paragraph each; a failure every suite shares is shown once.
 */
export function problemLines(suites: SuiteResult[], c: ReturnType<typeof createColors>): string[] {
  const failing = suites.filter((r) => !isOk(r) && r.message && wasRun(r));
  const problems = commonFailure(suites) ? failing.slice(0, 1) : failing;
  if (!problems.length) return [];
  return ['', ...problems.flatMap((r) => [`${c.bold(writeName(r.name))} (${writeName(r.file)}): ${c.red(verdictWithTest(r))}`, ...escapeControl(r.message!, { lines: true, names: namesOf(r) }).split('\n').map((l) => `  ${l}`)])];
}

/** One line after a suite's own output in --verbose mode: verdict, peak, memory timeline, time. */
export function verboseFooter(r: SuiteResult): string {
  const b = breakdownOf(r);
  const where = b ? `   at the heap peak: ${breakdownText(b)}\n   ${dominantPart(b)}\n` : '';
  return `── ${writeName(r.name)}: ${verdict(r)} · peak ${toMb(r.peakRssBytes)} MB ${sparkline(r.samples.map((s) => s.rssBytes), 24)} · ${toSeconds(r.durationMs)} s ──\n${where}`;
}
