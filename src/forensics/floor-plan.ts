// Planning the heap-floor search: given the tries so far, the next heap cap to try, or the end.
// The floor is the smallest --max-old-space-size at which a suite still passes. The search first
// checks that the suite passes at the top of the range (going higher while it runs out of heap), then
// narrows the gap between the highest failing and the lowest passing cap until it is one step: 2 MB
// or 5% of the passing cap, whichever is larger, and the failing cap has failed twice (near the floor a
// run can go either way, and the cap that reproduces the OOM must do so every time). A suite whose floor is close to the heap it used
// when it had room (a suite that holds what it allocates) is bracketed at once: 90% of that peak,
// then the peak itself. Otherwise the gap is halved, from the bottom of the range up.
import type { FloorTry } from '../base/types';

export type { FloorTry };

/** The range to search: the bottom cap, the top cap (the suite's own cap), and how far above the top to look. */
export interface FloorRange {
  minMb: number;
  maxMb: number;
  /** The highest cap tried when the suite runs out of heap even at maxMb. */
  ceilingMb: number;
}

/** What to do next: run the suite under `capMb`, or stop with the floor (null when there is none to find). */
export type FloorStep =
  | { kind: 'try'; capMb: number }
  | { kind: 'done'; floorMb: number | null; failingMb: number | null; reason: string | null };

const MIN_STEP_MB = 2;
const STEP_FRACTION = 0.05;

/** How close the passing and failing caps must be to stop: 2 MB or 5% of the passing cap, whichever is larger. */
export function floorStepMb(passingMb: number): number {
  return Math.max(MIN_STEP_MB, Math.ceil(passingMb * STEP_FRACTION));
}

/** The next heap cap to try, or the floor once the gap between failing and passing is one step. */
export function nextFloorStep(tries: FloorTry[], range: FloorRange): FloorStep {
  if (tries.length === 0) return { kind: 'try', capMb: range.maxMb };
  const passing = tries.filter((t) => t.outcome === 'passed').map((t) => t.capMb);
  if (passing.length === 0) {
    // Nothing passed yet: only more heap can help, and only if it was the heap that ran out.
    const last = tries[tries.length - 1];
    if (last.outcome !== 'oom') {
      return { kind: 'done', floorMb: null, failingMb: null, reason: `it does not pass even at ${last.capMb} MB: ${last.outcome}, not out of heap, so no heap cap makes it pass` };
    }
    if (last.capMb >= range.ceilingMb) {
      return { kind: 'done', floorMb: null, failingMb: last.capMb, reason: `it runs out of heap even at ${last.capMb} MB` };
    }
    return { kind: 'try', capMb: Math.min(range.ceilingMb, last.capMb * 2) };
  }
  const high = Math.min(...passing);
  // A cap that passed once is a passing cap, however often it failed: the OOM shown must happen every time.
  const failing = tries.filter((t) => t.outcome !== 'passed' && t.capMb < high).map((t) => t.capMb);
  const tried = new Set(tries.map((t) => t.capMb));
  const low = failing.length ? Math.max(...failing) : null;
  if (low !== null && high - low <= floorStepMb(high)) {
    // Near the floor a run can go either way; the cap shown to reproduce the OOM is run twice.
    if (tries.filter((t) => t.capMb === low).length < 2) return { kind: 'try', capMb: low };
    return { kind: 'done', floorMb: high, failingMb: low, reason: null };
  }
  const inside = (capMb: number): boolean => capMb > (low ?? range.minMb) && capMb < high && !tried.has(capMb);
  const peakMb = heapPeakMb(tries);
  if (peakMb !== null) {
    for (const guess of [Math.round(peakMb * 0.9), peakMb]) if (inside(guess)) return { kind: 'try', capMb: guess };
  }
  if (low === null) {
    if (high <= range.minMb) return { kind: 'done', floorMb: high, failingMb: null, reason: `it passes even at ${high} MB, the bottom of the range` };
    return { kind: 'try', capMb: range.minMb };
  }
  return { kind: 'try', capMb: Math.round((low + high) / 2) };
}

/** The heap the suite used at the first cap it passed with (the top of the range, where it had room), in whole MB. */
function heapPeakMb(tries: FloorTry[]): number | null {
  const first = tries.find((t) => t.outcome === 'passed');
  return first?.heapUsedPeakBytes ? Math.ceil(first.heapUsedPeakBytes / (1024 * 1024)) : null;
}
