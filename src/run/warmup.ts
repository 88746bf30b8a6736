// --warmup: before anything is measured, the selected files run once through the project's own Jest
// (its CLI and worker pool), with results and output thrown away, so that every transform cache is
// warm and every measured run is alike (hyperfine's --warmup is the model). Nothing of the project is
// changed by it: snapshots are not written (--ci), and no coverage report is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAUNCHER_PATH } from './jest-command';
import { killTree } from './kill-tree';
import { LAUNCH_ENV, type LaunchSpec } from './launcher';
import { withoutHeapFlags } from './node-options';
import type { JestSetup } from './resolve-jest';

/** What the warm-up runs: the project's Jest with the run's Jest arguments, on these files. */
export interface WarmupRequest {
  jest: JestSetup;
  jestArgs: string[];
  files: string[];
  /** A folder of this run's own, for the launch spec. */
  workDir: string;
  env: NodeJS.ProcessEnv;
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
  };
  // A file, not the variable itself: a long list of paths would pass the size one variable may have.
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const env: NodeJS.ProcessEnv = { ...request.env, [LAUNCH_ENV]: `@${specFile}` };
  const nodeOptions = withoutHeapFlags(request.env.NODE_OPTIONS);
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  else delete env.NODE_OPTIONS;
  const startedAtMs = performance.now();
  const child = execa(process.execPath, [LAUNCHER_PATH], {
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
  try {
    const ended = await child;
    return { exitCode: ended.exitCode ?? null, durationMs: Math.round(performance.now() - startedAtMs) };
  } finally {
    abort.removeEventListener('abort', stop);
    // Jest's workers leave with it; anything a test left behind goes too.
    if (pid !== undefined) await killTree(pid, () => [], 0, () => true);
  }
}
