// Starting a suite's process, and keeping one started ahead. A suite child spends most of its life
// starting: Node, Jest's test worker, the resolvers. A standby child does that while the previous
// suite runs (when a core is otherwise free), then waits, already capped, probed, in its own process
// group and watched, until it is handed its file on stdin. The file's time counts from the hand-over.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResultPromise } from 'execa' with { 'resolution-mode': 'import' };
import { jestCommand, shellLine, type JestCommand } from './jest-command';
import { PER_TEST_FILE_ENV, PER_TEST_HOOK_PATH } from '../forensics/leak';
import { killTree } from './kill-tree';
import type { RunPlan } from './run-suite';
import { pidsBefore, type TreeWatch, watchTree } from './tree-memory';
import { runMark } from './run-mark';

/** A suite child that has been spawned: its process, its watch and its own run folder. */
export interface StartedChild {
  workDir: string;
  probeDir: string;
  outputFile: string;
  /** Where the per-test hook writes (--per-test); null without it. */
  perTestFile: string | null;
  child: ResultPromise;
  /** Undefined when the process could not be started. */
  pid: number | undefined;
  /** Watching the tree from the process's birth. */
  tree: TreeWatch | null;
  /** performance.now() and Date.now() at spawn. */
  spawnedAtMs: number;
  spawnEpochMs: number;
  /** Waiting for its file on stdin. */
  standby: boolean;
  /** The tree's summed RSS at its latest sample (0 before the first). */
  rssBytes: number;
  /** Called with the tree's summed RSS at every sample, once the suite runs (the live memory guard). */
  onSample: ((rssBytes: number) => void) | null;
}

/** What starting a suite's child needs of its plan. */
export type ChildPlan = Pick<RunPlan, 'suite' | 'jest' | 'target' | 'heapCapMb' | 'sampleMs' | 'treeMs' | 'onOutput' | 'onCommand' | 'perTest' | 'env' | 'extraEnv' | 'extraNodeOptions'>;

/** The child for `plan`; with `standby`, one that loads and waits for its file (worker target only). */
export function childCommand(
  plan: ChildPlan,
  dirs: { outputFile: string; probeDir: string; perTestFile: string | null; runId: string; workDir: string },
  standby: boolean,
): JestCommand {
  const { perTestFile } = dirs;
  return jestCommand({
    file: standby ? null : plan.suite.file,
    jest: plan.jest,
    outputFile: dirs.outputFile,
    heapCapMb: plan.heapCapMb,
    probeDir: dirs.probeDir,
    nodePath: process.execPath,
    // A variant may set NODE_OPTIONS of its own (to compare Node flags); the cap and probe are still added.
    inheritedNodeOptions: plan.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS,
    extraEnv: { ...plan.env, ...plan.extraEnv, ...(perTestFile !== null ? { [PER_TEST_FILE_ENV]: perTestFile } : {}) },
    // Appended to the project's own setup files, never in their place.
    target: perTestFile !== null ? { ...plan.target, extraSetupFiles: [...(plan.target.extraSetupFiles ?? []), PER_TEST_HOOK_PATH] } : plan.target,
    extraNodeOptions: plan.extraNodeOptions,
    runId: dirs.runId,
    workDir: dirs.workDir,
  });
}

/** What makes two standby children interchangeable: the same command apart from the run folder. */
export function standbyKey(plan: ChildPlan): string | null {
  if (plan.target.kind !== 'worker') return null;
  return JSON.stringify(childCommand(plan, { outputFile: '', probeDir: '', perTestFile: plan.perTest ? '' : null, runId: '', workDir: '' }, true));
}

/** Spawns a suite child in its own process group, with its own run folder, and starts watching its tree. */
export async function startChild(plan: ChildPlan, standby: boolean): Promise<StartedChild> {
  const { execa } = await import('execa');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-'));
  const probeDir = path.join(workDir, 'probe');
  fs.mkdirSync(probeDir);
  const outputFile = path.join(workDir, 'jest.json');
  const perTestFile = plan.perTest ? path.join(workDir, 'per-test.jsonl') : null;
  // The run's mark: every process the suite starts inherits it, so one that leaves the tree is still found.
  const runId = randomBytes(8).toString('hex');
  const command = childCommand(plan, { outputFile, probeDir, perTestFile, runId, workDir }, standby);
  if (!standby) plan.onCommand?.(shellLine(command.cwd, command.env, command.argv));
  const before = pidsBefore();
  const spawnEpochMs = Date.now();
  const spawnedAtMs = performance.now();
  const child = execa(command.argv[0], command.argv.slice(1), {
    cwd: command.cwd,
    env: command.env,
    extendEnv: true,
    // Its own process group, so the whole tree can be stopped with one signal.
    detached: true,
    cleanup: false,
    // A standby child reads its file from stdin; the pipe is closed at the hand-over (EOF, as /dev/null).
    // Descriptor 3 is the child's end of a pipe whose other end only stress-run holds: when stress-run
    // dies, the child reads end-of-file and takes the suite down with it (parent-watch).
    stdio: [standby ? 'pipe' : 'ignore', plan.onOutput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
  });
  const pid = child.pid;
  const started: StartedChild = { workDir, probeDir, outputFile, perTestFile, child: child as unknown as ResultPromise, pid, tree: null, spawnedAtMs, spawnEpochMs, standby, rssBytes: 0, onSample: null };
  if (pid !== undefined) {
    started.tree = watchTree(pid, {
      sampleMs: plan.sampleMs,
      treeMs: plan.treeMs,
      startedAtMs: spawnedAtMs,
      now: () => performance.now(),
      mark: runMark(runId),
      before,
      onSample: (rssBytes) => {
        started.rssBytes = rssBytes;
        started.onSample?.(rssBytes);
      },
    });
  }
  return started;
}

/** Hands a standby child its file; the file's run starts now. */
export function handOver(started: StartedChild, plan: ChildPlan): void {
  plan.onCommand?.(`(standby pid ${started.pid}) ${plan.suite.file}`);
  started.child.stdin?.end(`${JSON.stringify({ testPath: plan.suite.file })}\n`);
}

/** Kills a started child's whole tree and removes its run folder. */
export async function discard(started: StartedChild): Promise<void> {
  if (started.pid !== undefined) await killTree(started.pid, () => started.tree?.pids() ?? [], 0, () => true);
  started.tree?.stop();
  await started.child;
  fs.rmSync(started.workDir, { recursive: true, force: true });
}

/**
 * The standby children of a run: at most `capacity` (one per slot of the schedule) wait at a time.
 * `take` gives a waiting child that fits the suite about to run (same command) and is still alive;
 * `prepare` starts one for a suite that is due later, while the current suites run; `heldBytes` is
 * what the waiting ones hold now (a parallel run counts it against its total); `dispose` kills
 * whatever still waits when the run ends or stops.
 */
export class StandbyPool {
  private waiting: Array<{ key: string; started: Promise<StartedChild | null>; child: StartedChild | null }> = [];

  constructor(private readonly capacity = 1) {}

  async take(plan: ChildPlan): Promise<StartedChild | null> {
    const key = standbyKey(plan);
    const at = this.waiting.findIndex((w) => w.key === key);
    // None fits: the oldest makes way for one that will (it would only hold memory).
    const held = this.waiting.splice(at >= 0 ? at : 0, 1)[0];
    if (!held) return null;
    const started = await held.started;
    if (!started) return null;
    const alive = started.pid !== undefined && started.child.exitCode === null && started.child.signalCode === null;
    if (held.key === key && alive) return started;
    await discard(started);
    return null;
  }

  /** Starts a standby child like `plan`'s, unless `capacity` already wait. */
  prepare(plan: ChildPlan): void {
    const key = standbyKey(plan);
    if (key === null || this.waiting.length >= this.capacity) return;
    // A standby that cannot start is no standby: the suite then starts its own child as usual.
    const entry: (typeof this.waiting)[number] = { key, started: startChild(plan, true).catch(() => null), child: null };
    void entry.started.then((child) => (entry.child = child));
    this.waiting.push(entry);
  }

  /** How many wait now. */
  get size(): number {
    return this.waiting.length;
  }

  /** The summed RSS of the waiting children's trees now. */
  heldBytes(): number {
    return this.waiting.reduce((sum, w) => sum + (w.child?.rssBytes ?? 0), 0);
  }

  async dispose(): Promise<void> {
    const held = this.waiting;
    this.waiting = [];
    for (const started of await Promise.all(held.map((w) => w.started))) if (started) await discard(started);
  }
}
