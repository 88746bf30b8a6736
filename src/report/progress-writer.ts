// Puts live progress on stderr: redrawn in place on a terminal (log-update), one plain line per
// suite start and end elsewhere, nothing with --quiet. Other messages during the run go through
// `log`, so they never break the redrawn lines; `stop` erases them.
import type { Out } from '../base/out';
import type { SuiteResult } from '../base/types';
import { endLine, type LiveSuite, progressLines, startLine } from './progress';
import { isOk } from './verdict';

/** How progress is shown. */
export type ProgressMode = 'live' | 'plain' | 'off';

/** What the run tells progress, and the one way to write other messages while it is shown. */
export interface Progress {
  started(name: string, budgetMb: number): void;
  sample(name: string, rssBytes: number): void;
  /** `name` is the one `started` was given (compare's jobs carry their variant, which the result's name does not). */
  ended(name: string, result: SuiteResult): void;
  /** Writes a message without breaking the live lines. */
  log(text: string): void;
  /** Erases the live lines and stops redrawing. */
  stop(): void;
}

const REDRAW_MS = 200;

/**
 * The size progress is drawn at: the terminal's, or 80 × 24 where it reports 0 or nothing. Some CI
 * terminals and `script` recordings report 0 columns (and 0 rows); log-update takes its width from
 * `stream.columns` and its height from `stream.rows`, so at 0 it drew nothing until the table.
 */
export function drawnSize(stream: { columns?: number; rows?: number }): { columns: number; rows: number } {
  return { columns: stream.columns || 80, rows: stream.rows || 24 };
}

/** `stream` as log-update sees it: the same writes, with `drawnSize`'s columns and rows. */
function sized(stream: Out & { rows?: number }): Out & { rows: number } {
  return {
    write: (text: string) => stream.write(text),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return drawnSize(stream).columns;
    },
    get rows() {
      return drawnSize(stream).rows;
    },
  };
}

/** Starts showing progress for `queued` suites on `stream`. */
export async function createProgress(mode: ProgressMode, stream: Out, queued: number, totalMemoryMb: number | null, now: () => number): Promise<Progress> {
  const running = new Map<string, LiveSuite>();
  const state = { queued, finished: 0, failed: 0 };
  let draw: ((text: string) => void) & { clear(): void; done(): void };
  let timer: NodeJS.Timeout | undefined;

  if (mode === 'live') {
    const { createLogUpdate } = await import('log-update');
    // The cursor stays visible: nothing to restore if stress-run dies between two frames.
    draw = createLogUpdate(sized(stream) as unknown as NodeJS.WriteStream, { showCursor: true });
    timer = setInterval(() => render(), REDRAW_MS);
    timer.unref();
  }
  const render = (): void => {
    if (mode !== 'live' || timer === undefined) return;
    const lines = progressLines({ ...state, running: [...running.values()], totalMemoryMb }, now(), Math.max(20, drawnSize(stream).columns - 1));
    draw(lines.join('\n'));
  };

  return {
    started(name, budgetMb) {
      state.queued = Math.max(0, state.queued - 1);
      running.set(name, { name, startedAtMs: now(), rssBytes: 0, budgetMb });
      if (mode === 'plain') stream.write(startLine(name));
      render();
    },
    sample(name, rssBytes) {
      const suite = running.get(name);
      if (suite) suite.rssBytes = rssBytes;
    },
    ended(name, result) {
      running.delete(name);
      state.finished++;
      if (!isOk(result)) state.failed++;
      if (mode === 'plain') stream.write(endLine(result));
      render();
    },
    log(text) {
      if (mode === 'live' && timer !== undefined) draw.clear();
      stream.write(text);
      render();
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      draw.clear();
    },
  };
}
