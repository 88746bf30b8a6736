import { UsageError } from '../cli/usage-error';
import type { Outcome, RunReport, SuiteResult } from '../types';
import { isOk } from './verdict';

/**
 * One report from the reports of several shards: suites in name order, the earliest start, budgets of the
 * first report and `ok` judged again over every suite. durationMs is the wall-clock span from the earliest
 * start to the latest end when every start time can be read (shards run side by side, so their sum would
 * overstate it), else the sum of the durations.
 */
export function mergeReports(reports: RunReport[]): RunReport {
  if (reports.length === 0) throw new UsageError('No reports to merge: pass one or more JSON reports written by --json.');
  const suites = reports.flatMap((r) => r.suites).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
  return {
    schemaVersion: 1,
    startedAt: reports[first].startedAt,
    durationMs,
    budgets: reports[0].budgets,
    suites,
    ok: suites.length > 0 && suites.every(isOk),
  };
}

/** A report read from JSON text: schemaVersion 1 and the basic shape are checked, and a one-line error names `source` otherwise. */
export function parseReport(json: string, source: string): RunReport {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`${source} is not JSON (${(error as Error).message}). Pass a report written by stress-run --json.`);
  }
  if (isObject(value) && value.schemaVersion !== 1) {
    const found = value.schemaVersion === undefined ? 'no schemaVersion' : `schemaVersion ${shown(value.schemaVersion)}`;
    throw new UsageError(`${source} has ${found}; this stress-run reads reports of schemaVersion 1, as written by --json.`);
  }
  const problem = isObject(value) ? fieldProblem(value, REPORT_FIELDS, '') : 'the top level is not an object';
  if (problem) throw new UsageError(`${source} is not a stress-run report: ${problem}.`);
  const report = value as unknown as RunReport;
  // The schema lets a report leave out the bulky lists; reporters read them as empty.
  return { ...report, suites: report.suites.map((s) => ({ ...s, testCases: s.testCases ?? [], processes: s.processes ?? [], samples: s.samples ?? [] })) };
}

type Kind = 'string' | 'number' | 'boolean' | 'number|null' | 'string|null' | 'outcome' | 'list?' | Fields | { each: Fields };
interface Fields {
  [key: string]: Kind;
}

const OUTCOMES: Record<Outcome, true> = { passed: true, failed: true, oom: true, timeout: true, killed: true, crashed: true, interrupted: true };
const COUNT = 'number|null';
const BUDGET = { memoryMb: 'number', timeS: 'number' } as const;
const SUITE_FIELDS: Fields = {
  name: 'string',
  file: 'string',
  outcome: 'outcome',
  tests: { passed: COUNT, failed: COUNT, skipped: COUNT, total: COUNT },
  testCases: 'list?',
  processes: 'list?',
  samples: 'list?',
  runs: 'list?',
  peakRssBytes: 'number',
  durationMs: 'number',
  heapCapMb: 'number|null',
  timeoutS: 'number',
  budget: { ...BUDGET, memoryExceeded: 'boolean', timeExceeded: 'boolean' },
  exitCode: 'number|null',
  signal: 'string|null',
  message: 'string|null',
};
const REPORT_FIELDS: Fields = {
  startedAt: 'string',
  durationMs: 'number',
  budgets: BUDGET,
  suites: { each: SUITE_FIELDS },
  ok: 'boolean',
};

// The first field that is missing or of the wrong kind, as `suites[2].outcome must be …`, or null.
function fieldProblem(value: Record<string, unknown>, fields: Fields, path: string): string | null {
  for (const [key, kind] of Object.entries(fields)) {
    const here = `${path}${key}`;
    const v = value[key];
    if (typeof kind === 'object' && 'each' in kind) {
      if (!Array.isArray(v)) return `${here} must be a list`;
      for (const [i, item] of v.entries()) {
        const problem = isObject(item) ? fieldProblem(item, kind.each as Fields, `${here}[${i}].`) : `${here}[${i}] must be an object`;
        if (problem) return problem;
      }
    } else if (typeof kind === 'object') {
      const problem = isObject(v) ? fieldProblem(v, kind, `${here}.`) : `${here} must be an object`;
      if (problem) return problem;
    } else if (!isKind(v, kind)) {
      return `${here} must be ${describe(kind)}, got ${shown(v)}`;
    }
  }
  return null;
}

function isKind(v: unknown, kind: Exclude<Kind, object>): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'number|null':
      return v === null || isKind(v, 'number');
    case 'string|null':
      return v === null || typeof v === 'string';
    case 'outcome':
      return typeof v === 'string' && Object.hasOwn(OUTCOMES, v);
    case 'list?':
      return v === undefined || Array.isArray(v);
  }
}

function describe(kind: Exclude<Kind, object>): string {
  if (kind === 'outcome') return `one of ${Object.keys(OUTCOMES).join(', ')}`;
  if (kind === 'list?') return 'a list when present';
  return `a ${kind.replace('|null', ' or null')}`;
}

// A value as JSON, cut short so that a wrong value cannot flood the one-line message.
function shown(v: unknown): string {
  const json = JSON.stringify(v) ?? 'nothing';
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
