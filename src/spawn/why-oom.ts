// --why-oom: a suite that ran out of heap runs once more with V8 told to write a heap snapshot near
// the limit; a separate Node process with its own heap cap then summarises the snapshot, so that a
// snapshot of hundreds of MB can neither be read into stress-run's memory nor take stress-run down.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunPlan } from './run-plan';
import { oomSummaryText } from '../report/oom-summary';
import type { OomSummary, SuiteResult, SuiteRun } from '../base/types';
import { childEntry, SNAPSHOT_AT_ENV, SNAPSHOT_DIR_ENV, type SnapshotSummary } from '../child/protocol';

/** The summariser's own heap cap: it keeps only sums per constructor, never the snapshot. */
const SUMMARISER_HEAP_MB = 256;
const SUMMARY_TOP = 10;
const SNAPSHOT_TIME_FACTOR = 3;
const HEADROOM_FACTOR = 2;
const SNAPSHOT_AT_FRACTION = 0.9;

/**
 * The second run: every process writes one heap snapshot into `dir` once its heap reaches 90% of the
 * cap the suite died under, taken by the probe while a doubled cap leaves V8 room to write it (a heap
 * full of live objects right at its cap can keep V8 collecting for minutes before a snapshot). A
 * suite that allocates in one synchronous loop never lets the probe sample: V8's own snapshot near
 * the doubled limit catches that one.
 */
export function snapshotPlan(plan: RunPlan, dir: string): RunPlan {
  if (plan.heapCapMb === null) {
    return { ...plan, extraNodeOptions: [...(plan.extraNodeOptions ?? []), '--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${dir}`] };
  }
  return {
    ...plan,
    heapCapMb: plan.heapCapMb * HEADROOM_FACTOR,
    extraNodeOptions: [...(plan.extraNodeOptions ?? []), '--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${dir}`],
    extraEnv: { ...plan.extraEnv, [SNAPSHOT_AT_ENV]: String(Math.round(plan.heapCapMb * SNAPSHOT_AT_FRACTION * 1024 * 1024)), [SNAPSHOT_DIR_ENV]: dir },
  };
}

/** Runs the suite again with a snapshot near the heap limit and summarises it; null when no snapshot was written. */
export async function explainOom(
  plan: RunPlan,
  runSuite: (plan: RunPlan, abort: AbortSignal) => Promise<SuiteRun>,
  abort: AbortSignal,
): Promise<{ summary: OomSummary | null; why: string | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stress-run-oom-${plan.suite.name.replace(/[^\w.-]+/g, '_')}-`));
  // Writing a snapshot of a full heap takes a while: the second run gets more time than the first.
  const timeoutMs = plan.timeoutMs * SNAPSHOT_TIME_FACTOR;
  const again = await runSuite({ ...snapshotPlan(plan, dir), timeoutMs }, abort);
  const snapshot = largestSnapshot(dir);
  if (snapshot === null || fs.statSync(snapshot).size === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    const ending =
      again.outcome === 'timeout'
        ? `it timed out after ${timeoutMs / 1000} s, before V8 finished writing the heap snapshot; raise --timeout`
        : again.outcome === 'oom'
          ? 'it ran out of heap before V8 could write the heap snapshot'
          : `its heap stayed under ${SNAPSHOT_AT_FRACTION * 100}% of the cap this time (it ended ${again.outcome})`;
    return { summary: null, why: `no heap snapshot from the second run: ${ending}` };
  }
  try {
    const read = await summariseInChild(snapshot);
    return { summary: { snapshot, top: read.top, nativeContexts: read.nativeContexts, detachedContexts: read.detachedContexts }, why: null };
  } catch (error) {
    return { summary: null, why: `the heap snapshot ${snapshot} could not be summarised: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The biggest .heapsnapshot in a folder (the process that filled its heap most), or null. */
function largestSnapshot(dir: string): string | null {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.heapsnapshot'))
    .map((name) => path.join(dir, name))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  return files[0] ?? null;
}

/** Summarises a snapshot in a child Node process under its own heap cap. */
export function summariseInChild(snapshot: string): Promise<SnapshotSummary> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [`--max-old-space-size=${SUMMARISER_HEAP_MB}`, childEntry('summariser'), snapshot, String(SUMMARY_TOP)],
      { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(stderr.trim() || error.message));
        else {
          try {
            resolve(JSON.parse(stdout) as SnapshotSummary);
          } catch {
            reject(new Error(`the summariser printed no summary: ${stdout.slice(0, 200)}`));
          }
        }
      },
    );
  });
}

/** A suite result that ran out of heap, with what filled the heap: in `oomSummary`, and under its message for every report. */
export async function withOomSummary(
  result: SuiteResult,
  plan: RunPlan,
  runSuite: (plan: RunPlan, abort: AbortSignal) => Promise<SuiteRun>,
  abort: AbortSignal,
): Promise<SuiteResult> {
  if (result.outcome !== 'oom' || abort.aborted) return result;
  const { summary, why } = await explainOom(plan, runSuite, abort);
  const text = summary ? oomSummaryText(summary) : `--why-oom: ${why}`;
  return { ...result, oomSummary: summary, message: [result.message, text].filter(Boolean).join('\n') };
}
