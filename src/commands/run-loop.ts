// The one run loop of every command that runs suites (all, compare): jobs one after another or
// several at once under a total memory budget, each --runs times, with standby children started
// ahead, live progress, and the report files rewritten as results come in.
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunReport, Suite, SuiteResult, SuiteRun } from '../base/types';
import { MB, toMb, toSeconds } from '../base/units';
import type { Options, SuiteSettings } from '../config/options';
import { durationsFromReport, medianPerSuite } from '../discover/shard';
import type { JestSetup } from '../discover/resolve-jest';
import { notRun, toSuiteResult } from '../outcome/suite-result';
import { writeName } from '../report/escape';
import { createProgress } from '../report/progress-writer';
import { verboseFooter } from '../report/table';
import { isOk } from '../report/verdict';
import { runParallel } from '../schedule/parallel';
import { runMemoryMb } from '../base/machine-memory';
import { type Limits, oversized, orderQueue, type Queued } from '../schedule/plan';
import { runSequential } from '../schedule/sequential';
import { peakConcurrentRssBytes } from '../schedule/timeline';
import type { ChildPlan, RunPlan } from '../spawn/run-plan';
import { StandbyPool } from '../spawn/standby-pool';
import { withOomSummary } from '../spawn/why-oom';
import { relativeFile } from './find-suites';
import { type Output, reportFiles } from './finish';
import type { Deps, Io, StopSignal } from './io';
import { type Job, jobKey, type PlanContext, runPlanOf, stopOnSignals, type SuitePlan } from './suite-plan';

/** What a run does around its suites: before the first (--warmup), after the last (the merged coverage report). */
export interface RunHooks {
  before?: (signal: AbortSignal, say: (text: string) => void, children: ChildPlan[]) => Promise<void>;
  after?: (results: SuiteResult[]) => Promise<void>;
}

/** Everything the run loop needs. */
export interface RunLoop {
  jobs: Job[];
  jest: JestSetup;
  /** Each suite's target and transform cache (made once per suite, however many jobs and runs it has). */
  planOf: (suite: Suite) => SuitePlan;
  /** A previous report: its peaks and times order and size a parallel run. */
  history: RunReport | null;
  options: Options;
  io: Io;
  output: Output;
  deps: Deps;
  /** What a command keeps beside the suites (compare's variants), added to every report written. */
  shape?: (report: RunReport) => RunReport;
  hooks?: RunHooks;
}

/** How a run ended: its report, and the signal that stopped it (null when it ran to the end). */
export interface RunEnd {
  report: RunReport;
  stoppedBy: StopSignal | null;
}

/**
 * Runs the jobs, one after another or (--parallel) several at once under a total memory budget, each
 * --runs times, writing the report files as results come in; returns the report, which the command
 * shows and turns into its exit code.
 */
export async function runLoop(loop: RunLoop): Promise<RunEnd> {
  const { jobs, jest, history, options, io, output, deps, hooks = {} } = loop;
  const shape = loop.shape ?? ((report: RunReport): RunReport => report);
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
  const ctx: PlanContext = { jest, hurry, options, io, human, say };

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
        // A suite timed again alone (--parallel) also spent its contended runs.
        sumSuiteMs: runs.reduce((sum, r) => sum + r.durationMs, 0) + done.reduce((sum, r) => sum + (r.contendedDurationMs ?? 0) * (r.runs?.length ?? 1), 0),
      },
    });
  };
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  // Standby children load later suites' Jest while the current ones run: one for a run of one suite at
  // a time; with --parallel, one per slot where a core is left free (on two cores, --parallel 2 keeps
  // both busy, and a child loading ahead would only slow the running suites down).
  const capacity = limits === null ? 1 : Math.min(limits.parallelism, Math.max(0, os.availableParallelism() - limits.parallelism));
  const standby = options.standby && capacity > 0 ? new StandbyPool(capacity) : null;
  // Each suite's plan (which reads its file) is made once: for its runs and for the standby child started ahead of them.
  const planned = new Map<Suite, SuitePlan>();
  const planFor = (suite: Suite): SuitePlan => {
    let plan = planned.get(suite);
    if (!plan) planned.set(suite, (plan = loop.planOf(suite)));
    return plan;
  };
  const plans = jobs.map((job) => ({ name: jobKey(job), job }));
  const queue = limits === null ? null : queueFor(plans, history);
  // The order suites start in: the schedule's queue (parallel) or the jobs' own.
  const byName = new Map(plans.map((p) => [p.name, p.job]));
  const order = queue === null ? jobs : queue.map((q) => byName.get(q.name)!);
  // How a job's child is started: for its own runs, for a standby child started ahead of them, and (--why-oom) for its second run.
  const childPlanOf = (job: Job): RunPlan => runPlanOf(job, planFor(job.suite).target, ctx);
  const startedJobs = new Set<Job>();
  // What a standby child is started with, ahead of its turn: this job again (--runs), else the first
  // job in start order that has not started and that no waiting standby child is meant for yet.
  const nextChild = (job: Job, run: number): ChildPlan | null => {
    const next = run < options.runs - 1 ? job : order.filter((j) => !startedJobs.has(j))[standby?.size ?? 0];
    return next ? childPlanOf(next) : null;
  };
  // --parallel: the runs going on now, each marked contended once another runs beside it (its time then grows with the shared cores).
  const active = new Set<{ contended: boolean }>();
  // A job's --runs runs; `live`: its samples feed the progress display (not for a run again alone after the others ended).
  const runsOf = async (job: Job, signal: AbortSignal, live: boolean, onSample?: (rssBytes: number) => void): Promise<Array<SuiteRun & { contended: boolean }>> => {
    const { suite } = job;
    const shown = jobKey(job);
    const childPlan = childPlanOf(job);
    const runs: Array<SuiteRun & { contended: boolean }> = [];
    for (let i = 0; i < options.runs && !signal.aborted; i++) {
      const runStartedAtMs = Math.round(deps.now() - startedAtMs);
      const mark = { contended: false };
      active.add(mark);
      if (active.size > 1) for (const m of active) m.contended = true;
      try {
        const run = await deps.runSuite(
          {
            ...childPlan,
            transformCache: planFor(suite).transformCache,
            standby: live && standby ? { pool: standby, next: () => (signal.aborted ? null : nextChild(job, i)) } : null,
            onSample: (rssBytes) => {
              if (live) progress.sample(shown, rssBytes);
              onSample?.(rssBytes);
            },
          },
          signal,
        );
        runs.push({ ...run, startedAtMs: runStartedAtMs, contended: mark.contended });
      } finally {
        active.delete(mark);
      }
    }
    return runs;
  };
  const runOne = async (job: Job, signal: AbortSignal, onSample?: (rssBytes: number) => void): Promise<SuiteResult> => {
    const { suite, settings } = job;
    // The progress lines write the name as every writer does (report/escape).
    const shown = jobKey(job);
    startedJobs.add(job);
    if (options.verbose) human.write(`\n── ${writeName(shown)} (${writeName(relative(suite))}) ──\n${budgetLine(settings)}`);
    progress.started(shown, settings.budget.memoryMb);
    const childPlan = childPlanOf(job);
    const measured = await runsOf(job, signal, true, onSample);
    const runs = measured.map(({ contended, ...run }) => (limits === null ? run : withoutCpuWait(run)));
    const judged = toSuiteResult(suite, relative(suite), runs.length ? runs : [notRun()], settings);
    // A transformer whose cache key changes on every call keeps the suite cold whatever is done first: named as such.
    const neverWarm = planFor(suite).neverWarm ?? [];
    if (neverWarm.length && runs.length) judged.neverWarmTransformers = neverWarm.map((file) => path.relative(io.cwd, file) || file);
    // --parallel: a time measured while other suites shared the cores says so.
    if (limits !== null && runs.length) judged.timeContended = measured.some((r) => r.contended);
    // --why-oom: a suite that ran out of heap runs once more to take a heap snapshot near its limit.
    // Writing the snapshot takes many times the heap in RSS: the live memory guard would cut it short.
    const result = options.whyOom ? await withOomSummary(judged, { ...childPlan, perTest: false, killAboveMb: null }, deps.runSuite, signal) : judged;
    if (options.verbose) human.write(verboseFooter(result));
    progress.ended(shown, result);
    return result;
  };
  /**
   * --parallel: a suite over its time budget, or killed at its timeout, while others shared the cores
   * is timed again alone (after the parallel part, one at a time) and judged on that: its time grew
   * with its neighbours', which is not its own cost. The contended figure is kept (contendedDurationMs).
   */
  const aloneIfContended = async (job: Job, result: SuiteResult): Promise<SuiteResult> => {
    // Over its budget on the time judged, which is without the wait for a core where that is known (Linux): only where it is not.
    const waitUnknown = (result.runs ?? [result]).some((r) => r.cpuWaitMs === undefined);
    const overTime = result.budget.timeExceeded && waitUnknown && (result.outcome === 'passed' || result.outcome === 'failed');
    if (!result.timeContended || !(overTime || result.outcome === 'timeout') || abort.aborted) return result;
    const shown = jobKey(job);
    const what = result.outcome === 'timeout' ? `timed out after ${result.timeoutS} s` : `took ${toSeconds(result.durationMs)} s, over its ${job.settings.budget.timeS} s time budget,`;
    say(`stress-run: ${writeName(shown)} ${what} while other suites shared the cores: timing it again alone.\n`);
    const runs = (await runsOf(job, abort, false)).map(({ contended, ...run }) => withoutCpuWait(run));
    if (abort.aborted || runs.length === 0) return result;
    const alone = toSuiteResult(job.suite, relative(job.suite), runs, job.settings);
    say(`stress-run: ${writeName(shown)} alone: ${toSeconds(alone.durationMs)} s${alone.budget.timeExceeded ? ', still over its time budget' : ', within its time budget'}.\n`);
    return { ...alone, timeContended: false, contendedDurationMs: result.durationMs };
  };
  const notStarted = ({ suite, settings }: Job): SuiteResult => toSuiteResult(suite, relative(suite), [notRun()], settings);
  // Files on disk always read as if the run stopped now: jobs not finished yet are marked not run, so
  // a run killed halfway keeps what finished and never claims ok.
  const sofar = (done: Array<{ job: Job; result: SuiteResult }>): RunReport => {
    const finished = new Map(done.map(({ job, result }) => [job, result]));
    return report(jobs.map((job) => finished.get(job) ?? notStarted(job)));
  };

  let results: SuiteResult[];
  let done: Array<{ job: Job; result: SuiteResult }> = [];
  const { check, rewrite } = reportFiles(() => sofar(done), options, io, say, deps.now);
  try {
    // The first write, before any suite runs, is also the check that every report file can be written.
    check();
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
        say(`stress-run: warning: ${writeName(q.name)} is expected to peak at ${toMb(q.expectedPeakBytes)} MB, more than --total-memory ${limits.totalBytes / MB} MB: it will run alone.\n`);
      }
      results = await runParallel(plans, queue, limits, runPlan, skip, abort, onResult, () => standby?.heldBytes() ?? 0);
      for (const [i, result] of results.entries()) {
        const job = byResult.get(result)!;
        const again = await aloneIfContended(job, result);
        if (again === result) continue;
        results[i] = again;
        byResult.set(again, job);
        onResult(again, results);
      }
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
  return { report: report(results), stoppedBy: stoppedBy() };
}

/**
 * --parallel: a run's time judged without the time its process waited for a core (Linux's run-queue
 * delay), which grows with the suites sharing the cores and not with the suite's own work.
 */
function withoutCpuWait(run: SuiteRun): SuiteRun {
  if (run.cpuWaitMs === undefined) return run;
  return { ...run, judgedDurationMs: Math.max(0, (run.judgedDurationMs ?? run.durationMs) - run.cpuWaitMs) };
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
  return { parallelism, totalBytes: runMemoryMb(options.totalMemoryMb) * MB };
}

/** The jobs in start order, each with its expected peak and time: from the history report where it has them, else its memory budget. */
function queueFor(plans: Array<{ name: string; job: Job }>, history: RunReport | null): Queued[] {
  const peaks = history ? medianPerSuite(history, (run) => run.peakRssBytes) : new Map<string, number>();
  const times = history ? durationsFromReport(history) : new Map<string, number>();
  return orderQueue(
    plans.map(({ name, job }) => ({
      name,
      expectedPeakBytes: peaks.get(job.suite.name) || job.settings.budget.memoryMb * MB,
      expectedMs: times.get(job.suite.name) ?? 0,
    })),
  );
}
