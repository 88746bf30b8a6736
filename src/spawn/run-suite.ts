import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SuiteRun } from '../base/types';
import { classify } from '../outcome/classify';
import { testCasesOf, parseJestJson } from '../outcome/jest-results';
import { type FatalReport, mergeMeasurements, parseFatalReport, parseProbeFile, type ProbeFile } from '../measure/probe-results';
import { FATAL_REPORT_SUFFIX } from '../child/protocol';
import { killTree } from './kill-tree';
import { handOver, startChild } from './spawn-child';
import { type StartedChild } from './run-plan';
import type { RunPlan } from './run-plan';
import type { TreeMemory, TreeWatch } from '../measure/tree-memory';
import { transformedSince } from '../measure/cold-cache';
import { notRun } from '../outcome/suite-result';
import { leakOf, parsePerTestFile, perTestGcMsOf, perTestHeaps } from '../forensics/leak';
import { OutputTail } from '../outcome/output-tail';
import { parseTestMarks, runningTestOf } from '../outcome/test-marks';
import { MB } from '../base/units';
import { groupGone } from './run-watch';
import { endSuiteCgroup } from './suite-cgroup';
import { runDelayMs } from '../base/proc';

const STDERR_TAIL_BYTES = 64 * 1024;
// After Jest exits and its leftovers are killed, how long its pipes may stay open before stress-run stops
// reading them: a process that escaped every mark may hold them for ever, and no run waits on it.
const PIPE_GRACE_MS = 1000;

/** Runs one suite in its own capped Jest process group, watching its memory, and classifies the end. */
export async function runSuite(plan: RunPlan, abort: AbortSignal): Promise<SuiteRun> {
  // A standby child already loaded Jest while the previous suite ran; else this suite starts its own.
  const waiting = plan.standby ? await plan.standby.pool.take(plan) : null;
  let started: StartedChild | null = null;
  let watch: TreeWatch | null = null;
  let timer: NodeJS.Timeout | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    started = waiting ?? (await startChild(plan, false));
    const { child, pid, probeDir, outputFile, perTestFile, testMarksFile } = started;
    if (pid === undefined) {
      const failed = await child;
      return { ...notStarted(), message: `could not start Jest: ${failed.shortMessage ?? failed.message}` };
    }
    // A standby child waited for cores while it loaded ahead: only the wait after its hand-over is the suite's.
    const delayBeforeMs = waiting ? (runDelayMs(pid) ?? 0) : 0;
    if (waiting) handOver(waiting, plan);
    // The suite's time and timeline start now: at the spawn, or at the hand-over to a standby child.
    const spawnEpochMs = waiting ? Date.now() : started.spawnEpochMs;
    const startedAtMs = waiting ? performance.now() : started.spawnedAtMs;
    const next = plan.standby?.next() ?? null;
    if (next) plan.standby!.pool.prepare(next);
    const tree = started.tree!;
    watch = tree;
    const onSample = plan.onSample;
    // The tree watch's latest sum, passed on every treeMs: no second reading of /proc.
    const watched = started;
    if (onSample) sampler = setInterval(() => onSample(watched.rssBytes), plan.treeMs).unref();

    // Drain both streams as they come, so a suite that prints a lot never blocks on a full pipe; keep
    // only the last bytes of stderr (as raw chunks: decoding everything would cost the suite time).
    const stderrTail = new OutputTail(STDERR_TAIL_BYTES);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail.push(chunk);
      plan.onOutput?.(chunk, 'stderr');
    });
    child.stdout?.on('data', (chunk: Buffer) => plan.onOutput?.(chunk, 'stdout'));

    const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
    let stopping: Promise<void> | null = null;
    let timedOut = false;
    let interrupted = false;
    let overLimitMb: number | null = null;
    // Only a process still running can time out or be interrupted; one that already ended keeps its own ending.
    const stop = (why: 'timeout' | 'abort' | 'memory'): void => {
      if (exited() || stopping) return;
      if (why === 'timeout') timedOut = true;
      else if (why === 'abort') interrupted = true;
      else overLimitMb = plan.killAboveMb;
      // Runaway memory gets no grace: every 50 ms it may take hundreds of MB more.
      const graceMs = why === 'memory' ? 0 : plan.killGraceMs;
      stopping = killTree(pid, () => tree.pids(), graceMs, () => exited() || plan.hurry.aborted);
    };
    // The live memory guard: the tree's summed RSS, at every sample, against --kill-above.
    const limitBytes = plan.killAboveMb === null ? Infinity : plan.killAboveMb * MB;
    started.onSample = (rssBytes) => {
      if (rssBytes > limitBytes) queueMicrotask(() => stop('memory'));
    };
    // --per-test: the timeout grows by the time the forced GCs took so far (read from the hook's file
    // when it would fire), so the hook's own cost never kills a suite; --parallel: by the time its
    // process waited for a core, which is its neighbours' doing.
    const onTimeout = (): void => {
      const gcMs = perTestFile ? perTestGcMsOf(parsePerTestFile(readIfExists(perTestFile) ?? '')) : 0;
      const waitMs = plan.growTimeoutByCpuWait ? Math.max(0, (runDelayMs(pid) ?? delayBeforeMs) - delayBeforeMs) : 0;
      const leftMs = plan.timeoutMs + gcMs + waitMs - (performance.now() - startedAtMs);
      if (leftMs > 1) timer = setTimeout(onTimeout, leftMs);
      else stop('timeout');
    };
    timer = setTimeout(onTimeout, plan.timeoutMs);
    onAbort = () => stop('abort');
    if (abort.aborted) onAbort();
    else abort.addEventListener('abort', onAbort, { once: true });

    // Wait for the process itself, not for its pipes: a leftover grandchild may hold them open.
    const ending = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      if (exited()) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const durationMs = Math.round(performance.now() - startedAtMs);
    clearTimeout(timer);
    clearInterval(sampler);
    abort.removeEventListener('abort', onAbort);
    await stopping;
    // Anything the suite left running dies with it, found by the tree, by the run's mark or in its
    // cgroup: no orphans. Then its pipes close; if something unknown still holds them (no cgroup
    // here, and a process that shed the mark), they are let go after a grace.
    await killTree(pid, () => tree.pids(), 0, () => true);
    await endSuiteCgroup(started.cgroup);
    await closePipes([child.stdout, child.stderr], PIPE_GRACE_MS);
    for (const stream of child.stdio) stream?.destroy();
    child.catch(() => undefined);
    watch = null;
    const fatal = readFatalReports(probeDir);
    const probes = readProbes(probeDir);
    const measured = mergeMeasurements(fromHandOver(tree.stop(), startedAtMs - started.spawnedAtMs), probes, spawnEpochMs, fatal);
    // How long the suite's own process sat runnable, waiting for a core (Linux; null when its probe wrote no exit).
    const delayAtExitMs = probes.find((p) => p.pid === pid)?.exit?.runDelayMs;
    const cpuWaitMs = delayAtExitMs === undefined ? null : Math.min(durationMs, Math.max(0, Math.round(delayAtExitMs - delayBeforeMs)));

    const jest = parseJestJson(readIfExists(outputFile));
    // A process the suite started that ran out of heap under the cap it inherited.
    const spawnedOom = plan.heapCapMb !== null ? (fatal.find((r) => r.outOfHeap && r.pid !== pid) ?? null) : null;
    const verdict = classify({
      exitCode: ending.code,
      signal: ending.signal,
      timedOut,
      interrupted,
      overLimitMb,
      stderrTail: stderrTail.text(),
      jest,
      heapCapMb: plan.heapCapMb,
      timeoutMs: plan.timeoutMs,
      spawnedOom: spawnedOom ? { command: spawnedOom.command } : null,
    });
    const testMarks = parseTestMarks(readIfExists(testMarksFile) ?? '', spawnEpochMs);
    const runningTest = runningTestOf(verdict.outcome, testMarks);
    return {
      outcome: verdict.outcome,
      tests: verdict.tests,
      testCases: jest ? testCasesOf(jest) : [],
      peakRssBytes: measured.peakRssBytes,
      durationMs,
      exitCode: ending.code,
      signal: ending.signal,
      message: verdict.message,
      processes: measured.processes,
      samples: measured.samples,
      ...(plan.transformCache && transformedSince(plan.transformCache, spawnEpochMs) ? { coldCache: true } : {}),
      ...(perTestFile ? readPerTest(perTestFile, durationMs) : {}),
      memoryAtHeapPeak: measured.memoryAtHeapPeak,
      memoryAtExit: measured.memoryAtExit,
      ...(cpuWaitMs !== null ? { cpuWaitMs } : {}),
      ...(testMarks.length ? { testMarks } : {}),
      ...(runningTest !== null ? { runningTest } : {}),
    };
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
    if (onAbort) abort.removeEventListener('abort', onAbort);
    watch?.stop();
    if (started) fs.rmSync(started.workDir, { recursive: true, force: true });
    // Already removed on the way out, unless the run ended early (an exception): then it goes here.
    if (started) await endSuiteCgroup(started.cgroup);
    if (started?.pid !== undefined) groupGone(started.pid);
  }
}

/** The timeline from the suite's start: a standby child's samples before its hand-over are dropped (its processes' peaks stay). */
function fromHandOver(tree: TreeMemory, offsetMs: number): TreeMemory {
  if (offsetMs <= 0) return tree;
  const offset = Math.round(offsetMs);
  const samples: TreeMemory['samples'] = [];
  for (const s of tree.samples) {
    if (s.tMs < offset) continue;
    const last = samples[samples.length - 1];
    // A long-watched tree can be sampled twice in one millisecond: one point, the higher figure.
    if (last && last.tMs === s.tMs - offset) last.rssBytes = Math.max(last.rssBytes, s.rssBytes);
    else samples.push({ ...s, tMs: s.tMs - offset });
  }
  return { ...tree, samples };

}

/** Resolves when every stream has closed, or after `graceMs`, whichever comes first. */
function closePipes(streams: Array<NodeJS.ReadableStream & { closed?: boolean } | null | undefined>, graceMs: number): Promise<void> {
  const open = streams.filter((s): s is NodeJS.ReadableStream & { closed?: boolean } => s != null && !s.closed);
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = open.length;
    const timer = setTimeout(resolve, graceMs);
    for (const stream of open) {
      stream.once('close', () => {
        if (--left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

/** A run that never got a process: unknown counts, no figures; the caller sets why. */
function notStarted(): SuiteRun {
  return { ...notRun(), outcome: 'crashed' };
}

/** A file's text, or null when it cannot be read. */
export function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** What the per-test hook recorded: each test's retained heap, the leak fit (none when it recorded nothing), and the time its forced GCs took off the time judged. */
function readPerTest(file: string, durationMs: number): Pick<SuiteRun, 'perTest' | 'leak' | 'perTestGcMs' | 'judgedDurationMs'> {
  const recorded = parsePerTestFile(readIfExists(file) ?? '');
  const perTest = perTestHeaps(recorded);
  const perTestGcMs = Math.min(durationMs, perTestGcMsOf(recorded));
  return { perTest, leak: leakOf(perTest, recorded.baseline?.heapUsedBytes ?? null), perTestGcMs, judgedDurationMs: durationMs - perTestGcMs };
}

function readFatalReports(dir: string): FatalReport[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(FATAL_REPORT_SUFFIX))
    .map((name) => parseFatalReport(readIfExists(path.join(dir, name)) ?? ''))
    .filter((r): r is FatalReport => r !== null);
}

function readProbes(dir: string): ProbeFile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => parseProbeFile(Number(name.slice(0, -'.jsonl'.length)), readIfExists(path.join(dir, name)) ?? ''));
}
