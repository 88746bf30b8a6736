// Appended to the suite's own setupFilesAfterEnv under --per-test (never replacing them). Before the
// first test and after every test it settles the garbage collector (full GC, a macrotask, full GC
// again) and appends the heap left in use to <STRESS_RUN_PER_TEST_FILE>, one JSON line each:
//   {"baseline":true,"heapUsedBytes":n,"nativeContexts":n,"gcMs":n}   once, before the first test
//   {"name":"describe test","heapUsedBytes":n,"nativeContexts":n,"gcMs":n}   after each test that ran
// gcMs is the time the settling took (both GCs and the macrotask between them): stress-run takes it
// off the time it judges and adds it to the timeout, so --per-test's own cost fails no suite.
// Jest gives each test file its own copies of `process` and `global`, so everything here goes
// through Node's own modules (vm, v8, timers, fs), which reach the real process.
// Loaded inside Jest's sandbox (a setup file): Node's modules by their bare names, which Jest 26's
// module registry resolves and the node: scheme it does not.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import * as timers from 'timers';
import * as v8 from 'v8';
import { PER_TEST_FILE_ENV } from './protocol';
import { findGc } from './real-gc';

interface JestGlobals {
  beforeAll(fn: () => Promise<void>): void;
  afterEach(fn: () => Promise<void>): void;
  expect: { getState(): { currentTestName?: string } };
}

function install(file: string, jest: JestGlobals): void {
  const gc = findGc();
  // The real setImmediate, from Node's module: a suite's fake timers must not stall the hook.
  const macrotask = (): Promise<void> => new Promise((resolve) => timers.setImmediate(resolve));
  const record = async (fields: object): Promise<void> => {
    const start = performance.now();
    gc();
    await macrotask();
    gc();
    const gcMs = Math.round((performance.now() - start) * 10) / 10;
    const heap = v8.getHeapStatistics();
    try {
      fs.appendFileSync(file, JSON.stringify({ ...fields, heapUsedBytes: heap.used_heap_size, nativeContexts: heap.number_of_native_contexts, gcMs }) + '\n');
    } catch {
      // a vanished run folder must not fail the suite's tests
    }
  };
  jest.beforeAll(() => record({ baseline: true }));
  jest.afterEach(() => record({ name: jest.expect.getState().currentTestName ?? '' }));
}

// The file comes from stress-run (PER_TEST_FILE_ENV in forensics/per-test.ts).
const target = process.env[PER_TEST_FILE_ENV];
if (target) install(target, globalThis as unknown as JestGlobals);
