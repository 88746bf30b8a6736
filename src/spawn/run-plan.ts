// What one run of a suite is given: its file, its Jest, how its child is started, its limits and the
// callbacks that watch it. Plain data, shared by the spawner, the standby pool and the suite run.
import type { Suite } from '../base/types';
import type { TransformCache } from '../measure/cold-cache';
import type { JestSetup } from '../discover/resolve-jest';
import type { SuiteTarget } from './jest-command';
import type { ResultPromise } from 'execa' with { 'resolution-mode': 'import' };
import type { TreeWatch } from '../measure/tree-memory';

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
  /** --parallel: the timeout grows by the time the suite's process waited for a core (other suites', or anyone's, cost). */
  growTimeoutByCpuWait?: boolean;
  /** --per-test: append the per-test hook to the suite's setup files and read what it recorded. */
  perTest: boolean;
  /** Extra environment variables for the suite's processes (compare's variants). */
  env: Record<string, string>;
  /** Receives the child's own output when --verbose is on. */
  onOutput: ((chunk: Buffer, stream: 'stdout' | 'stderr') => void) | null;
  /** Called with the child command line (and once per stress-run whether suites get cgroups of their own), for --debug. */
  onCommand: ((line: string) => void) | null;
  /** The project's transform cache, to tell whether the run transformed files (a cold cache); null to not look. */
  transformCache?: TransformCache | null;
  /** Called every `treeMs` with the summed RSS of the suite's process tree now (for the scheduler and live progress). */
  onSample?: ((rssBytes: number) => void) | null;
  /** More Node options for every process of the suite (--why-oom adds a heap snapshot near the limit). */
  extraNodeOptions?: string[];
  /** More environment for every process of the suite (--why-oom: when the probe takes its snapshot). */
  extraEnv?: Record<string, string>;
  /** The run's standby children (worker target): one is taken when it fits; `next`, the plan of a suite due later (if any), whose child starts ahead. */
  standby?: { pool: Standby; next: () => ChildPlan | null } | null;
}

/** What starting a suite's child needs of its plan. */
export type ChildPlan = Pick<RunPlan, 'suite' | 'jest' | 'target' | 'heapCapMb' | 'sampleMs' | 'treeMs' | 'onOutput' | 'onCommand' | 'perTest' | 'env' | 'extraEnv' | 'extraNodeOptions'>;

/** A suite child that has been spawned: its process, its watch and its own run folder. */
export interface StartedChild {
  workDir: string;
  probeDir: string;
  outputFile: string;
  /** Where the per-test hook writes (--per-test); null without it. */
  perTestFile: string | null;
  /** Where every suite's test-marks hook writes each test's start and end. */
  testMarksFile: string;
  child: ResultPromise;
  /** Undefined when the process could not be started. */
  pid: number | undefined;
  /** The cgroup v2 folder the child was moved into at its spawn (spawn/suite-cgroup); null where suites get none. */
  cgroup: string | null;
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

/** The run's standby children as one suite's run uses them (spawn/standby-pool's StandbyPool). */
export interface Standby {
  /** A waiting child started with `plan`'s command, still alive; null when none fits. */
  take(plan: ChildPlan): Promise<StartedChild | null>;
  /** Starts a child for `plan` ahead of its suite, if there is room. */
  prepare(plan: ChildPlan): void;
}
