// Readers of Linux /proc: pure parsers of its text, the tree walk over a parent map, and the two
// reads a run's mark needs (every pid, one process's environment).
import * as fs from 'node:fs';

/** A process's current and peak resident memory from /proc/<pid>/status. */
export function parseStatus(text: string): { rssBytes: number; hwmBytes: number } | null {
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(text);
  if (!rss) return null; // a zombie or kernel thread has no memory lines
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(text);
  const rssBytes = Number(rss[1]) * 1024;
  return { rssBytes, hwmBytes: hwm ? Number(hwm[1]) * 1024 : rssBytes };
}

/** Parent pid and start time (clock ticks since boot) from /proc/<pid>/stat. */
export function parseStat(text: string): { ppid: number; startTime: number } | null {
  // The command name is in parentheses and may itself hold spaces and parentheses.
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  const startTime = Number(fields[19]);
  return Number.isFinite(ppid) && Number.isFinite(startTime) ? { ppid, startTime } : null;
}

/** Every descendant of `root` (root included) in a pid → parent pid map. */
export function descendants(root: number, parentOf: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** True when a /proc/<pid>/environ text (NUL-separated `NAME=value` entries) holds `entry` exactly. */
export function environHas(environ: string, entry: string): boolean {
  return environ.split('\0').includes(entry);
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

/** The second field of /proc/<pid>/schedstat: nanoseconds the task spent runnable but waiting for a core. */
export function parseRunDelayMs(text: string): number | null {
  const ns = Number(text.trim().split(/\s+/)[1]);
  return Number.isFinite(ns) && ns >= 0 ? ns / 1e6 : null;
}

/** How long the process's main thread has waited for a core so far, in ms (Linux run-queue delay); null where unknown. */
export function runDelayMs(pid: number | 'self'): number | null {
  try {
    return parseRunDelayMs(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8'));
  } catch {
    return null;
  }
}
