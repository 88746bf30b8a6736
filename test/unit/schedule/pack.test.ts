import { type PackItem, packShards, simulateShard, wallLowerBoundMs } from '../../../src/schedule/pack';
import type { Limits } from '../../../src/schedule/plan';

const MB = 1024 * 1024;
const item = (name: string, seconds: number, peakMb: number): PackItem => ({ name, expectedMs: seconds * 1000, expectedPeakBytes: peakMb * MB });
const MACHINE: Limits = { parallelism: 2, totalBytes: 1000 * MB };

// A small deterministic pseudo-random sequence, so the figures below are repeatable.
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function randomSuites(count: number, seed: number, maxPeakMb = 700): PackItem[] {
  const next = lcg(seed);
  return Array.from({ length: count }, (_, i) => item(`s${String(i).padStart(2, '0')}`, 1 + Math.round(next() * 59), 80 + Math.round(next() * (maxPeakMb - 80))));
}

/** The best plan there is, by trying every assignment of suites to shards (each shard simulated as it runs). */
function bruteForceMs(items: PackItem[], count: number, machine: Limits): number {
  let best = Infinity;
  const assignment = new Array(items.length).fill(0);
  const visit = (i: number, used: number): void => {
    if (i === items.length) {
      const shards = Array.from({ length: count }, (_, s) => items.filter((_, k) => assignment[k] === s));
      best = Math.min(best, Math.max(...shards.map((list) => simulateShard(list, machine).wallMs)));
      return;
    }
    // Shards are interchangeable: a suite goes to a shard already used or to the first empty one.
    for (let s = 0; s <= Math.min(used, count - 1); s++) {
      assignment[i] = s;
      visit(i + 1, Math.max(used, s + 1));
    }
  };
  visit(0, 0);
  return best;
}

describe('simulateShard', () => {
  it('runs suites two at a time, longest first', () => {
    expect(simulateShard([item('a', 10, 100), item('b', 6, 100), item('c', 4, 100)], MACHINE)).toEqual({ wallMs: 10_000, peakBytes: 200 * MB });
  });

  it('holds a suite back while it does not fit in the memory beside the running one', () => {
    // 600 + 600 > 1000: b waits for a; c (300) fits beside a and passes b.
    expect(simulateShard([item('a', 10, 600), item('b', 8, 600), item('c', 5, 300)], MACHINE)).toEqual({ wallMs: 18_000, peakBytes: 900 * MB });
  });

  it('runs a suite over the total alone', () => {
    expect(simulateShard([item('big', 5, 1500), item('small', 5, 100)], MACHINE)).toEqual({ wallMs: 10_000, peakBytes: 1500 * MB });
  });
});

describe('packShards', () => {
  it('places every suite exactly once, in name order per shard', () => {
    const suites = randomSuites(40, 7);
    const plan = packShards(suites, 4, MACHINE);
    const names = plan.shards.flatMap((s) => s.names);
    expect(names.sort()).toEqual(suites.map((s) => s.name).sort());
    for (const shard of plan.shards) expect(shard.names).toEqual([...shard.names].sort());
  });

  it('derives the same plan whatever order the suites come in (each machine re-derives it)', () => {
    const suites = randomSuites(40, 11);
    expect(packShards([...suites].reverse(), 4, MACHINE)).toEqual(packShards(suites, 4, MACHINE));
  });

  it.each([1, 2, 3, 4, 5])('on 40 suites (seed %i), 2 slots and 1,000 MB a machine: no shard over 1,000 MB at once, the longest within 10%% of the lower bound', (seed) => {
    const suites = randomSuites(40, seed);
    for (const count of [3, 4, 5]) {
      const plan = packShards(suites, count, MACHINE);
      const longest = Math.max(...plan.shards.map((s) => s.wallMs));
      const bound = wallLowerBoundMs(suites, count, MACHINE.parallelism);
      for (const shard of plan.shards) expect(shard.peakBytes).toBeLessThanOrEqual(1000 * MB);
      expect(longest / bound).toBeLessThanOrEqual(1.1);
    }
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('on 9 suites (seed %i) over 3 shards, the longest shard is within 10%% of the brute-force optimum', (seed) => {
    const suites = randomSuites(9, seed * 31, 900);
    const plan = packShards(suites, 3, MACHINE);
    const longest = Math.max(...plan.shards.map((s) => s.wallMs));
    const optimum = bruteForceMs(suites, 3, MACHINE);
    expect(longest).toBeGreaterThanOrEqual(optimum);
    expect(longest / optimum).toBeLessThanOrEqual(1.1);
    for (const shard of plan.shards) expect(shard.peakBytes).toBeLessThanOrEqual(1000 * MB);
  });

  it('beats dealing by time alone when memory keeps the heavy suites apart', () => {
    // Four 600 MB suites cannot run two at once on one machine; dealt by time alone, two land together.
    const suites = [item('h1', 10, 600), item('h2', 10, 600), item('h3', 10, 600), item('h4', 10, 600), item('l1', 10, 100), item('l2', 10, 100), item('l3', 10, 100), item('l4', 10, 100)];
    const plan = packShards(suites, 4, MACHINE);
    expect(Math.max(...plan.shards.map((s) => s.wallMs))).toBe(10_000);
    for (const shard of plan.shards) expect(shard.names.filter((n) => n.startsWith('h'))).toHaveLength(1);
  });

  it('warns of a suite that fits no machine, and plans it to run alone', () => {
    const plan = packShards([item('huge', 20, 1500), item('a', 5, 100), item('b', 5, 100), item('c', 5, 100)], 2, MACHINE);
    expect(plan.warnings.map((w) => w.message)).toEqual(["huge is expected to peak at 1500 MB, more than a machine's 1000 MB: it is planned to run alone."]);
    const shard = plan.shards.find((s) => s.names.includes('huge'))!;
    expect(shard.peakBytes).toBe(1500 * MB);
    expect(Math.max(...plan.shards.map((s) => s.wallMs))).toBe(20_000);
  });

  it('leaves no shard empty while there are suites enough', () => {
    const plan = packShards([item('a', 100, 100), item('b', 1, 100), item('c', 1, 100)], 3, { parallelism: 4, totalBytes: 1000 * MB });
    expect(plan.shards.every((s) => s.names.length > 0)).toBe(true);
  });
});
