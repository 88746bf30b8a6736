// The mark every process of one suite run carries, whatever it does to leave the tree: an
// environment variable with the run's id, inherited by every child (a double fork and setsid do not
// shed it; only a deliberate `env -i` does). /proc/<pid>/environ shows it from outside.
import * as fs from 'node:fs';
import { environHas } from './proc';

/** The variable that marks a suite run's processes. */
export const RUN_MARK_ENV = 'STRESS_RUN_ID';

/** The `NAME=value` entry a marked process's environment holds. */
export function runMark(runId: string): string {
  return `${RUN_MARK_ENV}=${runId}`;
}

/** Every pid /proc lists now (Linux); empty elsewhere. */
export function listPids(): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (Number.isInteger(pid)) pids.push(pid);
  }
  return pids;
}

/** True when the process's environment holds `mark` (false when gone or not readable). */
export function hasMark(pid: number, mark: string): boolean {
  try {
    return environHas(fs.readFileSync(`/proc/${pid}/environ`, 'latin1'), mark);
  } catch {
    return false;
  }
}
