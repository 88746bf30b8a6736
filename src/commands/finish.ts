// The end every reporting command shares: write the report files, show the table, decide the exit code.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Io, SIGNAL_EXIT, type StopSignal } from './io';
import type { Out } from '../base/out';
import type { Options } from '../config/options';
import { type OutputStyle, outputStyle } from '../report/output-style';
import { errorCode, UsageError } from '../base/errors';
import { type BaselineComparison, compareToBaseline, renderBaseline } from '../report/baseline';
import { renderHtml } from '../report/html';
import { htmlAssets } from './html-assets';
import { githubAnnotations } from '../report/github';
import { renderJson } from '../report/json';
import { renderJunit } from '../report/junit';
import { renderBmf } from '../report/bmf';
import { writeName } from '../report/escape';
import { renderMarkdown } from '../report/markdown';
import { parseReport } from '../report/merge';
import { scheduleLine } from '../report/schedule-line';
import { renderTable } from '../report/table';
import { renderTrace } from '../report/trace';
import { checkSpecial, prepareFile, type PreparedFile, reportTarget, writeSpecial } from '../base/write-file';
import type { RunReport } from '../base/types';
import { type ThrottledWrite, throttleWrites } from '../base/write-throttle';

/** How and where output for people goes, decided once per run. */
export interface Output {
  style: OutputStyle;
  /** With JSON on stdout, everything meant for people goes to stderr. */
  human: Out;
}

/** Decides the output style and where people's output goes, once per run. */
export function outputFor(options: Options, io: Io): Output {
  const reportOnStdout = options.json === true || options.junit === '-' || options.markdown === '-' || options.bmf === '-' || options.trace === '-' || options.html === '-';
  return { style: outputStyle(io.env, Boolean(io.stdout.isTTY), Boolean(io.stderr.isTTY)), human: reportOnStdout ? io.stderr : io.stdout };
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
  const comparison = baseline === null ? null : compareToBaseline(report, baseline, options.maxRegressionPct, options.noiseFloorMb);
  writeReports(
    report,
    options,
    io.cwd,
    'final',
    (flag, file, error) => {
      io.stderr.write(`stress-run: cannot write ${flag} file ${writeName(file)}: ${errorCode(error)}.\n`);
      lost = true;
    },
    comparison,
  );
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      fs.appendFileSync(summaryFile, renderMarkdown(report) + '\n');
    } catch (error) {
      io.stderr.write(`stress-run: warning: cannot append to $GITHUB_STEP_SUMMARY (${summaryFile}): ${errorCode(error)}.\n`);
    }
  }
  // Under GitHub Actions, a line of a suite's name, title or failure text could read as a workflow
  // command (::warning …); the runner ignores commands between stop-commands and its random token.
  const github = io.env.GITHUB_ACTIONS === 'true';
  const token = github ? randomBytes(16).toString('hex') : null;
  if (token) human.write(`::stop-commands::${token}\n`);
  human.write(table(report, { color: style.color && human === io.stdout }));
  // Running at once is worth a line on what it cost and saved.
  if (report.schedule && report.schedule.parallelism > 1) human.write(scheduleLine(report.schedule) + '\n');
  if (comparison) human.write('\n' + renderBaseline(comparison));
  if (token) human.write(`::${token}::\n`);
  // GitHub Actions turns these lines into annotations on the suite files.
  if (github) for (const line of githubAnnotations(report)) human.write(line + '\n');
  if (options.json === true) io.stdout.write(renderJson(report));
  if (options.junit === '-') io.stdout.write(renderJunit(report));
  if (options.markdown === '-') io.stdout.write(renderMarkdown(report));
  if (options.bmf === '-') io.stdout.write(renderBmf(report));
  if (options.trace === '-') io.stdout.write(renderTrace(report));
  if (options.html === '-') io.stdout.write(renderHtml(report, htmlAssets(), { baseline: comparison }));
  if (stoppedBy) return SIGNAL_EXIT[stoppedBy];
  if (lost) return 2;
  return report.ok && (comparison?.ok ?? true) ? 0 : 1;
}

/**
 * When report files are written: `check` before the first suite (all or nothing: when one path fails,
 * no file is touched), `progress` after each suite (regular files only), `final` at the end (special
 * files such as /dev/stdout or a FIFO too, once). A report for `-` goes to stdout, written by finish.
 */
export type WritePhase = 'check' | 'progress' | 'final';

/** Writes every requested report file; a file that cannot be written goes to `onError` and, except when checking, the others are still written. Returns the characters written. */
export function writeReports(
  report: RunReport,
  options: Options,
  cwd: string,
  phase: WritePhase,
  onError: (flag: string, file: string, error: unknown) => void,
  baseline: BaselineComparison | null = null,
): number {
  let written = 0;
  const outputs: Array<[string, string | null, (r: RunReport) => string]> = [
    ['--json', typeof options.json === 'string' ? options.json : null, renderJson],
    ['--junit', options.junit, renderJunit],
    ['--markdown', options.markdown, renderMarkdown],
    ['--bmf', options.bmf, renderBmf],
    ['--trace', options.trace, renderTrace],
    ['--html', options.html, (r) => renderHtml(r, htmlAssets(), { baseline })],
  ];
  const prepared: Array<[string, string, PreparedFile]> = [];
  const errors: Array<[string, string, unknown]> = [];
  for (const [flag, file, render] of outputs) {
    if (file === null) continue;
    try {
      const target = reportTarget(file, cwd);
      const text = target.kind === 'file' || (target.kind === 'special' && phase === 'final') ? render(report) : '';
      written += text.length;
      if (target.kind === 'file') prepared.push([flag, file, prepareFile(target.path, text)]);
      else if (target.kind === 'special' && phase === 'check') checkSpecial(target.path);
      else if (target.kind === 'special' && phase === 'final') writeSpecial(target.path, text);
    } catch (error) {
      errors.push([flag, file, error]);
    }
  }
  const together = phase === 'check' && errors.length > 0;
  for (const [flag, file, temp] of prepared) {
    try {
      if (together) temp.abort();
      else temp.commit();
    } catch (error) {
      errors.push([flag, file, error]);
    }
  }
  for (const [flag, file, error] of errors) onError(flag, file, error);
  return written;
}

/**
 * The report files of a run as it goes, written from `sofar` (the report as if the run stopped now):
 * `check()` before anything runs (a path that cannot be written is a UsageError, and no file is
 * touched), then `rewrite`, held back as the files grow; a rewrite that fails is said once per flag.
 */
export function reportFiles(sofar: () => RunReport, options: Options, io: Io, say: (text: string) => void, now: () => number): { check(): void; rewrite: ThrottledWrite } {
  const warned = new Set<string>();
  return {
    check: () =>
      void writeReports(sofar(), options, io.cwd, 'check', (flag, file, error) => {
        throw new UsageError(`Cannot write ${flag} file ${file}: ${errorCode(error)}. Pass a path in a writable folder.`);
      }),
    rewrite: throttleWrites(
      () =>
        writeReports(sofar(), options, io.cwd, 'progress', (flag, file, error) => {
          if (!warned.has(flag)) say(`stress-run: warning: cannot write ${flag} file ${writeName(file)}: ${errorCode(error)}; will try again at the end.\n`);
          warned.add(flag);
        }),
      now,
    ),
  };
}
