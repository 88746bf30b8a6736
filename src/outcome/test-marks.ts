// The test-marks file (child/test-marks) read back: when each test ran, and which one was running
// when the suite's process ended without finishing it.
import type { Outcome, TestMark } from '../base/types';
import type { TestMarkLine } from '../child/protocol';

/** Each test's start and end from the file's lines, in ms since `zeroEpochMs` (the suite's start), in the order they started; unreadable lines are skipped. */
export function parseTestMarks(text: string, zeroEpochMs: number): TestMark[] {
  const marks: TestMark[] = [];
  const open = new Map<string, TestMark[]>();
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: TestMarkLine;
    try {
      line = JSON.parse(raw) as TestMarkLine;
    } catch {
      continue; // a line cut short as the process died
    }
    if (!line || typeof line.atMs !== 'number') continue;
    const at = Math.max(0, Math.round(line.atMs - zeroEpochMs));
    if ('start' in line && typeof line.start === 'string') {
      const mark: TestMark = { name: line.start, startMs: at, endMs: null };
      marks.push(mark);
      open.set(line.start, [...(open.get(line.start) ?? []), mark]);
    } else if ('end' in line && typeof line.end === 'string') {
      // The earliest open test of that name (test.concurrent and retries may repeat a name).
      const waiting = open.get(line.end);
      const mark = waiting?.shift();
      if (mark) mark.endMs = Math.max(mark.startMs, at);
    }
  }
  return marks;
}

/** The outcomes in which a suite's process ended in the middle of its run. */
const DIED: readonly Outcome[] = ['oom', 'timeout', 'killed', 'memory-killed', 'crashed', 'interrupted'];

/** The test that was running when the run died: the last one started that never ended; null when the run did not die, or no test was running. */
export function runningTestOf(outcome: Outcome, marks: TestMark[]): string | null {
  if (!DIED.includes(outcome)) return null;
  for (let i = marks.length - 1; i >= 0; i--) if (marks[i].endMs === null) return marks[i].name;
  return null;
}
