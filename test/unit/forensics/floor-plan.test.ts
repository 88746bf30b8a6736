import { floorStepMb, type FloorRange, type FloorTry, nextFloorStep } from '../../../src/forensics/floor-plan';
import type { Outcome } from '../../../src/base/types';

const RANGE: FloorRange = { minMb: 16, maxMb: 300, ceilingMb: 2400 };

/** Runs the search against a suite whose outcome at each cap is `outcomeAt(cap)`; returns the end and the caps tried. */
function search(outcomeAt: (capMb: number) => Outcome, range = RANGE, heapPeakMb: number | null = null): { end: ReturnType<typeof nextFloorStep>; caps: number[] } {
  const tries: FloorTry[] = [];
  for (let i = 0; i < 50; i++) {
    const step = nextFloorStep(tries, range);
    if (step.kind === 'done') return { end: step, caps: tries.map((t) => t.capMb) };
    const heapUsedPeakBytes = heapPeakMb === null ? null : Math.min(heapPeakMb, step.capMb) * 1024 * 1024;
    tries.push({ capMb: step.capMb, outcome: outcomeAt(step.capMb), peakRssBytes: 0, durationMs: 0, heapUsedPeakBytes });
  }
  throw new Error('the search did not end');
}

describe('floorStepMb', () => {
  it('is 2 MB or 5% of the passing cap, whichever is larger', () => {
    expect(floorStepMb(20)).toBe(2);
    expect(floorStepMb(40)).toBe(2);
    expect(floorStepMb(100)).toBe(5);
    expect(floorStepMb(301)).toBe(16);
  });
});

describe('nextFloorStep', () => {
  it('first checks the top of the range, then the bottom', () => {
    expect(nextFloorStep([], RANGE)).toEqual({ kind: 'try', capMb: 300 });
    expect(nextFloorStep([{ capMb: 300, outcome: 'passed', peakRssBytes: 0, durationMs: 0 }], RANGE)).toEqual({ kind: 'try', capMb: 16 });
  });

  it.each([17, 31, 46, 87, 150, 299, 300])('finds a floor of %i MB to within one step, in few tries', (floor) => {
    const { end, caps } = search((cap) => (cap >= floor ? 'passed' : 'oom'));
    expect(end.kind).toBe('done');
    if (end.kind !== 'done') return;
    expect(end.floorMb).toBeGreaterThanOrEqual(floor);
    expect(end.floorMb! - end.failingMb!).toBeLessThanOrEqual(floorStepMb(end.floorMb!));
    expect(end.failingMb).toBeLessThan(floor);
    expect(caps.length).toBeLessThanOrEqual(12);
    // The one cap run twice is the one that reproduces the OOM.
    expect(caps.filter((c) => c === end.failingMb)).toHaveLength(2);
    expect(new Set(caps).size).toBe(caps.length - 1);
  });

  it('goes above the top while the suite runs out of heap there, up to the ceiling', () => {
    const { end, caps } = search((cap) => (cap >= 700 ? 'passed' : 'oom'));
    expect(caps.slice(0, 4)).toEqual([300, 600, 1200, 900]);
    expect(end).toMatchObject({ kind: 'done', reason: null });
    if (end.kind === 'done') expect(end.floorMb! - 700).toBeLessThanOrEqual(floorStepMb(end.floorMb!));

    const never = search(() => 'oom');
    expect(never.caps).toEqual([300, 600, 1200, 2400]);
    expect(never.end).toEqual({ kind: 'done', floorMb: null, failingMb: 2400, reason: 'it runs out of heap even at 2400 MB' });
  });

  it('stops at once when the suite fails at the top for another reason than the heap', () => {
    const { end, caps } = search(() => 'failed');
    expect(caps).toEqual([300]);
    expect(end).toMatchObject({ kind: 'done', floorMb: null, reason: expect.stringContaining('failed, not out of heap') });
  });

  it('says so when the suite passes even at the bottom', () => {
    const { end, caps } = search(() => 'passed');
    expect(caps).toEqual([300, 16]);
    expect(end).toEqual({ kind: 'done', floorMb: 16, failingMb: null, reason: 'it passes even at 16 MB, the bottom of the range' });
  });

  it('counts any failure under the passing cap as too little heap (a timeout from GC thrash, a crash)', () => {
    const { end } = search((cap) => (cap >= 80 ? 'passed' : cap >= 60 ? 'timeout' : 'oom'));
    expect(end).toMatchObject({ kind: 'done', reason: null });
    if (end.kind === 'done') expect(end.floorMb).toBeGreaterThanOrEqual(80);
  });

  it('ignores a failure above a lower passing cap (a flaky run near the floor)', () => {
    const tries: FloorTry[] = [
      { capMb: 300, outcome: 'passed', peakRssBytes: 0, durationMs: 0 },
      { capMb: 16, outcome: 'oom', peakRssBytes: 0, durationMs: 0 },
      { capMb: 158, outcome: 'oom', peakRssBytes: 0, durationMs: 0 },
      { capMb: 100, outcome: 'passed', peakRssBytes: 0, durationMs: 0 },
    ];
    expect(nextFloorStep(tries, RANGE)).toEqual({ kind: 'try', capMb: 58 });
  });

  it('brackets a floor close to the heap the suite used at the top at once: 90% of that peak, then the peak', () => {
    // A suite that holds what it allocates: it used 124 MB of heap with room, and needs 116.
    const { end, caps } = search((cap) => (cap >= 116 ? 'passed' : 'oom'), RANGE, 124);
    expect(caps.slice(0, 3)).toEqual([300, 112, 124]);
    expect(caps.length).toBeLessThanOrEqual(6);
    expect(end).toMatchObject({ kind: 'done', reason: null });
    if (end.kind === 'done') expect(end.floorMb! - 116).toBeLessThanOrEqual(floorStepMb(end.floorMb!));
  });

  it.each([20, 34, 60, 111])('still finds a floor of %i MB far under the heap used at the top (garbage the GC would collect)', (floor) => {
    const { end, caps } = search((cap) => (cap >= floor ? 'passed' : 'oom'), RANGE, 124);
    expect(end).toMatchObject({ kind: 'done', reason: null });
    if (end.kind !== 'done') return;
    expect(end.floorMb).toBeGreaterThanOrEqual(floor);
    expect(end.floorMb! - end.failingMb!).toBeLessThanOrEqual(floorStepMb(end.floorMb!));
    expect(caps.length).toBeLessThanOrEqual(12);
  });

  it('runs the cap that reproduces the OOM twice, and treats a cap that passed once as passing (a flaky run near the floor)', () => {
    let flakyRuns = 0;
    // 44 MB fails on its first run and passes on the second; the real floor is 42.
    const { end, caps } = search((cap) => (cap === 44 ? (flakyRuns++ === 0 ? 'oom' : 'passed') : cap >= 42 ? 'passed' : 'oom'), { minMb: 16, maxMb: 60, ceilingMb: 480 });
    expect(caps.filter((c) => c === 44)).toHaveLength(2);
    expect(end).toMatchObject({ kind: 'done', reason: null });
    if (end.kind !== 'done') return;
    expect(end.floorMb).toBeLessThanOrEqual(44);
    expect(end.failingMb).toBeLessThan(42);
    expect(caps.filter((c) => c === end.failingMb)).toHaveLength(2);
  });
});
