import { byName } from './by-name';
import { cut, LIMITS } from '../config/config';
import { UsageError } from '../base/errors';
import { median } from '../base/median';
import type { RunReport, SuiteRun } from '../base/types';

/** One shard of a sharded run: `index` of `count`, 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `--shard i/n` (1-based, 1 ≤ i ≤ n); anything else is a one-line error that shows the right form. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UsageError(`--shard must be i/n with whole numbers, such as 1/3, got '${cut(text)}'.`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UsageError(`--shard ${text.trim()}: the number of shards must be at least 1, such as 1/3.`);
  if (count > LIMITS.shards) throw new UsageError(`--shard ${text.trim()}: at most ${LIMITS.shards} shards.`);
  if (index < 1 || index > count) throw new UsageError(`--shard ${text.trim()}: the shard must be from 1 to ${count}, such as 1/${count}.`);
  return { index, count };
}

/**
 * The suites of one shard, sorted by name. With durations, suites are dealt longest first onto the
 * least-loaded shard (ties: by name, then the lower shard); a suite without a known duration counts as
 * the median known one. Without durations every suite weighs the same, which deals them round-robin by name.
 */
export function selectShard<T extends { name: string }>(suites: T[], shard: Shard, durationsMs?: Map<string, number>): T[] {
  if (!Number.isInteger(shard.count) || !Number.isInteger(shard.index) || shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    throw new Error(`Invalid shard ${shard.index}/${shard.count}.`);
  }
  const known = suites.map((s) => durationsMs?.get(s.name)).filter(isDuration);
  const fallbackMs = known.length ? median(known) : 1;
  const weight = new Map(
    suites.map((s): [T, number] => {
      const d = durationsMs?.get(s.name);
      return [s, isDuration(d) ? d : fallbackMs];
    }),
  );
  const ordered = [...suites].sort((a, b) => weight.get(b)! - weight.get(a)! || byName(a, b));
  const loadsMs: number[] = new Array(shard.count).fill(0);
  const picked: T[] = [];
  for (const suite of ordered) {
    const target = loadsMs.indexOf(Math.min(...loadsMs));
    loadsMs[target] += weight.get(suite)!;
    if (target === shard.index - 1) picked.push(suite);
  }
  return picked.sort(byName);
}

/** Each suite's duration in a previous report (the median of its runs when there are several), to balance shards. */
export function durationsFromReport(report: RunReport): Map<string, number> {
  return medianPerSuite(report, (run) => run.durationMs);
}

/** One figure of each suite in a previous report: the median over its runs that were not interrupted (those say nothing of the suite). */
export function medianPerSuite(report: RunReport, pick: (run: SuiteRun) => number): Map<string, number> {
  const figures = new Map<string, number>();
  for (const r of report.suites) {
    const runs = (r.runs ?? [r]).filter((run) => run.outcome !== 'interrupted');
    if (runs.length) figures.set(r.name, median(runs.map(pick)));
  }
  return figures;
}

// Zero is what an interrupted or crashed-at-start suite reports; it would pile every such suite onto one shard.
function isDuration(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}
