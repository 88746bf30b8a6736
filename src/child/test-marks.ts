// Appended to the setupFilesAfterEnv (never replacing the suite's own) of a suite run through Jest's
// CLI (the fallback); a suite run by the suite child takes the same marks from Jest's own test-case
// events instead, which leaves the project's config, and so its transform cache's keys, as they are. It appends one JSON
// line (TestMarkLine) to <STRESS_RUN_TEST_MARKS_FILE> as each test starts and as it ends, written
// synchronously, so the line of the test that was running is on disk when its process runs out of
// heap, times out or is killed: stress-run names that test.
//
// Registered before the test file's own hooks, its before-each runs before theirs and its after-each
// after those of the file's describe blocks. The clock is perf_hooks' (a test's fake timers replace the global
// Date and performance of its environment, not Node's modules).
import { TEST_MARKS_FILE_ENV } from './protocol';
import { appendTestMark, markNow } from './test-mark-file';

interface JestGlobals {
  beforeEach(fn: () => void): void;
  afterEach(fn: () => void): void;
  expect: { getState(): { currentTestName?: string } };
}

function install(file: string, jest: JestGlobals): void {
  const name = (): string => jest.expect.getState().currentTestName ?? '';
  jest.beforeEach(() => appendTestMark(file, { start: name(), atMs: markNow() }));
  jest.afterEach(() => appendTestMark(file, { end: name(), atMs: markNow() }));
}

/**
 * Jest's hooks: the globals, or, for a project that turns them off (injectGlobals: false), the
 * module Jest's runtime hands every file that asks for '@jest/globals' (it resolves that name itself,
 * to the running Jest's own). Null when neither is there: the suite then runs without marks.
 */
function jestGlobals(): JestGlobals | null {
  const own = globalThis as unknown as Partial<JestGlobals>;
  if (typeof own.beforeEach === 'function' && typeof own.afterEach === 'function' && own.expect) return own as JestGlobals;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@jest/globals') as JestGlobals;
  } catch {
    return null;
  }
}

const target = process.env[TEST_MARKS_FILE_ENV];
const globals = target ? jestGlobals() : null;
if (target && globals) install(target, globals);
