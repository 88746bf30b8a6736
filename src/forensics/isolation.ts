// Pure analysis of a pool run (--isolation pool/auto): which files must run again alone for an exact
// figure (auto), which files left the most behind in their worker, a workerIdleMemoryLimit to
// suggest, and the project's own limit read as Jest reads it.
import type { PoolWorkerHistory, SuiteResult, SuiteRun } from '../base/types';
import { median } from '../base/median';
import { MB, toMb } from '../base/units';

/** auto's margin: an estimate over this share of a budget runs again alone. */
export const CONFIRM_MARGIN = 0.8;

/** A suite that auto runs again alone, and why. */
export interface ToConfirm {
  name: string;
  why: string;
}

const runsOf = (r: SuiteResult): SuiteRun[] => r.runs ?? [r];

/**
 * The pool rows auto runs again alone, each with why (the first reason that applies): its worker died
 * in it, it failed, its estimate is unreliable (it spawned processes, or it was the first file of its
 * worker to load a transformer), or its estimate is over `margin` of its memory or time budget.
 * Rows measured alone already are never chosen.
 */
export function toConfirm(results: SuiteResult[], margin = CONFIRM_MARGIN): ToConfirm[] {
  const chosen: ToConfirm[] = [];
  for (const r of results) {
    if (r.measuredIn !== 'pool') continue;
    const runs = runsOf(r);
    const pct = Math.round(margin * 100);
    const why =
      runs.some((run) => run.pool?.died) ? 'its worker died in it'
      : r.outcome !== 'passed' ? `it ${r.outcome === 'failed' ? 'failed' : `ended ${r.outcome}`} in the pool`
      : runs.some((run) => run.pool?.spawnedProcesses) ? 'it started processes of its own: the estimate is unreliable'
      : runs.some((run) => run.pool?.loadedTransformer) ? 'it was the first file of its worker to load a transformer: the estimate is unreliable'
      : r.peakRssBytes > margin * r.budget.memoryMb * MB ? `its estimate, ~${toMb(r.peakRssBytes)} MB, is over ${pct}% of its ${r.budget.memoryMb} MB memory budget`
      : r.durationMs > margin * r.budget.timeS * 1000 ? `its time, ${(r.durationMs / 1000).toFixed(1)} s, is over ${pct}% of its ${r.budget.timeS} s time budget`
      : null;
    if (why) chosen.push({ name: r.name, why });
  }
  return chosen;
}

/** A file that left something behind in its worker: how much (summed over --runs), and the share of its workers' growth that explains. */
export interface LeftBehind {
  name: string;
  leftInWorkerBytes: number;
  /** leftInWorkerBytes over the growth of the workers that ran it (0–1); null when they did not grow. */
  shareOfGrowth: number | null;
}

/** The settled heap a worker gained over its life: after its last file minus its fresh baseline (negative when it ended lighter). */
export function growthOf(worker: PoolWorkerHistory): number {
  const last = worker.files[worker.files.length - 1];
  return last ? last.heapAfterGcBytes - worker.baselineHeapBytes : 0;
}

/**
 * The files that left the most behind in their worker, most first (only those that left something),
 * each with its share of its workers' growth: of everything the files of the same workers left
 * behind (what they freed not counted), how much this file left.
 */
export function leftBehind(results: SuiteResult[], top = 3): LeftBehind[] {
  // Every run's leftover, by the worker it ran in: a worker's growth is the sum of its files' (positive) leftovers.
  const grown = new Map<number, number>();
  for (const r of results) for (const run of runsOf(r)) if (run.pool && (run.leftInWorkerBytes ?? 0) > 0) grown.set(run.pool.worker, (grown.get(run.pool.worker) ?? 0) + run.leftInWorkerBytes!);
  return results
    .filter((r) => (r.leftInWorkerBytes ?? 0) > 0)
    .map((r) => {
      const workers = new Set(runsOf(r).flatMap((run) => (run.pool ? [run.pool.worker] : [])));
      const growth = [...workers].reduce((sum, w) => sum + (grown.get(w) ?? 0), 0);
      return { name: r.name, leftInWorkerBytes: r.leftInWorkerBytes!, shareOfGrowth: growth > 0 ? Math.min(1, r.leftInWorkerBytes! / growth) : null };
    })
    .sort((a, b) => b.leftInWorkerBytes - a.leftInWorkerBytes)
    .slice(0, top);
}

/**
 * A workerIdleMemoryLimit for the project's Jest config, in MB. After each file, the heap in use
 * (before any GC: what Jest compares the limit with) less what the files before it left behind in
 * its worker is what a fresh worker would hold after that file; the suggestion is half again the
 * typical (median) such heap, rounded up to 10 MB. A worker over it holds well more than its files
 * need, most of it left behind, and a fresh worker costs less. null when no file finished in a worker.
 */
export function suggestedWorkerLimitMb(results: SuiteResult[], history: PoolWorkerHistory[]): number | null {
  const baseline = new Map(history.map((w) => [w.worker, w.baselineHeapBytes]));
  const fresh = results.flatMap((r) =>
    runsOf(r).flatMap(({ pool }) => {
      if (pool?.heapUsedAfterBytes == null || pool.heapBeforeBytes === null) return [];
      const leftBefore = Math.max(0, pool.heapBeforeBytes - (baseline.get(pool.worker) ?? pool.heapBeforeBytes));
      return [pool.heapUsedAfterBytes - leftBefore];
    }),
  );
  if (fresh.length === 0) return null;
  return Math.ceil((1.5 * median(fresh)) / MB / 10) * 10;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1000 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1000 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };

/**
 * The project's workerIdleMemoryLimit in bytes, read as Jest reads it: a number up to 1 (or a
 * percentage) is a share of the machine's memory, a larger number is bytes, a string may carry a unit
 * (`512MB`, `1.5GiB`). null when it is unset or unreadable.
 */
export function workerLimitBytes(value: unknown, totalMemBytes: number): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value <= 1 ? Math.floor(value * totalMemBytes) : Math.floor(value);
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) return Math.floor((Number(pct[1]) / 100) * totalMemBytes);
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(text);
  if (!m || !(m[2] in UNITS)) return null;
  const n = Number(m[1]);
  if (m[2] === '' && n <= 1) return Math.floor(n * totalMemBytes);
  return n > 0 ? Math.floor(n * UNITS[m[2]]) : null;
}
