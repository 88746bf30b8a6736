import type { RunReport, Suite } from '../base/types';
import { UsageError } from '../base/errors';
import type { Options } from '../config/options';
import { selectSuites } from '../discover/discover';
import type { JestSetup } from '../discover/resolve-jest';
import { durationsFromReport, parseShard, selectShard } from '../discover/shard';
import { headroomWarnings } from '../forensics/headroom';
import type { ChildPlan } from '../spawn/run-plan';
import { suiteCoverage } from './coverage';
import { findSuites, jestArgsFor, withWorkDir } from './find-suites';
import { finish, outputFor, readBaselines, readReport } from './finish';
import type { Deps, Io } from './io';
import { poolLoop } from './pool-loop';
import { type RunHooks, runLoop } from './run-loop';
import { jobsFor, type SuitePlan, targetPlan } from './suite-plan';

/** `stress-run all`: find the suites, pick this run's share, run each in its own capped process, report, exit code. */
export function runAll(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const history = options.durations === null ? null : readReport(io.cwd, options.durations);
    const suites = pickSuites(all, options, history);
    // Read the baseline and the docblocks before running anything, so a bad file fails in a second, not after the run.
    const baseline = options.baseline === null ? null : readBaselines(io.cwd, options.baseline).map((b) => baselineFor(b, all, suites));
    const jobs = jobsFor(suites, [{}], options, io.cwd);
    const output = outputFor(options, io);
    const coverage = suiteCoverage(context, jest, workDir, io.env);
    const planOf = (suite: Suite): SuitePlan => targetPlan(suite, context, jestArgsFor(jest, options), options.verbose, coverage?.at(suites.indexOf(suite)) ?? null, io.env);
    const hooks: RunHooks = {
      before: options.warmup ? (signal, say, children) => warm(suites, jest, options, io, workDir, deps, signal, say, children) : undefined,
      after: coverage ? (results) => coverage.report(results.length, io.cwd, output.human, io.stderr) : undefined,
    };
    const loop = { jobs, jest, planOf, history, options, io, output, deps, hooks };
    const { report, stoppedBy } = options.isolation === 'file' ? await runLoop(loop) : await poolLoop({ ...loop, workerIdleMemoryLimit: context.context.globalConfig.workerIdleMemoryLimit });
    const code = finish(report, options, io, output, baseline, stoppedBy);
    // A previous report's heap floors say which caps leave too little headroom.
    for (const warning of history ? headroomWarnings(report, history, options.durations!) : []) output.human.write(`warning: ${warning}\n`);
    return code;
  });
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
