// Preloaded into every Node process of a suite's tree (NODE_OPTIONS=--require …) to record exact
// memory figures. It never prints, never throws, and never keeps a process alive: its timer is
// unref'd and every write is guarded. Lines go to <STRESS_RUN_PROBE_DIR>/<pid>.jsonl:
//   {"start":true,"pid":…,"heapLimitBytes":…}   once, at start (so a process that dies abruptly is still known)
//   {"t":ms,"heapUsed":n,"rss":n,"external":n,"arrayBuffers":n,"nativeContexts":n,"detachedContexts":n}
//                                              a sample, every PROBE_INTERVAL_MS while the loop is free: one
//                                              process.memoryUsage() and V8's context counts, taken together
//   {"exit":true,"pid":…,"maxRssBytes":…,…}     once, at a normal exit: the kernel's high-water mark, V8 peaks,
//                                              the same breakdown as a sample at that moment (atExit), and
//                                              the ms its main thread waited for a core (runDelayMs, Linux)
// A process that dies of a fatal error (V8 out of heap) cannot write an exit record: Node writes its
// diagnostic report, <pid>.fatal.json, into the same folder instead, so the parent knows which process
// of the tree ran out of heap even when its stderr went elsewhere.
// With STRESS_RUN_SNAPSHOT_AT=<bytes> and STRESS_RUN_SNAPSHOT_DIR (--why-oom's second run), the first
// sample that finds the heap at or above that size also writes one heap snapshot,
// <STRESS_RUN_SNAPSHOT_DIR>/<pid>.heapsnapshot, while the raised cap still leaves V8 room to write it.
// Under a heap cap it also sets V8's --heap-growing-percent=300 (see heapGrowingFlag in node-options).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { heapGrowingFlag } from '../base/node-options';
import { runDelayMs } from '../base/proc';
import { FATAL_REPORT_SUFFIX, PROBE_DIR_ENV, SNAPSHOT_AT_ENV, SNAPSHOT_DIR_ENV } from './protocol';

const PROBE_INTERVAL_MS = 100;

function startProbe(dir: string, snapshot: { atBytes: number; dir: string | undefined }): void {
  const file = path.join(dir, `${process.pid}.jsonl`);
  let snapshotTaken = !(snapshot.atBytes > 0 && snapshot.dir);
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  let broken = false;

  const write = (line: object): void => {
    if (broken) return;
    try {
      fs.appendFileSync(file, JSON.stringify(line) + '\n');
    } catch {
      broken = true; // a vanished run folder must not disturb the suite
    }
  };

  // One moment's figures, RSS and what V8 knows of it, read back to back so that they add up.
  const sample = (): object => {
    const m = process.memoryUsage();
    const h = v8.getHeapStatistics();
    const b = {
      t: Date.now(),
      heapUsed: m.heapUsed,
      rss: m.rss,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      nativeContexts: h.number_of_native_contexts,
      detachedContexts: h.number_of_detached_contexts,
    };
    peak.heapUsed = Math.max(peak.heapUsed, b.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, b.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, b.arrayBuffers);
    write(b);
    if (!snapshotTaken && b.heapUsed >= snapshot.atBytes) {
      snapshotTaken = true;
      try {
        v8.writeHeapSnapshot(path.join(snapshot.dir!, `${process.pid}.heapsnapshot`));
      } catch {
        // no snapshot, then; the suite goes on as it would
      }
    }
    return b;
  };

  try {
    process.report.directory = dir;
    process.report.filename = `${process.pid}${FATAL_REPORT_SUFFIX}`;
    process.report.compact = true;
    process.report.reportOnFatalError = true;
  } catch {
    // no report, then: an OOM of this process is known from its stderr only
  }

  const who = { pid: process.pid, ppid: process.ppid, command: process.argv.slice(0, 3).join(' ') };
  write({ start: true, ...who, heapLimitBytes: v8.getHeapStatistics().heap_size_limit });
  sample();
  setInterval(sample, PROBE_INTERVAL_MS).unref();

  process.on('exit', () => {
    try {
      const atExit = sample();
      write({
        exit: true,
        ...who,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
        heapUsedPeakBytes: peak.heapUsed,
        heapTotalPeakBytes: peak.heapTotal,
        externalPeakBytes: peak.external,
        arrayBuffersPeakBytes: peak.arrayBuffers,
        // Linux: how long the main thread waited for a core in all (a neighbour's cost, not its own).
        runDelayMs: runDelayMs('self') ?? undefined,
        atExit,
      });
    } catch {
      // never let the probe change how a process exits
    }
  });
}

// --require also runs in every worker thread; the process's figures belong to its main thread only.
const probeDir = process.env[PROBE_DIR_ENV];
if (probeDir && isMainThread) {
  startProbe(probeDir, { atBytes: Number(process.env[SNAPSHOT_AT_ENV] ?? 0), dir: process.env[SNAPSHOT_DIR_ENV] });
}

// Under stress-run's heap cap, V8 would grow the old generation in small steps: restore its usual growth.
if (probeDir && isMainThread) {
  const flag = heapGrowingFlag(process.version, process.env.NODE_OPTIONS);
  if (flag) {
    try {
      v8.setFlagsFromString(flag);
    } catch {
      // a V8 without the flag: the cap's own cost stays, nothing else changes
    }
  }
}
