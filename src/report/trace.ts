// The report as a Chrome Trace Event file (--trace), for Perfetto's UI (ui.perfetto.dev) and
// chrome://tracing: the JSON Object Format, `{"traceEvents": [...], "displayTimeUnit": "ms"}`.
//
// Each suite is a process of the trace (pid = its place in the report, named by metadata events)
// with one thread: its run as a complete event ("ph":"X") and each of its tests as a complete event
// nested inside it (from the test marks), and one counter ("ph":"C", name "memory") whose two series
// are the tree's summed RSS and the heaviest process's V8 heap, in MB, at every sample. Timestamps
// are microseconds since the run started: a suite's startedAtMs plus a sample's or a mark's ms.
import type { RunReport, SuiteResult } from '../base/types';
import { MB } from '../base/units';
import { verdictWithTest } from './verdict';

/** One trace event, with the fields the Trace Event Format defines and this file uses. */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: 'X' | 'C' | 'M';
  /** Microseconds. */
  ts: number;
  /** Microseconds (complete events). */
  dur?: number;
  pid: number;
  tid?: number;
  args?: Record<string, string | number | boolean | null>;
}

/** The counter every suite's memory is drawn on: one track per suite. */
export const MEMORY_COUNTER = 'memory';
const THREAD = 1;
const us = (ms: number): number => Math.round(ms * 1000);
const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

/** The trace file's text. */
export function renderTrace(report: RunReport): string {
  return JSON.stringify({ traceEvents: traceEvents(report), displayTimeUnit: 'ms', otherData: { tool: 'stress-run', startedAt: report.startedAt } }) + '\n';
}

/** Every event of the trace: per suite, its names, its run, its tests and its memory counter. */
export function traceEvents(report: RunReport): TraceEvent[] {
  const events: TraceEvent[] = [];
  // A report without start times (older versions, merges) lays its suites one after another.
  let next = 0;
  report.suites.forEach((r, i) => {
    const pid = i + 1;
    const startMs = r.startedAtMs ?? next;
    next = startMs + r.durationMs;
    events.push(
      { name: 'process_name', ph: 'M', ts: 0, pid, args: { name: r.name } },
      { name: 'process_sort_index', ph: 'M', ts: 0, pid, args: { sort_index: i } },
      { name: 'thread_name', ph: 'M', ts: 0, pid, tid: THREAD, args: { name: 'tests' } },
    );
    // Durations are differences of rounded times, so a test's event never pokes out of its suite's.
    events.push({ name: r.name, cat: 'suite', ph: 'X', ts: us(startMs), dur: us(startMs + r.durationMs) - us(startMs), pid, tid: THREAD, args: suiteArgs(r) });
    events.push(...testEvents(r, startMs, pid));
    let heapMb = 0;
    for (const s of r.samples) {
      // A sample between two probe readings has no heap figure: the series holds its last value.
      if (s.heapUsedBytes !== null) heapMb = mb(s.heapUsedBytes);
      events.push({ name: MEMORY_COUNTER, cat: 'memory', ph: 'C', ts: us(startMs + s.tMs), pid, args: { 'tree RSS MB': mb(s.rssBytes), 'heap used MB': heapMb } });
    }
  });
  return events;
}

function suiteArgs(r: SuiteResult): TraceEvent['args'] {
  return {
    file: r.file,
    verdict: verdictWithTest(r),
    outcome: r.outcome,
    'peak RSS MB': mb(r.peakRssBytes),
    'memory budget MB': r.budget.memoryMb,
    'heap cap MB': r.heapCapMb,
    ...(r.runningTest !== undefined ? { 'running test': r.runningTest } : {}),
  };
}

/**
 * Each test as a complete event inside the suite's: clamped to the suite's run, and cut at the next
 * test's start (concurrent tests would overlap, which the format's viewers cannot nest). A test that
 * never ended lasts to the end of the run.
 */
function testEvents(r: SuiteResult, startMs: number, pid: number): TraceEvent[] {
  const marks = r.testMarks ?? [];
  return marks.map((m, i) => {
    const from = Math.min(m.startMs, r.durationMs);
    const nextStart = i + 1 < marks.length ? Math.max(from, marks[i + 1].startMs) : r.durationMs;
    const to = Math.min(m.endMs ?? r.durationMs, nextStart, r.durationMs);
    return {
      name: m.name,
      cat: 'test',
      ph: 'X',
      ts: us(startMs + from),
      dur: us(startMs + Math.max(from, to)) - us(startMs + from),
      pid,
      tid: THREAD,
      args: { ended: m.endMs !== null },
    };
  });
}
