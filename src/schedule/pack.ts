// Pure planning across machines: which suites each shard runs, so that the longest shard ends as
// early as it can, given that inside a shard suites run --parallel at a time and only as many at
// once as fit --total-memory (the same rule schedule/plan's `startable` applies at run time).
import { toMb } from '../base/units';
import { type Limits, orderQueue, type Queued, type Running, startable } from './plan';

/** A suite to place, with what a previous report says it costs. */
export interface PackItem {
  name: string;
  /** Expected wall time of the suite alone, ms. */
  expectedMs: number;
  /** Expected peak RSS of its process tree, bytes. */
  expectedPeakBytes: number;
}

/** What one shard's machine runs: its suites, and what the plan expects of it. */
export interface PlannedShard {
  /** Its suites, by name order. */
  names: string[];
  /** Expected wall time of the shard: its suites run as the run-time scheduler would start them. */
  wallMs: number;
  /** The highest summed expected peak of the suites the plan has running at one moment. */
  peakBytes: number;
}

/** The plan for every shard, and what could not be planned as asked. */
export interface ShardPlan {
  shards: PlannedShard[];
  /** Each suite whose expected peak alone is over a machine's memory (it runs alone there), and a line saying so. */
  warnings: Array<{ name: string; message: string }>;
}

/**
 * How one shard's suites play out on a machine: longest first (`orderQueue`), each started when
 * `startable` lets it (a free slot, and the expected peaks of the running suites plus its own within
 * the total), each ending after its expected time. A suite over the total runs alone.
 */
export function simulateShard(items: PackItem[], machine: Limits): { wallMs: number; peakBytes: number } {
  let queue: Queued[] = orderQueue(items);
  const running: Array<{ slot: Running; endMs: number }> = [];
  let now = 0;
  let wallMs = 0;
  let peakBytes = 0;
  while (queue.length > 0 || running.length > 0) {
    const picked = startable(
      queue,
      running.map((r) => r.slot),
      machine,
    );
    for (const q of picked) {
      running.push({ slot: { name: q.name, expectedPeakBytes: q.expectedPeakBytes, rssBytes: 0 }, endMs: now + Math.max(0, q.expectedMs) });
    }
    if (picked.length) {
      const taken = new Set(picked);
      queue = queue.filter((q) => !taken.has(q));
      peakBytes = Math.max(peakBytes, running.reduce((sum, r) => sum + r.slot.expectedPeakBytes, 0));
    }
    if (running.length === 0) break; // cannot happen: startable starts the head when nothing runs
    now = Math.min(...running.map((r) => r.endMs));
    wallMs = Math.max(wallMs, now);
    for (let i = running.length - 1; i >= 0; i--) if (running[i].endMs <= now) running.splice(i, 1);
  }
  return { wallMs, peakBytes };
}

/**
 * Suites spread over `count` shards, each run by a machine of `machine`'s slots and memory, so that
 * the longest shard's expected wall time is as short as this finds: longest suite first onto the shard
 * where it ends earliest (each shard simulated as it will run), then moves and swaps out of the longest
 * shard while they shorten it; dealt in three orders, the best kept. Deterministic: every machine derives the same plan from the same inputs.
 */
export function packShards(items: PackItem[], count: number, machine: Limits): ShardPlan {
  if (!Number.isInteger(count) || count < 1) throw new Error(`Invalid shard count ${count}.`);
  const wallOf = (list: PackItem[]): number => simulateShard(list, machine).wallMs;
  // A few orders to deal in (longest first; heaviest first; most memory-seconds first), each improved;
  // the plan whose longest shard is shortest wins, the earlier order on a tie.
  const orders: Array<(a: PackItem, b: PackItem) => number> = [
    (a, b) => b.expectedMs - a.expectedMs || b.expectedPeakBytes - a.expectedPeakBytes || byName(a, b),
    (a, b) => b.expectedPeakBytes - a.expectedPeakBytes || b.expectedMs - a.expectedMs || byName(a, b),
    (a, b) => b.expectedMs * b.expectedPeakBytes - a.expectedMs * a.expectedPeakBytes || byName(a, b),
  ];
  let best: { shards: PackItem[][]; longest: number } | null = null;
  for (const order of orders) {
    const { shards, walls } = deal([...items].sort(order), count, wallOf);
    improve(shards, walls, wallOf);
    const longest = Math.max(...walls);
    if (best === null || longest < best.longest) best = { shards, longest };
  }
  const warnings = items
    .filter((i) => i.expectedPeakBytes > machine.totalBytes)
    .sort(byName)
    .map((i) => ({
      name: i.name,
      message: `${i.name} is expected to peak at ${toMb(i.expectedPeakBytes)} MB, more than a machine's ${toMb(machine.totalBytes)} MB: it is planned to run alone.`,
    }));
  return {
    shards: best!.shards.map((list) => ({ names: list.map((i) => i.name).sort(compareNames), ...simulateShard(list, machine) })),
    warnings,
  };
}

// Each suite in turn onto the shard where it ends earliest (each shard simulated as it will run).
function deal(sorted: PackItem[], count: number, wallOf: (list: PackItem[]) => number): { shards: PackItem[][]; walls: number[] } {
  const shards: PackItem[][] = Array.from({ length: count }, () => []);
  const walls: number[] = new Array(count).fill(0);
  for (const item of sorted) {
    let best = 0;
    let bestWall = Infinity;
    for (let s = 0; s < count; s++) {
      const wall = wallOf([...shards[s], item]);
      // Where it ends earliest; on a tie, the shard with less already on it, then the lower one.
      if (wall < bestWall || (wall === bestWall && shards[s].length < shards[best].length)) {
        best = s;
        bestWall = wall;
      }
    }
    shards[best].push(item);
    walls[best] = bestWall;
  }
  return { shards, walls };
}

// Moves and swaps out of the longest shard, each taken only when both shards it touches end before
// the longest did: the sorted list of shard times falls at every step, so this ends.
function improve(shards: PackItem[][], walls: number[], wallOf: (list: PackItem[]) => number, maxSteps = 5000): void {
  for (let step = 0; step < maxSteps; step++) {
    const worst = walls.indexOf(Math.max(...walls));
    const limit = walls[worst];
    let done = false;
    for (let i = 0; i < shards[worst].length && !done; i++) {
      const item = shards[worst][i];
      const without = shards[worst].filter((_, k) => k !== i);
      const wallWithout = wallOf(without);
      for (let other = 0; other < shards.length && !done; other++) {
        if (other === worst) continue;
        // Move it.
        const moved = wallOf([...shards[other], item]);
        if (Math.max(wallWithout, moved) < limit) {
          shards[worst] = without;
          shards[other] = [...shards[other], item];
          walls[worst] = wallWithout;
          walls[other] = moved;
          done = true;
          break;
        }
        // Or swap it for one of the other shard's.
        for (let j = 0; j < shards[other].length; j++) {
          const theirs = shards[other][j];
          if (theirs.expectedMs === item.expectedMs && theirs.expectedPeakBytes === item.expectedPeakBytes) continue;
          const mine = wallOf([...without, theirs]);
          if (mine >= limit) continue;
          const otherList = [...shards[other].filter((_, k) => k !== j), item];
          const theirsWall = wallOf(otherList);
          if (theirsWall < limit) {
            shards[worst] = [...without, theirs];
            shards[other] = otherList;
            walls[worst] = mine;
            walls[other] = theirsWall;
            done = true;
            break;
          }
        }
      }
    }
    if (!done) return;
  }
}

/** The lower bound no plan beats: all the work spread evenly over every slot of every machine, or the longest suite. */
export function wallLowerBoundMs(items: PackItem[], count: number, slots: number): number {
  const total = items.reduce((sum, i) => sum + i.expectedMs, 0);
  return Math.max(total / (count * slots), ...items.map((i) => i.expectedMs), 0);
}

function byName(a: { name: string }, b: { name: string }): number {
  return compareNames(a.name, b.name);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
