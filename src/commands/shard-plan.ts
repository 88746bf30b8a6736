// The plan of a sharded run, as every machine derives it: each suite's expected time and peak from a
// previous report, the machine each shard runs on, and schedule/pack's assignment.
import type { RunReport } from '../base/types';
import { MB } from '../base/units';
import { median } from '../base/median';
import type { Options } from '../config/options';
import { durationsFromReport, medianPerSuite } from '../discover/shard';
import { type PackItem, packShards, type ShardPlan } from '../schedule/pack';
import type { Limits } from '../schedule/plan';
import type { Job } from './suite-plan';

/**
 * What every shard's machine offers, as the plan sees it: --parallel slots and --total-memory MB when
 * given as numbers. `--parallel auto` and the default total are each machine's own figures (its cores,
 * its free memory), and every machine must derive the same plan, so the plan counts them as one slot
 * and no memory limit; `note` says so.
 */
export function plannedMachine(options: Options): { machine: Limits; note: string | null } {
  const slots = typeof options.parallel === 'number' ? options.parallel : 1;
  const totalBytes = options.parallel !== null && options.totalMemoryMb !== null ? options.totalMemoryMb * MB : Infinity;
  const unknown = [
    options.parallel === 'auto' && '--parallel auto (planned as 1 slot a machine)',
    options.parallel !== null && options.totalMemoryMb === null && 'the default --total-memory (planned without a memory limit)',
  ].filter((t): t is string => typeof t === 'string');
  const note = unknown.length
    ? `the shard plan cannot use ${unknown.join(' or ')}: they differ from machine to machine, and every machine must derive the same plan. Give --parallel <n> and --total-memory <MB>.`
    : null;
  return { machine: { parallelism: slots, totalBytes }, note };
}

/** Each job's expected time and peak: its median in the history report; else the median known time and its memory budget. */
export function packItemsFor(jobs: Job[], history: RunReport): PackItem[] {
  const times = durationsFromReport(history);
  const peaks = medianPerSuite(history, (run) => run.peakRssBytes);
  const known = jobs.map((j) => times.get(j.suite.name)).filter((t): t is number => t !== undefined && t > 0);
  const fallbackMs = known.length ? median(known) : 1;
  return jobs.map((job) => {
    const ms = times.get(job.suite.name);
    return {
      name: job.suite.name,
      expectedMs: ms !== undefined && ms > 0 ? ms : fallbackMs,
      expectedPeakBytes: peaks.get(job.suite.name) || job.settings.budget.memoryMb * MB,
    };
  });
}

/** The plan of `count` shards over these jobs, from the history report and the machine options describe. */
export function shardPlanFor(jobs: Job[], history: RunReport, count: number, options: Options): ShardPlan & { note: string | null } {
  const { machine, note } = plannedMachine(options);
  return { ...packShards(packItemsFor(jobs, history), count, machine), note };
}
