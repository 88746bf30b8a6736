// The run of every command that runs suites under --isolation pool or auto: the files through a pool
// of long-lived Jest workers (schedule/pool), each row's peak an estimate; with auto, then the files
// whose estimate cannot be trusted or is near a budget again alone, through the ordinary run loop.
import * as os from 'node:os';
import type { Isolation, RunReport, Suite, SuiteResult, SuiteRun } from '../base/types';
import { MB } from '../base/units';
import { suggestedWorkerLimitMb, toConfirm, workerLimitBytes } from '../forensics/isolation';
import { peakResetUnsupported } from '../measure/peak-reset';
import { notRun, toSuiteResult } from '../outcome/suite-result';
import { escapeControl, writeName } from '../report/escape';
import { createProgress } from '../report/progress-writer';
import { isOk, verdict, wasRun } from '../report/verdict';
import type { PoolItem } from '../schedule/pool';
import { peakConcurrentRssBytes } from '../schedule/timeline';
import type { SuiteTarget } from '../spawn/jest-command';
import { durationsFromReport } from '../discover/shard';
import { relativeFile } from './find-suites';
import { reportFiles } from './finish';
import { type RunEnd, type RunLoop, runLoop } from './run-loop';
import { type Job, jobKey, type PlanContext, runPlanOf, stopOnSignals } from './suite-plan';

/** What a pool run needs beyond the run loop's: the project's own workerIdleMemoryLimit, as its Jest config gives it. */
export interface PoolLoop extends RunLoop {
  workerIdleMemoryLimit: unknown;
}

/** Runs the jobs under --isolation pool or auto; falls back to one process per file (saying why, in one line) where a pool cannot measure. */
export async function poolLoop(loop: PoolLoop): Promise<RunEnd> {
  const { jobs, options, io, deps } = loop;
  const mode = options.isolation as 'pool' | 'auto';
  // Each job's plan made once (making it reads the suite's file).
  const plans = new Map(jobs.map((job) => [job, loop.planOf(job.suite)]));
  const targets = new Map(jobs.map((job) => [job, plans.get(job)!.target]));
  const why =
    peakResetUnsupported() ??
    ([...targets.values()].some((t) => t.kind !== 'worker') ? "this project's Jest runs its files through its CLI (Jest < 28, a custom runner or globalSetup), not through a test worker a pool can share" : null) ??
    ([...targets.values()].some((t) => t.kind === 'worker' && t.coverageFile !== null) ? 'coverage is collected one file per process' : null);
  if (why !== null) {
    io.stderr.write(`stress-run: --isolation ${mode} falls back to file: ${why}.\n`);
    return runLoop(loop);
  }
  const shape = loop.shape ?? ((report: RunReport): RunReport => report);
  const startedAtMs = deps.now();
  const startedAt = new Date(startedAtMs).toISOString();
  const workers = options.parallel === null ? 1 : options.parallel === 'auto' ? os.availableParallelism() : options.parallel;
  const progress = await createProgress(options.quiet ? 'off' : loop.output.style.progress && !options.verbose ? 'live' : 'plain', io.stderr, jobs.length * options.runs, null, deps.now);
  const say = (text: string): void => progress.log(text);
  const { abort, hurry, stoppedBy, unsubscribe } = stopOnSignals(io, say, workers > 1);
  const ctx: PlanContext = { jest: loop.jest, hurry, options, io, human: loop.output.human, say };
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  // One heap cap for every file of a worker (a process has one): --max-heap, else the largest of the files' caps.
  const caps = jobs.map((job) => job.settings.heapCapMb);
  const workerCap = options.maxHeapMb !== undefined ? options.maxHeapMb : caps.some((c) => c === null) ? null : Math.max(...(caps as number[]));
  const recycleAboveBytes = options.workerMemoryLimitMb !== null ? options.workerMemoryLimitMb * MB : workerLimitBytes(loop.workerIdleMemoryLimit, os.totalmem());
  const settingsOf = (job: Job): Job['settings'] => ({ ...job.settings, heapCapMb: workerCap });

  const report = (suites: SuiteResult[], isolation: Isolation, runs: SuiteRun[]): RunReport => {
    const durationMs = Math.round(deps.now() - startedAtMs);
    return shape({
      schemaVersion: 1,
      startedAt,
      durationMs,
      budgets: options.budget,
      suites,
      ok: suites.length > 0 && suites.every(isOk),
      schedule: { parallelism: workers, totalMemoryMb: null, peakConcurrentRssBytes: peakConcurrentRssBytes(runs), wallMs: durationMs, sumSuiteMs: runs.reduce((sum, r) => sum + r.durationMs, 0) },
      isolation,
    });
  };

  // Files of one project under one environment share workers: a group per project and variant, one after another.
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    const target = targets.get(job) as Extract<SuiteTarget, { kind: 'worker' }>;
    const key = JSON.stringify([target.projectIndex, job.env]);
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  // With --history, each pool hands its files out longest first, as Jest's sequencer does with its timings.
  if (loop.history) {
    const times = durationsFromReport(loop.history);
    for (const [key, group] of groups) groups.set(key, longestFirst(group, (job) => times.get(job.suite.name)));
  }
  const runsOf = new Map<Job, SuiteRun[]>(jobs.map((job) => [job, []]));
  const history: Isolation['history'] = [];
  const allRuns: SuiteRun[] = [];
  let isolation: Isolation = { mode, workers, workerMemoryLimitMb: recycleAboveBytes === null ? null : Math.round(recycleAboveBytes / MB), suggestedWorkerIdleMemoryLimitMb: null, history, confirmed: [] };
  let results: SuiteResult[] = [];
  // Files on disk always read as if the run stopped now: the files done so far, the rest not run.
  const done = new Map<Job, SuiteRun[]>();
  const sofar = (): RunReport =>
    report(jobs.map((job) => poolResult(job, relative(job.suite), done.get(job) ?? [], settingsOf(job))), isolation, [...done.values()].flat());
  const { check, rewrite } = reportFiles(sofar, options, io, say, deps.now);
  try {
    check();
    // --warmup: the selected files once through Jest before anything is measured, as in a run of file.
    if (loop.hooks?.before && !abort.aborted) await loop.hooks.before(abort, say, jobs.map((job) => runPlanOf(job, targets.get(job)!, ctx)));
    for (const group of groups.values()) {
      if (abort.aborted) break;
      const first = group[0];
      const target = targets.get(first) as Extract<SuiteTarget, { kind: 'worker' }>;
      const workerPlan = runPlanOf(first, { ...target, pool: true, coverageFile: null }, ctx, { heapCapMb: workerCap, perTest: false });
      const items: Array<PoolItem & { job: Job }> = [];
      for (let run = 1; run <= options.runs; run++) {
        for (const job of group) {
          const shown = escapeControl(jobKey(job));
          const plan = runPlanOf(job, targets.get(job)!, ctx, { heapCapMb: workerCap, perTest: false });
          const { transformCache } = plans.get(job)!;
          items.push({ key: jobKey(job), run, job, plan: { ...plan, transformCache, onSample: (rssBytes) => progress.sample(shown, rssBytes) } });
        }
      }
      const startedAt = new Map<PoolItem, number>();
      const pooled = await deps.runPool(
        {
          items,
          workers,
          firstWorker: history.length + 1,
          worker: workerPlan,
          recycleAboveBytes,
          killGraceMs: items[0].plan.killGraceMs,
          onStart: (item) => {
            startedAt.set(item, Math.round(deps.now() - startedAtMs));
            const { job } = item as (typeof items)[number];
            // --verbose: each file's header, as a run of file writes it (the output of two workers can interleave).
            if (options.verbose) ctx.human.write(`\n── ${writeName(item.key)} (${writeName(relative(job.suite))}) · in a pool worker ──\n`);
            progress.started(escapeControl(item.key), job.settings.budget.memoryMb);
          },
          onEnd: (item, run) => {
            const job = (item as (typeof items)[number]).job;
            const result = toSuiteResult(job.suite, relative(job.suite), [run], settingsOf(job));
            if (options.verbose) ctx.human.write(`── ${writeName(item.key)}: ${verdict(result)} ──\n`);
            progress.ended(escapeControl(item.key), result);
            done.set(job, [...(done.get(job) ?? []), run]);
            rewrite.request();
          },
        },
        abort,
      );
      pooled.runs.forEach((run, i) => {
        const at = startedAt.get(items[i]);
        const timed = at === undefined ? run : { ...run, startedAtMs: at };
        runsOf.get(items[i].job)!.push(timed);
        allRuns.push(timed);
      });
      history.push(...pooled.history);
    }
    results = jobs.map((job) => poolResult(job, relative(job.suite), runsOf.get(job)!, settingsOf(job)));
    isolation = { ...isolation, suggestedWorkerIdleMemoryLimitMb: suggestedWorkerLimitMb(results, history) };
  } finally {
    rewrite.cancel();
    progress.stop();
    unsubscribe();
  }

  // auto: every file whose estimate cannot be trusted or is near a budget runs again alone.
  if (mode === 'auto' && !abort.aborted) {
    // By row, not by name: under compare, one suite has a row per variant.
    const picks = results.map((r) => toConfirm([r])[0] ?? null);
    const again = jobs.filter((_, i) => picks[i] !== null);
    if (again.length) {
      say(`stress-run: --isolation auto: ${again.length} of ${jobs.length} file${jobs.length === 1 ? '' : 's'} again alone for an exact figure…\n`);
      isolation = { ...isolation, confirmed: jobs.flatMap((job, i) => (picks[i] ? [{ name: jobKey(job), why: picks[i]!.why }] : [])) };
      const pooled = results;
      // Each row run alone takes its pool row's place, keeping what the pool found of it: what it left behind in its worker.
      const merged = (alone: SuiteResult[]): SuiteResult[] => {
        const exact = new Map(again.map((job, i) => [job, alone[i]]));
        return jobs.map((job, i) => {
          const file = exact.get(job);
          if (!file || !wasRun(file)) return pooled[i];
          const { leftInWorkerBytes: left, pool } = pooled[i];
          return { ...file, measuredIn: 'file' as const, ...(left !== undefined ? { leftInWorkerBytes: left } : {}), ...(pool ? { pool } : {}) };
        });
      };
      // The report files the run loop rewrites as it goes hold every row, the pool's where no exact one is in yet.
      let latest: SuiteResult[] = [];
      const shapeAlone = (partial: RunReport): RunReport => {
        latest = partial.suites;
        return report(merged(partial.suites), isolation, allRuns);
      };
      // No second warm-up: the caches are as warm as the pool left them.
      const alone = await runLoop({ ...loop, jobs: again, shape: shapeAlone, hooks: {} });
      results = merged(latest);
      if (alone.stoppedBy) return { report: report(results, isolation, allRuns), stoppedBy: alone.stoppedBy };
    }
  }
  return { report: report(results, isolation, allRuns), stoppedBy: stoppedBy() };
}

/** The jobs with a known time longest first, then those without one, each in their own order (a stable sort). */
export function longestFirst<T>(jobs: T[], timeOf: (job: T) => number | undefined): T[] {
  return jobs
    .map((job, i) => ({ job, i, t: timeOf(job) }))
    .sort((a, b) => (a.t === undefined ? (b.t === undefined ? a.i - b.i : 1) : b.t === undefined ? -1 : b.t - a.t || a.i - b.i))
    .map((x) => x.job);
}

/** A job's row from its pool runs: judged as any row is (medians of --runs), with what it left behind in its worker summed over the runs. */
function poolResult(job: Job, file: string, runs: SuiteRun[], settings: Job['settings']): SuiteResult {
  const result = toSuiteResult(job.suite, file, runs.length ? runs : [notRun()], settings);
  const left = runs.filter((r) => r.leftInWorkerBytes !== undefined);
  if (left.length) result.leftInWorkerBytes = left.reduce((sum, r) => sum + r.leftInWorkerBytes!, 0);
  if (runs.some((r) => r.measuredIn === 'pool')) result.measuredIn = 'pool';
  return result;
}
