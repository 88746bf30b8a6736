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
  return heapTimeline(probes, [epochMs])[0];
}

/**
 * heapAt for each of `epochTimes` (ascending), in one pass: a cursor per probe moves forward only, so
 * the cost is linear in the samples, not their product (an hour-long suite has tens of thousands).
 */
export function heapTimeline(probes: ProbeFile[], epochTimes: number[]): Array<number | null> {
  const cursors = probes.map(() => -1);
  return epochTimes.map((epochMs) => {
    let sum = 0;
    let known = false;
    probes.forEach((probe, i) => {
      while (cursors[i] + 1 < probe.heap.length && probe.heap[cursors[i] + 1].t <= epochMs) cursors[i]++;
      const latest = cursors[i] >= 0 ? probe.heap[cursors[i]] : null;
      if (latest && epochMs - latest.t <= STALE_HEAP_MS) {
        sum += latest.heapUsed;
        known = true;
      }
    });
    return known ? sum : null;
  });
}

/** The most timeline points a report keeps per run: a long run is downsampled, keeping every bucket's peak. */
export const MAX_SAMPLES = 2000;

/** At most `max` samples: each bucket of consecutive samples is kept as its highest one, so the peak survives. */
export function downsample<T extends { rssBytes: number }>(samples: T[], max = MAX_SAMPLES): T[] {
  if (samples.length <= max) return samples;
  const kept: T[] = [];
  for (let i = 0; i < max; i++) {
    const from = Math.floor((i * samples.length) / max);
    const to = Math.floor(((i + 1) * samples.length) / max);
    let best = samples[from];
    for (let j = from + 1; j < to; j++) if (samples[j].rssBytes > best.rssBytes) best = samples[j];
    kept.push(best);
  }
  return kept;
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
  const heap = heapTimeline(probes, tree.samples.map((s) => spawnEpochMs + s.tMs));
  const samples = downsample(tree.samples.map((s, i) => ({ ...s, heapUsedBytes: heap[i] })));
  // The tree's peak: its highest summed sample, and never below one process's kernel high-water mark.
  const sampledPeak = tree.samples.reduce((max, s) => Math.max(max, s.rssBytes), 0);
  const singlePeak = processes.reduce((max, p) => Math.max(max, p.peakRssBytes), 0);
  return { peakRssBytes: Math.max(sampledPeak, singlePeak), processes, samples };
}
