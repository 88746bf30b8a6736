// One worker of a pool run (--isolation pool): a suite child started as a standby child is (own
// process group, capped, probed, watched, killed with the run) that takes several files in turn, as a
// worker of Jest's own pool does. Each file is handed over on stdin; the worker answers with a record
// on POOL_FD (child/protocol's PoolRecord) once the file is done, with what it measured around it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PoolFigures, SuiteRun } from '../base/types';
import { MB } from '../base/units';
import { POOL_FD, type PoolHandOver, type PoolRecord } from '../child/protocol';
import { transformedSince } from '../measure/cold-cache';
import { downsample } from '../measure/probe-results';
import { classify } from '../outcome/classify';
import { parseJestJson, testCasesOf } from '../outcome/jest-results';
import { OutputTail } from '../outcome/output-tail';
import { killTree } from './kill-tree';
import type { ChildPlan, RunPlan, StartedChild } from './run-plan';
import { readIfExists } from './run-suite';
import { startChild } from './spawn-child';

const STDERR_TAIL_BYTES = 64 * 1024;
/** How long the records a dead worker wrote last may take to be read. */
const RECORDS_GRACE_MS = 500;

type FileRecord = Extract<PoolRecord, { kind: 'file' }>;
type ReadyRecord = Extract<PoolRecord, { kind: 'ready' }>;

/** One file's run in a pool worker: its row's run, and whether the worker is gone after it. */
export interface PoolFileRun {
  run: SuiteRun;
  /** The worker's figures after the file (null when it died in it). */
  after: { heapAfterGcBytes: number; rssBytes: number } | null;
  /** The worker died (or was killed) during this file: the next file needs a new worker. */
  died: boolean;
  /** The test that was running when the worker died (null when none had started, or it did not die). */
  test: string | null;
}

/** How a worker process ended. */
interface Ending {
  code: number | null;
  signal: string | null;
}

/** A pool worker, from its start to its end. */
export class PoolWorker {
  private readonly tail = { current: new OutputTail(STDERR_TAIL_BYTES) };
  private pendingText = '';
  private onRecord: ((record: PoolRecord) => void) | null = null;
  private readyRecord: ReadyRecord | null = null;
  private readonly readyWaiters: Array<(ready: ReadyRecord | null) => void> = [];
  private runningTest: string | null = null;
  /** What running a file costs a fresh worker beyond what it takes, and what its first file loaded once for all: measured on its first file (null before it). */
  private firstFile: FirstFileCosts | null = null;
  /** Since when a transform or code-cache write counts against the next file: the spawn for the first file (its worker loaded ahead for it), then each hand-over. */
  private coldSinceEpochMs: number;
  private seq = 0;
  readonly exited: Promise<Ending>;
  private ending: Ending | null = null;
  /** Resolves once the record pipe has been read to its end (or never opened). */
  private readonly recordsRead: Promise<void>;

  private constructor(
    readonly started: StartedChild,
    private readonly plan: ChildPlan,
  ) {
    const { child } = started;
    this.coldSinceEpochMs = started.spawnEpochMs;
    this.exited = new Promise<Ending>((resolve) => {
      const done = (): void => {
        this.ending = { code: child.exitCode, signal: child.signalCode };
        for (const waiter of this.readyWaiters.splice(0)) waiter(null);
        resolve(this.ending);
      };
      if (child.exitCode !== null || child.signalCode !== null) done();
      else child.once('exit', done);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.tail.current.push(chunk);
      plan.onOutput?.(chunk, 'stderr');
    });
    child.stdout?.on('data', (chunk: Buffer) => plan.onOutput?.(chunk, 'stdout'));
    // A worker that died between two files has a closed stdin: writing to it must not take stress-run down.
    child.stdin?.on('error', () => undefined);
    const records = child.stdio[POOL_FD] as NodeJS.ReadableStream | undefined;
    records?.on('data', (chunk: Buffer) => this.take(chunk.toString('utf8')));
    this.recordsRead = new Promise<void>((resolve) => {
      if (!records) return resolve();
      records.once('end', resolve);
      records.once('close', resolve);
      records.once('error', () => resolve());
    });
    child.catch(() => undefined);
  }

  /** Starts a worker for `plan` (whose target is a pool worker). */
  static async start(plan: ChildPlan): Promise<PoolWorker> {
    return new PoolWorker(await startChild(plan, true), plan);
  }

  get pid(): number | undefined {
    return this.started.pid;
  }

  get alive(): boolean {
    return this.ending === null && this.started.pid !== undefined;
  }

  /** The worker's `ready` record (its fresh baseline), or null when it died before it was ready. */
  ready(): Promise<ReadyRecord | null> {
    if (this.readyRecord || !this.alive) return Promise.resolve(this.readyRecord);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** What the worker wrote on stderr lately (why it could not start). */
  stderrTail(): string {
    return this.tail.current.text();
  }

  private take(text: string): void {
    this.pendingText += text;
    let end: number;
    while ((end = this.pendingText.indexOf('\n')) >= 0) {
      const line = this.pendingText.slice(0, end);
      this.pendingText = this.pendingText.slice(end + 1);
      let record: PoolRecord;
      try {
        record = JSON.parse(line) as PoolRecord;
      } catch {
        continue;
      }
      if (record.kind === 'ready') {
        this.readyRecord = record;
        for (const waiter of this.readyWaiters.splice(0)) waiter(record);
      } else if (record.kind === 'test') {
        this.runningTest = record.name;
      }
      this.onRecord?.(record);
    }
  }

  /**
   * Runs one file in the worker, under the plan's timeout and memory guard, and turns what the worker
   * measured into the file's row: peakRssBytes is the estimate (the worker's fresh baseline, plus the
   * peak during the file, minus the RSS at its start).
   */
  async run(plan: RunPlan, abort: AbortSignal, index: number): Promise<PoolFileRun> {
    const { started } = this;
    const pid = started.pid!;
    const tree = started.tree!;
    const baseline = this.readyRecord!;
    this.tail.current = new OutputTail(STDERR_TAIL_BYTES);
    this.runningTest = null;
    const outputFile = path.join(started.workDir, `jest-${this.seq++}.json`);
    const startedAtMs = performance.now();
    const coldSince = this.coldSinceEpochMs;
    this.coldSinceEpochMs = Date.now();
    const rssBeforeTree = started.rssBytes;
    const seenBefore = tree.seen();
    const samples: SuiteRun['samples'] = [];
    let treePeak = 0;
    let timedOut = false;
    let interrupted = false;
    let overLimitMb: number | null = null;
    let stopping: Promise<void> | null = null;
    const stop = (why: 'timeout' | 'abort' | 'memory'): void => {
      if (!this.alive || stopping) return;
      if (why === 'timeout') timedOut = true;
      else if (why === 'abort') interrupted = true;
      else overLimitMb = plan.killAboveMb;
      const graceMs = why === 'memory' ? 0 : plan.killGraceMs;
      stopping = killTree(pid, () => tree.pids(), graceMs, () => !this.alive || plan.hurry.aborted);
    };
    const limitBytes = plan.killAboveMb === null ? Infinity : plan.killAboveMb * MB;
    started.onSample = (rssBytes) => {
      samples.push({ tMs: Math.round(performance.now() - startedAtMs), rssBytes, heapUsedBytes: null });
      treePeak = Math.max(treePeak, rssBytes);
      plan.onSample?.(rssBytes);
      if (rssBytes > limitBytes) queueMicrotask(() => stop('memory'));
    };
    const timer = setTimeout(() => stop('timeout'), plan.timeoutMs);
    const onAbort = (): void => stop('abort');
    if (abort.aborted) onAbort();
    else abort.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    let graceTimer: NodeJS.Timeout | undefined;
    try {
      plan.onCommand?.(`(pool worker pid ${pid}) ${plan.suite.file}`);
      const done = new Promise<FileRecord | null>((resolve) => {
        this.onRecord = (record) => {
          if (record.kind === 'file') resolve(record);
        };
        // The process can end before its last record is read: the pipe is drained first (a grandchild
        // holding it open is not waited for long).
        // Only while this file runs: every file's run waits on the one exit, and timers started for files long done kept stress-run alive at its end.
        void this.exited.then(() => {
          if (finished) return;
          void Promise.race([this.recordsRead, new Promise((r) => (graceTimer = setTimeout(r, RECORDS_GRACE_MS)))]).then(() => resolve(null));
        });
      });
      const handOver: PoolHandOver = { testPath: plan.suite.file, outputFile };
      started.child.stdin?.write(`${JSON.stringify(handOver)}\n`);
      const record = await done;
      const durationMs = Math.round(performance.now() - startedAtMs);
      const spawned = tree.seen() > seenBefore;
      // The record is the file's own word that it finished: a worker that dies right after it died between two files.
      if (record) {
        const jest = parseJestJson(readIfExists(outputFile));
        const verdict = classify({
          exitCode: record.success ? 0 : 1,
          signal: null,
          timedOut: false,
          interrupted: false,
          overLimitMb: null,
          stderrTail: this.tail.current.text(),
          jest,
          heapCapMb: plan.heapCapMb,
          timeoutMs: plan.timeoutMs,
        });
        // A worker that could not reset its peak has only its lifetime peak: the tree's samples during the file then stand alone.
        const peakInWorkerBytes = Math.max(baseline.peakReset ? record.peakRssBytes : record.rssAtStartBytes, treePeak);
        // A fresh worker's first file shows what a file costs beyond its heap (young-generation space,
        // code, native memory) and what Jest loads once per worker: later files reuse both, so both are added back to theirs.
        const first = this.firstFile === null;
        this.firstFile ??= firstFileCosts(peakInWorkerBytes - record.rssAtStartBytes, record.heapRiseBytes, record.heapAfterGcBytes - record.heapBeforeBytes, record.setupHeapRiseBytes);
        const overhead = this.firstFile.overheadBytes;
        const sharedLoad = first ? 0 : sharedLoadOf(this.firstFile, record.setupHeapRiseBytes);
        const pool: PoolFigures = {
          worker: index,
          baselineRssBytes: baseline.rssBytes,
          rssAtStartBytes: record.rssAtStartBytes,
          peakInWorkerBytes,
          heapRiseBytes: record.heapRiseBytes,
          fileOverheadBytes: overhead,
          sharedLoadBytes: sharedLoad,
          heapBeforeBytes: record.heapBeforeBytes,
          heapAfterGcBytes: record.heapAfterGcBytes,
          heapUsedAfterBytes: record.heapUsedBytes,
          spawnedProcesses: spawned,
          loadedTransformer: record.loadedTransformer,
          died: null,
        };
        return {
          run: {
            outcome: verdict.outcome,
            tests: verdict.tests,
            testCases: jest ? testCasesOf(jest) : [],
            peakRssBytes: estimateOf(baseline.rssBytes, peakInWorkerBytes, record.rssAtStartBytes, record.heapRiseBytes + overhead + sharedLoad),
            // The file's own time in the worker, without the settling of the heap around it.
            durationMs: record.durationMs,
            exitCode: null,
            signal: null,
            message: verdict.message,
            processes: [],
            // At most MAX_SAMPLES points, as every run keeps, each bucket's peak kept.
            samples: downsample(samples),
            measuredIn: 'pool',
            // Jest transformed files, or TypeScript was compiled for the code cache, for this file: its figures read higher than warm.
            ...(plan.transformCache && transformedSince(plan.transformCache, coldSince) ? { coldCache: true } : {}),
            leftInWorkerBytes: record.heapAfterGcBytes - record.heapBeforeBytes,
            pool,
          },
          after: { heapAfterGcBytes: record.heapAfterGcBytes, rssBytes: record.rssAfterBytes },
          died: false,
          test: null,
        };
      }
      // The worker died in this file (out of heap, a signal, the memory guard, the timeout, Ctrl-C).
      const ending = await this.exited;
      await stopping;
      const test = this.runningTest;
      const verdict = classify({
        exitCode: ending.code,
        signal: ending.signal,
        timedOut,
        interrupted,
        overLimitMb,
        stderrTail: this.tail.current.text(),
        jest: null,
        heapCapMb: plan.heapCapMb,
        timeoutMs: plan.timeoutMs,
      });
      // Stopped by stress-run (timeout, memory guard, Ctrl-C) or dead of its own (out of heap, a signal, an exit).
      const ended = timedOut || interrupted || overLimitMb !== null ? 'was stopped' : 'died';
      const where = `the pool worker (pid ${pid}) ${ended} running this file${test ? `, in test “${test}”` : ', before its first test'}`;
      const peakInWorkerBytes = treePeak;
      return {
        run: {
          outcome: verdict.outcome,
          tests: verdict.tests,
          testCases: [],
          peakRssBytes: estimateOf(baseline.rssBytes, peakInWorkerBytes, rssBeforeTree),
          durationMs,
          exitCode: ending.code,
          signal: ending.signal,
          message: `${where}: ${verdict.message ?? verdict.outcome}`,
          processes: [],
          samples: downsample(samples),
          measuredIn: 'pool',
          pool: {
            worker: index,
            baselineRssBytes: baseline.rssBytes,
            rssAtStartBytes: rssBeforeTree,
            peakInWorkerBytes,
            heapRiseBytes: 0,
            fileOverheadBytes: this.firstFile?.overheadBytes ?? 0,
            sharedLoadBytes: 0,
            heapBeforeBytes: null,
            heapAfterGcBytes: null,
            heapUsedAfterBytes: null,
            spawnedProcesses: spawned,
            loadedTransformer: false,
            died: { test },
          },
        },
        after: null,
        died: true,
        test,
      };
    } finally {
      finished = true;
      clearTimeout(graceTimer);
      clearTimeout(timer);
      abort.removeEventListener('abort', onAbort);
      started.onSample = null;
      this.onRecord = null;
    }
  }

  /** Ends the worker: end of input asks it to exit; whatever is left of its tree after `graceMs` is killed, and its folder removed. */
  async close(graceMs: number): Promise<void> {
    const { started } = this;
    started.child.stdin?.end();
    if (this.alive) {
      // The grace timer is cleared once the worker is gone: left pending, it kept stress-run alive for the whole grace (2 s) after the last file.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    if (started.pid !== undefined) await killTree(started.pid, () => started.tree?.pids() ?? [], 0, () => true);
    started.tree?.stop();
    for (const stream of started.child.stdio) stream?.destroy();
    fs.rmSync(started.workDir, { recursive: true, force: true });
  }
}

/** What a worker's first file shows that its later files do not (see `firstFileCosts`). */
export interface FirstFileCosts {
  /** What the file's RSS rose by beyond its heap and external rise: young-generation space, code, native memory. */
  overheadBytes: number;
  /** The heap the file left in its worker (its settled heap after it less before it). */
  leftInWorkerBytes: number;
  /** How far its heap had grown when its first test started; null when no test start was reported. */
  setupHeapRiseBytes: number | null;
}

/**
 * What a fresh worker's first file costs that the worker's later files do not pay again, from its
 * RSS rise, its heap and external rise, and what it left in the worker. A file run alone pays both:
 * - the RSS beyond the heap (young-generation space grown, code, native memory), which later files
 *   reuse without raising the RSS;
 * - what Jest loads for the first file and keeps for the worker's life (its runtime's modules in the
 *   worker's own module cache, ~200 of them on commander.js): later files find it loaded, so their
 *   heap rise lacks it (see `sharedLoadOf`).
 */
export function firstFileCosts(rssRiseBytes: number, heapRiseBytes: number, leftInWorkerBytes: number, setupHeapRiseBytes: number | null): FirstFileCosts {
  return { overheadBytes: Math.max(0, rssRiseBytes - heapRiseBytes), leftInWorkerBytes, setupHeapRiseBytes };
}

/**
 * What Jest loaded once for a worker's first file that a later file (whose heap had grown by
 * `setupHeapRiseBytes` when its first test started) found loaded, and would load itself alone: what
 * the first file left in its worker, but no more than its heap had grown by before its first test
 * beyond the later file's. Jest loads its runtime before a file's tests run, and every file sets up
 * its own environment and module registry there too; what the tests keep (a leak on the real global)
 * is the first file's own, not a cost of every file. Nothing without both test starts.
 */
export function sharedLoadOf(first: FirstFileCosts, setupHeapRiseBytes: number | null): number {
  if (first.setupHeapRiseBytes === null || setupHeapRiseBytes === null) return 0;
  return Math.max(0, Math.min(first.leftInWorkerBytes, first.setupHeapRiseBytes - setupHeapRiseBytes));
}

/**
 * A file's peak as if it had run alone: a fresh worker's RSS, plus what the worker's RSS rose during
 * the file above its RSS at the file's start, and never less than what the file itself took
 * (`takenBytes`: its heap and external rise, plus what a file costs a fresh worker beyond those): in
 * a worker, a file reuses pages an earlier file freed, and its RSS then rises by less than it uses.
 */
export function estimateOf(baselineRssBytes: number, peakDuringBytes: number, rssAtStartBytes: number, takenBytes = 0): number {
  return baselineRssBytes + Math.max(0, peakDuringBytes - rssAtStartBytes, takenBytes);
}
