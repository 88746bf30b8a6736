import * as path from 'node:path';
import { CommanderError } from 'commander';
import { loadConfig } from '../config/config';
import { discoverSuites, selectSuites } from '../discover/discover';
import { renderJson } from '../report/json';
import { renderTable, verboseFooter } from '../report/table';
import { isOk, toMb, toSeconds } from '../report/verdict';
import { writeFileAtomic } from '../report/write-file';
import { resolveJest, type JestSetup } from '../run/resolve-jest';
import type { RunPlan } from '../run/run-suite';
import { notRun, toSuiteResult } from '../run/suite-result';
import { runSequential } from '../schedule/sequential';
import type { RunReport, Suite, SuiteResult, SuiteRun } from '../types';
import { outputStyle } from './output-style';
import { type Options, type RawFlags, resolveOptions, settingsFor } from './options';
import { buildProgram } from './program';
import { UsageError } from './usage-error';

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
  onSignal(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
}

/** The side effects main() drives, passed in so a fake runner can stand in for Jest. */
export interface Deps {
  version: string;
  runSuite(plan: RunPlan, abort: AbortSignal): Promise<SuiteRun>;
  now(): number;
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
const KILL_GRACE_MS = 2000;
const SAMPLE_MS = 50;
const TREE_MS = 250;

/** Runs stress-run for one command line and returns the exit code. */
export async function main(io: Io, deps: Deps): Promise<number> {
  let options: Options | null = null;
  try {
    const parsed = parseArgs(io, deps.version);
    if (typeof parsed === 'number') return parsed;
    const { config } = loadConfig(io.cwd, parsed.flags.config ?? null);
    options = resolveOptions(parsed.command, parsed.args, parsed.flags, config);
    return await runCommand(options, io, deps);
  } catch (error) {
    return reportError(error, io, options);
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

function reportError(error: unknown, io: Io, options: Options | null): number {
  const message = error instanceof Error ? error.message : String(error);
  const known = error instanceof UsageError;
  io.stderr.write(`stress-run: ${known ? '' : 'internal error: '}${message}${known || options?.debug ? '' : ' (run with --debug for details)'}\n`);
  if (options?.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  if (options?.json === true) io.stdout.write(JSON.stringify({ error: message }) + '\n');
  return 2;
}

async function runCommand(options: Options, io: Io, deps: Deps): Promise<number> {
  const dir = path.resolve(io.cwd, options.dir);
  const all = discoverSuites(dir, options.pattern);
  const unknownBudgets = Object.keys(options.budgets).filter((name) => !all.some((s) => s.name === name));
  if (unknownBudgets.length) {
    throw new UsageError(`config "budgets" names unknown suite '${unknownBudgets[0]}'. Known suites: ${all.map((s) => s.name).join(', ')}.`);
  }
  if (options.command === 'list') {
    for (const s of all) io.stdout.write(`${s.name}\t${path.relative(io.cwd, s.file)}\n`);
    return 0;
  }
  const suites = selectSuites(all, options.suites);
  const jest = resolveJest(dir, options.jestConfig, io.cwd);
  return runSuites(suites, jest, options, io, deps);
}

async function runSuites(suites: Suite[], jest: JestSetup, options: Options, io: Io, deps: Deps): Promise<number> {
  const style = outputStyle(io.env, Boolean(io.stdout.isTTY), Boolean(io.stderr.isTTY));
  // With JSON on stdout, everything meant for people goes to stderr.
  const human = options.json === true ? io.stderr : io.stdout;
  const startedAtMs = deps.now();
  const startedAt = new Date(startedAtMs).toISOString();
  if (options.debug) {
    io.stderr.write(`stress-run: project ${jest.projectRoot}, config ${jest.configPath ?? '(none)'}, jest ${jest.jestPath}${jest.bundledJest ? ' (stress-run’s own)' : ''}\n`);
  }

  const abort = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | null = null;
  const unsubscribe = io.onSignal((signal) => {
    if (stoppedBy) return;
    stoppedBy = signal;
    io.stderr.write(`\nstress-run: ${signal} received, stopping the running suite…\n`);
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
  const relative = (suite: Suite): string => path.relative(io.cwd, suite.file).split(path.sep).join('/');

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

  let results: SuiteResult[];
  try {
    results = await runSequential(suites, runOne, notStarted, abort.signal, (_, done) => writeReports(report(done), options));
  } finally {
    unsubscribe();
  }
  const final = report(results);
  writeReports(final, options);
  human.write(renderTable(final, { color: style.color && human === io.stdout }));
  if (options.json === true) io.stdout.write(renderJson(final));
  if (stoppedBy) return SIGNAL_EXIT[stoppedBy];
  return final.ok ? 0 : 1;
}

/** Writes every requested report file (atomically), after each suite and at the end. */
function writeReports(report: RunReport, options: Options): void {
  if (typeof options.json === 'string') writeFileAtomic(options.json, renderJson(report));
}
