import * as os from 'node:os';
import type { Deps, Io, StopSignal } from './io';
import { type Options, type SuiteSettings, settingsFor } from '../config/options';
import { type DocblockBudgets, readDocblockBudgets } from '../config/docblock';
import { selectSuites } from '../discover/discover';
import { durationsFromReport, medianPerSuite, parseShard, selectShard } from '../discover/shard';
import { errorCode, UsageError } from '../base/errors';
import { escapeControl } from '../report/escape';
import { verboseFooter } from '../report/table';
import { createProgress } from '../report/progress-writer';
import { isOk } from '../report/verdict';
import { MB, toMb } from '../base/units';
import { throttleWrites } from '../base/write-throttle';
import type { JestContext } from '../discover/jest-context';
import type { SuiteTarget } from '../spawn/jest-command';
import type { JestSetup } from '../discover/resolve-jest';
import { notRun, toSuiteResult } from '../outcome/suite-result';
import { runParallel } from '../schedule/parallel';
import { defaultTotalMemoryMb, type Limits, oversized, orderQueue, type Queued } from '../schedule/plan';
import type { RunPlan } from '../spawn/run-plan';
import { StandbyPool } from '../spawn/standby-pool';
import { type ChildPlan } from '../spawn/run-plan';
import { runSequential } from '../schedule/sequential';
import { headroomWarnings } from '../forensics/headroom';
import { withOomSummary } from '../spawn/why-oom';
import { peakConcurrentRssBytes } from '../schedule/timeline';
import type { RunReport, Suite, SuiteResult, SuiteRun } from '../base/types';
import { type TransformCache, transformCacheOf } from '../measure/cold-cache';
import { suiteCoverage } from './coverage';
import { findSuites, jestArgsFor, relativeFile, withWorkDir } from './find-suites';
import { finish, type Output, outputFor, readBaselines, readReport, writeReports } from './finish';
import { stopOnSignals, suitePlan, suiteTarget } from './suite-plan';


/** `stress-run all`: find the suites, pick this run's share, run each in its own capped process, report, exit code. */
export function runAll(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const history = options.durations === null ? null : readReport(io.cwd, options.durations);
    const suites = pickSuites(all, options, history);
    // Read the baseline and the docblocks before running anything, so a bad file fails in a second, not after the run.
    const baseline = options.baseline === null ? null : readBaselines(io.cwd, options.baseline).map((b) => baselineFor(b, all, suites));
    const jobs = jobsFor(suites, [{}], io.cwd);
    const output = outputFor(options, io);
    const coverage = suiteCoverage(context, jest, workDir, io.env);
    const planOf = (suite: Suite): SuitePlan => targetPlan(suite, context, jestArgsFor(jest, options), options.verbose, coverage?.at(suites.indexOf(suite)) ?? null, io.env);
    const hooks: RunHooks = {
      before: options.warmup ? (signal, say, children) => warm(suites, jest, options, io, workDir, deps, signal, say, children) : undefined,
      after: coverage ? (results) => coverage.report(results.length, io.cwd, output.human, io.stderr) : undefined,
    };
    const end = (report: RunReport, stoppedBy: StopSignal | null): number => {
      const code = finish(report, options, io, output, baseline, stoppedBy);
      // A previous report's heap floors say which caps leave too little headroom.
      for (const warning of history ? headroomWarnings(report, history, options.durations!) : []) output.human.write(`warning: ${warning}\n`);
      return code;
    };
    return runSuites(jobs, jest, planOf, history, options, io, output, deps, end, undefined, hooks);
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

/** --warmup: the selected files once through the project's Jest, before anything is measured. */
async function warm(
  suites: Suite[],
  jest: JestSetup,
  options: Options,
  io: Io,
  workDir: string,
  deps: Deps,
  signal: AbortSignal,
  say: (text: string) => void,
  children: ChildPlan[],
): Promise<void> {
  const files = [...new Set(suites.map((s) => s.file))];
  say(`stress-run: warming up: ${files.length} file${files.length === 1 ? '' : 's'} once through Jest, results discarded…\n`);
  await deps.warmup({ jest, jestArgs: jestArgsFor(jest, options), files, workDir, env: io.env, children }, signal);
}

/** The suites this run runs: those named by --suite, then this shard's share of them. */
function pickSuites(all: Suite[], options: Options, history: RunReport | null): Suite[] {
  const suites = selectSuites(all, options.suites);
  if (options.shard === null) return suites;
  const durations = history === null ? undefined : durationsFromReport(history);
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

/** How one suite runs, besides its settings: the child's target, and the transform cache that tells a cold run. */
export interface SuitePlan {
  target: SuiteTarget;
  transformCache: TransformCache | null;
}

/** A suite's plan: its target (with where its coverage goes, if collected) and its project's transform cache. */
export function targetPlan(suite: Suite, jestContext: JestContext, jestArgs: string[], verbose: boolean, coverageAt: string | null = null, env: NodeJS.ProcessEnv = {}): SuitePlan {
  return {
    target: suiteTarget(suite, jestContext, jestArgs, verbose, coverageAt, env),
    transformCache: transformCacheOf(jestContext.context.projects[suite.project.index].config),
  };
}

/** What a run does around its suites: before the first (--warmup), after the last (the merged coverage report). */
export interface RunHooks {
  before?: (signal: AbortSignal, say: (text: string) => void, children: ChildPlan[]) => Promise<void>;
  after?: (results: SuiteResult[]) => Promise<void>;
}

/**
 * Runs the jobs, one after another or (--parallel) several at once under a total memory budget,
 * each --runs times, writing the report files as results come in, and hands the report to `end`
 * (which shows it and decides the exit code). `shape` adds what a command keeps beside the suites
 * (compare's variants) to every report written; `hooks` run before the first job and after the last.
 */
export async function runSuites(
  jobs: Job[],
  jest: JestSetup,
  planOf: (suite: Suite) => SuitePlan,
  history: RunReport | null,
  options: Options,
  io: Io,
  output: Output,
  deps: Deps,
  end: (report: RunReport, stoppedBy: StopSignal | null) => number,
  shape: (report: RunReport) => RunReport = (report) => report,
  hooks: RunHooks = {},
): Promise<number> {
  const { style, human } = output;
  const startedAtMs = deps.now();
  const startedAt = new Date(startedAtMs).toISOString();
  const limits = limitsFor(options);
  const progress = await createProgress(options.quiet ? 'off' : style.progress && !options.verbose ? 'live' : 'plain', io.stderr, jobs.length, limits?.totalBytes === undefined ? null : limits.totalBytes / MB, deps.now);
  const say = (text: string): void => progress.log(text);
  if (options.debug) {
    say(`stress-run: project ${jest.projectRoot}, config ${jest.configPath ?? '(none)'}, jest ${jest.jestPath}${jest.bundledJest ? ' (stress-run’s own)' : ''}\n`);
  }

  const { abort, hurry, stoppedBy, unsubscribe } = stopOnSignals(io, say, limits !== null);

  const report = (done: SuiteResult[]): RunReport => {
    const durationMs = Math.round(deps.now() - startedAtMs);
    const runs = done.flatMap((r) => r.runs ?? [r]);
    return shape({
      schemaVersion: 1,
      startedAt,
      durationMs,
      budgets: options.budget,
      suites: done,
      ok: done.length > 0 && done.every(isOk),
      schedule: {
        parallelism: limits?.parallelism ?? 1,
        totalMemoryMb: limits ? limits.totalBytes / MB : null,
        peakConcurrentRssBytes: peakConcurrentRssBytes(runs),
        wallMs: durationMs,
        sumSuiteMs: runs.reduce((sum, r) => sum + r.durationMs, 0),
      },
    });
  };
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  // Standby children load later suites' Jest while the current ones run: one for a run of one suite at
  // a time; with --parallel, one per slot where a core is left free (on two cores, --parallel 2 keeps
  // both busy, and a child loading ahead would only slow the running suites down).
  const capacity = limits === null ? 1 : Math.min(limits.parallelism, Math.max(0, os.availableParallelism() - limits.parallelism));
  const standby = options.standby && capacity > 0 ? new StandbyPool(capacity) : null;
  const onCommand = options.debug ? (line: string): void => say(`stress-run: ${line}\n`) : null;
  // Each suite's plan (which reads its file) is made once: for its runs and for the standby child started ahead of them.
  const planned = new Map<Suite, SuitePlan>();
  const planFor = (suite: Suite): SuitePlan => {
    let plan = planned.get(suite);
    if (!plan) planned.set(suite, (plan = planOf(suite)));
    return plan;
  };
  const plans = jobs.map((job) => ({ name: jobKey(job), job }));
  const queue = limits === null ? null : queueFor(plans, history, options);
  // The order suites start in: the schedule's queue (parallel) or the jobs' own.
  const byName = new Map(plans.map((p) => [p.name, p.job]));
  const order = queue === null ? jobs : queue.map((q) => byName.get(q.name)!);
  // How a job's child is started: for its own runs, and for a standby child started ahead of them.
  const childPlanOf = (job: Job): RunPlan => {
    const settings = settingsFor(job.suite.name, options, job.docblock);
    return { ...suitePlan(job.suite, jest, planFor(job.suite).target, settings, hurry, options, io, human), perTest: options.perTest, env: job.env, onCommand };
  };
  const startedJobs = new Set<Job>();
  // What a standby child is started with, ahead of its turn: this job again (--runs), else the first
  // job in start order that has not started and that no waiting standby child is meant for yet.
  const nextChild = (job: Job, run: number): ChildPlan | null => {
    const next = run < options.runs - 1 ? job : order.filter((j) => !startedJobs.has(j))[standby?.size ?? 0];
    return next ? childPlanOf(next) : null;
  };
  const runOne = async (job: Job, signal: AbortSignal, onSample?: (rssBytes: number) => void): Promise<SuiteResult> => {
    const { suite, env, docblock } = job;
    const settings = settingsFor(suite.name, options, docblock);
    const shown = escapeControl(jobKey(job));
    startedJobs.add(job);
    if (options.verbose) human.write(`\n── ${shown} (${escapeControl(relative(suite))}) ──\n${budgetLine(settings)}`);
    progress.started(shown, settings.budget.memoryMb);
    const { target, transformCache } = planFor(suite);
    const childPlan = childPlanOf(job);
    const runs: SuiteRun[] = [];
    for (let i = 0; i < options.runs && !signal.aborted; i++) {
      const runStartedAtMs = Math.round(deps.now() - startedAtMs);
      const run = await deps.runSuite(
        {
          ...childPlan,
          transformCache,
          standby: standby && { pool: standby, next: () => (signal.aborted ? null : nextChild(job, i)) },
          onSample: (rssBytes) => {
            progress.sample(shown, rssBytes);
            onSample?.(rssBytes);
          },
        },
        signal,
      );
      runs.push({ ...run, startedAtMs: runStartedAtMs });
    }
    const judged = toSuiteResult(suite, relative(suite), runs.length ? runs : [notRun()], settings);
    // --why-oom: a suite that ran out of heap runs once more to take a heap snapshot near its limit.
    // Writing the snapshot takes many times the heap in RSS: the live memory guard would cut it short.
    const snapshotPlan = { ...suitePlan(suite, jest, target, settings, hurry, options, io, human), env, killAboveMb: null };
    const result = options.whyOom ? await withOomSummary(judged, snapshotPlan, deps.runSuite, signal) : judged;
    if (options.verbose) human.write(verboseFooter(result));
    progress.ended(result);
    return result;
  };
  const notStarted = ({ suite, docblock }: Job): SuiteResult => toSuiteResult(suite, relative(suite), [notRun()], settingsFor(suite.name, options, docblock));
  // Files on disk always read as if the run stopped now: jobs not finished yet are marked not run, so
  // a run killed halfway keeps what finished and never claims ok.
  const sofar = (done: Array<{ job: Job; result: SuiteResult }>): RunReport => {
    const finished = new Map(done.map(({ job, result }) => [job, result]));
    return report(jobs.map((job) => finished.get(job) ?? notStarted(job)));
  };

  let results: SuiteResult[];
  const warned = new Set<string>();
  let done: Array<{ job: Job; result: SuiteResult }> = [];
  const rewrite = throttleWrites(
    () =>
      writeReports(sofar(done), options, io.cwd, 'progress', (flag, file, error) => {
        if (!warned.has(flag)) say(`stress-run: warning: cannot write ${flag} file ${file}: ${errorCode(error)}; will try again at the end.\n`);
        warned.add(flag);
      }),
    deps.now,
  );
  try {
    // The first write, before any suite runs, is also the check that every report file can be written.
    writeReports(sofar([]), options, io.cwd, 'check', (flag, file, error) => {
      throw new UsageError(`Cannot write ${flag} file ${file}: ${errorCode(error)}. Pass a path in a writable folder.`);
    });
    // The suites' children in start order, for a warm-up that starts one of each kind.
    if (hooks.before && !abort.aborted) await hooks.before(abort, say, order.map(childPlanOf));
    const byResult = new Map<SuiteResult, Job>();
    const onResult = (result: SuiteResult, finished: SuiteResult[]): void => {
      done = finished.map((r) => ({ job: byResult.get(r)!, result: r }));
      rewrite.request();
    };
    const runPlan = async (p: { job: Job }, signal: AbortSignal, onSample?: (rssBytes: number) => void): Promise<SuiteResult> => {
      const result = await runOne(p.job, signal, onSample);
      byResult.set(result, p.job);
      return result;
    };
    const skip = (p: { job: Job }): SuiteResult => {
      const result = notStarted(p.job);
      byResult.set(result, p.job);
      return result;
    };
    if (limits === null || queue === null) {
      results = await runSequential(plans, runPlan, skip, abort, onResult);
    } else {
      for (const q of oversized(queue, limits)) {
        say(`stress-run: warning: ${q.name} is expected to peak at ${toMb(q.expectedPeakBytes)} MB, more than --total-memory ${limits.totalBytes / MB} MB: it will run alone.\n`);
      }
      results = await runParallel(plans, queue, limits, runPlan, skip, abort, onResult, () => standby?.heldBytes() ?? 0);
    }
    // A run stopped halfway leaves the project's coverage report as it was, rather than one of half the suites.
    if (!abort.aborted && hooks.after) {
      progress.stop();
      await hooks.after(results);
    }
  } finally {
    rewrite.cancel();
    progress.stop();
    await standby?.dispose();
    unsubscribe();
  }
  return end(report(results), stoppedBy());
}

/** For --verbose: each budget of a suite and where it came from (flag, docblock, config or default). */
function budgetLine(settings: SuiteSettings): string {
  const from = settings.sources;
  const leak = settings.budget.leakMb === undefined ? '' : ` · leak ${settings.budget.leakMb} MB/test (${from?.leakMb})`;
  return `budgets: memory ${settings.budget.memoryMb} MB (${from?.memoryMb}) · time ${settings.budget.timeS} s (${from?.timeS})${leak}\n`;
}

/** With --parallel: how many suites at once and the memory they share; null runs one after another. */
function limitsFor(options: Options): Limits | null {
  if (options.parallel === null) return null;
  const parallelism = options.parallel === 'auto' ? os.availableParallelism() : options.parallel;
  const totalMb =
    options.totalMemoryMb ?? defaultTotalMemoryMb({ constrainedBytes: process.constrainedMemory?.(), freeBytes: os.freemem(), totalBytes: os.totalmem() });
  return { parallelism, totalBytes: totalMb * MB };
}

/** A job's name in the schedule (and as shown while it runs): its suite's, with compare's variant after it. */
export function jobKey({ suite, env }: Pick<Job, 'suite' | 'env'>): string {
  return suite.name + Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join('');
}

/** The jobs in start order, each with its expected peak and time: from the history report where it has them, else its memory budget. */
function queueFor(plans: Array<{ name: string; job: Job }>, history: RunReport | null, options: Options): Queued[] {
  const peaks = history ? medianPerSuite(history, (run) => run.peakRssBytes) : new Map<string, number>();
  const times = history ? durationsFromReport(history) : new Map<string, number>();
  return orderQueue(
    plans.map(({ name, job }) => ({
      name,
      expectedPeakBytes: peaks.get(job.suite.name) || settingsFor(job.suite.name, options, job.docblock).budget.memoryMb * MB,
      expectedMs: times.get(job.suite.name) ?? 0,
    })),
  );
}
