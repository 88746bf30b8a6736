// The single-use suite child: runs exactly one test file through the project's own Jest test worker
// (jest-runner's testWorker, the code Jest's worker pool runs), with the configs that discovery
// resolved once for the whole run, then writes Jest's --json output for that file and exits, as a
// pool worker does when Jest ends it. Skipping Jest's CLI, config reading and file crawl in every
// suite's process is what makes one process per file affordable.
//
// Spec in STRESS_RUN_WORKER (JSON), removed before any test code runs.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { installCodeCache } from './code-cache';
import { installLazyTransformers, loadAhead } from './lazy-transformers';
import { takeChildSpec } from './child-spec';
import { watchParent } from './parent-watch';
import { appendTestMark, markNow, markOfMessage } from './test-mark-file';
import { codeCacheDirOf, type ContextFile, type HandOver, TEST_MARKS_FILE_ENV, TIMING_ENV, type TransformEntry, WORKER_ENV, type WorkerSpec } from './protocol';

type AnyFn = (...args: never[]) => unknown;

/**
 * Where the child's time goes, for `npm run bench`: with STRESS_RUN_TIMING=<file> set, each child
 * appends one line at exit of its phases' ends (ms since the process began, and CPU ms used by then).
 */
let timingFile: string | undefined;
const marks: Record<string, [number, number]> = {};
function mark(phase: string): void {
  if (!timingFile) return;
  const cpu = process.cpuUsage();
  marks[phase] = [Math.round(performance.now()), Math.round((cpu.user + cpu.system) / 1000)];
  if (phase === 'written') fs.appendFileSync(timingFile, `${JSON.stringify(marks)}\n`);
}
interface TestResultModule {
  makeEmptyAggregatedTestResult: () => Record<string, unknown> & { numFailedTestSuites: number; numRuntimeErrorTestSuites: number; success: boolean };
  addResult: (aggregated: unknown, result: unknown) => void;
  buildFailureTestResult: (testPath: string, error: unknown) => Record<string, unknown>;
  formatTestResults: (aggregated: unknown) => unknown;
}

/** Runs the file; resolves whether it passed, or null when a standby child was dismissed without one. */
async function runOne(spec: WorkerSpec): Promise<boolean | null> {
  const context = JSON.parse(fs.readFileSync(spec.contextFile, 'utf8')) as ContextFile;
  mark('started');
  const project = context.projects[spec.projectIndex];
  const config = { ...project.config };
  if (spec.extraSetupFiles.length) {
    config.setupFilesAfterEnv = [...((config.setupFilesAfterEnv as string[] | undefined) ?? []), ...spec.extraSetupFiles];
  }
  // TypeScript and other big modules compile from a code cache instead of being parsed in every suite.
  const codeCacheDir = codeCacheDirOf(config);
  if (codeCacheDir !== null) installCodeCache(codeCacheDir);
  // Verbose: Jest writes the tests' console straight to the terminal instead of buffering it for a reporter.
  const globalConfig = spec.verbose ? { ...context.globalConfig, verbose: true } : context.globalConfig;
  // Transformers no file of this suite needs are never loaded (Jest would load them all).
  if (project.transformers) installLazyTransformers((config.transform as TransformEntry[] | undefined) ?? [], project.transformers, require);
  const fromWorker = createRequire(context.testWorkerPath!);
  const testWorker = fromWorker(context.testWorkerPath!) as { setup: AnyFn; worker: AnyFn };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const results = require(context.testResultPath!) as TestResultModule;
  const formatTestResults = (results as unknown as { default?: AnyFn }).default ?? results.formatTestResults;

  mark('loaded');
  // Jest's worker reports test-case events to its parent: each test's start and end become test marks
  // (the test a suite dies in is named), the rest go nowhere. No setup file does it: one would change
  // the project's config, and with it the key of every file in Jest's transform cache.
  if (typeof process.send !== 'function') {
    const marks = process.env[TEST_MARKS_FILE_ENV];
    (process as { send?: unknown }).send = (message: unknown): boolean => {
      const mark = marks ? markOfMessage(message, markNow()) : null;
      if (mark) appendTestMark(marks!, mark);
      return true;
    };
  }

  let setupError: { error: unknown } | null = null;
  try {
    await testWorker.setup({ serializableResolvers: [{ config, serializableModuleMap: project.moduleMap }] } as never);
  } catch (error) {
    setupError = { error };
  }
  mark('setup');
  // A standby child has loaded all of the above ahead of its suite; now it waits to be handed its file.
  if (!spec.testPath) {
    for (const file of spec.ahead ?? []) {
      try {
        loadAhead(file, require);
      } catch {
        // Jest loads it again for the file, and reports what is wrong with it in the suite's result.
      }
    }
    mark('ahead');
    const handed = await readHandOver();
    if (handed === null) return null;
    spec.testPath = handed.testPath;
    mark('handed');
  }

  let result: Record<string, unknown> & { testResults?: unknown[]; coverage?: unknown };
  try {
    if (setupError) throw setupError.error;
    result = (await testWorker.worker({ config, globalConfig, path: spec.testPath, context: {} } as never)) as typeof result;
    // As Jest's scheduler judges a file that ran.
    if (!result.testResults?.length && !result.testExecError) {
      const message = 'Your test suite must contain at least one test.';
      result = failure(results, fromWorker, spec.testPath, { message, stack: message }, config, globalConfig);
    }
  } catch (error) {
    result = failure(results, fromWorker, spec.testPath, error, config, globalConfig);
  }
  mark('ran');
  if (spec.coverageFile !== null && result.coverage) fs.writeFileSync(spec.coverageFile, JSON.stringify(result.coverage));
  const aggregated = results.makeEmptyAggregatedTestResult();
  results.addResult(aggregated, result);
  aggregated.success = aggregated.numFailedTestSuites === 0 && aggregated.numRuntimeErrorTestSuites === 0;
  // No Jest reporter runs here: the file's failures always go to stderr (stress-run keeps the tail for
  // its notes), and with --verbose the verdict and totals too, in Jest's words.
  if (typeof result.failureMessage === 'string' && result.failureMessage) process.stderr.write(`${result.failureMessage}\n`);
  if (spec.verbose) process.stderr.write(summaryLines(spec.testPath, String(config.rootDir), aggregated));
  fs.writeFileSync(spec.outputFile, JSON.stringify((formatTestResults as AnyFn)(aggregated as never)));
  mark('written');
  return aggregated.success;
}

/** The hand-over line on stdin (`{"testPath": …}`); null at end of input without one. */
async function readHandOver(): Promise<HandOver | null> {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    // Reading the descriptor itself: no process.stdin stream is created for the tests to inherit.
    const n = await new Promise<number>((resolve, reject) => {
      const attempt = (): void =>
        fs.read(0, buffer, 0, buffer.length, null, (e, bytes) => {
          // A non-blocking pipe with nothing in it yet: ask again shortly.
          if (e && (e as NodeJS.ErrnoException).code === 'EAGAIN') setTimeout(attempt, 5);
          else if (e) reject(e);
          else resolve(bytes);
        });
      attempt();
    });
    if (n === 0) return null;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    const text = Buffer.concat(chunks).toString('utf8');
    const end = text.indexOf('\n');
    if (end >= 0) return JSON.parse(text.slice(0, end)) as HandOver;
  }
}

/** `PASS file` and Jest's `Tests:` line for one file. */
function summaryLines(testPath: string, rootDir: string, a: Record<string, unknown>): string {
  const n = (key: string): number => Number(a[key] ?? 0);
  const parts = [
    n('numFailedTests') && `${n('numFailedTests')} failed`,
    n('numPendingTests') && `${n('numPendingTests')} skipped`,
    n('numTodoTests') && `${n('numTodoTests')} todo`,
    n('numPassedTests') && `${n('numPassedTests')} passed`,
    `${n('numTotalTests')} total`,
  ].filter(Boolean);
  return `${a.success ? 'PASS' : 'FAIL'} ${path.relative(rootDir, testPath)}\nTests:       ${parts.join(', ')}\n`;
}

/** A file that could not run, as Jest's scheduler records one: a test-execution failure with Jest's formatted message. */
function failure(
  results: TestResultModule,
  fromWorker: NodeJS.Require,
  testPath: string,
  error: unknown,
  config: Record<string, unknown>,
  globalConfig: Record<string, unknown>,
): Record<string, unknown> {
  // Frames of this file are stress-run's, not the user's: Jest would show them as a code frame.
  const own = (stack: unknown): unknown => (typeof stack === 'string' ? stack.split('\n').filter((line) => !line.includes(__filename)).join('\n') : stack);
  if (error && typeof error === 'object' && 'stack' in error) (error as { stack: unknown }).stack = own(error.stack);
  const result = results.buildFailureTestResult(testPath, error);
  try {
    const util = fromWorker('jest-message-util') as { formatExecError: AnyFn };
    result.failureMessage = util.formatExecError(result.testExecError as never, config as never, globalConfig as never, testPath as never);
  } catch {
    const e = error as { message?: string; stack?: string };
    result.failureMessage = e?.stack ?? e?.message ?? String(error);
  }
  return result;
}

function main(): void {
  // First thing: if stress-run dies, this child takes the whole suite down with it.
  watchParent();
  const spec = takeChildSpec<WorkerSpec>(WORKER_ENV, 'worker');
  if (spec === null) return;
  timingFile = process.env[TIMING_ENV];
  delete process.env[TIMING_ENV];
  runOne(spec).then(
    // A pool worker is ended by Jest once its file is done, whatever the tests left running.
    (success) => exitWhenWritten(success === null || success ? 0 : 1),
    (error: unknown) => {
      process.stderr.write(`stress-run worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      exitWhenWritten(1);
    },
  );
}

/**
 * Exits once stdout and stderr have handed every queued byte to the kernel. Their pipes are
 * non-blocking: a write the pipe takes only in part leaves the rest queued in this process, and
 * process.exit() would drop it (a test's 256 KB console.log line, most of a flood). stress-run
 * reads both pipes to their end, so the queue always drains; if stress-run dies meanwhile, the
 * parent watch ends this process.
 */
function exitWhenWritten(code: number): void {
  const pending = (): boolean => [process.stdout, process.stderr].some((s) => !s.destroyed && s.writableLength > 0);
  const poll = (): void => {
    if (pending()) setTimeout(poll, 5);
    else process.exit(code);
  };
  poll();
}

if (require.main === module) main();
