// What every command that runs suites shares: its jobs (a suite, a variant, the settings worked out
// once), the plan for one run of a job, and stopping on signals.
import { runMemoryMb } from '../base/machine-memory';
import { writeName } from '../report/escape';
import type { Out } from '../base/out';
import type { Suite } from '../base/types';
import { codeCacheDirOf } from '../child/protocol';
import { type DocblockBudgets, readDocblockBudgets } from '../config/docblock';
import { type Options, type SuiteSettings, settingsFor } from '../config/options';
import type { JestContext } from '../discover/jest-context';
import type { JestSetup } from '../discover/resolve-jest';
import { neverWarmTransformers, type TransformCache, transformCacheOf } from '../measure/cold-cache';
import type { SuiteTarget } from '../spawn/jest-command';
import { modulesAhead } from '../spawn/modules-ahead';
import type { RunPlan } from '../spawn/run-plan';
import { readIfExists } from '../spawn/run-suite';
import { relativeFile } from './find-suites';
import type { Io, StopSignal } from './io';

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

/** One suite to run under one set of extra environment variables (compare's variants; none for all), with its settings worked out once. */
export interface Job {
  suite: Suite;
  env: Record<string, string>;
  /** The suite's budgets from its docblock. */
  docblock: DocblockBudgets;
  /** Its budgets, heap cap, timeout and memory guard: flag > docblock > config > default. */
  settings: SuiteSettings;
}

/** Every suite under every environment, environment by environment; docblocks read (and checked) and settings worked out once per suite. */
export function jobsFor(suites: Suite[], envs: Array<Record<string, string>>, options: Options, cwd: string): Job[] {
  // The memory this run may use, read once: every suite's default guard is the same figure.
  const memoryMb = runMemoryMb(options.totalMemoryMb);
  const own = suites.map((suite) => {
    const docblock = readDocblockBudgets(suite.file, relativeFile(cwd, suite));
    return { docblock, settings: settingsFor(suite.name, options, docblock, memoryMb) };
  });
  return envs.flatMap((env) => suites.map((suite, i) => ({ suite, env, ...own[i] })));
}

/** A job's name in the schedule (and as shown while it runs): its suite's, with compare's variant after it. */
export function jobKey({ suite, env }: Pick<Job, 'suite' | 'env'>): string {
  return suite.name + Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join('');
}

/** How one suite runs, besides its settings: the child's target, and the transform cache that tells a cold run. */
export interface SuitePlan {
  target: SuiteTarget;
  transformCache: TransformCache | null;
  /** Its project's transformers that are never warm (absolute paths; see measure/cold-cache). */
  neverWarm?: string[];
}

/** A suite's plan: its target (with where its coverage goes, if collected) and its project's transform cache. */
export function targetPlan(suite: Suite, jestContext: JestContext, jestArgs: string[], verbose: boolean, coverageAt: string | null = null, env: NodeJS.ProcessEnv = {}): SuitePlan {
  return {
    target: suiteTarget(suite, jestContext, jestArgs, verbose, coverageAt, env),
    transformCache: transformCacheOf(jestContext.context.projects[suite.project.index].config),
    neverWarm: neverWarmTransformers(jestContext.context.projects[suite.project.index]),
  };
}

/** What every run plan of a command shares: the project's Jest, the second-signal abort, and where output goes. */
export interface PlanContext {
  jest: JestSetup;
  hurry: AbortSignal;
  options: Options;
  io: Io;
  /** Where a suite's own stdout goes under --verbose. */
  human: Out;
  /** Where --debug's command lines go: through the live progress when it is drawn. */
  say: (text: string) => void;
}

/**
 * The plan for one run of a job: its settings, its variant's environment, --per-test's hook, its own
 * output streamed under --verbose and its command shown under --debug. `over` puts other limits in the
 * settings' place (floor's tries, --why-oom's second run).
 */
export function runPlanOf(job: Job, target: SuiteTarget, ctx: PlanContext, over: Partial<Pick<RunPlan, 'heapCapMb' | 'timeoutMs' | 'killAboveMb' | 'perTest' | 'onOutput'>> = {}): RunPlan {
  const { options, io, human, say } = ctx;
  return {
    suite: job.suite,
    jest: ctx.jest,
    target,
    heapCapMb: job.settings.heapCapMb,
    killAboveMb: job.settings.killAboveMb,
    timeoutMs: job.settings.timeoutMs,
    killGraceMs: KILL_GRACE_MS,
    hurry: ctx.hurry,
    perTest: options.perTest,
    growTimeoutByCpuWait: options.parallel !== null,
    env: job.env,
    sampleMs: SAMPLE_MS,
    treeMs: TREE_MS,
    onOutput: options.verbose ? (chunk, stream) => (stream === 'stdout' ? human : io.stderr).write(chunk.toString('utf8')) : null,
    onCommand: options.debug ? (line) => say(`stress-run: ${writeName(line)}\n`) : null,
    ...over,
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
