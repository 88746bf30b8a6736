// Charts for the Markdown summary as Mermaid `xychart-beta` blocks (GitHub draws ```mermaid blocks):
// each suite's peak against its budget, and, for a run of suites at once, the summed RSS over time.
import type { RunReport, SuiteResult } from '../base/types';
import { MB } from '../base/units';
import { summedRss } from './summed-rss';
import { wasRun } from './verdict';

/** How many points the summed-RSS line has at most: enough for its shape, few enough to read. */
const TIME_POINTS = 60;

const mb = (bytes: number): number => Math.round(bytes / MB);

// A Mermaid string may hold neither a double quote nor a line break, and a backtick could close the
// block's fence; a name keeps its other characters.
function label(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/["`]/g, "'").replace(/[\u0000-\u001f\u007f]+/g, ' ')}"`;
}

/** A y-axis top above every value, rounded up to a readable step. */
function axisTop(values: number[]): number {
  const top = Math.max(1, ...values) * 1.1;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(top)) - 1);
  return Math.ceil(top / step) * step;
}

/** Each suite's peak RSS (bars) against its memory budget (line), in MB. */
export function peakChart(suites: SuiteResult[]): string {
  const peaks = suites.map((r) => (wasRun(r) ? mb(r.peakRssBytes) : 0));
  const budgets = suites.map((r) => r.budget.memoryMb);
  return [
    'xychart-beta',
    `  title "Peak RSS (bars) against the memory budget (line), MB"`,
    `  x-axis [${suites.map((r) => label(r.name)).join(', ')}]`,
    `  y-axis "MB" 0 --> ${axisTop([...peaks, ...budgets])}`,
    `  bar [${peaks.join(', ')}]`,
    `  line [${budgets.join(', ')}]`,
  ].join('\n');
}

/**
 * The summed RSS of the suites running at each moment of a run of suites at once, in MB (see
 * summed-rss). With --total-memory, a second line at that total.
 * Null when the suites' timelines cannot be lined up (no start times, no samples).
 */
export function concurrentChart(report: RunReport): string | null {
  const summed = summedRss(report.suites, TIME_POINTS);
  if (summed === null) return null;
  const { endMs } = summed;
  const sums = summed.bytes;
  const total = report.schedule?.totalMemoryMb ?? null;
  const values = sums.map(mb);
  // A total far above what the suites used (free memory on a big machine) would flatten their line to
  // nothing: then the title gives it instead of a line.
  const drawTotal = total !== null && total <= 2 * Math.max(1, ...values);
  const note = total === null ? '' : drawTotal ? ' (flat line: --total-memory)' : ` (--total-memory ${Math.round(total)} MB)`;
  const lines = [
    'xychart-beta',
    `  title "Summed RSS of the suites running at once${note}, MB"`,
    `  x-axis "time (s)" 0 --> ${Math.max(0.1, Math.round(endMs / 100) / 10)}`,
    `  y-axis "MB" 0 --> ${axisTop([...values, drawTotal ? total : 0])}`,
    `  line [${values.join(', ')}]`,
  ];
  if (drawTotal) lines.push(`  line [${values.map(() => total).join(', ')}]`);
  return lines.join('\n');
}

/** A chart as a fenced ```mermaid block. */
export function mermaidBlock(chart: string): string[] {
  return ['```mermaid', chart, '```'];
}
