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
import * as timers from 'node:timers';
import * as v8 from 'node:v8';
import { installCodeCache } from './code-cache';
import { installLazyTransformers, loadAhead } from './lazy-transformers';
import { takeChildSpec } from './child-spec';
import { watchParent } from './parent-watch';
import { appendTestMark, markNow, markOfMessage } from './test-mark-file';
import { codeCacheDirOf, type ContextFile, type HandOver, POOL_FD, type PoolHandOver, type PoolRecord, TEST_MARKS_FILE_ENV, TIMING_ENV, type TransformEntry, WORKER_ENV, type WorkerSpec } from './protocol';
import { findGc } from './real-gc';

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

/** Jest's test worker, set up with the discovered configs, ready to run files one after another. */
interface Prepared {
  run(testPath: string, outputFile: string): Promise<boolean>;
  transformPaths: string[];
}

/** Loads Jest's test worker and sets it up for the spec's project (a setup error fails every file it runs). */
async function prepare(spec: WorkerSpec): Promise<Prepared> {
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
  const transform = (config.transform as TransformEntry[] | undefined) ?? [];
  if (project.transformers) installLazyTransformers(transform, project.transformers, require);
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

  const run = async (testPath: string, outputFile: string): Promise<boolean> => {
    let result: Record<string, unknown> & { testResults?: unknown[]; coverage?: unknown };
    try {
      if (setupError) throw setupError.error;
      result = (await testWorker.worker({ config, globalConfig, path: testPath, context: {} } as never)) as typeof result;
      // As Jest's scheduler judges a file that ran.
      if (!result.testResults?.length && !result.testExecError) {
        const message = 'Your test suite must contain at least one test.';
        result = failure(results, fromWorker, testPath, { message, stack: message }, config, globalConfig);
      }
    } catch (error) {
      result = failure(results, fromWorker, testPath, error, config, globalConfig);
    }
    mark('ran');
    if (spec.coverageFile !== null && result.coverage) fs.writeFileSync(spec.coverageFile, JSON.stringify(result.coverage));
    const aggregated = results.makeEmptyAggregatedTestResult();
    results.addResult(aggregated, result);
    aggregated.success = aggregated.numFailedTestSuites === 0 && aggregated.numRuntimeErrorTestSuites === 0;
    // No Jest reporter runs here: the file's failures always go to stderr (stress-run keeps the tail for
    // its notes), and with --verbose the verdict and totals too, in Jest's words.
    if (typeof result.failureMessage === 'string' && result.failureMessage) process.stderr.write(`${result.failureMessage}\n`);
    if (spec.verbose) process.stderr.write(summaryLines(testPath, String(config.rootDir), aggregated));
    fs.writeFileSync(outputFile, JSON.stringify((formatTestResults as AnyFn)(aggregated as never)));
    mark('written');
    return aggregated.success;
  };
  // As Node's module cache keys them (symbolic links resolved), so a load during a file can be seen there.
  const transformPaths = transform.flatMap(([, file]) => {
    try {
      return [require.resolve(file)];
    } catch {
      return [];
    }
  });
  return { run, transformPaths };
}

/** Runs the file; resolves whether it passed, or null when a standby child was dismissed without one. */
async function runOne(spec: WorkerSpec): Promise<boolean | null> {
  const prepared = await prepare(spec);
  // Every suite child loads what Jest is sure to load for its file before running it, as Jest's own
  // worker loads the transformers before the file: a standby child ahead of its suite, a child
  // started for its file right now. The same order in both keeps a suite's memory figures the same.
  loadAllAhead(spec);
  // A standby child has loaded all of the above ahead of its suite; now it waits to be handed its file.
  if (!spec.testPath) {
    const handed = await new LineReader(0).next();
    if (handed === null) return null;
    spec.testPath = (JSON.parse(handed) as HandOver).testPath;
    mark('handed');
  }
  return prepared.run(spec.testPath, spec.outputFile);
}

function loadAllAhead(spec: WorkerSpec): void {
  for (const file of spec.ahead ?? []) {
    try {
      loadAhead(file, require);
    } catch {
      // Jest loads it again for the file, and reports what is wrong with it in the suite's result.
    }
  }
  mark('ahead');
}

/** One record line to stress-run on POOL_FD (a full pipe is waited out, not dropped). */
function sendRecord(record: PoolRecord): void {
  const line = Buffer.from(`${JSON.stringify(record)}\n`);
  let at = 0;
  while (at < line.length) {
    try {
      at += fs.writeSync(POOL_FD, line, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

/** This process's VmRSS and VmHWM from /proc/self/status (Linux); the RSS Node reports elsewhere. */
function ownMemory(): { rssBytes: number; hwmBytes: number } {
  try {
    const status = fs.readFileSync('/proc/self/status', 'latin1');
    const kb = (name: string): number | null => {
      const m = new RegExp(`^${name}:\\s*(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : null;
    };
    const rss = kb('VmRSS') ?? process.memoryUsage.rss();
    return { rssBytes: rss, hwmBytes: kb('VmHWM') ?? rss };
  } catch {
    const rss = process.memoryUsage.rss();
    return { rssBytes: rss, hwmBytes: rss };
  }
}

/** Resets this process's peak RSS (VmHWM) to its RSS now: Linux 4.0+, a writable /proc. */
function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * A pool worker (--isolation pool): Jest's test worker set up once, then one file after another as
 * stress-run hands them over, as in Jest's own worker pool. Around each file it resets the peak
 * RSS, and afterwards reads the peak and settles the heap (forced GC): what the file took while it
 * ran, and what it left behind in the worker. The settling after one file is the heap before the
 * next; before the first file nothing is settled (see `ready` below).
 */
async function runPool(spec: WorkerSpec): Promise<void> {
  const prepared = await prepare(spec);
  loadAllAhead(spec);
  const gc = findGc();
  // One forced full GC, then a macrotask (V8 frees Buffers' memory in a task of its own) and a
  // minor GC, which brings V8's count of external memory up to date: without it the previous file's
  // freed Buffers still counted at the next file's start (a file after one holding 260 MB of Buffers
  // read ~190 MB where it peaks at 330 MB alone). A second full GC did the same at about 25 ms of CPU
  // per file, a third of what a small file costs Jest's own pool; the minor GC costs about 1 ms.
  const macrotask = (): Promise<void> => new Promise((resolve) => timers.setImmediate(resolve));
  const settle = async (): Promise<number> => {
    gc();
    await macrotask();
    gc({ type: 'minor' });
    await macrotask();
    return v8.getHeapStatistics().used_heap_size;
  };
  // The test that starts, as Jest's circus reports it to its parent: the name a dying worker leaves behind.
  let running = '';
  // The heap in use when the running file's first test started (null until then): what Jest set up for the file before its tests.
  let heapAtFirstTest: number | null = null;
  (process as { send?: unknown }).send = (message: unknown): boolean => {
    const mark = markOfMessage(message, markNow());
    if (mark && 'start' in mark) {
      heapAtFirstTest ??= v8.getHeapStatistics().used_heap_size;
      sendRecord({ kind: 'test', testPath: running, name: mark.start });
    }
    return true;
  };
  const peakReset = resetPeak();
  // The settled heap after one file is the settled heap before the next: nothing runs in between, so
  // each file costs one settling, not two. Before the first file the heap is left as it is, in the
  // state a standby suite child hands over in (Jest and the transformers loaded, their garbage not
  // collected): the first file's rise is then what a file run alone rises by, and the worker's
  // baseline and fileOverheadBytes carry that to its later files. Settled here instead, the first
  // file rose by ~10 MB less than alone on a ts-jest project (V8 grew the heap less after a forced
  // full GC) and by ~5 MB more on commander.js.
  let settled = v8.getHeapStatistics().used_heap_size;
  sendRecord({ kind: 'ready', heapUsedBytes: settled, rssBytes: ownMemory().rssBytes, peakReset });
  const reader = new LineReader(0);
  for (;;) {
    const line = await reader.next();
    if (line === null) return;
    const handed = JSON.parse(line) as PoolHandOver;
    running = handed.testPath;
    heapAtFirstTest = null;
    const heapBeforeBytes = settled;
    // A lazy transformer's stand-in is in the module cache from the start; the real one replaces it when first used.
    const cached = new Map(prepared.transformPaths.map((file) => [file, require.cache[file]]));
    const heldBefore = heapBeforeBytes + process.memoryUsage().external;
    // Every GC during the file, with the heap just before it: where the heap peaked.
    const profiler = typeof v8.GCProfiler === 'function' ? new v8.GCProfiler() : null;
    profiler?.start();
    resetPeak();
    const rssAtStartBytes = ownMemory().rssBytes;
    const startedAt = performance.now();
    const success = await prepared.run(handed.testPath, handed.outputFile);
    const durationMs = Math.round(performance.now() - startedAt);
    const { hwmBytes } = ownMemory();
    const heapUsedBytes = v8.getHeapStatistics().used_heap_size;
    const gcs = (profiler?.stop() as { statistics?: Array<{ beforeGC?: { heapStatistics?: { usedHeapSize?: number; externalMemory?: number } } }> } | undefined)?.statistics ?? [];
    const heldPeak = Math.max(
      heapUsedBytes + process.memoryUsage().external,
      ...gcs.map((gc) => (gc.beforeGC?.heapStatistics?.usedHeapSize ?? 0) + (gc.beforeGC?.heapStatistics?.externalMemory ?? 0)),
    );
    const heapAfterGcBytes = (settled = await settle());
    const loadedTransformer = prepared.transformPaths.some((file) => require.cache[file] !== undefined && require.cache[file] !== cached.get(file));
    sendRecord({
      kind: 'file',
      testPath: handed.testPath,
      heapBeforeBytes,
      heapAfterGcBytes,
      heapUsedBytes,
      rssAtStartBytes,
      peakRssBytes: Math.max(hwmBytes, rssAtStartBytes),
      heapRiseBytes: Math.max(0, heldPeak - heldBefore),
      setupHeapRiseBytes: heapAtFirstTest === null ? null : heapAtFirstTest - heapBeforeBytes,
      rssAfterBytes: ownMemory().rssBytes,
      durationMs,
      loadedTransformer,
      success,
    });
  }
}

/** Lines from a descriptor, one at a time (null at end of input); the descriptor is read directly, so no process.stdin stream is created for the tests to inherit. */
class LineReader {
  private pending = '';
  private ended = false;
  private readonly buffer = Buffer.alloc(64 * 1024);

  constructor(private readonly fd: number) {}

  async next(): Promise<string | null> {
    for (;;) {
      const end = this.pending.indexOf('\n');
      if (end >= 0) {
        const line = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 1);
        return line;
      }
      if (this.ended) return null;
      const n = await new Promise<number>((resolve, reject) => {
        const attempt = (): void =>
          fs.read(this.fd, this.buffer, 0, this.buffer.length, null, (e, bytes) => {
            // A non-blocking pipe with nothing in it yet: ask again shortly.
            if (e && (e as NodeJS.ErrnoException).code === 'EAGAIN') setTimeout(attempt, 5);
            else if (e) reject(e);
            else resolve(bytes);
          });
        attempt();
      });
      if (n === 0) this.ended = true;
      else this.pending += this.buffer.toString('utf8', 0, n);
    }
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
  (spec.pool ? runPool(spec).then(() => null) : runOne(spec)).then(
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
