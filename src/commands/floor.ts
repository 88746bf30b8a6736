import { writeName } from '../report/escape';
import type { Options } from '../config/options';
import { selectSuites } from '../discover/discover';
import { errorCode, UsageError } from '../base/errors';
import { type FloorRange, type FloorStep, nextFloorStep } from '../forensics/floor-plan';
import { floorTryLine, renderFloorTable } from '../report/floor-table';
import { renderJson } from '../report/json';
import type { SuiteTarget } from '../spawn/jest-command';
import type { JestSetup } from '../discover/resolve-jest';
import { notRun, toSuiteResult } from '../outcome/suite-result';
import { runSequential } from '../schedule/sequential';
import type { FloorTry, RunReport, Suite, SuiteResult, SuiteRun } from '../base/types';
import { findSuites, jestArgsFor, relativeFile, withWorkDir } from './find-suites';
import { type Output, outputFor, writeReports } from './finish';
import { type Deps, type Io, SIGNAL_EXIT, type StopSignal } from './io';
import type { RunEnd } from './run-loop';
import { type Job, jobKey, jobsFor, type PlanContext, runPlanOf, stopOnSignals, suiteTarget } from './suite-plan';

// The top of the search for a suite run without a cap (--max-heap none).
const NO_CAP_TOP_MB = 4096;
// How far above its own cap the search looks for a suite that runs out of heap there.
const CEILING_FACTOR = 8;

/**
 * `stress-run floor`: for each suite, the smallest --max-old-space-size at which it still passes,
 * found by bisection between a cap that fails and one that passes, each try a fresh process.
 */
export function runFloor(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const jobs = jobsFor(selectSuites(all, options.suites), [{}], options, io.cwd);
    const targetOf = (suite: Suite): SuiteTarget => suiteTarget(suite, context, jestArgsFor(jest, options), false);
    const output = outputFor(options, io);
    const { report, stoppedBy } = await floorLoop(jobs, jest, targetOf, options, io, output, deps);
    return finishFloor(report, jobs, options, io, output, stoppedBy);
  });
}

/** Searches each job's floor in turn, writing the report files as floors are found; returns the report. */
async function floorLoop(jobs: Job[], jest: JestSetup, targetOf: (suite: Suite) => SuiteTarget, options: Options, io: Io, output: Output, deps: Deps): Promise<RunEnd> {
  const startedAtMs = deps.now();
  const { abort, hurry, stoppedBy, unsubscribe } = stopOnSignals(io);
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  const report = (done: SuiteResult[]): RunReport => ({
    schemaVersion: 1,
    startedAt: new Date(startedAtMs).toISOString(),
    durationMs: Math.round(deps.now() - startedAtMs),
    budgets: options.budget,
    suites: done,
    ok: done.length > 0 && done.every((r) => r.heapFloorMb !== null && r.heapFloorMb !== undefined),
  });

  const plans: PlanContext = { jest, hurry, options, io, human: output.human, say: (text) => io.stderr.write(text) };
  const search = (job: Job, signal: AbortSignal): Promise<SuiteResult> => searchFloor(job, { target: targetOf(job.suite), plans, deps, progress: output.style.progress }, signal);
  const notStarted = ({ suite, settings }: Job): SuiteResult => ({ ...toSuiteResult(suite, relative(suite), [notRun()], settings), heapFloorMb: null, floorTries: [] });
  const sofar = (done: SuiteResult[]): RunReport => report([...done, ...jobs.slice(done.length).map(notStarted)]);

  let results: SuiteResult[];
  try {
    writeReports(sofar([]), options, io.cwd, 'check', (flag, file, error) => {
      throw new UsageError(`Cannot write ${flag} file ${file}: ${errorCode(error)}. Pass a path in a writable folder.`);
    });
    results = await runSequential(jobs, search, notStarted, abort, (_, done) => writeReports(sofar(done), options, io.cwd, 'progress', () => {}));
  } finally {
    unsubscribe();
  }
  return { report: report(results), stoppedBy: stoppedBy() };
}

/** floor's end: the report files, the floor table, and the exit code (0 when every floor was found). */
function finishFloor(report: RunReport, jobs: Job[], options: Options, io: Io, { style, human }: Output, stoppedBy: StopSignal | null): number {
  let lost = false;
  writeReports(report, options, io.cwd, 'final', (flag, file, error) => {
    io.stderr.write(`stress-run: cannot write ${flag} file ${writeName(file)}: ${errorCode(error)}.\n`);
    lost = true;
  });
  const capOf = new Map(jobs.map((job) => [job.suite.name, againstOf(job, options)]));
  human.write(renderFloorTable(report, (name) => capOf.get(name) ?? null, { color: style.color && human === io.stdout }));
  if (options.json === true) io.stdout.write(renderJson(report));
  if (stoppedBy) return SIGNAL_EXIT[stoppedBy];
  if (lost) return 2;
  return report.ok ? 0 : 1;
}

/**
 * The cap a job's search starts at and its headroom is measured against: the cap asked for, else the
 * memory budget (what the suite is meant to fit in); null with --max-heap none.
 */
function againstOf(job: Job, options: Options): { mb: number; budget: boolean } | null {
  if (job.settings.heapCapMb !== null) return { mb: job.settings.heapCapMb, budget: false };
  return options.maxHeapMb === null ? null : { mb: Math.max(1, Math.round(job.settings.budget.memoryMb)), budget: true };
}

/** What one job's floor search needs besides the job: how its file runs, the command's plan context, and whether to say when it starts and ends. */
export interface FloorSearch {
  target: SuiteTarget;
  plans: PlanContext;
  deps: Deps;
  /** Say on stderr when a search starts and ends. */
  progress: boolean;
}

/** One job's heap floor: tries (see floor-plan) until the floor is found, there is none, or `signal` stops the search. */
export async function searchFloor(job: Job, ctx: FloorSearch, signal: AbortSignal): Promise<SuiteResult> {
  const { target, plans, deps } = ctx;
  const { options, io, human } = plans;
  const { suite } = job;
  const { settings } = job;
  const relative = relativeFile(io.cwd, suite);
  const label = writeName(jobKey(job));
  const top = againstOf(job, options)?.mb ?? NO_CAP_TOP_MB;
  const range: FloorRange = { minMb: Math.min(options.minHeapMb, top), maxMb: top, ceilingMb: top * CEILING_FACTOR };
  if (ctx.progress) io.stderr.write(`▶ ${label}: searching its heap floor between ${range.minMb} and ${top} MB …\n`);
  const tries: FloorTry[] = [];
  const runs = new Map<number, SuiteRun>();
  let step: FloorStep = nextFloorStep(tries, range);
  let last: SuiteRun | null = null;
  while (step.kind === 'try' && !signal.aborted) {
    // Each try is a fresh process; Jest's own output stays out of the way even with --verbose.
    const plan = runPlanOf(job, target, plans, { heapCapMb: step.capMb, timeoutMs: settings.timeoutMs, killAboveMb: null, perTest: false, onOutput: null });
    last = await deps.runSuite(plan, signal);
    if (last.outcome === 'interrupted') break;
    const heapUsedPeakBytes = Math.max(0, ...last.processes.map((p) => p.heapUsedPeakBytes ?? 0)) || null;
    const done: FloorTry = { capMb: step.capMb, outcome: last.outcome, peakRssBytes: last.peakRssBytes, durationMs: last.durationMs, heapUsedPeakBytes };
    tries.push(done);
    runs.set(step.capMb, last);
    // Each try as it ends, on stderr (the search takes a while); --verbose also puts it in the output.
    const line = floorTryLine(label, tries.length - 1, done);
    if (!options.quiet) io.stderr.write(line);
    if (options.verbose && human !== io.stderr) human.write(line);
    step = nextFloorStep(tries, range);
  }
  if (step.kind === 'try') {
    // Stopped by a signal mid-search: what was tried is kept, and no floor is claimed.
    return { ...toSuiteResult(suite, relative, [last ?? notRun()], settings), heapFloorMb: null, floorTries: tries };
  }
  const shown = step.floorMb !== null ? runs.get(step.floorMb)! : last!;
  const result = toSuiteResult(suite, relative, [shown], { ...settings, heapCapMb: step.floorMb ?? tries[tries.length - 1].capMb });
  if (step.floorMb === null) result.message = [step.reason, shown.message].filter(Boolean).join('\n');
  if (ctx.progress) io.stderr.write(`${step.floorMb !== null ? '✓' : '✗'} ${label}: floor ${step.floorMb ?? 'none'} (${tries.length} tries)\n`);
  return { ...result, heapFloorMb: step.floorMb, floorTries: tries };
}
