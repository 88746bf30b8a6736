import { byName } from '../discover/by-name';
import { UsageError } from '../base/errors';
import type { Isolation, RunReport, Schedule } from '../base/types';
import { validateReport } from './validate-report';
import { isOk } from './verdict';

/**
 * One report from the reports of several shards: suites in name order, the earliest start, budgets of the
 * first report and `ok` judged again over every suite. durationMs is the wall-clock span from the earliest
 * start to the latest end when every start time can be read (shards run side by side, so their sum would
 * overstate it), else the sum of the durations. The schedules merge too, when every report has one,
 * and the pool sections of those that ran a pool.
 */
export function mergeReports(reports: RunReport[]): RunReport {
  if (reports.length === 0) throw new UsageError('No reports to merge: pass one or more JSON reports written by --json.');
  // Each report numbers its pool workers from 1: a later report's are moved past the earlier ones', in its rows too.
  const offsets = reports.map((_, i) => reports.slice(0, i).reduce((sum, r) => sum + Math.max(0, ...(r.isolation?.history.map((w) => w.worker) ?? [])), 0));
  const suites = reports
    .flatMap((r, i) => r.suites.map((s) => (s.pool && offsets[i] ? { ...s, pool: { ...s.pool, worker: s.pool.worker + offsets[i] } } : s)))
    .sort(byName);
  const twice = suites.find((s, i) => i > 0 && suites[i - 1].name === s.name);
  if (twice) {
    throw new UsageError(`Suite '${twice.name}' is in more than one report; merge reports of different shards, each run once.`);
  }
  const startsMs = reports.map((r) => Date.parse(r.startedAt));
  const spans = startsMs.every(Number.isFinite);
  const first = spans ? startsMs.indexOf(Math.min(...startsMs)) : 0;
  const durationMs = spans
    ? Math.max(...reports.map((r, i) => startsMs[i] + r.durationMs)) - startsMs[first]
    : reports.reduce((sum, r) => sum + r.durationMs, 0);
  const schedule = mergedSchedule(reports, durationMs);
  const isolation = mergedIsolation(reports, offsets);
  return {
    schemaVersion: 1,
    startedAt: reports[first].startedAt,
    durationMs,
    budgets: reports[0].budgets,
    suites,
    ok: suites.length > 0 && suites.every(isOk),
    merged: { reports: reports.length, duration: spans ? 'span' : 'sum' },
    ...(schedule ? { schedule } : {}),
    ...(isolation ? { isolation } : {}),
  };
}

/**
 * The pool sections of the reports that have one, as one: every worker (renumbered by `offsets`),
 * every file confirmed alone, the most workers and the highest limits of any report. The mode is
 * theirs when they agree, else auto (some files were confirmed alone). Null when no report ran a pool.
 */
function mergedIsolation(reports: RunReport[], offsets: number[]): Isolation | null {
  const pooled = reports.map((r, i) => ({ isolation: r.isolation, offset: offsets[i] })).filter((p): p is { isolation: Isolation; offset: number } => p.isolation !== undefined);
  if (pooled.length === 0) return null;
  const all = pooled.map((p) => p.isolation);
  return {
    mode: all.every((i) => i.mode === all[0].mode) ? all[0].mode : 'auto',
    workers: Math.max(...all.map((i) => i.workers)),
    workerMemoryLimitMb: most(all.map((i) => i.workerMemoryLimitMb)),
    suggestedWorkerIdleMemoryLimitMb: most(all.map((i) => i.suggestedWorkerIdleMemoryLimitMb)),
    history: pooled.flatMap((p) => p.isolation.history.map((w) => ({ ...w, worker: w.worker + p.offset }))),
    confirmed: all.flatMap((i) => i.confirmed),
  };
}

/**
 * The shards' schedules as one, when every report has one: each machine's slots and memory (the
 * most of any), the highest concurrent peak of any one machine (machines share no memory), the
 * merged wall time, and the sum of every suite's own time.
 */
function mergedSchedule(reports: RunReport[], wallMs: number): Schedule | null {
  const schedules = reports.map((r) => r.schedule);
  if (!schedules.every((s): s is Schedule => s !== undefined)) return null;
  return {
    parallelism: Math.max(...schedules.map((s) => s.parallelism)),
    totalMemoryMb: most(schedules.map((s) => s.totalMemoryMb)),
    peakConcurrentRssBytes: Math.max(...schedules.map((s) => s.peakConcurrentRssBytes)),
    wallMs,
    sumSuiteMs: schedules.reduce((sum, s) => sum + s.sumSuiteMs, 0),
  };
}

/** A report read from JSON text, checked against schema/report.v1.json; a one-line error names `source` otherwise. */
export function parseReport(json: string, source: string): RunReport {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`${source} is not JSON (${(error as Error).message}). Pass a report written by stress-run --json.`);
  }
  const version = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { schemaVersion?: unknown }).schemaVersion : 1;
  if (version !== 1) {
    const found = version === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(version)}`;
    throw new UsageError(`${source} has ${found}; this stress-run reads reports of schemaVersion 1, as written by --json.`);
  }
  const problems = validateReport(value);
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new UsageError(`${source} is not a stress-run report: ${problems[0]}${more}.`);
  }
  const report = value as RunReport;
  // The schema lets a report leave out the bulky lists; reporters read them as empty.
  return { ...report, suites: report.suites.map((s) => ({ ...s, testCases: s.testCases ?? [], processes: s.processes ?? [], samples: s.samples ?? [] })) };
}

/** The largest of the known values; null when none is known. */
function most(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}
