// What stress-run and the processes it spawns share: the entry files, the environment variables
// every child reads, the specs they are handed and the files they write. This is the only module of
// child/ that the parent imports; the child side imports it too, so both read one definition.
// Loaded inside Jest's sandbox (a setup file): Node's modules by their bare names, which Jest 26's
// module registry resolves and the node: scheme it does not.
import * as path from 'path';
import { withoutHeapFlags } from '../base/node-options';

// ── Entry files ─────────────────────────────────────────────────────────────────────────────────

/** Each child entry file, by its path below the package's compiled folder (dist/). */
export const CHILD_ENTRY = {
  /** The single-use suite child: one file through the project's own Jest test worker. */
  worker: 'child/worker-child.js',
  /** The fallback suite child (Jest < 28, custom runner, globalSetup): Jest's CLI on one file. */
  launcher: 'child/launcher.js',
  /** Preloaded (`--require`) in every Node process of a suite: heap samples and the peak at exit. */
  probe: 'child/probe.js',
  /** The setup file --per-test appends to a suite's setupFilesAfterEnv. */
  perTestHook: 'child/per-test-hook.js',
  /** The setup file appended to every suite's setupFilesAfterEnv: each test's start and end, for the test a suite died in. */
  testMarks: 'child/test-marks.js',
  /** Discovery: asks the project's Jest which files it runs, and resolves its configs. */
  context: 'child/context-child.js',
  /** The empty coverage of files no suite loaded. */
  untested: 'child/untested-child.js',
  /** Summarises a heap snapshot under a heap cap of its own (--why-oom). */
  summariser: 'child/summarise-snapshot.js',
  /** One per run, outside every suite: takes the suites down when stress-run dies, whatever they are doing. */
  runWatch: 'child/run-watch.js',
} as const;

/** The compiled folder (dist/) this module runs from once built. */
const DIST_DIR = path.join(__dirname, '..');

/** The absolute path of a child entry file once built. */
export function childEntry(entry: keyof typeof CHILD_ENTRY): string {
  return path.join(DIST_DIR, CHILD_ENTRY[entry]);
}

// ── Environment variables ───────────────────────────────────────────────────────────────────────

/** The suite child's spec (WorkerSpec, JSON). */
export const WORKER_ENV = 'STRESS_RUN_WORKER';
/** The launcher's spec (LaunchSpec, JSON or `@file`). */
export const LAUNCH_ENV = 'STRESS_RUN_LAUNCH';
/** The discovery child's spec (ContextSpec, JSON). */
export const CONTEXT_ENV = 'STRESS_RUN_CONTEXT';
/** The untested-files child's spec (UntestedSpec, JSON). */
export const UNTESTED_ENV = 'STRESS_RUN_UNTESTED';
/** Set to 1: the discovery child prints Jest's stack on a failure (--debug). */
export const DEBUG_ENV = 'STRESS_RUN_DEBUG';
/** The folder the probe writes `<pid>.jsonl` into; no probe runs without it. */
export const PROBE_DIR_ENV = 'STRESS_RUN_PROBE_DIR';
/** --why-oom's second run: the heap (bytes) at which the probe writes a snapshot … */
export const SNAPSHOT_AT_ENV = 'STRESS_RUN_SNAPSHOT_AT';
/** … and the folder it writes it into. */
export const SNAPSHOT_DIR_ENV = 'STRESS_RUN_SNAPSHOT_DIR';
/** The file the per-test hook appends its lines to (--per-test). */
export const PER_TEST_FILE_ENV = 'STRESS_RUN_PER_TEST_FILE';
/** The file the test-marks hook appends each test's start and end to (see TestMarkLine). */
export const TEST_MARKS_FILE_ENV = 'STRESS_RUN_TEST_MARKS_FILE';
/** The run's temp folders (path.delimiter-separated), for a suite child to remove when stress-run no longer can. */
export const WORK_DIR_ENV = 'STRESS_RUN_WORK_DIR';
/** For `npm run bench`: a file each suite child appends its phase ends to. */
export const TIMING_ENV = 'STRESS_RUN_TIMING';
/** What ends the name of the report Node writes into the probe folder when a process dies of a fatal error (an OOM): `<pid>.fatal.json`. */
export const FATAL_REPORT_SUFFIX = '.fatal.json';
/** The mark every process of one suite run carries, whatever it does to leave the tree (see runMark). */
export const RUN_MARK_ENV = 'STRESS_RUN_ID';
/** Set (to anything): stress-run gives its suites no cgroup of their own even where it could (see spawn/suite-cgroup), as on a machine without cgroup v2 delegation. */
export const NO_CGROUP_ENV = 'STRESS_RUN_NO_CGROUP';
/** Read by the Jest test sequencer (stress-run/sequencer) in the project's own Jest: a stress-run JSON report whose times split `jest --shard`. */
export const HISTORY_ENV = 'STRESS_RUN_HISTORY';

/** The file descriptor on which a suite child inherits its end of stress-run's pipe (its parent watch). */
export const PARENT_FD = 3;

/**
 * The `NAME=value` entry a marked process's environment holds: every process a suite starts inherits
 * it (a double fork and setsid do not shed it; only a deliberate `env -i` does), and
 * /proc/<pid>/environ shows it from outside.
 */
export function runMark(runId: string): string {
  return `${RUN_MARK_ENV}=${runId}`;
}

/**
 * The environment of a helper child (discovery, warm-up, untested files): the caller's, with the spec
 * in its one variable (JSON, or `@file` holding it) and without a heap flag in NODE_OPTIONS: such a
 * child is not a suite, and runs uncapped.
 */
export function helperChildEnv(callerEnv: NodeJS.ProcessEnv, specName: string, spec: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...callerEnv, [specName]: spec };
  const nodeOptions = withoutHeapFlags(callerEnv.NODE_OPTIONS);
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  else delete env.NODE_OPTIONS;
  return env;
}

// ── Specs ───────────────────────────────────────────────────────────────────────────────────────

/** What the suite child is asked to run. */
export interface WorkerSpec {
  /** The discovery child's output (configs and module maps). */
  contextFile: string;
  projectIndex: number;
  /** The file; '' for a standby child, which is handed it on stdin once its suite is due. */
  testPath: string;
  /** Where Jest's --json output for this one file goes. */
  outputFile: string;
  /** Where the file's coverage map goes when coverage is collected; null otherwise. */
  coverageFile: string | null;
  /** Setup files appended to the project's setupFilesAfterEnv (never replacing it). */
  extraSetupFiles: string[];
  /** Print the tests' console output as it happens and the file's failures, as Jest's CLI does (for --verbose). */
  verbose: boolean;
  /** Every worker child loads these modules before its file: a standby child while it waits (see spawn/modules-ahead); absent or empty for none. */
  ahead?: string[];
  /** A pool worker (--isolation pool): takes one `PoolHandOver` line per file on stdin until end of input, and writes a `PoolRecord` line per event on `POOL_FD`. */
  pool?: boolean;
}

/**
 * A line stress-run writes to its run watcher's stdin: a suite child's process group started (with
 * its run mark, temp folders and, where suites get one, its cgroup's folder), or gone (its tree is
 * down, its cgroup and folder removed).
 */
/** What stress-run tells its run watcher: a suite group alive or gone, and the run's own temp folder made or removed. */
export type RunWatchLine = { add: { group: number; mark: string; dirs: string[]; cgroup?: string } } | { gone: number } | { folder: string } | { folderGone: string };

/** The line a standby suite child is handed on stdin when its suite is due. */
export interface HandOver {
  testPath: string;
}

/** The line a pool worker is handed on stdin for each file, in turn: the file, and where Jest's --json output for it goes. */
export interface PoolHandOver {
  testPath: string;
  outputFile: string;
}

/** The descriptor on which a pool worker writes its records (one JSON line each) to stress-run. */
export const POOL_FD = 4;

/**
 * What a pool worker tells stress-run, one JSON line each on POOL_FD:
 * `ready` once, after Jest's test worker is set up and before the first file (the fresh baseline);
 * `test` as each test of the running file starts (names the test a worker died in);
 * `file` after each file: its figures, measured in the worker around it, and whether it passed.
 */
export type PoolRecord =
  | {
      kind: 'ready';
      /** The worker's RSS and heap in use before its first file, not settled: as a standby suite child hands over. */
      rssBytes: number;
      heapUsedBytes: number;
      /** Whether writing 5 to /proc/self/clear_refs worked: the peak during each file can be reset. */
      peakReset: boolean;
    }
  | { kind: 'test'; testPath: string; name: string }
  | {
      kind: 'file';
      testPath: string;
      /** The settled heap (forced GC) just before and just after the file: their difference is what the file left behind in the worker. */
      heapBeforeBytes: number;
      heapAfterGcBytes: number;
      /** The worker's RSS just after its peak was reset, before the file. */
      rssAtStartBytes: number;
      /** The worker's VmHWM after the file: its peak RSS during the file (since the reset). */
      peakRssBytes: number;
      /**
       * How far the file took the worker's heap in use plus external memory (Buffers) above where it
       * stood at the file's start (settled): the highest before any GC during the file, or at its end
       * (v8.GCProfiler). Memory an earlier file freed is reused without raising the RSS; this is not.
       */
      heapRiseBytes: number;
      /** The heap in use when the file's first test started, less the heap before the file: what Jest set up for the file before its tests (with its garbage); null when no test start was reported. */
      setupHeapRiseBytes: number | null;
      /** The worker's heap in use right after the file, before any forced GC: what Jest's workerIdleMemoryLimit is compared with. */
      heapUsedBytes: number;
      /** The worker's RSS after the file, once the heap settled. */
      rssAfterBytes: number;
      durationMs: number;
      /** The worker loaded one of the project's transformers during this file (its figure carries that load). */
      loadedTransformer: boolean;
      /** Jest's verdict: every test passed and the file ran. */
      success: boolean;
    };

/** What the launcher needs: Jest's package path, the Jest CLI arguments, the project root. */
export interface LaunchSpec {
  jestPath: string;
  args: string[];
  projectRoot: string;
  /** Setup files to append to the config's setupFilesAfterEnv (absolute paths); never replaces the project's. */
  extraSetupFiles?: string[];
  /** A suite's run: big modules such as TypeScript compile from the code cache in this folder (child/code-cache). */
  codeCacheDir?: string;
}

/** What the discovery child is asked to do. */
export interface ContextSpec {
  /** The project's Jest package entry (or stress-run's). */
  jestPath: string;
  projectRoot: string;
  /** Jest CLI arguments: the user's pass-through flags and --config. */
  args: string[];
  outputFile: string;
}

/** What the untested-files child is asked: the project's Jest, the discovery output, the files the suites covered, where to write. */
export interface UntestedSpec {
  jestPath: string;
  contextFile: string;
  covered: string[];
  outputFile: string;
}

// ── Files written by a child ────────────────────────────────────────────────────────────────────

/** What Jest sees of one configured transformer; null when it cannot be loaded lazily. */
export interface TransformerShape {
  /** The module exports `createTransformer` (Jest calls it with the entry's options). */
  factory: boolean;
  /** Which of the methods Jest's ScriptTransformer may call the transformer has. */
  methods: string[];
  /** Its `canInstrument` (coverage): recorded when it is a boolean. */
  canInstrument?: boolean;
  /**
   * True when its getCacheKey gave two different keys for the same file, content and options (one
   * returning Date.now(), say): Jest then transforms every file on every run, and no warm-up warms it.
   */
  neverWarm?: boolean;
}

/** One entry of a resolved ProjectConfig's `transform`: [pattern, absolute path, options]. */
export type TransformEntry = [string, string, unknown];

/** One Jest project as the discovery child found it. */
export interface ContextProject {
  /** displayName, when the config gives one. */
  displayName: string | null;
  rootDir: string;
  /** The config file that defines the project (its own, or the root config for an inline project); null when none is known. */
  configFile: string | null;
  /** The files Jest would run in this project, absolute. */
  testPaths: string[];
  /** Why this project's files cannot run through Jest's test worker directly (then each file runs as its own Jest CLI); null when they can. */
  workerBlocker: string | null;
  /** The resolved ProjectConfig, as Jest hands it to its workers. */
  config: Record<string, unknown>;
  /** The project's haste module map, as Jest hands it to its workers. */
  moduleMap: unknown;
  /** What each `config.transform` entry's transformer looks like to Jest (null: load it as Jest does), so suite children can load it lazily. */
  transformers?: Array<TransformerShape | null>;
  /** When coverage is collected: the project's files that collectCoverageFrom names (Jest reports those no test loaded as uncovered). */
  coverageFrom?: string[];
}

/** The discovery child's output file. */
export interface ContextFile {
  jestVersion: string;
  /** jest-runner's testWorker module and @jest/test-result, from the project's Jest; null when this Jest has no usable worker API. */
  testWorkerPath: string | null;
  testResultPath: string | null;
  globalConfig: Record<string, unknown>;
  /** The projects left after --selectProjects / --ignoreProjects. */
  projects: ContextProject[];
  /** How many projects the Jest config has, selected or not (suite names carry the project when there are several). */
  configuredProjects: number;
}

/** One row of a heap snapshot's summary: a constructor name (or a group such as `(string)`), how many objects, their own bytes. */
export interface SummaryEntry {
  name: string;
  count: number;
  selfSizeBytes: number;
}

/** What the summariser prints (JSON) of the heap a snapshot was taken of. */
export interface SnapshotSummary {
  /** The heaviest constructors by self size, largest first. */
  top: SummaryEntry[];
  /** `system / NativeContext` nodes: one per realm (the main one, one per vm context Jest made …). */
  nativeContexts: number;
  /** Native contexts the snapshot marks detached (their global detached from the embedder). */
  detachedContexts: number;
  nodeCount: number;
  /** Sum of every node's self size. */
  totalSelfSizeBytes: number;
}

// ── Files a suite child writes back ─────────────────────────────────────────────────────────────

/**
 * One line of the test-marks file: a test started or ended (its after-each hooks done), with Jest's
 * full test name and the wall clock in ms since the epoch. A test with a start and no end was running
 * when the process died.
 */
export type TestMarkLine = { start: string; atMs: number } | { end: string; atMs: number };

// ── Folders a child keeps in the project's Jest cache ───────────────────────────────────────────

const CODE_CACHE_DIR = 'stress-run-code-cache';

/** A project's code cache folder, beside its Jest caches (a resolved ProjectConfig's cacheDirectory); null when the project keeps no cache. */
export function codeCacheDirOf(config: { cache?: unknown; cacheDirectory?: unknown }): string | null {
  return config.cache === false || typeof config.cacheDirectory !== 'string' ? null : path.join(config.cacheDirectory, CODE_CACHE_DIR);
}
