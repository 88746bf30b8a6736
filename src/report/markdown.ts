import type { RunReport, SuiteResult } from '../base/types';
import { scheduleLine } from './schedule-line';
import { BAR_PARTS, breakdownChart } from './breakdown';
import { escapeControl, namesOf, writeName } from './escape';
import { concurrentChart, mermaidBlock, peakChart } from './mermaid';
import { capCell, hasHeapCap, summaryLine, testsCell } from './table';
import { isOk, verdictWithTest, verdict, wasRun } from './verdict';
import { MB, toMb, toSeconds } from '../base/units';
import { estimateMark, poolNotes } from './pool-notes';
import { createColors } from 'picocolors';

const BAR_WIDTH = 20;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
// A step summary is capped at 1 MiB; one suite's failure text should not take it all.
const MAX_MESSAGE_CHARS = 4000;

/** The report as GitHub Markdown: the terminal table's columns, the summary, memory bars against budget, and why suites failed. */
export function renderMarkdown(report: RunReport): string {
  const failing = report.suites.filter((r) => !isOk(r));
  const headline = report.suites.length === 0 ? 'no suites ran' : failing.length ? `❌ ${failing.length} of ${report.suites.length} suites failed` : `✅ every suite within budget (${report.suites.length} of ${report.suites.length})`;
  const capped = hasHeapCap(report);
  const lines = [
    `## stress-run: ${headline}`,
    '',
    `| suite | tests p/f/s | peak RSS MB |${capped ? ' heap cap |' : ''} time s | verdict |`,
    `| :--- | ---: | ---: |${capped ? ' ---: |' : ''} ---: | :--- |`,
    ...report.suites.map(
      (r) =>
        `| ${[writeName(r.name, 'markdown'), ...[testsCell(r), peakCell(r), ...(capped ? [capCell(r)] : []), toSeconds(r.durationMs), verdictCell(r)].map(cell)].join(' | ')} |`,
    ),
    '',
    summaryLine(report),
  ];
  if (report.schedule) lines.push('', scheduleLine(report.schedule));
  if (report.suites.length) {
    // The chart for the eye (GitHub draws Mermaid), and the same figures as text for every reader.
    lines.push('', '### Peak memory against budget', '', ...mermaidBlock(peakChart(report.suites)), '', ...fenced(memoryChart(report.suites)));
  }
  const together = report.schedule && report.schedule.parallelism > 1 ? concurrentChart(report) : null;
  if (together) lines.push('', '### Memory of the suites running at once', '', ...mermaidBlock(together));
  // A pool run: the workers, what each file left behind in its worker, the suggested limit (as under the table).
  const pool = poolNotes(report, createColors(false)).filter((line) => line !== '');
  if (pool.length) lines.push('', '### Pool workers', '', ...fenced(pool));
  const where = breakdownChart(report.suites);
  if (where.length) {
    lines.push('', `### Where the RSS goes (at each suite's heap peak: ${BAR_PARTS.heap} V8 heap, ${BAR_PARTS.external} Buffers and other external memory, ${BAR_PARTS.rest} code and native)`, '', ...fenced(where));
  }
  for (const r of failing.filter((f) => f.message)) {
    lines.push('', `<details><summary>${writeName(r.name, 'html')} (${writeName(r.file, 'html')}): ${html(verdictWithTest(r))}</summary>`, '');
    lines.push(...fenced(failureText(r)), '', '</details>');
  }
  return lines.join('\n') + '\n';
}

function peakCell(r: SuiteResult): string {
  return !wasRun(r) ? '-' : estimateMark(r.measuredIn) + String(toMb(r.peakRssBytes));
}

function verdictCell(r: SuiteResult): string {
  const mark = isOk(r) ? '✅' : r.outcome === 'passed' ? '⚠️' : '❌';
  return `${mark} ${verdict(r)}`;
}

/** One line per suite: `name  ████████░░░░  142/300 MB`, with a marker and the excess when over budget. */
function memoryChart(suites: SuiteResult[]): string[] {
  const names = suites.map((r) => writeName(r.name));
  const nameWidth = Math.max(...names.map((n) => [...n].length));
  const figures = suites.map((r) => (!wasRun(r) ? 'not run' : `${estimateMark(r.measuredIn)}${toMb(r.peakRssBytes)}/${r.budget.memoryMb} MB`));
  const figureWidth = Math.max(...figures.map((f) => f.length));
  return suites.map((r, i) => {
    const name = names[i] + ' '.repeat(nameWidth - [...names[i]].length);
    if (!wasRun(r)) return `${name}  ${' '.repeat(BAR_WIDTH + 1)} ${figures[i]}`;
    const over = r.budget.memoryExceeded ? `  OVER BUDGET by ${Math.ceil(r.peakRssBytes / MB - r.budget.memoryMb)} MB` : '';
    return `${name}  ${memoryBar(r)} ${figures[i].padStart(figureWidth)}${over}`;
  });
}

// The bar's full width is the budget; eighth blocks give it 160 steps. Past the budget it ends in ▶.
function memoryBar(r: SuiteResult): string {
  if (r.budget.memoryExceeded) return '█'.repeat(BAR_WIDTH) + '▶';
  const fraction = Math.min(1, Math.max(0, r.peakRssBytes / (r.budget.memoryMb * MB)));
  const eighths = Math.round(fraction * BAR_WIDTH * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8];
  return '█'.repeat(full) + part + '░'.repeat(BAR_WIDTH - full - (part ? 1 : 0)) + ' ';
}

function failureText(r: SuiteResult): string {
  const text = escapeControl(r.message ?? '', { lines: true, names: namesOf(r) }).trim();
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}\n… (cut; the JSON report has the whole text)` : text;
}

/** Text in a ```text block whose fence is longer than any run of backticks inside it. */
function fenced(text: string | string[]): string[] {
  const body = Array.isArray(text) ? text.join('\n') : text;
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, body, fence];
}

// Inside a table cell: `|` would end the cell, a newline the row, and markdown punctuation would turn names into markup.
function cell(text: string): string {
  return escapeControl(text.replace(/[\r\n]+/g, ' ')).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

function html(text: string): string {
  return escapeControl(text.replace(/[\r\n]+/g, ' ')).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
