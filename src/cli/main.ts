import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommanderError } from 'commander';
import { loadConfig } from '../config/config';
import { discoverSuites, selectSuites } from '../discover/discover';
import { durationsFromReport, parseShard, selectShard } from '../discover/shard';
import { compareToBaseline, renderBaseline } from '../report/baseline';
import { githubAnnotations } from '../report/github';
import { renderJunit } from '../report/junit';
import { renderMarkdown } from '../report/markdown';
import { renderMatrix } from '../report/matrix';
import { mergeReports, parseReport } from '../report/merge';
import { renderJson } from '../report/json';
import { renderTable, verboseFooter } from '../report/table';
import { isOk, toMb, toSeconds } from '../report/verdict';
import { writeFileAtomic } from '../report/write-file';
import { resolveJest, type JestSetup } from '../run/resolve-jest';
import type { RunPlan } from '../run/run-suite';
import { notRun, toSuiteResult } from '../run/suite-result';
import { runSequential } from '../schedule/sequential';
import type { RunReport, Suite, SuiteResult, SuiteRun } from '../types';
import { type OutputStyle, outputStyle } from './output-style';
import { type Options, type RawFlags, resolveOptions, settingsFor } from './options';
import { buildProgram } from './program';
import { errorCode, UsageError } from './usage-error';

/** A writable stream, as far as stress-run uses one. */
export interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The process as main() sees it: arguments, environment, streams and signals. */
export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Out;
  stderr: Out;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  onSignal(handler: (signal: StopSignal) => void): () => void;
}

/** The side effects main() drives, passed in so a fake runner can stand in for Jest. */
export interface Deps {
  version: string;
  runSuite(plan: RunPlan, abort: AbortSignal): Promise<SuiteRun>;
  now(): number;
}

/** The signals that stop a run, and the exit code each gives (128 + its number). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const KILL_GRACE_MS = 2000;
const SAMPLE_MS = 50;
const TREE_MS = 250;

/** Runs stress-run for one command line and returns the exit code. */
export async function main(io: Io, deps: Deps): Promise<number> {
  let flags: RawFlags | null = null;
  try {
    const parsed = parseArgs(io, deps.version);
    if (typeof parsed === 'number') return parsed;
    flags = parsed.flags;
    const { config } = loadConfig(io.cwd, flags.config ?? null);
    return await runCommand(resolveOptions(parsed.command, parsed.args, flags, config), io, deps);
  } catch (error) {
    return reportError(error, io, flags);
  }
}

function parseArgs(io: Io, version: string): { command: string | undefined; args: string[]; flags: RawFlags } | number {
  const program = buildProgram(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      outputError: (text, write) => write(`stress-run: ${text.replace(/^error: /, '').trim().replace(/\n/g, ' ')}\n`),
    });
  try {
    program.parse(io.argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    throw error;
  }
  const [command, args] = program.processedArgs as [string | undefined, string[]];
  return { command, args, flags: program.opts<RawFlags>() };
}

// Once the flags are parsed, --debug and a bare --json shape every error, even one in their own values.
function reportError(error: unknown, io: Io, flags: RawFlags | null): number {
  const message = error instanceof Error ? error.message : String(error);
  const known = error instanceof UsageError;
  io.stderr.write(`stress-run: ${known ? '' : 'internal error: '}${message}${known || flags?.debug ? '' : ' (run with --debug for details)'}\n`);
  if (flags?.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  if (flags?.json === true) io.stdout.write(JSON.stringify({ error: message }) + '\n');
  return 2;
}

async function runCommand(options: Options, io: Io, deps: Deps): Promise<number> {
  for (const flag of options.ignored) io.stderr.write(`stress-run: warning: ignoring ${flag}.\n`);
  const output = outputFor(options, io);
  if (options.command === 'merge') {
    const reports = options.reports.map((file) => readReport(io.cwd, file));
    const baseline = options.baseline === null ? null : readReport(io.cwd, options.baseline);
    return finish(mergeReports(reports), options, io, output, baseline, null);
  }
  const dir = path.resolve(io.cwd, options.dir);
  const all = discoverSuites(dir, options.pattern);
  const unknownBudgets = Object.keys(options.budgets).filter((name) => !all.some((s) => s.name === name));
  if (unknownBudgets.length) {
    throw new UsageError(`config "budgets" names unknown suite '${unknownBudgets[0]}'. Known suites: ${all.map((s) => s.name).join(', ')}.`);
  }
  if (options.command === 'list') {
    for (const s of all) io.stdout.write(`${s.name}\t${relativeFile(io.cwd, s)}\n`);
    return 0;
  }
  if (options.command === 'matrix') {
    io.stdout.write(renderMatrix(all.map((s) => s.name), options.shards ?? undefined));
    return 0;
  }
  let suites = selectSuites(all, options.suites);
  if (options.shard !== null) {
    const durations = options.durations === null ? undefined : durationsFromReport(readReport(io.cwd, options.durations));
    const shard = parseShard(options.shard);
    const count = suites.length;
    suites = selectShard(suites, shard, durations);
    if (suites.length === 0) {
      throw new UsageError(`Shard ${options.shard} is empty: ${count} suite${count === 1 ? '' : 's'} cannot fill ${shard.count} shards. Use fewer shards (stress-run matrix --shards n never makes an empty one).`);
    }
  }
  // Read the baseline before running anything, so a bad file fails in a second, not after the run.
  const baseline = options.baseline === null ? null : baselineFor(readReport(io.cwd, options.baseline), all, suites);
  const jest = resolveJest(dir, options.jestConfig, io.cwd);
  return runSuites(suites, jest, baseline, options, io, output, deps);
}

function readReport(cwd: string, file: string): RunReport {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read report ${file}: ${errorCode(error)}.`);
  }
  return parseReport(text, file);
}

/** The baseline as far as this run can speak for it: the suites it runs, and any suite that no longer exists. */
function baselineFor(baseline: RunReport, all: Suite[], selected: Suite[]): RunReport {
  const exists = new Set(all.map((s) => s.name));
  const runs = new Set(selected.map((s) => s.name));
  return { ...baseline, suites: baseline.suites.filter((s) => runs.has(s.name) || !exists.has(s.name)) };
}

async function runSuites(suites: Suite[], jest: JestSetup, baseline: RunReport | null, options: Options, io: Io, output: Output, deps: Deps): Promise<number> {
  const { style, human } = output;
  const startedAtMs = deps.now();
  const startedAt = new Date(startedAtMs).toISOString();
  if (options.debug) {
    io.stderr.write(`stress-run: project ${jest.projectRoot}, config ${jest.configPath ?? '(none)'}, jest ${jest.jestPath}${jest.bundledJest ? ' (stress-run’s own)' : ''}\n`);
  }

  const abort = new AbortController();
  const hurry = new AbortController();
  let stoppedBy: StopSignal | null = null;
  const unsubscribe = io.onSignal((signal) => {
    if (stoppedBy) {
      // A second signal: no more grace for a suite that ignores SIGTERM.
      io.stderr.write(`stress-run: ${signal} again, killing the suite's processes now…\n`);
      hurry.abort();
      return;
    }
    stoppedBy = signal;
    io.stderr.write(`\nstress-run: ${signal} received, stopping the running suite (again to kill it at once)…\n`);
    abort.abort();
  });

  const report = (done: SuiteResult[]): RunReport => ({
    schemaVersion: 1,
    startedAt,
    durationMs: Math.round(deps.now() - startedAtMs),
    budgets: options.budget,
    suites: done,
    ok: done.length > 0 && done.every(isOk),
  });
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  const runOne = async (suite: Suite, signal: AbortSignal): Promise<SuiteResult> => {
    const settings = settingsFor(suite.name, options);
    if (options.verbose) human.write(`\n── ${suite.name} (${relative(suite)}) ──\n`);
    if (style.progress) io.stderr.write(`▶ ${suite.name} …\n`);
    const runs: SuiteRun[] = [];
    for (let i = 0; i < options.runs && !signal.aborted; i++) {
      runs.push(
        await deps.runSuite(
          {
            suite,
            jest,
            heapCapMb: settings.heapCapMb,
            timeoutMs: settings.timeoutMs,
            killGraceMs: KILL_GRACE_MS,
            hurry: hurry.signal,
            sampleMs: SAMPLE_MS,
            treeMs: TREE_MS,
            onOutput: options.verbose ? (chunk, stream) => (stream === 'stdout' ? human : io.stderr).write(chunk.toString('utf8')) : null,
            onCommand: options.debug ? (line) => io.stderr.write(`stress-run: ${line}\n`) : null,
          },
          signal,
        ),
      );
    }
    const result = toSuiteResult(suite, relative(suite), runs.length ? runs : [notRun()], settings);
    if (options.verbose) human.write(verboseFooter(result));
    if (style.progress) io.stderr.write(`${isOk(result) ? '✓' : '✗'} ${suite.name} ${toMb(result.peakRssBytes)} MB ${toSeconds(result.durationMs)} s\n`);
    return result;
  };
  const notStarted = (suite: Suite): SuiteResult => toSuiteResult(suite, relative(suite), [notRun()], settingsFor(suite.name, options));
  // Files on disk always read as if the run stopped now: suites still to come are marked not run, so
  // a run killed halfway keeps what finished and never claims ok.
  const sofar = (done: SuiteResult[]): RunReport => report([...done, ...suites.slice(done.length).map(notStarted)]);

  let results: SuiteResult[];
  try {
    // The first write, before any suite runs, is also the check that every report file can be written.
    writeReports(sofar([]), options, io.cwd, (flag, file, error) => {
      throw new UsageError(`Cannot write ${flag} file ${file}: ${errorCode(error)}. Pass a path in a writable folder.`);
    });
    const warned = new Set<string>();
    results = await runSequential(suites, runOne, notStarted, abort.signal, (_, done) =>
      writeReports(sofar(done), options, io.cwd, (flag, file, error) => {
        if (!warned.has(flag)) io.stderr.write(`stress-run: warning: cannot write ${flag} file ${file}: ${errorCode(error)}; will try again at the end.\n`);
        warned.add(flag);
      }),
    );
  } finally {
    unsubscribe();
  }
  return finish(report(results), options, io, output, baseline, stoppedBy);
}

/** A suite's file relative to the working folder, '/'-separated on every platform (as reports show it). */
function relativeFile(cwd: string, suite: Suite): string {
  return path.relative(cwd, suite.file).split(path.sep).join('/');
}

/** How and where output for people goes, decided once per run. */
interface Output {
  style: OutputStyle;
  /** With JSON on stdout, everything meant for people goes to stderr. */
  human: Out;
}

function outputFor(options: Options, io: Io): Output {
  return { style: outputStyle(io.env, Boolean(io.stdout.isTTY), Boolean(io.stderr.isTTY)), human: options.json === true ? io.stderr : io.stdout };
}

/** Shows and writes the final report of a run or a merge, and decides the exit code. */
function finish(report: RunReport, options: Options, io: Io, output: Output, baseline: RunReport | null, stoppedBy: StopSignal | null): number {
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
  human.write(renderTable(report, { color: style.color && human === io.stdout }));
  const comparison = baseline === null ? null : compareToBaseline(report, baseline, options.maxRegressionPct);
  if (comparison) human.write('\n' + renderBaseline(comparison));
  // GitHub Actions turns these lines into annotations on the suite files.
  if (io.env.GITHUB_ACTIONS === 'true') for (const line of githubAnnotations(report)) human.write(line + '\n');
  if (options.json === true) io.stdout.write(renderJson(report));
  if (stoppedBy) return SIGNAL_EXIT[stoppedBy];
  if (lost) return 2;
  return report.ok && (comparison?.ok ?? true) ? 0 : 1;
}

/** Writes every requested report file atomically; a file that cannot be written goes to `onError` and the others are still written. */
function writeReports(report: RunReport, options: Options, cwd: string, onError: (flag: string, file: string, error: unknown) => void): void {
  const outputs: Array<[string, string | null, (r: RunReport) => string]> = [
    ['--json', typeof options.json === 'string' ? options.json : null, renderJson],
    ['--junit', options.junit, renderJunit],
    ['--markdown', options.markdown, renderMarkdown],
  ];
  for (const [flag, file, render] of outputs) {
    if (file === null) continue;
    try {
      writeFileAtomic(path.resolve(cwd, file), render(report));
    } catch (error) {
      onError(flag, file, error);
    }
  }
}
