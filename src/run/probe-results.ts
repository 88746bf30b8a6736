import type { ProcessPeak, Sample } from '../types';
import { maskSecrets } from './mask-secrets';
import type { TreeMemory } from './tree-memory';

/** What the probe recorded for one process at exit. */
export interface ProbeExit {
  pid: number;
  ppid: number;
  command: string;
  maxRssBytes: number;
  heapLimitBytes: number;
  heapUsedPeakBytes: number;
}

/** What the probe recorded as a process started. */
export interface ProbeStart {
  pid: number;
  ppid: number;
  command: string;
  heapLimitBytes: number;
}

/** One process's probe file: its start record, heap samples (epoch ms) and, if it exited normally, its exit record. */
export interface ProbeFile {
  pid: number;
  start: ProbeStart | null;
  heap: Array<{ t: number; heapUsed: number }>;
  exit: ProbeExit | null;
}

/** Parses one <pid>.jsonl probe file; a line cut short by a sudden death is skipped. */
export function parseProbeFile(pid: number, text: string): ProbeFile {
  const file: ProbeFile = { pid, start: null, heap: [], exit: null };
  for (const line of text.split('\n')) {
    if (!line) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (record.start === true) file.start = record as unknown as ProbeStart;
    else if (record.exit === true) file.exit = record as unknown as ProbeExit;
    else if (typeof record.t === 'number' && typeof record.heapUsed === 'number') {
      file.heap.push({ t: record.t, heapUsed: record.heapUsed });
    }
  }
  return file;
}

// A process whose last heap sample is older than this at a given moment is taken to be gone.
const STALE_HEAP_MS = 1000;

/** Heap used by the whole tree at an epoch time: the sum of each live process's latest sample. */
export function heapAt(probes: ProbeFile[], epochMs: number): number | null {
  let sum = 0;
  let known = false;
  for (const probe of probes) {
    let latest: number | null = null;
    let latestT = -Infinity;
    for (const s of probe.heap) {
      if (s.t > epochMs) break;
      latest = s.heapUsed;
      latestT = s.t;
    }
    if (latest !== null && epochMs - latestT <= STALE_HEAP_MS) {
      sum += latest;
      known = true;
    }
  }
  return known ? sum : null;
}

/** Joins what was watched from outside with what the probe saw inside into the figures reported. */
export function mergeMeasurements(
  tree: TreeMemory,
  probes: ProbeFile[],
  spawnEpochMs: number,
): { peakRssBytes: number; processes: ProcessPeak[]; samples: Sample[] } {
  const byPid = new Map<number, ProcessPeak>();
  for (const p of tree.processes) {
    byPid.set(p.pid, { ...p, heapLimitBytes: null, heapUsedPeakBytes: null });
  }
  for (const probe of probes) {
    const seen = byPid.get(probe.pid);
    const { start, exit } = probe;
    const heapPeak = probe.heap.reduce((max, s) => Math.max(max, s.heapUsed), 0) || null;
    byPid.set(probe.pid, {
      pid: probe.pid,
      ppid: seen?.ppid ?? start?.ppid ?? exit?.ppid ?? null,
      command: seen?.command || start?.command || exit?.command || '',
      // The kernel's high-water mark at exit covers any spike after the last sample.
      peakRssBytes: Math.max(seen?.peakRssBytes ?? 0, exit?.maxRssBytes ?? 0),
      heapLimitBytes: exit?.heapLimitBytes ?? start?.heapLimitBytes ?? null,
      heapUsedPeakBytes: exit ? Math.max(exit.heapUsedPeakBytes, heapPeak ?? 0) : heapPeak,
    });
  }
  const processes = [...byPid.values()].map((p) => ({ ...p, command: maskSecrets(p.command) })).sort((a, b) => a.pid - b.pid);
  const samples = tree.samples.map((s) => ({ ...s, heapUsedBytes: heapAt(probes, spawnEpochMs + s.tMs) }));
  // The tree's peak: its highest summed sample, and never below one process's kernel high-water mark.
  const sampledPeak = tree.samples.reduce((max, s) => Math.max(max, s.rssBytes), 0);
  const singlePeak = processes.reduce((max, p) => Math.max(max, p.peakRssBytes), 0);
  return { peakRssBytes: Math.max(sampledPeak, singlePeak), processes, samples };
}
