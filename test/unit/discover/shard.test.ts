import { durationsFromReport, parseShard, selectShard } from '../../../src/discover/shard';
import type { SuiteRun } from '../../../src/base/types';
import { makeDeath, makeReport, makeResult } from '../../support/make-result';

const suitesNamed = (...names: string[]): Array<{ name: string }> => names.map((name) => ({ name }));
const namesOf = (suites: Array<{ name: string }>): string[] => suites.map((s) => s.name);
const allShards = <T extends { name: string }>(suites: T[], count: number, durations?: Map<string, number>): string[][] =>
  Array.from({ length: count }, (_, i) => namesOf(selectShard(suites, { index: i + 1, count }, durations)));

// A small deterministic pseudo-random sequence, so the property checks below are repeatable.
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('parseShard', () => {
  it('refuses a shard count past 1000 at once (it would cost minutes and gigabytes)', () => {
    expect(() => parseShard('1/100000000000')).toThrow('--shard 1/100000000000: at most 1000 shards.');
  });

  it('reads i/n, 1-based, allowing spaces', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard(' 3 / 3 ')).toEqual({ index: 3, count: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it.each([
    ['0/3', /from 1 to 3/],
    ['4/3', /from 1 to 3/],
    ['1/0', /at least 1/],
    ['a/b', /i\/n with whole numbers/],
    ['', /i\/n/],
    ['1/3/5', /i\/n/],
    ['-1/3', /i\/n/],
    ['1.5/3', /i\/n/],
    ['2', /i\/n/],
  ])('rejects %p with a one-line message', (text, pattern) => {
    expect(() => parseShard(text)).toThrow(pattern);
    try {
      parseShard(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain('--shard');
    }
  });
});

describe('selectShard', () => {
  it('without durations deals suites round-robin by name, whatever order they come in', () => {
    const shards = [['a', 'd', 'g'], ['b', 'e'], ['c', 'f']];
    expect(allShards(suitesNamed('a', 'b', 'c', 'd', 'e', 'f', 'g'), 3)).toEqual(shards);
    expect(allShards(suitesNamed('g', 'e', 'c', 'a', 'f', 'd', 'b'), 3)).toEqual(shards);
  });

  it('keeps the suite objects it was given, sorted by name', () => {
    const suites = [
      { name: 'b', file: '/x/b.stress.test.ts' },
      { name: 'a', file: '/x/a.stress.test.ts' },
    ];
    expect(selectShard(suites, { index: 1, count: 1 })).toEqual([suites[1], suites[0]]);
  });

  it('with durations puts the longest suite first onto the least-loaded shard', () => {
    const durations = new Map(Object.entries({ a: 10, b: 9, c: 8, d: 3, e: 2, f: 1 }));
    // a→1 (10), b→2 (9), c→2 (17), d→1 (13), e→1 (15), f→1 (16)
    expect(allShards(suitesNamed('a', 'b', 'c', 'd', 'e', 'f'), 2, durations)).toEqual([
      ['a', 'd', 'e', 'f'],
      ['b', 'c'],
    ]);
  });

  it('breaks ties between equal durations by name', () => {
    const durations = new Map(Object.entries({ z: 5, y: 5, x: 5, w: 5 }));
    expect(allShards(suitesNamed('z', 'y', 'x', 'w'), 2, durations)).toEqual([
      ['w', 'y'],
      ['x', 'z'],
    ]);
  });

  it('counts a suite missing from the durations as the median known duration', () => {
    const durations = new Map(Object.entries({ a: 10, b: 10, c: 1 }));
    // d weighs 10 (the median), so it follows a and b: a→1, b→2, d→1, c→2.
    expect(allShards(suitesNamed('a', 'b', 'c', 'd'), 2, durations)).toEqual([
      ['a', 'd'],
      ['b', 'c'],
    ]);
  });

  it('falls back to round-robin by name when no suite has a usable duration', () => {
    const durations = new Map(Object.entries({ other: 100, a: 0 }));
    expect(allShards(suitesNamed('c', 'b', 'a'), 2, durations)).toEqual([['a', 'c'], ['b']]);
  });

  it('leaves the extra shards empty when there are more shards than suites', () => {
    expect(allShards(suitesNamed('a', 'b'), 4)).toEqual([['a'], ['b'], [], []]);
  });

  it('puts every suite in exactly one shard, and balances the load within one suite of the ideal', () => {
    const random = lcg(42);
    for (let trial = 0; trial < 200; trial++) {
      const n = Math.floor(random() * 25);
      const count = 1 + Math.floor(random() * 6);
      const names = Array.from({ length: n }, (_, i) => `suite-${i}`);
      const durations = new Map(names.map((name) => [name, 1 + Math.floor(random() * 60_000)] as [string, number]));
      const someDurations = new Map([...durations].filter(() => random() < 0.7));
      for (const given of [undefined, someDurations, durations]) {
        expect(allShards(suitesNamed(...names), count, given).flat().sort()).toEqual([...names].sort());
      }
      if (n === 0) continue;
      const loads = allShards(suitesNamed(...names), count, durations).map((shard) => shard.reduce((sum, name) => sum + durations.get(name)!, 0));
      const totalMs = loads.reduce((a, b) => a + b, 0);
      // Longest-processing-time first never leaves a shard more than the longest suite above the average.
      expect(Math.max(...loads)).toBeLessThanOrEqual(totalMs / count + Math.max(...durations.values()));
    }
  });

  it('refuses a shard outside 1..count', () => {
    expect(() => selectShard(suitesNamed('a'), { index: 0, count: 2 })).toThrow('Invalid shard 0/2');
    expect(() => selectShard(suitesNamed('a'), { index: 3, count: 2 })).toThrow('Invalid shard 3/2');
  });
});

describe('durationsFromReport', () => {
  const run = (durationMs: number, outcome: SuiteRun['outcome'] = 'passed'): SuiteRun => {
    const { name, file, heapCapMb, timeoutS, budget, ...rest } = makeResult({ durationMs, outcome });
    return rest;
  };

  it('takes each suite’s duration, or the median of its runs when it has several', () => {
    const report = makeReport([
      makeResult({ name: 'single', durationMs: 4200 }),
      makeResult({ name: 'repeated', durationMs: 2000, runs: [run(3000), run(1000), run(2500)] }),
    ]);
    expect(durationsFromReport(report)).toEqual(
      new Map([
        ['single', 4200],
        ['repeated', 2500],
      ]),
    );
  });

  it('leaves out interrupted suites and interrupted runs, which say nothing about how long a suite takes', () => {
    const report = makeReport([
      makeDeath('interrupted', { name: 'stopped', durationMs: 0 }),
      makeResult({ name: 'partly', runs: [run(1000), run(3000), run(10, 'interrupted')] }),
      makeDeath('timeout', { name: 'slow', durationMs: 60_000 }),
    ]);
    expect(durationsFromReport(report)).toEqual(
      new Map([
        ['partly', 2000],
        ['slow', 60_000],
      ]),
    );
  });
});
