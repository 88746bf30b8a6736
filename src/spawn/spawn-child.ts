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
import { childEntry, PER_TEST_FILE_ENV, runMark, TEST_MARKS_FILE_ENV, WORK_DIR_ENV } from '../child/protocol';
import { groupGone, watchGroup } from './run-watch';
import { endSuiteCgroup, joinSuiteCgroup } from './suite-cgroup';
import { killTree } from './kill-tree';
import type { ChildPlan, StartedChild } from './run-plan';
import { pidsBefore, type TreeWatch, watchTree } from '../measure/tree-memory';

/** The child for `plan`; with `standby`, one that loads and waits for its file (worker target only). */
export function childCommand(
  plan: ChildPlan,
  dirs: { outputFile: string; probeDir: string; perTestFile: string | null; testMarksFile: string; runId: string; workDir: string },
  standby: boolean,
): JestCommand {
  const { perTestFile } = dirs;
  // Every suite marks its tests' starts and ends (the test a suite dies in is named): the suite child from
  // Jest's own test-case events, Jest's CLI through a setup file. --per-test adds its hook.
  const marks = plan.target.kind === 'cli' ? [childEntry('testMarks')] : [];
  const setupFiles = [...(plan.target.extraSetupFiles ?? []), ...marks, ...(perTestFile !== null ? [childEntry('perTestHook')] : [])];
  return jestCommand({
    file: standby ? null : plan.suite.file,
    jest: plan.jest,
    outputFile: dirs.outputFile,
    heapCapMb: plan.heapCapMb,
    probeDir: dirs.probeDir,
    nodePath: process.execPath,
    // A variant may set NODE_OPTIONS of its own (to compare Node flags); the cap and probe are still added.
    inheritedNodeOptions: plan.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS,
    extraEnv: { ...plan.env, ...plan.extraEnv, [TEST_MARKS_FILE_ENV]: dirs.testMarksFile, ...(perTestFile !== null ? { [PER_TEST_FILE_ENV]: perTestFile } : {}) },
    // Appended to the project's own setup files, never in their place.
    target: { ...plan.target, extraSetupFiles: setupFiles },
    extraNodeOptions: plan.extraNodeOptions,
    runId: dirs.runId,
    workDir: dirs.workDir,
  });
}

/** What makes two standby children interchangeable: the same command apart from the run folder. */
export function standbyKey(plan: ChildPlan): string | null {
  if (plan.target.kind !== 'worker') return null;
  return JSON.stringify(childCommand(plan, { outputFile: '', probeDir: '', perTestFile: plan.perTest ? '' : null, testMarksFile: '', runId: '', workDir: '' }, true));
}

/** Spawns a suite child in its own process group, with its own run folder, and starts watching its tree. */
export async function startChild(plan: ChildPlan, standby: boolean): Promise<StartedChild> {
  const { execa } = await import('execa');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-'));
  const probeDir = path.join(workDir, 'probe');
  fs.mkdirSync(probeDir);
  const outputFile = path.join(workDir, 'jest.json');
  const perTestFile = plan.perTest ? path.join(workDir, 'per-test.jsonl') : null;
  const testMarksFile = path.join(workDir, 'test-marks.jsonl');
  // The run's mark: every process the suite starts inherits it, so one that leaves the tree is still found.
  const runId = randomBytes(8).toString('hex');
  const command = childCommand(plan, { outputFile, probeDir, perTestFile, testMarksFile, runId, workDir }, standby);
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
    // A pool worker writes its records on descriptor 4 (POOL_FD).
    stdio: [standby ? 'pipe' : 'ignore', plan.onOutput ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(isPool(plan) ? (['pipe'] as const) : [])],
    buffer: false,
    reject: false,
  });
  const pid = child.pid;
  // Into a cgroup of its own at once, where the machine allows: Node is still starting, nothing of the suite runs yet.
  const cgroup = pid === undefined ? null : joinSuiteCgroup(pid, runId, plan.onCommand);
  const started: StartedChild = { workDir, probeDir, outputFile, perTestFile, testMarksFile, child: child as unknown as ResultPromise, pid, cgroup, tree: null, spawnedAtMs, spawnEpochMs, standby, rssBytes: 0, onSample: null };
  if (pid !== undefined) {
    // Its own group, led by it: if stress-run dies, the run watcher takes the group (and the cgroup) down.
    watchGroup(pid, runMark(runId), (command.env[WORK_DIR_ENV] ?? workDir).split(path.delimiter), cgroup);
    started.tree = watchTree(pid, {
      sampleMs: plan.sampleMs,
      treeMs: plan.treeMs,
      startedAtMs: spawnedAtMs,
      now: () => performance.now(),
      mark: runMark(runId),
      cgroup,
      before,
      onSample: (rssBytes) => {
        started.rssBytes = rssBytes;
        started.onSample?.(rssBytes);
      },
    });
  }
  return started;
}

/** Whether the plan starts a pool worker (several files in turn, records on POOL_FD). */
export function isPool(plan: ChildPlan): boolean {
  return plan.target.kind === 'worker' && plan.target.pool === true;
}

/** Hands a standby child its file; the file's run starts now. */
export function handOver(started: StartedChild, plan: ChildPlan): void {
  plan.onCommand?.(`(standby pid ${started.pid}) ${plan.suite.file}`);
  started.child.stdin?.end(`${JSON.stringify({ testPath: plan.suite.file })}\n`);
}

/** Kills a started child's whole tree and removes its run folder and cgroup. */
export async function discard(started: StartedChild): Promise<void> {
  if (started.pid !== undefined) await killTree(started.pid, () => started.tree?.pids() ?? [], 0, () => true);
  started.tree?.stop();
  await started.child;
  await endSuiteCgroup(started.cgroup);
  fs.rmSync(started.workDir, { recursive: true, force: true });
  if (started.pid !== undefined) groupGone(started.pid);
}
