import { writeName } from '../report/escape';
import type { RunReport, Suite } from '../base/types';
import * as fs from 'node:fs';
import { errorCode, UsageError } from '../base/errors';
import type { Options } from '../config/options';
import { selectSuites } from '../discover/discover';
import type { JestSetup } from '../discover/resolve-jest';
import { type Shard, selectShard } from '../discover/shard';
import { byName } from '../discover/by-name';
import { type ResolvedShard, resolveShard } from '../discover/ci-shard';
import { headroomWarnings } from '../forensics/headroom';
import { coverageFileBeside } from '../report/coverage';
import type { ChildPlan } from '../spawn/run-plan';
import { suiteCoverage } from './coverage';
import { findSuites, jestArgsFor, withWorkDir } from './find-suites';
import { finish, outputFor, readBaselines, readReport } from './finish';
import type { Deps, Io } from './io';
import { poolLoop } from './pool-loop';
import { type RunHooks, runLoop } from './run-loop';
import { type Job, jobsFor, type SuitePlan, targetPlan } from './suite-plan';
import { shardPlanFor } from './shard-plan';

/** `stress-run all`: find the suites, pick this run's share, run each in its own capped process, report, exit code. */
export function runAll(options: Options, io: Io, deps: Deps): Promise<number> {
  // The shard first: a missing CI variable fails in a moment, before Jest is asked anything.
  const shard = options.shard === null ? null : resolveShard(options.shard, io.env);
  if (shard?.statusFile) touchStatusFile(shard.statusFile);
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const history = options.durations === null ? null : readReport(io.cwd, options.durations);
    // Read the docblocks (and below, the baseline) before running anything, so a bad file fails in a second, not after the run.
    const selected = jobsFor(selectSuites(all, options.suites), [{}], options, io.cwd);
    const jobs = shard === null ? selected : shardJobs(selected, shard, history, options, io);
    const suites = jobs.map((j) => j.suite);
    const baseline = options.baseline === null ? null : readBaselines(io.cwd, options.baseline).map((b) => baselineFor(b, all, suites));
    const output = outputFor(options, io);
    const coverage = suiteCoverage(context, jest, workDir, io.env);
    const planOf = (suite: Suite): SuitePlan => targetPlan(suite, context, jestArgsFor(jest, options), options.verbose, coverage?.at(suites.indexOf(suite)) ?? null, io.env);
    const hooks: RunHooks = {
      before: options.warmup ? (signal, say, children) => warm(suites, jest, options, io, workDir, deps, signal, say, children) : undefined,
      // A shard keeps its map beside its JSON report, for merge to make the whole run's report.
      after: coverage ? (results) => coverage.report(results.length, io.cwd, output.human, io.stderr, shard !== null && typeof options.json === 'string' ? coverageFileBeside(options.json) : null) : undefined,
    };
    const loop = { jobs, jest, planOf, history, options, io, output, deps, hooks };
    const { report, stoppedBy } = options.isolation === 'file' ? await runLoop(loop) : await poolLoop({ ...loop, workerIdleMemoryLimit: context.context.globalConfig.workerIdleMemoryLimit });
    const code = finish(report, options, io, output, baseline, stoppedBy);
    // A previous report's heap floors say which caps leave too little headroom.
    for (const warning of history ? headroomWarnings(report, history, options.durations!) : []) output.human.write(`warning: ${writeName(warning)}\n`);
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

/**
 * This shard's jobs. With --history, schedule/pack's plan: each shard as long as the machines allow,
 * given their slots and memory (every machine derives the same plan from the same report). Without,
 * the suites dealt round-robin by name.
 */
function shardJobs(selected: Job[], shard: ResolvedShard, history: RunReport | null, options: Options, io: Io): Job[] {
  let picked: Job[];
  if (history === null) {
    const names = new Set(selectShard(selected.map((j) => j.suite), shard as Shard).map((s) => s.name));
    picked = selected.filter((j) => names.has(j.suite.name)).sort((a, b) => byName(a.suite, b.suite));
  } else {
    const plan = shardPlanFor(selected, history, shard.count, options);
    const mine = plan.shards[shard.index - 1];
    const names = new Set(mine.names);
    picked = selected.filter((j) => names.has(j.suite.name)).sort((a, b) => byName(a.suite, b.suite));
    if (plan.note) io.stderr.write(`stress-run: warning: ${plan.note}\n`);
    for (const { name, message } of plan.warnings) if (names.has(name)) io.stderr.write(`stress-run: warning: ${message}\n`);
  }
  if (picked.length === 0) {
    const count = selected.length;
    const from = shard.provider === null ? '' : ` (from ${shard.provider}'s variables)`;
    throw new UsageError(`Shard ${shard.index}/${shard.count}${from} is empty: ${count} suite${count === 1 ? '' : 's'} cannot fill ${shard.count} shards. Use fewer shards (stress-run matrix --shards n never makes an empty one).`);
  }
  return picked;
}

/** Bazel runs a sharded test only once the runner says it shards, by touching this file. */
function touchStatusFile(file: string): void {
  try {
    const now = new Date();
    fs.closeSync(fs.openSync(file, 'a'));
    fs.utimesSync(file, now, now);
  } catch (error) {
    throw new UsageError(`Cannot touch TEST_SHARD_STATUS_FILE ${file}: ${errorCode(error)}.`);
  }
}

/** The baseline as far as this run can speak for it: the suites it runs, and any suite that no longer exists. */
function baselineFor(baseline: RunReport, all: Suite[], selected: Suite[]): RunReport {
  const exists = new Set(all.map((s) => s.name));
  const runs = new Set(selected.map((s) => s.name));
  return { ...baseline, suites: baseline.suites.filter((s) => runs.has(s.name) || !exists.has(s.name)) };
}
