// The plain data that flows between stress-run's stages: Options → Suite[] → SuiteResult[] → reporters.

/** How a suite's run ended. Budgets are judged separately (see SuiteResult.budget). */
export type Outcome =
  | 'passed' // the tests ran and all passed
  | 'failed' // assertions failed, or a suite error (syntax error, no tests …)
  | 'oom' // V8 heap out of memory (SIGABRT / exit 134 with V8's fatal text)
  | 'timeout' // stress-run killed the tree after --timeout
  | 'killed' // SIGKILL from outside (kernel OOM killer, container)
  | 'memory-killed' // stress-run's live memory guard killed the tree over --kill-above
  | 'crashed' // any other signal or exit without results
  | 'interrupted'; // stress-run itself was stopped (Ctrl-C / SIGTERM) before or during this suite

/** A discovered stress suite. */
export interface Suite {
  /** Path relative to --dir with the test suffix removed, '/'-separated: `kb-accuracy`, `api/login`. */
  name: string;
  /** Absolute path of the test file. */
  file: string;
  /** The Jest project that runs the file: its index among the project's Jest configs, and its label when there are several. */
  project: { index: number; name: string | null };
}

/** Memory and time budget for one suite. */
export interface Budget {
  memoryMb: number;
  timeS: number;
  /** With --per-test: MB per test a probable leak may retain (absent: no leak budget). */
  leakMb?: number;
}

/** Where each of a suite's budgets came from: `--memory-budget`, `docblock, line 3`, `config budgets["x"]`, `config`, `default` (the built-in one), or `none`. */
export type BudgetSources = Record<'memoryMb' | 'timeS' | 'leakMb', string>;

/** Test counts from Jest's JSON. null means unknown (no JSON: crash, OOM, kill), never zero. */
export interface TestCounts {
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  total: number | null;
}

/** One Jest test case, as Jest's JSON reports it (for JUnit and failure messages). */
export interface TestCase {
  /** Describe-block titles, outermost first. */
  ancestors: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'todo';
  durationMs: number | null;
  failureMessages: string[];
}

/** Peak figures of one process in the suite's tree. */
export interface ProcessPeak {
  pid: number;
  ppid: number | null;
  command: string;
  /** Kernel high-water mark (VmHWM / ru_maxrss) where known, else the highest sampled RSS. */
  peakRssBytes: number;
  /** V8 heap_size_limit, where the probe saw it. */
  heapLimitBytes: number | null;
  /** Highest V8 heapUsed the probe saw. */
  heapUsedPeakBytes: number | null;
}

/**
 * Where one Node process's resident memory went at one moment: one process.memoryUsage() and one
 * v8.getHeapStatistics(), read back to back, so heap + external + rest is that moment's RSS.
 */
export interface MemoryBreakdown {
  pid: number;
  /** Milliseconds since spawn. */
  tMs: number;
  rssBytes: number;
  /** V8 heap in use by JavaScript objects: what --max-old-space-size bounds. */
  heapUsedBytes: number;
  /** Memory outside the V8 heap held by JavaScript objects: Buffers, ArrayBuffers, native bindings (V8's `external`). */
  externalBytes: number;
  /** The part of externalBytes held by ArrayBuffers and Buffers. */
  arrayBuffersBytes: number;
  /** RSS − heap used − external: code, native allocations, the heap's free and fragmented pages. Negative when external memory is allocated but not yet touched. */
  restBytes: number;
  /** V8 native contexts alive: the main one, and one per vm context (Jest makes one per test file). */
  nativeContexts: number;
  /** Contexts V8 was told to detach that are still alive: a leak. */
  detachedContexts: number;
}

/** One point of the memory timeline: ms since spawn, summed RSS of the tree, heap used where known. */
export interface Sample {
  tMs: number;
  rssBytes: number;
  /** V8 heap used, summed over the tree's Node processes the probe saw; null where none had a recent reading. */
  heapUsedBytes: number | null;
  /** With several Node processes in the tree: the heaviest one's own heap used (null where it had no recent reading); absent when one Node process ran, whose heap heapUsedBytes is. */
  processHeapUsedBytes?: number | null;
}

/** When one test ran: from its start (before its before-each hooks) to its end (after its after-each hooks), in ms since the suite's start (as Sample.tMs). */
export interface TestMark {
  /** Jest's full test name: describe titles and the test title, space-separated. */
  name: string;
  startMs: number;
  /** null: the test never ended (the suite died in it). */
  endMs: number | null;
}

/** The heap one test left behind (--per-test): settled heap after it, minus settled heap before it. */
export interface PerTestHeap {
  /** Jest's full test name: describe titles and the test title, space-separated. */
  name: string;
  /** Settled heap after this test minus after the one before (before the first test, for the first); negative when it freed. */
  retainedBytes: number;
  /** Settled V8 heap used after the test. */
  heapUsedBytes: number;
  /** V8 native contexts alive after the test (a leaked Jest environment or vm context shows here). */
  nativeContexts: number;
}

/** Whether a suite's settled heap grows test after test (--per-test). */
export interface Leak {
  /** Theil–Sen slope of the settled heap over the test index: bytes retained per test. */
  slopeBytesPerTest: number;
  /** Share of tests after which the settled heap grew by more than noise (0–1). */
  growthShare: number;
  /** A probable leak: growthShare above ⅔ and a slope above the noise floor. */
  flagged: boolean;
}

/** The facts of one run of one suite. */
export interface SuiteRun {
  outcome: Outcome;
  tests: TestCounts;
  testCases: TestCase[];
  /** Peak of the summed RSS of every live process in the tree, never below one process's kernel peak. */
  peakRssBytes: number;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  /** A one-paragraph explanation: Jest's failure text, the OOM, the signal … null when passed. */
  message: string | null;
  processes: ProcessPeak[];
  samples: Sample[];
  /** True when Jest transformed files during the run (its transform cache changed) or a big module such as TypeScript was compiled for the code cache: the figures read higher than warm; absent otherwise. */
  coldCache?: boolean;
  /** The project's transformers whose getCacheKey gives a new key on every call, relative to the working directory: Jest transforms every file on every run, so coldCache is theirs, and --warmup cannot help; absent when none. */
  neverWarmTransformers?: string[];
  /** With --per-test: the heap each test left behind, in the order they ran. */
  perTest?: PerTestHeap[];
  /** With --per-test: the leak fit over perTest (null when fewer than 3 tests were measured). */
  leak?: Leak | null;
  /** With --per-test: the time the forced GCs after each test took, in all (ms): --per-test's own cost, not the suite's. */
  perTestGcMs?: number;
  /** With --per-test: durationMs without perTestGcMs; with --parallel, also without cpuWaitMs: the time judged against the time budget (durationMs stays as measured). */
  judgedDurationMs?: number;
  /** Linux: how long the suite's own process was runnable but waiting for a core (its run-queue delay), in ms: time that grows with whatever else runs on the machine. Absent where unknown. */
  cpuWaitMs?: number;
  /** Each test's start and end, in the order they started (absent when none was recorded). */
  testMarks?: TestMark[];
  /** The test that was running when the suite ran out of heap, timed out, was killed, crashed or was interrupted; absent otherwise, or when no test was running then. */
  runningTest?: string;
  /** When this run's process was started, in ms after the whole run started (to line up the timelines of suites that ran at once); absent when it never started. */
  startedAtMs?: number;
  /** The heaviest Node process's memory at its highest sampled heap use; null when no probe sample was seen. */
  memoryAtHeapPeak?: MemoryBreakdown | null;
  /** The same process's memory as it exited; null when it died without running exit handlers (OOM, SIGKILL). */
  memoryAtExit?: MemoryBreakdown | null;
  /**
   * Where the figures were measured: `file`, the file alone in its own process (peakRssBytes is exact);
   * `pool`, in a long-lived worker among other files (--isolation pool/auto: peakRssBytes is an
   * estimate, see PoolFigures). Absent in runs of --isolation file and in older reports: `file`.
   */
  measuredIn?: 'file' | 'pool';
  /** --isolation pool/auto: what the file left behind in its worker, the settled heap (forced GC) after it minus before it; summed over --runs in a result. */
  leftInWorkerBytes?: number;
  /** --isolation pool/auto: the file's figures in its pool worker. */
  pool?: PoolFigures;
}

/**
 * A file's figures in its pool worker. The estimate (peakRssBytes of a pool row) is
 * baselineRssBytes + max(peakInWorkerBytes − rssAtStartBytes, heapRiseBytes + fileOverheadBytes + sharedLoadBytes):
 * a fresh worker, plus what the file took.
 */
export interface PoolFigures {
  /** Which worker of the run ran it (1-based, in the order workers were started). */
  worker: number;
  /** That worker's RSS when fresh, before its first file. */
  baselineRssBytes: number;
  /** The worker's RSS at the file's start (after its peak was reset). */
  rssAtStartBytes: number;
  /** The worker tree's peak RSS during the file: its kernel high-water mark since the reset, never below the tree's sampled sum. */
  peakInWorkerBytes: number;
  /** How far the file took the worker's heap in use plus external memory above where it stood at its start (0 when the worker died in it): a floor under the estimate, since memory an earlier file freed is reused without raising the RSS. */
  heapRiseBytes: number;
  /** What running a file costs its worker beyond the heap and external memory it takes (young-generation space, code, native), measured on the worker's first file; added to heapRiseBytes for the floor. */
  fileOverheadBytes: number;
  /** What Jest loaded once for the worker's first file and kept, which a file alone loads itself: the heap that file left in the worker, up to how much more its heap had grown before its first test than this file's had before its own; added to the floor (0 for the worker's first file). Absent in reports written before it was measured. */
  sharedLoadBytes?: number;
  /** The worker's settled heap before and after the file (before a worker's first file: its heap in use, not settled); null when the worker died in it. */
  heapBeforeBytes: number | null;
  heapAfterGcBytes: number | null;
  /** The worker's heap in use right after the file, before any forced GC (what Jest's workerIdleMemoryLimit is compared with); null when it died in it. */
  heapUsedAfterBytes: number | null;
  /** The file started processes of its own: their memory is only sampled, and the estimate is unreliable. */
  spawnedProcesses: boolean;
  /** The file was the first of its worker to load one of the project's transformers: the estimate carries that load. */
  loadedTransformer: boolean;
  /** The worker died in this file: the test that was running (null when none had started); null when it did not die. */
  died: { test: string | null } | null;
}

/** One pool worker's life in a pool run: its fresh baseline and, after every file it ran, its settled heap and RSS, in order. */
export interface PoolWorkerHistory {
  /** 1-based, in the order workers were started. */
  worker: number;
  /** Which of --runs it served (1-based). */
  run: number;
  baselineRssBytes: number;
  /** Its heap in use before its first file, not settled (as a standby suite child hands over). */
  baselineHeapBytes: number;
  files: Array<{ file: string; heapAfterGcBytes: number; rssBytes: number }>;
  /** How it ended: every file done; recycled (its settled heap went over the worker memory limit); died in a file; stopped (the run was stopped). */
  ended: 'done' | 'recycled' | 'died' | 'stopped';
  /** When it died: the file and the test it was running. */
  diedIn?: { file: string; test: string | null };
}

/** How a run isolated its files (--isolation pool or auto); absent for --isolation file. */
export interface Isolation {
  mode: 'pool' | 'auto';
  /** Files at once: the pool's workers. */
  workers: number;
  /** The worker memory limit a worker was recycled over (the project's workerIdleMemoryLimit, or --worker-memory-limit), in MB; null for none. */
  workerMemoryLimitMb: number | null;
  /** A workerIdleMemoryLimit for the project's Jest config, from the settled heaps measured; null when none was measured. */
  suggestedWorkerIdleMemoryLimitMb: number | null;
  /** Every worker of the run, in the order they started. */
  history: PoolWorkerHistory[];
  /** auto: the suites run again alone, each with why. */
  confirmed: Array<{ name: string; why: string }>;
}

/** The single result record every reporter reads. With --runs N, the figures are medians of `runs`. */
export interface SuiteResult extends SuiteRun {
  name: string;
  /** The Jest project's displayName, when the Jest config has several projects. */
  project?: string;
  /** The test file, relative to the working directory. */
  file: string;
  heapCapMb: number | null;
  /** The live memory guard in force (--kill-above), in MB of tree RSS; null for none. Absent in older reports. */
  killAboveMb?: number | null;
  /** The --timeout in force for this suite, in seconds. */
  timeoutS: number;
  budget: Budget & { memoryExceeded: boolean; timeExceeded: boolean; leakExceeded?: boolean };
  /** Where each budget came from (absent in older reports): `default` is the built-in one, which `stress-run budgets` replaces with measured ones. */
  sources?: BudgetSources;
  /** Every run when --runs > 1 (each one a fresh process); absent for a single run. */
  runs?: SuiteRun[];
  /** --parallel: true when its time was measured while other suites shared the cores (it grows with them), false when measured alone; absent without --parallel. */
  timeContended?: boolean;
  /** --parallel: the time it took beside other suites, when that was over its time budget and it was timed again alone (durationMs is the time alone, which is judged). */
  contendedDurationMs?: number;
  /** `stress-run floor`: the smallest --max-old-space-size at which the suite passed; null when none was found. */
  heapFloorMb?: number | null;
  /** `stress-run floor`: every run of the search, in order. */
  floorTries?: FloorTry[];
  /** --why-oom: what the heap held when the suite ran out of it, from a heap snapshot. */
  oomSummary?: OomSummary | null;
}

/** One run of a suite under one heap cap, in the heap-floor search. */
export interface FloorTry {
  capMb: number;
  outcome: Outcome;
  peakRssBytes: number;
  durationMs: number;
  /** The highest V8 heap used of any process of that run, where the probe saw it. */
  heapUsedPeakBytes?: number | null;
}

/** A heap snapshot taken near the heap limit, summarised as the DevTools "Summary" view. */
export interface OomSummary {
  /** The snapshot file, kept for DevTools (Memory tab → Load). */
  snapshot: string;
  /** Self size and count by constructor name, largest self size first (the top 10). */
  top: Array<{ name: string; count: number; selfSizeBytes: number }>;
  nativeContexts: number;
  detachedContexts: number;
}

/** The whole report: what --json writes. Field names are a public interface (schema/report.v1.json). */
export interface RunReport {
  schemaVersion: 1;
  startedAt: string;
  durationMs: number;
  budgets: Budget;
  suites: SuiteResult[];
  ok: boolean;
  /** Set by `merge`: how many reports, and whether durationMs is their wall-clock span or (start times unreadable) their sum. */
  merged?: { reports: number; duration: 'span' | 'sum' };
  /** `stress-run compare` only: the suites under each variant's environment (`suites` holds them all, labelled). */
  variants?: Variant[];
  /** How the run was scheduled and what that cost (absent in reports of older versions; in a merge, the shards' schedules merged, see report/merge). */
  schedule?: Schedule;
  /** --isolation pool or auto: the pool's workers and what they accumulated. */
  isolation?: Isolation;
}

/** One variant of `stress-run compare`: the extra environment, and the suites as a run report holds them. */
export interface Variant {
  env: Record<string, string>;
  suites: SuiteResult[];
}

/** How a run was scheduled: how many suites at once, under which total, and what it cost. */
export interface Schedule {
  /** The most suites that could run at once (1 for one after another). */
  parallelism: number;
  /** The total memory budget the running suites shared; null when suites ran one after another. */
  totalMemoryMb: number | null;
  /** The highest summed RSS of the suites running at the same moment. */
  peakConcurrentRssBytes: number;
  /** Wall time of the run. */
  wallMs: number;
  /** The sum of every suite run's own time: wallMs against it is what running at once saved. */
  sumSuiteMs: number;
}
