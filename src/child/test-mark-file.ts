// Writing test marks: one JSON line (TestMarkLine) per test start and end, appended synchronously,
// so the line of the test that was running is on disk when its process runs out of heap, times out
// or is killed. Used by the suite child (from Jest's own test-case events) and by the setup file
// the Jest-CLI fallback appends (child/test-marks).
// Loaded inside Jest's sandbox (a setup file): Node's modules by their bare names, which Jest 26's
// module registry resolves and the node: scheme it does not.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import type { TestMarkLine } from './protocol';

/** Appends one mark to `file`; a vanished run folder must not fail the suite's tests. */
export function appendTestMark(file: string, line: TestMarkLine): void {
  try {
    fs.appendFileSync(file, JSON.stringify(line) + '\n');
  } catch {
    // best effort
  }
}

/** Now, in epoch ms, from perf_hooks' clock (a test's fake timers replace its environment's Date, not Node's modules). */
export function markNow(): number {
  return Math.round(performance.timeOrigin + performance.now());
}

/**
 * The test marks Jest's test worker reports to its parent: jest-circus sends `test-case-start` and
 * `test-case-result` (with the test's full name) through jest-worker's messageParent, i.e.
 * `process.send([PARENT_MESSAGE_CUSTOM, [event, [testPath, info]]])`. Null for any other message.
 */
export function markOfMessage(message: unknown, atMs: number): TestMarkLine | null {
  if (!Array.isArray(message) || !Array.isArray(message[1])) return null;
  const [event, args] = message[1] as [unknown, unknown];
  const info = Array.isArray(args) ? (args[1] as { fullName?: unknown } | undefined) : undefined;
  if (typeof info?.fullName !== 'string') return null;
  if (event === 'test-case-start') return { start: info.fullName, atMs };
  if (event === 'test-case-result') return { end: info.fullName, atMs };
  return null;
}
