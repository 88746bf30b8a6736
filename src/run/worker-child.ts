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
import type { ContextFile } from '../discover/context-child';
import { watchParent } from './parent-watch';

export const WORKER_ENV = 'STRESS_RUN_WORKER';

/** What the suite child is asked to run. */
export interface WorkerSpec {
  /** The discovery child's output (configs and module maps). */
  contextFile: string;
  projectIndex: number;
  testPath: string;
  /** Where Jest's --json output for this one file goes. */
  outputFile: string;
  /** Where the file's coverage map goes when coverage is collected; null otherwise. */
  coverageFile: string | null;
  /** Setup files appended to the project's setupFilesAfterEnv (never replacing it). */
  extraSetupFiles: string[];
  /** Print the tests' console output as it happens and the file's failures, as Jest's CLI does (for --verbose). */
  verbose: boolean;
}

type AnyFn = (...args: never[]) => unknown;
interface TestResultModule {
  makeEmptyAggregatedTestResult: () => Record<string, unknown> & { numFailedTestSuites: number; numRuntimeErrorTestSuites: number; success: boolean };
  addResult: (aggregated: unknown, result: unknown) => void;
  buildFailureTestResult: (testPath: string, error: unknown) => Record<string, unknown>;
  formatTestResults: (aggregated: unknown) => unknown;
}

async function runOne(spec: WorkerSpec): Promise<boolean> {
  const context = JSON.parse(fs.readFileSync(spec.contextFile, 'utf8')) as ContextFile;
  const project = context.projects[spec.projectIndex];
  const config = { ...project.config };
  if (spec.extraSetupFiles.length) {
    config.setupFilesAfterEnv = [...((config.setupFilesAfterEnv as string[] | undefined) ?? []), ...spec.extraSetupFiles];
  }
  // Verbose: Jest writes the tests' console straight to the terminal instead of buffering it for a reporter.
  const globalConfig = spec.verbose ? { ...context.globalConfig, verbose: true } : context.globalConfig;
  const fromWorker = createRequire(context.testWorkerPath!);
  const testWorker = fromWorker(context.testWorkerPath!) as { setup: AnyFn; worker: AnyFn };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const results = require(context.testResultPath!) as TestResultModule;
  const formatTestResults = (results as unknown as { default?: AnyFn }).default ?? results.formatTestResults;

  // Jest's worker reports test-case events to its parent; with nobody listening, they go nowhere.
  if (typeof process.send !== 'function') (process as { send?: unknown }).send = () => true;

  let result: Record<string, unknown> & { testResults?: unknown[]; coverage?: unknown };
  try {
    await testWorker.setup({ serializableResolvers: [{ config, serializableModuleMap: project.moduleMap }] } as never);
    result = (await testWorker.worker({ config, globalConfig, path: spec.testPath, context: {} } as never)) as typeof result;
    // As Jest's scheduler judges a file that ran.
    if (!result.testResults?.length && !result.testExecError) {
      const message = 'Your test suite must contain at least one test.';
      result = failure(results, fromWorker, spec.testPath, { message, stack: message }, config, globalConfig);
    }
  } catch (error) {
    result = failure(results, fromWorker, spec.testPath, error, config, globalConfig);
  }
  if (spec.coverageFile !== null && result.coverage) fs.writeFileSync(spec.coverageFile, JSON.stringify(result.coverage));
  const aggregated = results.makeEmptyAggregatedTestResult();
  results.addResult(aggregated, result);
  aggregated.success = aggregated.numFailedTestSuites === 0 && aggregated.numRuntimeErrorTestSuites === 0;
  // No Jest reporter runs here: the file's failures always go to stderr (stress-run keeps the tail for
  // its notes), and with --verbose the verdict and totals too, in Jest's words.
  if (typeof result.failureMessage === 'string' && result.failureMessage) process.stderr.write(`${result.failureMessage}\n`);
  if (spec.verbose) process.stderr.write(summaryLines(spec.testPath, String(config.rootDir), aggregated));
  fs.writeFileSync(spec.outputFile, JSON.stringify((formatTestResults as AnyFn)(aggregated as never)));
  return aggregated.success;
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
  const raw = process.env[WORKER_ENV];
  delete process.env[WORKER_ENV];
  if (!raw) {
    process.stderr.write(`stress-run worker: ${WORKER_ENV} is not set\n`);
    process.exitCode = 2;
    return;
  }
  const spec = JSON.parse(raw) as WorkerSpec;
  // As Jest's own bin does: suites see the same NODE_ENV as under a plain `npx jest`.
  if (process.env.NODE_ENV == null) process.env.NODE_ENV = 'test';
  runOne(spec).then(
    // A pool worker is ended by Jest once its file is done, whatever the tests left running.
    (success) => process.exit(success ? 0 : 1),
    (error: unknown) => {
      process.stderr.write(`stress-run worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
