// Per-test retained heap and the leak fit: what the per-test hook recorded, turned into figures.
import type { Leak, PerTestHeap } from '../base/types';

/**
 * Growth smaller than this after one test is noise, not retention: Jest keeps a few KB of its own
 * bookkeeping per test (results, timings), measured at 1–40 KB on a suite that frees everything.
 */
export const GROWTH_NOISE_BYTES = 64 * 1024;
/** A suite is flagged only when more than this share of its tests grew the settled heap. */
export const GROWTH_SHARE_FLAG = 2 / 3;
/** Fewer measured tests than this give no fit. */
export const MIN_TESTS_FOR_FIT = 3;

/** One line of the hook's file: the baseline before the first test, or one test. */
interface HookRecord {
  name: string | null;
  heapUsedBytes: number;
  nativeContexts: number;
  /** The time the hook's forced GCs took (absent in files of older versions). */
  gcMs?: number;
}

/** Parses the hook's file into the baseline and the tests, skipping a line cut short by a sudden death. */
export function parsePerTestFile(text: string): { baseline: HookRecord | null; tests: HookRecord[] } {
  let baseline: HookRecord | null = null;
  const tests: HookRecord[] = [];
  for (const line of text.split('\n')) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof record?.heapUsedBytes !== 'number' || typeof record.nativeContexts !== 'number') continue;
    const gcMs = typeof record.gcMs === 'number' && Number.isFinite(record.gcMs) && record.gcMs > 0 ? record.gcMs : 0;
    const entry = { name: typeof record.name === 'string' ? record.name : null, heapUsedBytes: record.heapUsedBytes, nativeContexts: record.nativeContexts, gcMs };
    if (record.baseline === true) baseline = entry;
    else if (entry.name !== null) tests.push(entry);
  }
  return { baseline, tests };
}

/** The time the hook's forced GCs took in all, before the first test and after each (whole ms). */
export function perTestGcMsOf(recorded: { baseline: HookRecord | null; tests: HookRecord[] }): number {
  return Math.round((recorded.baseline?.gcMs ?? 0) + recorded.tests.reduce((sum, t) => sum + (t.gcMs ?? 0), 0));
}

/** Each test's retained heap: its settled heap minus the one before it (the baseline, for the first test). */
export function perTestHeaps(recorded: { baseline: HookRecord | null; tests: HookRecord[] }): PerTestHeap[] {
  let before = recorded.baseline?.heapUsedBytes ?? null;
  return recorded.tests.map((t) => {
    const retainedBytes = before === null ? 0 : t.heapUsedBytes - before;
    before = t.heapUsedBytes;
    return { name: t.name ?? '', retainedBytes, heapUsedBytes: t.heapUsedBytes, nativeContexts: t.nativeContexts };
  });
}

/** The median of all pairwise slopes (Theil–Sen): robust to a few outlying points, unlike least squares. */
export function theilSenSlope(ys: number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    for (let j = i + 1; j < ys.length; j++) slopes.push((ys[j] - ys[i]) / (j - i));
  }
  return middle(slopes);
}

/** The leak fit over a run's settled heaps (baseline first when known); null with too few tests to fit. */
export function leakOf(perTest: PerTestHeap[], baselineBytes: number | null): Leak | null {
  if (perTest.length < MIN_TESTS_FOR_FIT) return null;
  const heaps = [...(baselineBytes === null ? [] : [baselineBytes]), ...perTest.map((t) => t.heapUsedBytes)];
  const steps = heaps.slice(1).map((h, i) => h - heaps[i]);
  const slopeBytesPerTest = Math.round(theilSenSlope(heaps));
  const growthShare = steps.filter((d) => d > GROWTH_NOISE_BYTES).length / steps.length;
  return { slopeBytesPerTest, growthShare, flagged: isLeak(slopeBytesPerTest, growthShare) };
}

/** Two conditions, never one noisy number: most tests grew the heap, and the slope is above noise. */
export function isLeak(slopeBytesPerTest: number, growthShare: number): boolean {
  return growthShare > GROWTH_SHARE_FLAG && slopeBytesPerTest > GROWTH_NOISE_BYTES;
}

/** The leak of several runs of one suite: median slope and share, judged again by the same rule. */
export function leakOfRuns(leaks: Array<Leak | null | undefined>): Leak | null {
  const known = leaks.filter((l): l is Leak => Boolean(l));
  if (known.length === 0) return null;
  const slopeBytesPerTest = Math.round(middle(known.map((l) => l.slopeBytesPerTest)));
  const growthShare = middle(known.map((l) => l.growthShare));
  return { slopeBytesPerTest, growthShare, flagged: isLeak(slopeBytesPerTest, growthShare) };
}

/** The tests that retained the most, largest first (only those that retained more than noise). */
export function topRetainers(perTest: PerTestHeap[], count: number): PerTestHeap[] {
  return perTest
    .filter((t) => t.retainedBytes > GROWTH_NOISE_BYTES)
    .sort((a, b) => b.retainedBytes - a.retainedBytes)
    .slice(0, count);
}

// Unrounded median: shares and slopes are fractions.
function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
