// Preloaded into every Node process of a suite's tree (NODE_OPTIONS=--require …) to record exact
// memory figures. It never prints, never throws, and never keeps a process alive: its timer is
// unref'd and every write is guarded. Lines go to <STRESS_RUN_PROBE_DIR>/<pid>.jsonl:
//   {"start":true,"pid":…,"heapLimitBytes":…}   once, at start (so a process that dies abruptly is still known)
//   {"t":ms,"heapUsed":n}                      a heap sample, every PROBE_INTERVAL_MS while the loop is free
//   {"exit":true,"pid":…,"maxRssBytes":…,…}     once, at a normal exit: the kernel's high-water mark and V8 peaks
// Under a heap cap it also sets V8's --heap-growing-percent=300 (see heapGrowingFlag in node-options).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { heapGrowingFlag } from './node-options';

const PROBE_INTERVAL_MS = 100;

function startProbe(dir: string): void {
  const file = path.join(dir, `${process.pid}.jsonl`);
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

  const sample = (): void => {
    const m = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    write({ t: Date.now(), heapUsed: m.heapUsed });
  };

  const who = { pid: process.pid, ppid: process.ppid, command: process.argv.slice(0, 3).join(' ') };
  write({ start: true, ...who, heapLimitBytes: v8.getHeapStatistics().heap_size_limit });
  sample();
  setInterval(sample, PROBE_INTERVAL_MS).unref();

  process.on('exit', () => {
    try {
      sample();
      write({
        exit: true,
        ...who,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
        heapUsedPeakBytes: peak.heapUsed,
        heapTotalPeakBytes: peak.heapTotal,
        externalPeakBytes: peak.external,
        arrayBuffersPeakBytes: peak.arrayBuffers,
      });
    } catch {
      // never let the probe change how a process exits
    }
  });
}

// --require also runs in every worker thread; the process's figures belong to its main thread only.
const probeDir = process.env.STRESS_RUN_PROBE_DIR;
if (probeDir && isMainThread) startProbe(probeDir);

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
