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
}

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

/** One point of the memory timeline: ms since spawn, summed RSS of the tree, heap used where known. */
export interface Sample {
  tMs: number;
  rssBytes: number;
  heapUsedBytes: number | null;
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
  budget: Budget & { memoryExceeded: boolean; timeExceeded: boolean };
  /** Every run when --runs > 1 (each one a fresh process); absent for a single run. */
  runs?: SuiteRun[];
}

/** The whole report: what --json writes. Field names are a public interface (schema/report.v1.json). */
export interface RunReport {
  schemaVersion: 1;
  startedAt: string;
  durationMs: number;
  budgets: Budget;
  suites: SuiteResult[];
  ok: boolean;
}
