// --warmup: before anything is measured, the selected files run once through the project's own Jest
// (its CLI and worker pool), with results and output thrown away, so that every transform cache is
// warm and every measured run is alike (hyperfine's --warmup is the model). Nothing of the project is
// changed by it: snapshots are not written (--ci), and no coverage report is written. Then one suite
// child of each kind the run starts loads what it would load ahead of a suite and is dismissed:
// that fills the code cache (child/code-cache) under the suites' own V8 flags, which Jest's pool,
// under other flags and without stress-run's child, cannot.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { killTree } from './kill-tree';
import { childEntry, helperChildEnv, LAUNCH_ENV, type LaunchSpec } from '../child/protocol';
import type { JestSetup } from '../discover/resolve-jest';
import { discard, standbyKey, startChild } from './spawn-child';
import { type ChildPlan } from './run-plan';

/** What the warm-up runs: the project's Jest with the run's Jest arguments, on these files. */
export interface WarmupRequest {
  jest: JestSetup;
  jestArgs: string[];
  files: string[];
  /** A folder of this run's own, for the launch spec. */
  workDir: string;
  env: NodeJS.ProcessEnv;
  /** How the run's suite children are started, in start order: one of each kind is started once afterwards. */
  children: ChildPlan[];
}

/**
 * The Jest arguments of the warm-up run: the run's own, no snapshot writes, no coverage report.
 * Only flags of Jest's global config are added: a project-config flag (--silent, --coverageDirectory)
 * changes the transform cache's key, and the warm-up would fill a cache the suites never read.
 */
export function warmupArgs(jestArgs: string[], files: string[]): string[] {
  const ci = jestArgs.includes('--ci') ? [] : ['--ci'];
  return [...jestArgs, ...ci, '--coverageReporters', 'none', '--coverageThreshold', '{}', '--runTestsByPath', ...new Set(files)];
}

/** Runs the files once through the project's Jest, waits for it, and discards what it says; stops it at once on abort. */
export async function warmup(request: WarmupRequest, abort: AbortSignal): Promise<{ exitCode: number | null; durationMs: number }> {
  const { execa } = await import('execa');
  const specFile = path.join(request.workDir, 'warmup-launch.json');
  const spec: LaunchSpec = {
    jestPath: request.jest.jestPath,
    args: warmupArgs(request.jestArgs, request.files),
    projectRoot: request.jest.projectRoot,
    // Suites run through Jest's CLI get the test-marks setup file, which is part of the config Jest keys
    // its transform cache by: the warm-up runs with it too, or it would fill a cache they never read.
    ...(request.children.length > 0 && request.children.every((c) => c.target.kind === 'cli') ? { extraSetupFiles: [childEntry('testMarks')] } : {}),
  };
  // A file, not the variable itself: a long list of paths would pass the size one variable may have.
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const env = helperChildEnv(request.env, LAUNCH_ENV, `@${specFile}`);
  const startedAtMs = performance.now();
  const child = execa(process.execPath, [childEntry('launcher')], {
    cwd: request.jest.projectRoot,
    env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    stdio: 'ignore',
    reject: false,
  });
  const pid = child.pid;
  const stop = (): void => {
    if (pid !== undefined) void killTree(pid, () => [], 0, () => true);
  };
  if (abort.aborted) stop();
  else abort.addEventListener('abort', stop, { once: true });
  let exitCode: number | null;
  try {
    exitCode = (await child).exitCode ?? null;
  } finally {
    abort.removeEventListener('abort', stop);
    // Jest's workers leave with it; anything a test left behind goes too.
    if (pid !== undefined) await killTree(pid, () => [], 0, () => true);
  }
  await warmChildren(request.children, abort);
  return { exitCode, durationMs: Math.round(performance.now() - startedAtMs) };
}

/**
 * Starts one suite child of each distinct command (as a standby child: it loads the transformer,
 * environment and runner its suite needs) with no file to run, and waits for it to leave; stops it
 * at once on abort. Children that run Jest's CLI (no standby) are skipped.
 */
export async function warmChildren(plans: ChildPlan[], abort: AbortSignal): Promise<void> {
  const seen = new Set<string>();
  for (const plan of plans) {
    const key = standbyKey(plan);
    if (key === null || seen.has(key) || abort.aborted) continue;
    seen.add(key);
    const started = await startChild(plan, true);
    // No file: it loads, reads the end of its input, and exits.
    started.child.stdin?.end();
    let discarded: Promise<void> | null = null;
    const stop = (): void => void (discarded ??= discard(started));
    abort.addEventListener('abort', stop, { once: true });
    try {
      await started.child;
    } finally {
      abort.removeEventListener('abort', stop);
      // Anything it left goes too, and its run folder.
      await (discarded ??= discard(started));
    }
  }
}
