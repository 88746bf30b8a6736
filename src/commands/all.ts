import * as os from 'node:os';
import type { Deps, Io, StopSignal } from '../cli/io';
import { type Options, settingsFor } from '../cli/options';
import { selectSuites } from '../discover/discover';
import { durationsFromReport, medianPerSuite, parseShard, selectShard } from '../discover/shard';
import { errorCode, UsageError } from '../errors';
import { verboseFooter } from '../report/table';
import { createProgress } from '../report/progress-writer';
import { isOk, MB, toMb } from '../report/verdict';
import { throttleWrites } from '../report/write-throttle';
import type { JestContext } from '../discover/jest-context';
import type { SuiteTarget } from '../run/jest-command';
import type { JestSetup } from '../run/resolve-jest';
import { notRun, toSuiteResult } from '../run/suite-result';
import { runParallel } from '../schedule/parallel';
import { defaultTotalMemoryMb, type Limits, oversized, orderQueue, type Queued } from '../schedule/plan';
import { runSequential } from '../schedule/sequential';
import { peakConcurrentRssBytes } from '../schedule/timeline';
import type { RunReport, Suite, SuiteResult, SuiteRun } from '../types';
import { findSuites, jestArgsFor, relativeFile, withWorkDir } from './find-suites';
import { finish, type Output, outputFor, readReport, writeReports } from './finish';

const KILL_GRACE_MS = 2000;
const SAMPLE_MS = 50;
const TREE_MS = 250;

/** `stress-run all`: find the suites, pick this run's share, run each in its own capped process, report, exit code. */
export function runAll(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const history = options.durations === null ? null : readReport(io.cwd, options.durations);
    const suites = pickSuites(all, options, history);
    // Read the baseline before running anything, so a bad file fails in a second, not after the run.
    const baseline = options.baseline === null ? null : baselineFor(readReport(io.cwd, options.baseline), all, suites);
    const targetOf = (suite: Suite): SuiteTarget => suiteTarget(suite, context, jestArgsFor(jest, options), options.verbose);
    return runSuites(suites, jest, targetOf, baseline, history, options, io, outputFor(options, io), deps);
  });
}

/** How one suite's file runs: through Jest's own test worker where the project's Jest allows it, else Jest's CLI. */
function suiteTarget(suite: Suite, { file, context }: JestContext, jestArgs: string[], verbose: boolean): SuiteTarget {
  const project = context.projects[suite.project.index];
  if (context.testWorkerPath !== null && context.testResultPath !== null && project.workerBlocker === null) {
    return { kind: 'worker', contextFile: file, projectIndex: suite.project.index, coverageFile: null, extraSetupFiles: [], verbose };
  }
  return { kind: 'cli', jestArgs, project: suite.project.name === null ? null : project.displayName };
}

/** The suites this run runs: those named by --suite, then this shard's share of them. */
function pickSuites(all: Suite[], options: Options, history: RunReport | null): Suite[] {
  const suites = selectSuites(all, options.suites);
  if (options.shard === null) return suites;
  const durations = history === null ? undefined : durationsFromReport(history);
  const shard = parseShard(options.shard);
  const picked = selectShard(suites, shard, durations);
  if (picked.length === 0) {
    const count = suites.length;
    throw new UsageError(`Shard ${options.shard} is empty: ${count} suite${count === 1 ? '' : 's'} cannot fill ${shard.count} shards. Use fewer shards (stress-run matrix --shards n never makes an empty one).`);
  }
  return picked;
}

/** The baseline as far as this run can speak for it: the suites it runs, and any suite that no longer exists. */
function baselineFor(baseline: RunReport, all: Suite[], selected: Suite[]): RunReport {
  const exists = new Set(all.map((s) => s.name));
  const runs = new Set(selected.map((s) => s.name));
  return { ...baseline, suites: baseline.suites.filter((s) => runs.has(s.name) || !exists.has(s.name)) };
}

async function runSuites(suites: Suite[], jest: JestSetup, targetOf: (suite: Suite) => SuiteTarget, baseline: RunReport | null, history: RunReport | null, options: Options, io: Io, output: Output, deps: Deps): Promise<number> {
  const { style, human } = output;
  const startedAtMs = deps.now();
  const startedAt = new Date(startedAtMs).toISOString();
  const limits = limitsFor(options);
  const progress = await createProgress(options.quiet ? 'off' : style.progress && !options.verbose ? 'live' : 'plain', io.stderr, suites.length, limits?.totalBytes === undefined ? null : limits.totalBytes / MB, deps.now);
  const say = (text: string): void => progress.log(text);
  if (options.debug) {
    say(`stress-run: project ${jest.projectRoot}, config ${jest.configPath ?? '(none)'}, jest ${jest.jestPath}${jest.bundledJest ? ' (stress-run’s own)' : ''}\n`);
  }

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
    say(`\nstress-run: ${signal} received, stopping the running suite${limits ? 's' : ''} (again to kill ${limits ? 'them' : 'it'} at once)…\n`);
    abort.abort();
  });

  const report = (done: SuiteResult[]): RunReport => {
    const durationMs = Math.round(deps.now() - startedAtMs);
    const runs = done.flatMap((r) => r.runs ?? [r]);
    return {
      schemaVersion: 1,
      startedAt,
      durationMs,
      budgets: options.budget,
      suites: done,
      ok: done.length > 0 && done.every(isOk),
      schedule: {
        parallelism: limits?.parallelism ?? 1,
        totalMemoryMb: limits ? limits.totalBytes / MB : null,
        peakConcurrentRssBytes: peakConcurrentRssBytes(runs),
        wallMs: durationMs,
        sumSuiteMs: runs.reduce((sum, r) => sum + r.durationMs, 0),
      },
    };
  };
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  const runOne = async (suite: Suite, signal: AbortSignal, onSample?: (rssBytes: number) => void): Promise<SuiteResult> => {
    const settings = settingsFor(suite.name, options);
    if (options.verbose) human.write(`\n── ${suite.name} (${relative(suite)}) ──\n`);
    progress.started(suite.name, settings.budget.memoryMb);
    const runs: SuiteRun[] = [];
    for (let i = 0; i < options.runs && !signal.aborted; i++) {
      const runStartedAtMs = Math.round(deps.now() - startedAtMs);
      const run = await deps.runSuite(
        {
          suite,
          jest,
          target: targetOf(suite),
          heapCapMb: settings.heapCapMb,
          timeoutMs: settings.timeoutMs,
          killGraceMs: KILL_GRACE_MS,
          hurry: hurry.signal,
          sampleMs: SAMPLE_MS,
          treeMs: TREE_MS,
          onOutput: options.verbose ? (chunk, stream) => (stream === 'stdout' ? human : io.stderr).write(chunk.toString('utf8')) : null,
          onCommand: options.debug ? (line) => say(`stress-run: ${line}\n`) : null,
          onSample: (rssBytes) => {
            progress.sample(suite.name, rssBytes);
            onSample?.(rssBytes);
          },
        },
        signal,
      );
      runs.push({ ...run, startedAtMs: runStartedAtMs });
    }
    const result = toSuiteResult(suite, relative(suite), runs.length ? runs : [notRun()], settings);
    if (options.verbose) human.write(verboseFooter(result));
    progress.ended(result);
    return result;
  };
  const notStarted = (suite: Suite): SuiteResult => toSuiteResult(suite, relative(suite), [notRun()], settingsFor(suite.name, options));
  // Files on disk always read as if the run stopped now: suites not finished yet are marked not run, so
  // a run killed halfway keeps what finished and never claims ok.
  const sofar = (done: SuiteResult[]): RunReport => {
    const finished = new Map(done.map((r) => [r.name, r]));
    return report(suites.map((s) => finished.get(s.name) ?? notStarted(s)));
  };

  let results: SuiteResult[];
  const warned = new Set<string>();
  let done: SuiteResult[] = [];
  const rewrite = throttleWrites(
    () =>
      writeReports(sofar(done), options, io.cwd, (flag, file, error) => {
        if (!warned.has(flag)) say(`stress-run: warning: cannot write ${flag} file ${file}: ${errorCode(error)}; will try again at the end.\n`);
        warned.add(flag);
      }),
    deps.now,
  );
  try {
    // The first write, before any suite runs, is also the check that every report file can be written.
    writeReports(sofar([]), options, io.cwd, (flag, file, error) => {
      throw new UsageError(`Cannot write ${flag} file ${file}: ${errorCode(error)}. Pass a path in a writable folder.`);
    });
    const onResult = (_: SuiteResult, finished: SuiteResult[]): void => {
      done = finished;
      rewrite.request();
    };
    if (limits === null) {
      results = await runSequential(suites, runOne, notStarted, abort.signal, onResult);
    } else {
      const queue = queueFor(suites, history, options);
      for (const q of oversized(queue, limits)) {
        say(`stress-run: warning: ${q.name} is expected to peak at ${toMb(q.expectedPeakBytes)} MB, more than --total-memory ${limits.totalBytes / MB} MB: it will run alone.\n`);
      }
      results = await runParallel(suites.map((suite) => ({ name: suite.name, suite })), queue, limits, (p, signal, onSample) => runOne(p.suite, signal, onSample), (p) => notStarted(p.suite), abort.signal, onResult);
    }
  } finally {
    rewrite.cancel();
    progress.stop();
    unsubscribe();
  }
  return finish(report(results), options, io, output, baseline, stoppedBy);
}

/** With --parallel: how many suites at once and the memory they share; null runs one after another. */
function limitsFor(options: Options): Limits | null {
  if (options.parallel === null) return null;
  const parallelism = options.parallel === 'auto' ? os.availableParallelism() : options.parallel;
  const totalMb =
    options.totalMemoryMb ?? defaultTotalMemoryMb({ constrainedBytes: process.constrainedMemory?.(), freeBytes: os.freemem(), totalBytes: os.totalmem() });
  return { parallelism, totalBytes: totalMb * MB };
}

/** The suites in start order, each with its expected peak and time: from the history report where it has them, else its memory budget. */
function queueFor(suites: Suite[], history: RunReport | null, options: Options): Queued[] {
  const peaks = history ? medianPerSuite(history, (run) => run.peakRssBytes) : new Map<string, number>();
  const times = history ? durationsFromReport(history) : new Map<string, number>();
  return orderQueue(
    suites.map((suite) => ({
      name: suite.name,
      expectedPeakBytes: peaks.get(suite.name) || settingsFor(suite.name, options).budget.memoryMb * MB,
      expectedMs: times.get(suite.name) ?? 0,
    })),
  );
}
