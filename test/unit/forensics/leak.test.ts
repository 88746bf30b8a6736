import { GROWTH_NOISE_BYTES, leakOf, leakOfRuns, parsePerTestFile, perTestHeaps, theilSenSlope, topRetainers } from '../../../src/forensics/leak';

const MB = 1024 * 1024;
const lines = (records: object[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
/** A run's settled heaps: baseline, then one per test. */
const heaps = (values: number[]): ReturnType<typeof perTestHeaps> =>
  perTestHeaps({ baseline: { name: null, heapUsedBytes: values[0], nativeContexts: 2 }, tests: values.slice(1).map((h, i) => ({ name: `t${i}`, heapUsedBytes: h, nativeContexts: 2 })) });

describe('parsePerTestFile and perTestHeaps', () => {
  it('gives each test the heap it left behind, the first one measured from the baseline', () => {
    const text = lines([
      { baseline: true, heapUsedBytes: 30 * MB, nativeContexts: 2 },
      { name: 'a holds', heapUsedBytes: 31 * MB, nativeContexts: 2 },
      { name: 'b frees', heapUsedBytes: 30.5 * MB, nativeContexts: 3 },
    ]) + '{"name":"cut sho';
    expect(perTestHeaps(parsePerTestFile(text))).toEqual([
      { name: 'a holds', retainedBytes: 1 * MB, heapUsedBytes: 31 * MB, nativeContexts: 2 },
      { name: 'b frees', retainedBytes: -0.5 * MB, heapUsedBytes: 30.5 * MB, nativeContexts: 3 },
    ]);
  });

  it('reads no retention for the first test when the baseline is missing', () => {
    const text = lines([{ name: 'a', heapUsedBytes: 5, nativeContexts: 1 }, { name: 'b', heapUsedBytes: 9, nativeContexts: 1 }]);
    expect(perTestHeaps(parsePerTestFile(text)).map((t) => t.retainedBytes)).toEqual([0, 4]);
  });
});

describe('theilSenSlope', () => {
  it('is the exact slope of a straight line', () => {
    expect(theilSenSlope([10, 13, 16, 19, 22])).toBe(3);
  });

  it('ignores a few wild points that would drag least squares', () => {
    const ys = Array.from({ length: 20 }, (_, i) => 100 + 2 * i);
    ys[4] = 10_000;
    ys[15] = -5_000;
    expect(theilSenSlope(ys)).toBe(2);
  });
});

describe('leakOf', () => {
  it('flags a heap that grows about 1 MB after nearly every test, with that slope', () => {
    const values = Array.from({ length: 31 }, (_, i) => 30 * MB + i * MB + (i % 3) * 20_000);
    const leak = leakOf(heaps(values), values[0])!;
    expect(leak.flagged).toBe(true);
    expect(leak.growthShare).toBe(1);
    expect(Math.abs(leak.slopeBytesPerTest - MB) / MB).toBeLessThan(0.02);
  });

  it('does not flag a heap that only carries Jest’s few KB per test, however steady', () => {
    const values = Array.from({ length: 31 }, (_, i) => 30 * MB + i * 8_000);
    expect(leakOf(heaps(values), values[0])).toEqual({ slopeBytesPerTest: 8_000, growthShare: 0, flagged: false });
  });

  it('does not flag one big step: a slope, but not a consistent growth', () => {
    const values = Array.from({ length: 31 }, (_, i) => 30 * MB + (i > 10 ? 40 * MB : 0));
    const leak = leakOf(heaps(values), values[0])!;
    expect(leak.growthShare).toBeCloseTo(1 / 30, 6);
    expect(leak.flagged).toBe(false);
  });

  it('does not flag growth after only half the tests', () => {
    const values = [30 * MB];
    for (let i = 1; i <= 30; i++) values.push(values[i - 1] + (i % 2 ? 2 * MB : -0.5 * MB));
    const leak = leakOf(heaps(values), values[0])!;
    expect(leak.slopeBytesPerTest).toBeGreaterThan(GROWTH_NOISE_BYTES);
    expect(leak.growthShare).toBe(0.5);
    expect(leak.flagged).toBe(false);
  });

  it('gives no fit for fewer than three tests', () => {
    expect(leakOf(heaps([1, 2 * MB, 4 * MB]), 1)).toBeNull();
  });
});

describe('leakOfRuns', () => {
  it('takes the median slope and share of the runs and judges them again', () => {
    const runs = [
      { slopeBytesPerTest: 1 * MB, growthShare: 0.9, flagged: true },
      { slopeBytesPerTest: 3 * MB, growthShare: 0.5, flagged: false },
      { slopeBytesPerTest: 2 * MB, growthShare: 0.8, flagged: true },
      null,
    ];
    expect(leakOfRuns(runs)).toEqual({ slopeBytesPerTest: 2 * MB, growthShare: 0.8, flagged: true });
    expect(leakOfRuns([null, undefined])).toBeNull();
  });
});

describe('topRetainers', () => {
  it('names the tests that retained most, largest first, leaving out noise and frees', () => {
    const tests = heaps([0, 3 * MB, 3 * MB + 1000, 2 * MB, 7 * MB]);
    expect(topRetainers(tests, 5).map((t) => [t.name, t.retainedBytes])).toEqual([
      ['t3', 5 * MB],
      ['t0', 3 * MB],
    ]);
  });
});
