import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Suite, SuiteRun } from '../types';
import { classify } from './classify';
import { jestCommand, shellLine, type SuiteTarget } from './jest-command';
import { testCasesOf, parseJestJson } from './jest-results';
import { mergeMeasurements, parseProbeFile, type ProbeFile } from './probe-results';
import type { JestSetup } from './resolve-jest';
import { killTree } from './kill-tree';
import { pidsBefore, type TreeWatch, watchTree } from './tree-memory';
import { notRun } from './suite-result';
import { OutputTail } from './output-tail';
import { runMark } from './run-mark';

/** Everything needed to run one suite once. */
export interface RunPlan {
  suite: Suite;
  jest: JestSetup;
  /** How the file is run: through Jest's test worker with the discovered configs, or Jest's CLI. */
  target: SuiteTarget;
  heapCapMb: number | null;
  /** The live memory guard: the tree is killed as soon as its summed RSS goes over this; null for no guard. */
  killAboveMb: number | null;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL when a suite is stopped. */
  killGraceMs: number;
  /** Aborted when the grace period is to be cut short (a second Ctrl-C): SIGKILL at once. */
  hurry: AbortSignal;
  sampleMs: number;
  treeMs: number;
  /** Receives the child's own output when --verbose is on. */
  onOutput: ((chunk: Buffer, stream: 'stdout' | 'stderr') => void) | null;
  /** Called with the child command line, for --debug. */
  onCommand: ((line: string) => void) | null;
}

const STDERR_TAIL_BYTES = 64 * 1024;
const MB = 1024 * 1024;
// After Jest exits and its leftovers are killed, how long its pipes may stay open before stress-run stops
// reading them: a process that escaped every mark may hold them for ever, and no run waits on it.
const PIPE_GRACE_MS = 1000;

/** Runs one suite in its own capped Jest process group, watching its memory, and classifies the end. */
export async function runSuite(plan: RunPlan, abort: AbortSignal): Promise<SuiteRun> {
  const { execa } = await import('execa');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-'));
  let watch: TreeWatch | null = null;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const probeDir = path.join(workDir, 'probe');
    fs.mkdirSync(probeDir);
    const outputFile = path.join(workDir, 'jest.json');
    const runId = randomBytes(8).toString('hex');
    const command = jestCommand({
      file: plan.suite.file,
      jest: plan.jest,
      outputFile,
      heapCapMb: plan.heapCapMb,
      probeDir,
      nodePath: process.execPath,
      inheritedNodeOptions: process.env.NODE_OPTIONS,
      runId,
      workDir,
      target: plan.target,
    });
    plan.onCommand?.(shellLine(command.cwd, command.env, command.argv));

    const before = pidsBefore();
    const spawnEpochMs = Date.now();
    const startedAtMs = performance.now();
    const child = execa(command.argv[0], command.argv.slice(1), {
      cwd: command.cwd,
      env: command.env,
      extendEnv: true,
      // Its own process group, so the whole tree can be stopped with one signal.
      detached: true,
      cleanup: false,
      // Descriptor 3 is the child's end of a pipe whose other end only stress-run holds: when stress-run
      // dies, the child reads end-of-file and takes the suite down with it (parent-watch).
      stdio: ['ignore', plan.onOutput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      buffer: false,
      reject: false,
    });
    const pid = child.pid;
    if (pid === undefined) {
      const failed = await child;
      return { ...notStarted(), message: `could not start Jest: ${failed.shortMessage ?? failed.message}` };
    }
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
    const limitBytes = plan.killAboveMb === null ? Infinity : plan.killAboveMb * MB;
    const tree = watchTree(pid, {
      sampleMs: plan.sampleMs,
      treeMs: plan.treeMs,
      startedAtMs,
      now: () => performance.now(),
      mark: runMark(runId),
      before,
      // After the current sample: `tree` is assigned by then, even when the very first sample is over.
      onSample: (rssBytes) => {
        if (rssBytes > limitBytes) queueMicrotask(() => stop('memory'));
      },
    });
    watch = tree;
    timer = setTimeout(() => stop('timeout'), plan.timeoutMs);
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
    abort.removeEventListener('abort', onAbort);
    await stopping;
    // Anything the suite left running dies with it, found by the tree or by the run's mark: no orphans.
    // Then its pipes close; if something unknown still holds them, they are let go after a grace.
    await killTree(pid, () => tree.pids(), 0, () => true);
    await closePipes([child.stdout, child.stderr], PIPE_GRACE_MS);
    for (const stream of child.stdio) stream?.destroy();
    child.catch(() => undefined);
    watch = null;
    const measured = mergeMeasurements(tree.stop(), readProbes(probeDir), spawnEpochMs);

    const jest = parseJestJson(readIfExists(outputFile));
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
    });
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
    };
  } finally {
    clearTimeout(timer);
    if (onAbort) abort.removeEventListener('abort', onAbort);
    watch?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
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

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function readProbes(dir: string): ProbeFile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => parseProbeFile(Number(name.slice(0, -'.jsonl'.length)), readIfExists(path.join(dir, name)) ?? ''));
}
