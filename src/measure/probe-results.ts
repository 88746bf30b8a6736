import type { MemoryBreakdown, ProcessPeak, Sample } from '../base/types';
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
  /** The same figures as a sample, at exit (absent in files of older probes). */
  atExit?: ProbeSample;
  /** Linux: the ms its main thread spent runnable but waiting for a core, over its life (absent elsewhere). */
  runDelayMs?: number;
}

/** One probe sample: process.memoryUsage() and V8's context counts at one epoch time. */
export interface ProbeSample {
  t: number;
  heapUsed: number;
  rss?: number;
  external?: number;
  arrayBuffers?: number;
  nativeContexts?: number;
  detachedContexts?: number;
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
  heap: ProbeSample[];
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
      file.heap.push(record as unknown as ProbeSample);
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
  /** Node's reports of processes that died of a fatal error: an OOM's heap at death is its true peak, which no sample caught. */
  fatal: Array<Pick<FatalReport, 'pid' | 'heapUsedBytes'>> = [],
): { peakRssBytes: number; processes: ProcessPeak[]; samples: Sample[]; memoryAtHeapPeak: MemoryBreakdown | null; memoryAtExit: MemoryBreakdown | null } {
  const byPid = new Map<number, ProcessPeak>();
  for (const p of tree.processes) {
    byPid.set(p.pid, { ...p, heapLimitBytes: null, heapUsedPeakBytes: null });
  }
  for (const probe of probes) {
    const seen = byPid.get(probe.pid);
    const { start, exit } = probe;
    const atDeath = fatal.find((f) => f.pid === probe.pid)?.heapUsedBytes ?? 0;
    const heapPeak = Math.max(atDeath, probe.heap.reduce((max, s) => Math.max(max, s.heapUsed), 0)) || null;
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
  // A child that ended before the watcher could read anything about it (no command, no memory) says
  // nothing: it is left out rather than listed as an empty entry.
  const processes = [...byPid.values()]
    .filter((p) => p.command !== '' || p.peakRssBytes > 0)
    .map((p) => ({ ...p, command: maskSecrets(p.command) }))
    .sort((a, b) => a.pid - b.pid);
  // Where the RSS went: in the heaviest process the probe saw, at its heap peak and at its exit.
  const probed = new Map(probes.map((p) => [p.pid, p]));
  const heaviest = processes.filter((p) => probed.has(p.pid)).sort((a, b) => b.peakRssBytes - a.peakRssBytes)[0];
  const probe = heaviest ? probed.get(heaviest.pid)! : null;
  const times = tree.samples.map((s) => spawnEpochMs + s.tMs);
  const heap = heapTimeline(probes, times);
  // With several Node processes, the heaviest one's own heap too: the one a heap cap ends.
  const own = probe && probes.filter((p) => p.heap.length > 0).length > 1 ? heapTimeline([probe], times) : null;
  const samples = downsample(tree.samples.map((s, i) => ({ ...s, heapUsedBytes: heap[i], ...(own ? { processHeapUsedBytes: own[i] } : {}) })));
  // The tree's peak: its highest summed sample, and never below one process's kernel high-water mark.
  const sampledPeak = tree.samples.reduce((max, s) => Math.max(max, s.rssBytes), 0);
  const singlePeak = processes.reduce((max, p) => Math.max(max, p.peakRssBytes), 0);
  const atPeak = probe?.heap.reduce<ProbeSample | null>((best, s) => (best === null || s.heapUsed > best.heapUsed ? s : best), null) ?? null;
  return {
    peakRssBytes: Math.max(sampledPeak, singlePeak),
    processes,
    samples,
    memoryAtHeapPeak: probe && atPeak ? toBreakdown(probe.pid, atPeak, spawnEpochMs) : null,
    memoryAtExit: probe?.exit?.atExit ? toBreakdown(probe.pid, probe.exit.atExit, spawnEpochMs) : null,
  };
}

/** A probe sample as a breakdown of RSS: heap used, external, and the rest; null for a sample without RSS. */
export function toBreakdown(pid: number, s: ProbeSample, spawnEpochMs: number): MemoryBreakdown | null {
  if (s.rss === undefined || s.external === undefined) return null;
  return {
    pid,
    tMs: Math.max(0, s.t - spawnEpochMs),
    rssBytes: s.rss,
    heapUsedBytes: s.heapUsed,
    externalBytes: s.external,
    arrayBuffersBytes: s.arrayBuffers ?? 0,
    restBytes: s.rss - s.heapUsed - s.external,
    nativeContexts: s.nativeContexts ?? 0,
    detachedContexts: s.detachedContexts ?? 0,
  };
}

/** What Node's diagnostic report of a fatal error says of the process that wrote it. */
export interface FatalReport {
  pid: number;
  /** It died because V8 ran out of heap. */
  outOfHeap: boolean;
  /** Its command line, on one line, secrets masked, long middles cut. */
  command: string;
  /** V8's heap used at the moment of death (the report's javascriptHeap.usedMemory); null when absent. */
  heapUsedBytes: number | null;
}

const COMMAND_HEAD = 100;
const COMMAND_TAIL = 40;

/** Parses a `<pid>.fatal.json` report (Node's process.report) the probe asked for; null when it is not one. */
export function parseFatalReport(text: string): FatalReport | null {
  let header: { processId?: unknown; trigger?: unknown; event?: unknown; commandLine?: unknown };
  let heap: { usedMemory?: unknown };
  try {
    const report = JSON.parse(text) as { header?: typeof header; javascriptHeap?: typeof heap };
    header = report.header ?? {};
    heap = report.javascriptHeap ?? {};
  } catch {
    return null;
  }
  if (typeof header.processId !== 'number') return null;
  const outOfHeap = header.trigger === 'OOMError' || /heap out of memory|heap limit/i.test(String(header.event ?? ''));
  const words = Array.isArray(header.commandLine) ? header.commandLine.map(String) : [];
  const line = maskSecrets(words.join(' ')).replace(/\s+/g, ' ').trim();
  const chars = [...line];
  const command = chars.length <= COMMAND_HEAD + COMMAND_TAIL + 3 ? line : `${chars.slice(0, COMMAND_HEAD).join('')} … ${chars.slice(-COMMAND_TAIL).join('')}`;
  return { pid: header.processId, outOfHeap, command, heapUsedBytes: typeof heap.usedMemory === 'number' ? heap.usedMemory : null };
}
