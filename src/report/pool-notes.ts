// The notes under the table of a pool run (--isolation pool or auto): what the ~ means, which files
// ran again alone and why, each worker's settled heap after every file as a sparkline, the files that
// left the most behind in their worker, and a workerIdleMemoryLimit to suggest.
import * as path from 'node:path';
import type { createColors } from 'picocolors';
import type { RunReport } from '../base/types';
import { MB, toMb } from '../base/units';
import { growthOf, leftBehind } from '../forensics/isolation';
import { escapeControl } from './escape';
import { sparkline } from './sparkline';

/** Files that left less than this behind are not named. */
const NAMED_ABOVE_BYTES = 1 * MB;

const mb1 = (bytes: number): string => (bytes / MB).toFixed(1);

/** The prefix of a row's peak: `~` when it is a pool estimate. */
export function estimateMark(measuredIn: 'file' | 'pool' | undefined): string {
  return measuredIn === 'pool' ? '~' : '';
}

/** Lines for under the table; none for a run that isolated every file (--isolation file). */
export function poolNotes(report: RunReport, c: ReturnType<typeof createColors>): string[] {
  const iso = report.isolation;
  if (!iso) return [];
  const lines: string[] = [''];
  if (report.suites.some((s) => s.measuredIn === 'pool')) {
    lines.push(
      c.dim(
        `~ an estimate: the file ran in a pool worker among other files (--isolation ${iso.mode}); its figure is a fresh worker's RSS plus what the worker's RSS rose during the file, never less than the heap the file took.` +
          (report.suites.some((s) => s.measuredIn === 'file') ? ' Rows without ~ were measured alone, in a process of their own.' : ''),
      ),
    );
  }
  if (iso.confirmed.length) {
    lines.push(`run again alone for an exact figure: ${iso.confirmed.map((x) => `${escapeControl(x.name)} (${escapeControl(x.why)})`).join('; ')}`);
  } else if (iso.mode === 'auto') {
    lines.push('run again alone for an exact figure: none (no estimate near a budget, unreliable, failed or in a worker that died)');
  }
  const byFile = new Map(report.suites.map((s) => [s.file, s.name]));
  const nameOf = (file: string): string => {
    const named = [...byFile.entries()].find(([f]) => path.resolve(f) === file);
    return escapeControl(named ? named[1] : path.basename(file));
  };
  if (iso.history.length) {
    lines.push('pool workers, settled heap after each file:');
    for (const w of iso.history) {
      const heaps = [w.baselineHeapBytes, ...w.files.map((f) => f.heapAfterGcBytes)];
      const last = w.files[w.files.length - 1];
      const figures = last
        ? `${toMb(w.baselineHeapBytes)} → ${toMb(last.heapAfterGcBytes)} MB heap · RSS ${toMb(w.baselineRssBytes)} → ${toMb(last.rssBytes)} MB`
        : `${toMb(w.baselineHeapBytes)} MB heap · RSS ${toMb(w.baselineRssBytes)} MB`;
      const ended =
        w.ended === 'died' && w.diedIn
          ? c.red(` · died in ${nameOf(w.diedIn.file)}${w.diedIn.test ? `, test “${escapeControl(w.diedIn.test)}”` : ', before its first test'}`)
          : w.ended === 'died'
            ? c.red(' · died between two files (something its last file left running)')
            : w.ended === 'recycled'
              ? ` · recycled: its settled heap went over the ${iso.workerMemoryLimitMb} MB worker memory limit`
              : w.ended === 'stopped'
                ? ' · stopped'
                : '';
      const runs = report.isolation!.history.some((h) => h.run > 1) ? ` (run ${w.run})` : '';
      lines.push(`  worker ${w.worker}${runs}: ${c.dim(sparkline(heaps, 24))} ${figures} · ${w.files.length} file${w.files.length === 1 ? '' : 's'}${ended}`);
    }
  }
  const left = leftBehind(report.suites).filter((l) => l.leftInWorkerBytes >= NAMED_ABOVE_BYTES);
  if (left.length) {
    const share = (s: number | null): string => (s === null ? '' : ` (${Math.round(s * 100)}% of its worker's growth)`);
    lines.push(`left the most behind in their worker: ${left.map((l) => `${escapeControl(l.name)} ${mb1(l.leftInWorkerBytes)} MB${share(l.shareOfGrowth)}`).join(', ')}`);
  } else if (iso.history.some((w) => w.files.length)) {
    const grew = Math.max(0, ...iso.history.map(growthOf));
    lines.push(`no file left 1 MB or more behind in its worker (the most a worker's settled heap grew: ${mb1(grew)} MB)`);
  }
  if (iso.suggestedWorkerIdleMemoryLimitMb !== null) {
    const own = iso.workerMemoryLimitMb === null ? 'none is set' : `in force: ${iso.workerMemoryLimitMb} MB`;
    lines.push(`suggested workerIdleMemoryLimit: ${iso.suggestedWorkerIdleMemoryLimitMb} MB (1.5 × the median heap in use after a file, as Jest measures it, less what earlier files left in the worker; ${own})`);
  }
  return lines;
}
