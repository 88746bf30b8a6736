// The heap floor as people read it: one row per suite (floor, the cap that ran out of heap, the
// configured cap or else the memory budget, headroom, tries, time), the one-line way to reproduce the OOM, and each try in --verbose.
import { createColors } from 'picocolors';
import type { FloorTry, RunReport, SuiteResult } from '../base/types';
import { floorStepMb } from '../forensics/floor-plan';
import { terminalTable } from './table';
import { escapeControl, namesOf, writeName } from './escape';
import { toMb, toSeconds } from '../base/units';

/**
 * What a suite's headroom is measured against: its configured heap cap, else its memory budget (what
 * the search started from; `budget: true`); null with `--max-heap none`.
 */
export type CapOf = (suite: string) => { mb: number; budget: boolean } | null;

/** Cap ÷ floor, with two digits: how many times the floor the configured cap allows. */
export function headroom(capMb: number, floorMb: number): number {
  return Math.round((capMb / floorMb) * 100) / 100;
}

/** The highest cap under the floor that ran out of heap, if the search saw one. */
export function failingCap(r: SuiteResult): number | null {
  const floor = r.heapFloorMb;
  if (floor === null || floor === undefined) return null;
  const below = (r.floorTries ?? []).filter((t) => t.outcome !== 'passed' && t.capMb < floor).map((t) => t.capMb);
  return below.length ? Math.max(...below) : null;
}

/**
 * The cap to name for reproducing the OOM: near the floor a run can go either way, so the highest cap
 * that ran out of heap every time it was tried at least two steps under the floor (see floorStepMb),
 * else the failing cap itself.
 */
export function reproduceCap(r: SuiteResult): number | null {
  const failing = failingCap(r);
  const floor = r.heapFloorMb;
  if (failing === null || floor === null || floor === undefined) return null;
  const tries = r.floorTries ?? [];
  const margin = floor - 2 * floorStepMb(floor);
  const steady = tries.filter((t) => t.capMb <= margin && tries.every((u) => u.capMb !== t.capMb || u.outcome === 'oom')).map((t) => t.capMb);
  return steady.length ? Math.max(...steady) : failing;
}

const triesMs = (r: SuiteResult): number => (r.floorTries ?? []).reduce((sum, t) => sum + t.durationMs, 0);

/** The floor table, a summary line, and under it how to reproduce each OOM and why a floor is missing. */
export function renderFloorTable(report: RunReport, capOf: CapOf, options: { color: boolean }): string {
  const c = createColors(options.color);
  const table = terminalTable(['suite', 'heap floor', 'OOM at', 'cap or budget', 'headroom', 'tries', 'time s'], c, ['left', 'right', 'right', 'right', 'right', 'right', 'right']);
  const notes: string[] = [];
  for (const r of report.suites) {
    const floor = r.heapFloorMb ?? null;
    const cap = capOf(r.name);
    const failing = failingCap(r);
    const room = floor !== null && cap !== null ? headroom(cap.mb, floor) : null;
    const roomCell = room === null ? '-' : `${room.toFixed(2)}×`;
    const name = writeName(r.name);
    table.push([
      name,
      floor === null ? c.red('none') : `${floor} MB`,
      failing === null ? '-' : `${failing} MB`,
      cap === null ? 'none' : `${cap.mb} MB${cap.budget ? ' budget' : ''}`,
      room !== null && room < 1.2 ? c.yellow(roomCell) : roomCell,
      String(r.floorTries?.length ?? 0),
      toSeconds(triesMs(r)),
    ]);
    if (floor === null) notes.push(`${c.bold(name)}: ${c.red('no heap floor')}: ${escapeControl(r.message ?? 'the search did not finish', { lines: true, names: namesOf(r) })}`);
    else if (failing === null) notes.push(`${c.bold(name)}: passes even at ${floor} MB, the lowest cap tried; lower --min-heap to search further`);
    else {
      const again = reproduceCap(r)!;
      // The cap named to reproduce differs from the OOM reported only for a reason, said in one sentence.
      const why = again === failing ? '' : ` (not ${failing}: that close to the floor a run can go either way; ${again} MB ran out of heap every time it was tried)`;
      notes.push(`${c.bold(name)}: passes at ${floor} MB, runs out of heap at ${failing} MB · reproduce: stress-run --suite ${name} --max-heap ${again}${why}`);
    }
  }
  const found = report.suites.filter((r) => r.heapFloorMb !== null && r.heapFloorMb !== undefined).length;
  const tries = report.suites.reduce((sum, r) => sum + (r.floorTries?.length ?? 0), 0);
  const summary = `${found}/${report.suites.length} heap floors found · ${tries} tries · ${toSeconds(report.durationMs)} s`;
  return [table.toString(), summary, '', ...notes].join('\n') + '\n';
}

/** One try of the search, for --verbose: `kb-accuracy try 3: 158 MB → passed · peak 181 MB · 2.1 s`. */
export function floorTryLine(suite: string, index: number, t: FloorTry): string {
  return `${suite} try ${index + 1}: ${t.capMb} MB → ${t.outcome === 'oom' ? 'out of heap' : t.outcome} · peak ${toMb(t.peakRssBytes)} MB · ${toSeconds(t.durationMs)} s\n`;
}
