import type { Deps, Io } from './io';
import type { Options } from '../config/options';
import { UsageError } from '../base/errors';
import type { RunReport, Suite } from '../base/types';
import { selectShard } from '../discover/shard';
import { renderMatrix, renderShardList } from '../report/matrix';
import type { ShardPlan } from '../schedule/pack';
import { findSuites, relativeFile, withWorkDir } from './find-suites';
import { readReport } from './finish';
import { packItemsFor, plannedMachine, shardPlanFor } from './shard-plan';
import { type Job, jobsFor } from './suite-plan';

/**
 * `stress-run matrix`: a GitHub Actions strategy.matrix, one entry per suite or per shard (indices
 * only: each shard's job re-derives its share, and GitHub's job outputs hold at most 1 MB), or with
 * `--format list` one line of files per shard.
 */
export function runMatrix(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, (workDir) => {
    const { all } = findSuites(options, io, deps, workDir);
    if (options.shards === null) {
      io.stdout.write(renderMatrix(all.map((s) => s.name)));
      return 0;
    }
    const history = options.durations === null ? null : readReport(io.cwd, options.durations);
    const jobs = history === null ? [] : jobsFor(all, [{}], options, io.cwd);
    const { count, plan } = options.shards === 'auto' ? autoCount(jobs, history!, options, io) : { count: Math.min(options.shards, Math.max(1, all.length)), plan: null };
    if (options.format === 'github') {
      io.stdout.write(renderMatrix(all.map((s) => s.name), count));
      return 0;
    }
    const shards = history === null ? dealt(all, count) : (plan ?? shardPlanFor(jobs, history, count, options)).shards.map((s) => s.names);
    const byName = new Map(all.map((s) => [s.name, s]));
    io.stdout.write(renderShardList(shards.map((names) => names.map((n) => relativeFile(io.cwd, byName.get(n)!)))));
    return 0;
  });
}

/** Without a history report, each shard's suites as `all --shard i/n` deals them: round-robin by name. */
function dealt(all: Suite[], count: number): string[][] {
  return Array.from({ length: count }, (_, i) => selectShard(all, { index: i + 1, count }).map((s) => s.name));
}

/**
 * `--shards auto`: the fewest shards whose longest is expected under --target-minutes, starting from
 * the fewest the lower bound allows. When no count gets there (a suite alone takes longer), the count
 * with the shortest longest shard, and a warning.
 */
function autoCount(jobs: Job[], history: RunReport, options: Options, io: Io): { count: number; plan: ShardPlan } {
  if (jobs.length === 0) throw new UsageError('--shards auto: there are no suites to plan.');
  const targetMs = options.targetMinutes! * 60_000;
  const { machine } = plannedMachine(options);
  const items = packItemsFor(jobs, history);
  const total = items.reduce((sum, i) => sum + i.expectedMs, 0);
  const first = Math.max(1, Math.min(jobs.length, Math.ceil(total / (machine.parallelism * targetMs))));
  const longestSuite = Math.max(...items.map((i) => i.expectedMs));
  let best: { count: number; plan: ShardPlan; longest: number } | null = null;
  for (let count = first; count <= jobs.length; count++) {
    // No count beats a plan whose longest shard is the longest suite.
    if (best !== null && best.longest <= longestSuite) break;
    const plan = shardPlanFor(jobs, history, count, options);
    const longest = Math.max(...plan.shards.map((s) => s.wallMs));
    if (best === null || longest < best.longest) best = { count, plan, longest };
    if (longest < targetMs) break;
  }
  // Out of reach: the fewest shards that come as close.
  for (let count = best!.count - 1; count >= 1 && best!.longest >= targetMs; count--) {
    const plan = shardPlanFor(jobs, history, count, options);
    const longest = Math.max(...plan.shards.map((s) => s.wallMs));
    if (longest > best!.longest) break;
    best = { count, plan, longest };
  }
  const minutes = (ms: number): string => (ms / 60_000).toFixed(1);
  if (best!.longest >= targetMs) {
    io.stderr.write(`stress-run: warning: no shard count brings the longest shard under ${options.targetMinutes} min; ${best!.count} shards come closest, the longest expected to take ${minutes(best!.longest)} min.\n`);
  } else {
    io.stderr.write(`stress-run: ${best!.count} shard${best!.count === 1 ? '' : 's'}: the longest expected to take ${minutes(best!.longest)} min (under ${options.targetMinutes} min).\n`);
  }
  return { count: best!.count, plan: best!.plan };
}
