import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Suite, SuiteRun } from '../types';
import { classify } from './classify';
import { jestCommand, shellLine } from './jest-command';
import { testCasesOf, parseJestJson } from './jest-results';
import { mergeMeasurements, parseProbeFile, type ProbeFile } from './probe-results';
import type { JestSetup } from './resolve-jest';
import { killTree } from './kill-tree';
import { watchTree } from './tree-memory';

/** Everything needed to run one suite once. */
export interface RunPlan {
  suite: Suite;
  jest: JestSetup;
  heapCapMb: number | null;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL when a suite is stopped. */
  killGraceMs: number;
  sampleMs: number;
  treeMs: number;
  /** Receives the child's own output when --verbose is on. */
  onOutput: ((chunk: Buffer, stream: 'stdout' | 'stderr') => void) | null;
  /** Called with the child command line, for --debug. */
  onCommand: ((line: string) => void) | null;
}

const STDERR_TAIL_BYTES = 64 * 1024;

/** Runs one suite in its own capped Jest process group, watching its memory, and classifies the end. */
export async function runSuite(plan: RunPlan, abort: AbortSignal): Promise<SuiteRun> {
  const { execa } = await import('execa');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-'));
  const probeDir = path.join(workDir, 'probe');
  fs.mkdirSync(probeDir);
  const outputFile = path.join(workDir, 'jest.json');
  const command = jestCommand({
    file: plan.suite.file,
    jest: plan.jest,
    outputFile,
    heapCapMb: plan.heapCapMb,
    probeDir,
    nodePath: process.execPath,
    inheritedNodeOptions: process.env.NODE_OPTIONS,
  });
  plan.onCommand?.(shellLine(command.cwd, command.env, command.argv));

  const spawnEpochMs = Date.now();
  const startedAtMs = performance.now();
  const child = execa(command.argv[0], command.argv.slice(1), {
    cwd: command.cwd,
    env: command.env,
    extendEnv: true,
    // Its own process group, so the whole tree can be stopped with one signal.
    detached: true,
    cleanup: false,
    stdin: 'ignore',
    stdout: plan.onOutput ? 'pipe' : 'ignore',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  const watch = child.pid ? watchTree(child.pid, { sampleMs: plan.sampleMs, treeMs: plan.treeMs, startedAtMs, now: () => performance.now() }) : null;

  // Drain both streams as they come, so a suite that prints a lot never blocks on a full pipe.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    plan.onOutput?.(chunk, 'stderr');
  });
  child.stdout?.on('data', (chunk: Buffer) => plan.onOutput?.(chunk, 'stdout'));

  let timedOut = false;
  let interrupted = false;
  const stop = (): void => {
    if (child.pid) void killTree(child.pid, watch?.pids() ?? [], plan.killGraceMs, () => child.exitCode !== null || child.signalCode !== null);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, plan.timeoutMs);
  const onAbort = (): void => {
    interrupted = true;
    stop();
  };
  if (abort.aborted) onAbort();
  else abort.addEventListener('abort', onAbort, { once: true });

  const result = await child;
  const durationMs = Math.round(performance.now() - startedAtMs);
  clearTimeout(timer);
  abort.removeEventListener('abort', onAbort);

  // Anything the suite left running dies with it: no orphans.
  if (child.pid) await killTree(child.pid, watch?.pids() ?? [], 0, () => true);
  const tree = watch ? watch.stop() : { peakRssBytes: 0, samples: [], processes: [] };

  const jest = parseJestJson(readIfExists(outputFile));
  const probes = readProbes(probeDir);
  fs.rmSync(workDir, { recursive: true, force: true });

  const exitCode = result.exitCode ?? null;
  const signal = result.signal ?? null;
  const verdict = classify({ exitCode, signal, timedOut, interrupted, stderrTail, jest, heapCapMb: plan.heapCapMb, timeoutMs: plan.timeoutMs });
  const measured = mergeMeasurements(tree, probes, spawnEpochMs);
  return {
    outcome: verdict.outcome,
    tests: verdict.tests,
    testCases: jest ? testCasesOf(jest) : [],
    peakRssBytes: measured.peakRssBytes,
    durationMs,
    exitCode,
    signal,
    message: verdict.message,
    processes: measured.processes,
    samples: measured.samples,
  };
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
