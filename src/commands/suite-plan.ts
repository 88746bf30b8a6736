// What every command that runs suites shares: the plan for one run of a suite, and stopping on signals.
import type { Io, StopSignal } from './io';
import type { Out } from '../base/out';
import type { Options } from '../config/options';
import type { JestContext } from '../discover/jest-context';
import type { SuiteTarget } from '../spawn/jest-command';
import { codeCacheDirOf } from '../child/protocol';
import { modulesAhead } from '../spawn/modules-ahead';
import type { JestSetup } from '../discover/resolve-jest';
import { readIfExists } from '../spawn/run-suite';
import { type RunPlan } from '../spawn/run-plan';
import type { Suite } from '../base/types';

const KILL_GRACE_MS = 2000;
const SAMPLE_MS = 50;
const TREE_MS = 250;

/**
 * How one suite's file runs: through Jest's own test worker where the project's Jest allows it, else
 * Jest's CLI. A worker target names the modules a standby child may load ahead for the file (`env`:
 * the suite's environment, which may change what Jest loads).
 */
export function suiteTarget(suite: Suite, { file, context }: JestContext, jestArgs: string[], verbose: boolean, coverageAt: string | null = null, env: NodeJS.ProcessEnv = {}): SuiteTarget {
  const project = context.projects[suite.project.index];
  // v8 coverage needs Jest's own conversion at the end of a run: the CLI does it, the bare test worker does not.
  const v8Coverage = coverageAt !== null && context.globalConfig.coverageProvider === 'v8';
  if (context.testWorkerPath !== null && context.testResultPath !== null && project.workerBlocker === null && !v8Coverage) {
    // A file that cannot be read loads nothing ahead; Jest reports why, in the suite.
    const ahead = modulesAhead(project.config, suite.file, readIfExists(suite.file), env);
    return { kind: 'worker', contextFile: file, projectIndex: suite.project.index, coverageFile: coverageAt, extraSetupFiles: [], verbose, ahead };
  }
  const codeCacheDir = codeCacheDirOf(project.config);
  return {
    kind: 'cli',
    jestArgs,
    project: suite.project.name === null ? null : project.displayName,
    coverageDir: coverageAt,
    ...(codeCacheDir !== null ? { codeCacheDir } : {}),
  };
}

/** The plan for one run of a suite under a heap cap and timeout; --verbose streams its output, --debug shows its command. */
export function suitePlan(suite: Suite, jest: JestSetup, target: SuiteTarget, limits: { heapCapMb: number | null; timeoutMs: number; killAboveMb?: number | null }, hurry: AbortSignal, options: Options, io: Io, human: Out): RunPlan {
  return {
    suite,
    jest,
    target,
    heapCapMb: limits.heapCapMb,
    killAboveMb: limits.killAboveMb ?? null,
    timeoutMs: limits.timeoutMs,
    killGraceMs: KILL_GRACE_MS,
    hurry,
    perTest: false,
    env: {},
    sampleMs: SAMPLE_MS,
    treeMs: TREE_MS,
    onOutput: options.verbose ? (chunk, stream) => (stream === 'stdout' ? human : io.stderr).write(chunk.toString('utf8')) : null,
    onCommand: options.debug ? (line) => io.stderr.write(`stress-run: ${line}\n`) : null,
  };
}

/** A run's reaction to SIGINT/SIGTERM/SIGHUP: the first stops the running suite (with grace), a second kills it at once. */
export interface Stopping {
  /** Aborted by the first signal. */
  abort: AbortSignal;
  /** Aborted by a second signal: no more grace. */
  hurry: AbortSignal;
  stoppedBy(): StopSignal | null;
  unsubscribe(): void;
}

/** Subscribes to the stop signals for one run; `say` shows the messages (default: stderr), `several` when suites run at once. */
export function stopOnSignals(io: Io, say: (text: string) => void = (text) => io.stderr.write(text), several = false): Stopping {
  const abort = new AbortController();
  const hurry = new AbortController();
  let stoppedBy: StopSignal | null = null;
  const unsubscribe = io.onSignal((signal) => {
    if (stoppedBy) {
      // A second signal: no more grace for a suite that ignores SIGTERM.
      say(`stress-run: ${signal} again, killing the suite's processes now…\n`);
      hurry.abort();
      return;
    }
    stoppedBy = signal;
    say(`\nstress-run: ${signal} received, stopping the running suite${several ? 's' : ''} (again to kill ${several ? 'them' : 'it'} at once)…\n`);
    abort.abort();
  });
  return { abort: abort.signal, hurry: hurry.signal, stoppedBy: () => stoppedBy, unsubscribe };
}
