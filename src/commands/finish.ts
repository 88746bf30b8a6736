// The end every reporting command shares: write the report files, show the table, decide the exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Io, type Out, SIGNAL_EXIT, type StopSignal } from '../cli/io';
import type { Options } from '../cli/options';
import { type OutputStyle, outputStyle } from '../cli/output-style';
import { errorCode, UsageError } from '../errors';
import { compareToBaseline, renderBaseline } from '../report/baseline';
import { githubAnnotations } from '../report/github';
import { renderJson } from '../report/json';
import { renderJunit } from '../report/junit';
import { renderMarkdown } from '../report/markdown';
import { parseReport } from '../report/merge';
import { scheduleLine } from '../report/schedule-line';
import { renderTable } from '../report/table';
import { writeFileAtomic } from '../report/write-file';
import type { RunReport } from '../types';

/** How and where output for people goes, decided once per run. */
export interface Output {
  style: OutputStyle;
  /** With JSON on stdout, everything meant for people goes to stderr. */
  human: Out;
}

/** Decides the output style and where people's output goes, once per run. */
export function outputFor(options: Options, io: Io): Output {
  return { style: outputStyle(io.env, Boolean(io.stdout.isTTY), Boolean(io.stderr.isTTY)), human: options.json === true ? io.stderr : io.stdout };
}

/** A saved report, read and checked against the schema; a one-line error otherwise. */
export function readReport(cwd: string, file: string): RunReport {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read report ${file}: ${errorCode(error)}.`);
  }
  return parseReport(text, file);
}

/** The baseline reports --baseline names: each file, and every .json file of each folder, read and checked. */
export function readBaselines(cwd: string, paths: string[]): RunReport[] {
  const files = paths.flatMap((given) => {
    let entries: string[];
    try {
      if (!fs.statSync(path.resolve(cwd, given)).isDirectory()) return [given];
      entries = fs.readdirSync(path.resolve(cwd, given)).filter((name) => name.endsWith('.json')).sort();
    } catch (error) {
      throw new UsageError(`Cannot read baseline ${given}: ${errorCode(error)}.`);
    }
    if (entries.length === 0) throw new UsageError(`Baseline folder ${given} holds no .json report.`);
    return entries.map((name) => path.join(given, name));
  });
  return files.map((file) => readReport(cwd, file));
}

/** Shows and writes the final report of a run or a merge, and decides the exit code. `table` renders it for people. */
export function finish(
  report: RunReport,
  options: Options,
  io: Io,
  output: Output,
  baseline: RunReport[] | null,
  stoppedBy: StopSignal | null,
  table: (report: RunReport, options: { color: boolean }) => string = renderTable,
): number {
  const { style, human } = output;
  let lost = false;
  writeReports(report, options, io.cwd, (flag, file, error) => {
    io.stderr.write(`stress-run: cannot write ${flag} file ${file}: ${errorCode(error)}.\n`);
    lost = true;
  });
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      fs.appendFileSync(summaryFile, renderMarkdown(report) + '\n');
    } catch (error) {
      io.stderr.write(`stress-run: warning: cannot append to $GITHUB_STEP_SUMMARY (${summaryFile}): ${errorCode(error)}.\n`);
    }
  }
  human.write(table(report, { color: style.color && human === io.stdout }));
  // Running at once is worth a line on what it cost and saved.
  if (report.schedule && report.schedule.parallelism > 1) human.write(scheduleLine(report.schedule) + '\n');
  const comparison = baseline === null ? null : compareToBaseline(report, baseline, options.maxRegressionPct, options.noiseFloorMb);
  if (comparison) human.write('\n' + renderBaseline(comparison));
  // GitHub Actions turns these lines into annotations on the suite files.
  if (io.env.GITHUB_ACTIONS === 'true') for (const line of githubAnnotations(report)) human.write(line + '\n');
  if (options.json === true) io.stdout.write(renderJson(report));
  if (stoppedBy) return SIGNAL_EXIT[stoppedBy];
  if (lost) return 2;
  return report.ok && (comparison?.ok ?? true) ? 0 : 1;
}

/** Writes every requested report file atomically; a file that cannot be written goes to `onError` and the others are still written. Returns the characters written. */
export function writeReports(report: RunReport, options: Options, cwd: string, onError: (flag: string, file: string, error: unknown) => void): number {
  let written = 0;
  const outputs: Array<[string, string | null, (r: RunReport) => string]> = [
    ['--json', typeof options.json === 'string' ? options.json : null, renderJson],
    ['--junit', options.junit, renderJunit],
    ['--markdown', options.markdown, renderMarkdown],
  ];
  for (const [flag, file, render] of outputs) {
    if (file === null) continue;
    try {
      const text = render(report);
      writeFileAtomic(path.resolve(cwd, file), text);
      written += text.length;
    } catch (error) {
      onError(flag, file, error);
    }
  }
  return written;
}
