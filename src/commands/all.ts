import type { Deps, Io, StopSignal } from '../cli/io';
import { type Options, type SuiteSettings, settingsFor } from '../cli/options';
import { type DocblockBudgets, readDocblockBudgets } from '../config/docblock';
import { selectSuites } from '../discover/discover';
import { durationsFromReport, parseShard, selectShard } from '../discover/shard';
import { errorCode, UsageError } from '../errors';
import { verboseFooter } from '../report/table';
import { isOk, toMb, toSeconds } from '../report/verdict';
import type { JestContext } from '../discover/jest-context';
import type { SuiteTarget } from '../run/jest-command';
import type { JestSetup } from '../run/resolve-jest';
import { notRun, toSuiteResult } from '../run/suite-result';
import { StandbySlot } from '../run/standby';
import { runSequential } from '../schedule/sequential';
import type { RunReport, Suite, SuiteResult, SuiteRun } from '../types';
import { findSuites, jestArgsFor, relativeFile, withWorkDir } from './find-suites';
import { finish, type Output, outputFor, readBaselines, readReport, writeReports } from './finish';

const KILL_GRACE_MS = 2000;
const SAMPLE_MS = 50;
const TREE_MS = 250;

/** `stress-run all`: find the suites, pick this run's share, run each in its own capped process, report, exit code. */
export function runAll(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const suites = pickSuites(all, options, io.cwd);
    // Read the baseline and the docblocks before running anything, so a bad file fails in a second, not after the run.
    const baseline = options.baseline === null ? null : readBaselines(io.cwd, options.baseline).map((b) => baselineFor(b, all, suites));
    const jobs = jobsFor(suites, [{}], io.cwd);
    const targetOf = (suite: Suite): SuiteTarget => suiteTarget(suite, context, jestArgsFor(jest, options), options.verbose);
    const output = outputFor(options, io);
    return runSuites(jobs, jest, targetOf, options, io, output, deps, (report, stoppedBy) => finish(report, options, io, output, baseline, stoppedBy));
  });
}

/** One suite to run under one set of extra environment variables (compare's variants; none for all). */
export interface Job {
  suite: Suite;
  env: Record<string, string>;
  /** The suite's budgets from its docblock. */
  docblock: DocblockBudgets;
}

/** Every suite under every environment, environment by environment; docblocks read (and checked) once per suite. */
export function jobsFor(suites: Suite[], envs: Array<Record<string, string>>, cwd: string): Job[] {
  const docblocks = suites.map((suite) => readDocblockBudgets(suite.file, relativeFile(cwd, suite)));
  return envs.flatMap((env) => suites.map((suite, i) => ({ suite, env, docblock: docblocks[i] })));
}

/** How one suite's file runs: through Jest's own test worker where the project's Jest allows it, else Jest's CLI. */
export function suiteTarget(suite: Suite, { file, context }: JestContext, jestArgs: string[], verbose: boolean): SuiteTarget {
  const project = context.projects[suite.project.index];
  if (context.testWorkerPath !== null && context.testResultPath !== null && project.workerBlocker === null) {
    return { kind: 'worker', contextFile: file, projectIndex: suite.project.index, coverageFile: null, extraSetupFiles: [], verbose };
  }
  return { kind: 'cli', jestArgs, project: suite.project.name === null ? null : project.displayName };
}

/** The suites this run runs: those named by --suite, then this shard's share of them. */
function pickSuites(all: Suite[], options: Options, cwd: string): Suite[] {
  const suites = selectSuites(all, options.suites);
  if (options.shard === null) return suites;
  const durations = options.durations === null ? undefined : durationsFromReport(readReport(cwd, options.durations));
  const shard = parseShard(options.shard);
  const picked = selectShard(suites, shard, durations);
  if (picked.length === 0) {
    const count = suites.length;
    throw new UsageError(`Shard ${options.shard} is empty: ${count} suite${count === 1 ? '' : 's'} cannot fill ${shard.count} shards. Use fewer shards (stress-run matrix --shards n never makes an empty one).`);
  }
  return picked;
}

/** The baseline as far as this run can speak for it: the suites it runs, and any suite that no longer exists. */
function baselineFor(baseline: RunReport, all: Suite[], selected: Suite[]): RunReport {
  const exists = new Set(all.map((s) => s.name));
  const runs = new Set(selected.map((s) => s.name));
  return { ...baseline, suites: baseline.suites.filter((s) => runs.has(s.name) || !exists.has(s.name)) };
}

/**
 * Runs the jobs one after another, each --runs times, writing the report files after each one, and
 * hands the report to `end` (which shows it and decides the exit code). `shape` adds what a command
 * keeps beside the suites (compare's variants) to every report written.
 */
export async function runSuites(
  jobs: Job[],
  jest: JestSetup,
  targetOf: (suite: Suite) => SuiteTarget,
  options: Options,
  io: Io,
  output: Output,
  deps: Deps,
  end: (report: RunReport, stoppedBy: StopSignal | null) => number,
  shape: (report: RunReport) => RunReport = (report) => report,
): Promise<number> {
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

  const report = (done: SuiteResult[]): RunReport =>
    shape({
      schemaVersion: 1,
      startedAt,
      durationMs: Math.round(deps.now() - startedAtMs),
      budgets: options.budget,
      suites: done,
      ok: done.length > 0 && done.every(isOk),
    });
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  // One standby child for the one slot of a sequential run: it loads the next suite's Jest while this one runs.
  const standby = options.standby ? new StandbySlot() : null;
  const runOne = async (job: Job, signal: AbortSignal): Promise<SuiteResult> => {
    const { suite, env, docblock } = job;
    const settings = settingsFor(suite.name, options, docblock);
    const under = Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join('');
    if (options.verbose) human.write(`\n── ${suite.name} (${relative(suite)})${under} ──\n${budgetLine(settings)}`);
    if (style.progress) io.stderr.write(`▶ ${suite.name} …\n`);
    const runs: SuiteRun[] = [];
    for (let i = 0; i < options.runs && !signal.aborted; i++) {
      runs.push(
        await deps.runSuite(
          {
            suite,
            jest,
            target: targetOf(suite),
            heapCapMb: settings.heapCapMb,
            timeoutMs: settings.timeoutMs,
            killGraceMs: KILL_GRACE_MS,
            hurry: hurry.signal,
            perTest: options.perTest,
            env,
            sampleMs: SAMPLE_MS,
            treeMs: TREE_MS,
            onOutput: options.verbose ? (chunk, stream) => (stream === 'stdout' ? human : io.stderr).write(chunk.toString('utf8')) : null,
            onCommand: options.debug ? (line) => io.stderr.write(`stress-run: ${line}\n`) : null,
            standby: standby && { slot: standby, prepareNext: !signal.aborted && (i < options.runs - 1 || jobs.indexOf(job) < jobs.length - 1) },
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
  const notStarted = ({ suite, docblock }: Job): SuiteResult => toSuiteResult(suite, relative(suite), [notRun()], settingsFor(suite.name, options, docblock));
  // Files on disk always read as if the run stopped now: suites still to come are marked not run, so
  // a run killed halfway keeps what finished and never claims ok.
  const sofar = (done: SuiteResult[]): RunReport => report([...done, ...jobs.slice(done.length).map(notStarted)]);

  let results: SuiteResult[];
  try {
    // The first write, before any suite runs, is also the check that every report file can be written.
    writeReports(sofar([]), options, io.cwd, (flag, file, error) => {
      throw new UsageError(`Cannot write ${flag} file ${file}: ${errorCode(error)}. Pass a path in a writable folder.`);
    });
    const warned = new Set<string>();
    results = await runSequential(jobs, runOne, notStarted, abort.signal, (_, done) =>
      writeReports(sofar(done), options, io.cwd, (flag, file, error) => {
        if (!warned.has(flag)) io.stderr.write(`stress-run: warning: cannot write ${flag} file ${file}: ${errorCode(error)}; will try again at the end.\n`);
        warned.add(flag);
      }),
    );
  } finally {
    await standby?.dispose();
    unsubscribe();
  }
  return end(report(results), stoppedBy);
}

/** For --verbose: each budget of a suite and where it came from (flag, docblock, config or default). */
function budgetLine(settings: SuiteSettings): string {
  const from = settings.sources;
  const leak = settings.budget.leakMb === undefined ? '' : ` · leak ${settings.budget.leakMb} MB/test (${from?.leakMb})`;
  return `budgets: memory ${settings.budget.memoryMb} MB (${from?.memoryMb}) · time ${settings.budget.timeS} s (${from?.timeS})${leak}\n`;
}
