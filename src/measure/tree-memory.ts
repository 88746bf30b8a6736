import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import pidusage from 'pidusage';
import { descendants, parseStat, parseStatus } from '../base/proc';
import { hasMark, listPids } from '../base/proc';
import { cgroupPids } from '../base/cgroup';

/** Peak memory of one process, as seen from outside. */
export interface WatchedProcess {
  pid: number;
  ppid: number | null;
  command: string;
  peakRssBytes: number;
}

/** What watching a process tree found: the summed-RSS timeline and each process's peak. */
export interface TreeMemory {
  samples: Array<{ tMs: number; rssBytes: number }>;
  processes: WatchedProcess[];
}

export interface TreeWatch {
  /** Every pid seen in the tree that may still be alive (to kill leftovers); on Linux the tree is read again first. */
  pids(): number[];
  /** How many processes the tree has held so far, dead ones included (a pool worker's file that spawned processes adds to it). */
  seen(): number;
  stop(): TreeMemory;
}

export interface WatchOptions {
  /** How often RSS is summed over the tree. */
  sampleMs: number;
  /** How often the tree itself is re-read (costlier: a scan of every process). */
  treeMs: number;
  /** performance.now() at spawn: sample times are relative to it. */
  startedAtMs: number;
  now: () => number;
  /** The `NAME=value` environment entry every process of the run carries (Linux): it finds a daemon that left the tree. */
  mark: string | null;
  /** The suite's cgroup v2 folder, where it has one: every process in it is the suite's, marked or not, in the tree or not. */
  cgroup?: string | null;
  /** The pids that existed before the suite was spawned (pidsBefore()): the first scan reads only newer ones. */
  before: Set<number> | null;
  /** Called with the tree's summed RSS at every sample (the live memory guard). */
  onSample?: (rssBytes: number) => void;
}

/** The pids alive now, taken just before a spawn so the watcher's first scan reads only processes started after it. */
export function pidsBefore(): Set<number> {
  return new Set(listPids());
}

interface Tracked extends WatchedProcess {
  startTime: number | null;
  alive: boolean;
}

/** Starts sampling the memory of `rootPid` and all its descendants. */
export function watchTree(rootPid: number, options: WatchOptions): TreeWatch {
  return process.platform === 'linux' ? watchLinux(rootPid, options) : watchPortable(rootPid, options);
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  const raw = readText(`/proc/${pid}/cmdline`);
  return raw ? raw.split('\0').filter(Boolean).join(' ').slice(0, 300) : '';
}

/** Samples now and every `sampleMs` until stopped; the timer never keeps stress-run alive. */
function startSampling(
  sample: () => void,
  sampleMs: number,
  tracked: Map<number, Tracked>,
  samples: TreeMemory['samples'],
  release: () => void,
  retired: Tracked[] = [],
  rescan: (() => void) | null = null,
): TreeWatch {
  sample();
  const timer = setInterval(sample, sampleMs);
  timer.unref();
  return {
    pids: () => {
      rescan?.();
      return [...tracked.values()].filter((p) => p.alive).map((p) => p.pid);
    },
    seen: () => retired.length + tracked.size,
    stop: () => {
      clearInterval(timer);
      release();
      return summarise([...retired, ...tracked.values()], samples);
    },
  };
}

function summarise(tracked: Iterable<Tracked>, samples: TreeMemory['samples']): TreeMemory {
  return { samples, processes: [...tracked].map(({ pid, ppid, command, peakRssBytes }) => ({ pid, ppid, command, peakRssBytes })) };
}

// Linux: /proc/<pid>/status gives both current RSS and the kernel's high-water mark (VmHWM). Each
// process's status file is opened once and re-read in place (about half the cost of opening it every
// time, and the descriptor stays tied to that process even if its pid is reused). The tree comes from
// /proc/*/stat, read less often, and only for pids the previous scan did not list (a new descendant
// is a new process) and those already in the tree; the first scan skips every pid listed just before
// the spawn. Pid order says nothing: pids wrap around, and on a machine with pid_max 32768 they do so
// often. A pid that dies and is reused between two listings (250 ms; the spawn and the first scan)
// would be missed as new; the root is read always, and the run's mark catches the rest of its tree.
// A new pid outside the tree is still the suite's when its environment carries the run's mark: a
// daemon that double-forked and left the session between two scans.
// Where the suite has a cgroup of its own, every pid its cgroup.procs lists is the suite's too, also
// one that cleared its environment first (env -i) and so carries no mark.
const STATUS_BUFFER = Buffer.alloc(16 * 1024);
/** Listings (250 ms apart) at which a new process's command line is read again while it shows its parent's. */
const UNSETTLED_LISTINGS = 8;

function watchLinux(rootPid: number, options: WatchOptions): TreeWatch {
  const tracked = new Map<number, Tracked & { fd: number | null }>();
  const retired: Tracked[] = [];
  const samples: TreeMemory['samples'] = [];
  const treeEvery = Math.max(1, Math.round(options.treeMs / options.sampleMs));
  let tick = 0;
  let listedBefore = options.before ?? new Set<number>();

  // A process caught between fork and exec still shows its parent's command line: it is read again
  // at the next listings while it still shows its parent's (on a loaded machine the exec can take
  // longer than one listing), up to UNSETTLED_LISTINGS times (a fork that never execs keeps it).
  const unsettled = new Map<number, number>();
  const track = (pid: number, ppid: number | null, startTime: number): void => {
    const known = tracked.get(pid);
    if (known?.startTime === startTime) {
      const left = unsettled.get(pid);
      if (left === undefined) return;
      known.command = commandOf(pid) || known.command;
      // The root's parent is stress-run itself.
      const parentCommand = ppid === null ? undefined : (tracked.get(ppid)?.command ?? (ppid === process.pid ? commandOf(ppid) : undefined));
      if (left <= 1 || known.command !== parentCommand) unsettled.delete(pid);
      else unsettled.set(pid, left - 1);
      return;
    }
    // A reused pid: the earlier process keeps its own figures.
    if (known) {
      closeFd(known);
      retired.push(known);
    }
    tracked.set(pid, { pid, ppid, command: commandOf(pid), peakRssBytes: 0, startTime, alive: true, fd: openStatus(pid) });
    unsettled.set(pid, UNSETTLED_LISTINGS);
  };

  const refreshTree = (): void => {
    const listed = new Set<number>();
    const fresh: number[] = [];
    const parentOf = new Map<number, number>();
    const startOf = new Map<number, number>();
    for (const pid of listPids()) {
      listed.add(pid);
      const isNew = !listedBefore.has(pid);
      if (!isNew && !tracked.has(pid) && pid !== rootPid) continue;
      const stat = readText(`/proc/${pid}/stat`);
      const parsed = stat ? parseStat(stat) : null;
      if (!parsed) continue;
      parentOf.set(pid, parsed.ppid);
      startOf.set(pid, parsed.startTime);
      if (isNew) fresh.push(pid);
    }
    listedBefore = listed;
    // Processes seen before stay in the tree after their parent dies and they are re-parented.
    const roots = [rootPid, ...[...tracked.values()].filter((p) => p.alive).map((p) => p.pid)];
    const inTree = new Set<number>();
    for (const root of roots) {
      for (const pid of descendants(root, parentOf)) {
        const startTime = startOf.get(pid);
        if (startTime === undefined) continue;
        inTree.add(pid);
        track(pid, parentOf.get(pid) ?? null, startTime);
      }
    }
    if (options.cgroup) {
      for (const pid of cgroupPids(options.cgroup)) {
        if (inTree.has(pid) || pid === process.pid) continue;
        inTree.add(pid);
        let startTime = startOf.get(pid);
        let ppid = parentOf.get(pid) ?? null;
        if (startTime === undefined) {
          const parsed = parseStat(readText(`/proc/${pid}/stat`) ?? '');
          if (!parsed) continue;
          ({ startTime, ppid } = parsed);
        }
        track(pid, ppid, startTime);
      }
    }
    if (options.mark === null) return;
    for (const pid of fresh) {
      if (!inTree.has(pid) && pid !== process.pid && hasMark(pid, options.mark)) track(pid, parentOf.get(pid) ?? null, startOf.get(pid)!);
    }
  };

  const sample = (): void => {
    if (tick++ % treeEvery === 0) refreshTree();
    let sum = 0;
    for (const p of tracked.values()) {
      if (!p.alive) continue;
      const mem = p.fd === null ? null : readStatus(p.fd);
      if (!mem) {
        p.alive = false;
        closeFd(p);
        continue;
      }
      sum += mem.rssBytes;
      p.peakRssBytes = Math.max(p.peakRssBytes, mem.hwmBytes, mem.rssBytes);
    }
    if (sum > 0) samples.push({ tMs: Math.round(options.now() - options.startedAtMs), rssBytes: sum });
    options.onSample?.(sum);
  };

  return startSampling(
    sample,
    options.sampleMs,
    tracked,
    samples,
    () => {
      for (const p of tracked.values()) closeFd(p);
    },
    retired,
    refreshTree,
  );
}

function openStatus(pid: number): number | null {
  try {
    return fs.openSync(`/proc/${pid}/status`, 'r');
  } catch {
    return null;
  }
}

function readStatus(fd: number): ReturnType<typeof parseStatus> {
  try {
    const n = fs.readSync(fd, STATUS_BUFFER, 0, STATUS_BUFFER.length, 0);
    return parseStatus(STATUS_BUFFER.toString('latin1', 0, n));
  } catch {
    return null; // the process is gone (ESRCH)
  }
}

function closeFd(p: { fd: number | null }): void {
  if (p.fd === null) return;
  try {
    fs.closeSync(p.fd);
  } catch {
    // already closed
  }
  p.fd = null;
}

// Elsewhere (macOS, Windows): pidusage samples RSS; `ps` lists the tree (not on Windows, where only
// the Jest process itself is measured). There is no kernel high-water mark from outside here: the
// probe's at-exit figure fills that in for Node processes.
function watchPortable(rootPid: number, options: WatchOptions): TreeWatch {
  const tracked = new Map<number, Tracked>();
  tracked.set(rootPid, { pid: rootPid, ppid: process.pid, command: '', peakRssBytes: 0, startTime: null, alive: true });
  const samples: TreeMemory['samples'] = [];
  let busy = false;
  let lastTreeMs = -Infinity;

  const refreshTree = (): void => {
    if (process.platform === 'win32') return;
    execFile('ps', ['-A', '-o', 'pid=,ppid='], (error, stdout) => {
      if (error) return;
      const parentOf = new Map<number, number>();
      for (const line of stdout.split('\n')) {
        const [pid, ppid] = line.trim().split(/\s+/).map(Number);
        if (Number.isInteger(pid) && Number.isInteger(ppid)) parentOf.set(pid, ppid);
      }
      for (const pid of descendants(rootPid, parentOf)) {
        if (!tracked.has(pid)) {
          tracked.set(pid, { pid, ppid: parentOf.get(pid) ?? null, command: '', peakRssBytes: 0, startTime: null, alive: true });
        }
      }
    });
  };

  const sample = (): void => {
    if (busy) return;
    const now = options.now();
    if (now - lastTreeMs >= options.treeMs) {
      lastTreeMs = now;
      refreshTree();
    }
    const live = [...tracked.values()].filter((p) => p.alive);
    busy = true;
    Promise.all(
      live.map((p) =>
        pidusage(p.pid).then(
          (stat) => {
            p.peakRssBytes = Math.max(p.peakRssBytes, stat.memory);
            return stat.memory;
          },
          () => {
            p.alive = false;
            return 0;
          },
        ),
      ),
    )
      .then((rss) => {
        const sum = rss.reduce((a, b) => a + b, 0);
        if (sum > 0) samples.push({ tMs: Math.round(now - options.startedAtMs), rssBytes: sum });
        options.onSample?.(sum);
      })
      .finally(() => {
        busy = false;
      });
  };

  return startSampling(sample, options.sampleMs, tracked, samples, () => pidusage.clear());
}
