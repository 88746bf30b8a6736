import type { Deps, Io, StopSignal } from '../cli/io';
import { type Options, settingsFor } from '../cli/options';
import { selectSuites } from '../discover/discover';
import { durationsFromReport, parseShard, selectShard } from '../discover/shard';
import { errorCode, UsageError } from '../errors';
import { escapeControl } from '../report/escape';
import { verboseFooter } from '../report/table';
import { isOk, toMb, toSeconds } from '../report/verdict';
import type { JestContext } from '../discover/jest-context';
import type { SuiteTarget } from '../run/jest-command';
import type { JestSetup } from '../run/resolve-jest';
import { notRun, toSuiteResult } from '../run/suite-result';
import { runSequential } from '../schedule/sequential';
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
    const suites = pickSuites(all, options, io.cwd);
    // Read the baseline before running anything, so a bad file fails in a second, not after the run.
    const baseline = options.baseline === null ? null : baselineFor(readReport(io.cwd, options.baseline), all, suites);
    const targetOf = (suite: Suite): SuiteTarget => suiteTarget(suite, context, jestArgsFor(jest, options), options.verbose);
    return runSuites(suites, jest, targetOf, baseline, options, io, outputFor(options, io), deps);
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
function pickSuites(all: Suite[], options: Options, cwd: string): Suite[] {
  const suites = selectSuites(all, options.suites);
  if (options.shard === null) return suites;
  const durations = options.durations === null ? undefined : durationsFromReport(readReport(cwd, options.durations));
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

async function runSuites(suites: Suite[], jest: JestSetup, targetOf: (suite: Suite) => SuiteTarget, baseline: RunReport | null, options: Options, io: Io, output: Output, deps: Deps): Promise<number> {
  const { style, human } = output;
  const startedAtMs = deps.now();
  const startedAt = new Date(startedAtMs).toISOString();
  if (options.debug) {
    io.stderr.write(`stress-run: project ${jest.projectRoot}, config ${jest.configPath ?? '(none)'}, jest ${jest.jestPath}${jest.bundledJest ? ' (stress-run’s own)' : ''}\n`);
  }

  const abort = new AbortController();
  const hurry = new AbortController();
  let stoppedBy: StopSignal | null = null;
  const unsubscribe = io.onSignal((signal) => {
    if (stoppedBy) {
      // A second signal: no more grace for a suite that ignores SIGTERM.
      io.stderr.write(`stress-run: ${signal} again, killing the suite's processes now…\n`);
      hurry.abort();
      return;
    }
    stoppedBy = signal;
    io.stderr.write(`\nstress-run: ${signal} received, stopping the running suite (again to kill it at once)…\n`);
    abort.abort();
  });

  const report = (done: SuiteResult[]): RunReport => ({
    schemaVersion: 1,
    startedAt,
    durationMs: Math.round(deps.now() - startedAtMs),
    budgets: options.budget,
    suites: done,
    ok: done.length > 0 && done.every(isOk),
  });
  const relative = (suite: Suite): string => relativeFile(io.cwd, suite);

  const runOne = async (suite: Suite, signal: AbortSignal): Promise<SuiteResult> => {
    const settings = settingsFor(suite.name, options);
    const shown = escapeControl(suite.name);
    if (options.verbose) human.write(`\n── ${shown} (${escapeControl(relative(suite))}) ──\n`);
    if (style.progress) io.stderr.write(`▶ ${shown} …\n`);
    const runs: SuiteRun[] = [];
    for (let i = 0; i < options.runs && !signal.aborted; i++) {
      runs.push(
        await deps.runSuite(
          {
            suite,
            jest,
            target: targetOf(suite),
            heapCapMb: settings.heapCapMb,
            killAboveMb: settings.killAboveMb,
            timeoutMs: settings.timeoutMs,
            killGraceMs: KILL_GRACE_MS,
            hurry: hurry.signal,
            sampleMs: SAMPLE_MS,
            treeMs: TREE_MS,
            onOutput: options.verbose ? (chunk, stream) => (stream === 'stdout' ? human : io.stderr).write(chunk.toString('utf8')) : null,
            onCommand: options.debug ? (line) => io.stderr.write(`stress-run: ${line}\n`) : null,
          },
          signal,
        ),
      );
    }
    const result = toSuiteResult(suite, relative(suite), runs.length ? runs : [notRun()], settings);
    if (options.verbose) human.write(verboseFooter(result));
    if (style.progress) io.stderr.write(`${isOk(result) ? '✓' : '✗'} ${shown} ${toMb(result.peakRssBytes)} MB ${toSeconds(result.durationMs)} s\n`);
    return result;
  };
  const notStarted = (suite: Suite): SuiteResult => toSuiteResult(suite, relative(suite), [notRun()], settingsFor(suite.name, options));
  // Files on disk always read as if the run stopped now: suites still to come are marked not run, so
  // a run killed halfway keeps what finished and never claims ok.
  const sofar = (done: SuiteResult[]): RunReport => report([...done, ...suites.slice(done.length).map(notStarted)]);

  let results: SuiteResult[];
  try {
    // The first write, before any suite runs, is also the check that every report file can be written.
    writeReports(sofar([]), options, io.cwd, 'check', (flag, file, error) => {
      throw new UsageError(`Cannot write ${flag} file ${file}: ${errorCode(error)}. Pass a path in a writable folder.`);
    });
    const warned = new Set<string>();
    results = await runSequential(suites, runOne, notStarted, abort.signal, (_, done) =>
      writeReports(sofar(done), options, io.cwd, 'progress', (flag, file, error) => {
        if (!warned.has(flag)) io.stderr.write(`stress-run: warning: cannot write ${flag} file ${file}: ${errorCode(error)}; will try again at the end.\n`);
        warned.add(flag);
      }),
    );
  } finally {
    unsubscribe();
  }
  return finish(report(results), options, io, output, baseline, stoppedBy);
}
