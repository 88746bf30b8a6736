// Live progress, rendered: what is running, for how long, at what RSS against its budget, and the
// totals. Pure text; the writer (progress-writer.ts) puts it on stderr.
import type { SuiteResult } from '../base/types';
import { writeName } from './escape';
import { isOk, verdict } from './verdict';
import { toMb, toSeconds } from '../base/units';

/** A suite running now, as progress shows it. */
export interface LiveSuite {
  name: string;
  startedAtMs: number;
  /** The RSS of its process tree at the last sample. */
  rssBytes: number;
  budgetMb: number;
}

/** Where the run is. */
export interface ProgressState {
  queued: number;
  finished: number;
  /** Finished suites that did not pass within budget. */
  failed: number;
  running: LiveSuite[];
  /** The shared total with --parallel, else null. */
  totalMemoryMb: number | null;
}

/** The lines redrawn in place on a terminal: one per running suite, then the totals, each cut to `width` columns. */
export function progressLines(state: ProgressState, nowMs: number, width: number): string[] {
  const nameWidth = Math.min(40, Math.max(0, ...state.running.map((r) => [...writeName(r.name)].length)));
  const lines = state.running.map((r) => {
    const seconds = `${toSeconds(Math.max(0, nowMs - r.startedAtMs))} s`.padStart(7);
    const memory = `${toMb(r.rssBytes)}/${r.budgetMb} MB`.padStart(13);
    return `  ▶ ${fit(writeName(r.name), nameWidth).padEnd(nameWidth)} ${seconds} ${memory}`;
  });
  const total = state.running.reduce((sum, r) => sum + r.rssBytes, 0);
  const against = state.totalMemoryMb === null ? `${toMb(total)} MB` : `${toMb(total)}/${state.totalMemoryMb} MB`;
  const failed = state.failed ? ` (${state.failed} not ok)` : '';
  lines.push(`${state.running.length} running · ${state.queued} queued · ${state.finished} finished${failed} · RSS ${against}`);
  return lines.map((line) => fit(line, width));
}

/** The plain line when a suite starts (without a terminal, or in CI). */
export function startLine(name: string): string {
  return `▶ ${writeName(name)}\n`;
}

/** The plain line when a suite ends: mark, name, verdict, peak and time. */
export function endLine(result: SuiteResult): string {
  return `${isOk(result) ? '✓' : '✗'} ${writeName(result.name)} ${verdict(result)} · ${result.measuredIn === 'pool' ? '~' : ''}${toMb(result.peakRssBytes)} MB · ${toSeconds(result.durationMs)} s\n`;
}

// Cut to a width in characters (not bytes), ending in … when cut.
function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}
