// The test a suite died in is named: in the table's note, the JSON (runningTest) and the JUnit failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expectNoLeftovers, removeDir, runFixtures, suiteArgs, suiteOf, tempDir, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

describe('a suite that runs out of heap in its third test, under --max-heap 64', () => {
  let run: CliResult;
  let junit: string;
  beforeAll(async () => {
    const dir = tempDir('running-test');
    try {
      run = await runFixtures([...suiteArgs('oom-third'), '--max-heap', '64', '--junit', path.join(dir, 'junit.xml')]);
      junit = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    } finally {
      removeDir(dir);
    }
  });

  test('the JSON names the running test, and marks when each test ran', () => {
    expect(run.code).toBe(1);
    const s = suiteOf(run.report, 'oom-third');
    expect(s.outcome).toBe('oom');
    expect(s.runningTest).toBe('bookings third leaks');
    expect(s.testMarks!.map((m) => m.name)).toEqual(['bookings first', 'bookings second', 'bookings third leaks']);
    const [first, second, third] = s.testMarks!;
    expect(first.endMs).not.toBeNull();
    expect(second.endMs! - second.startMs).toBeGreaterThanOrEqual(15);
    expect(third.endMs).toBeNull();
    // The marks share the samples' clock: ms since the suite's start, within its run.
    expect(first.startMs).toBeLessThanOrEqual(second.startMs);
    expect(second.endMs!).toBeLessThanOrEqual(third.startMs);
    expect(third.startMs).toBeLessThanOrEqual(s.durationMs);
  });

  test('the note under the table names it', () => {
    expect(run.stdout).toMatch(/oom-third \(.*\): OOM at 64 MB heap in test "bookings third leaks"/);
  });

  test('the JUnit error names it', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit) as {
      testsuites: { testsuite: { testcase: Array<{ name: string; error?: { message: string; '#text': string } }> } };
    };
    const cases = [parsed.testsuites.testsuite.testcase].flat();
    const died = cases.find((c) => c.error);
    expect(died!.error!.message).toBe('OOM at 64 MB heap in test "bookings third leaks"');
    expect(died!.error!['#text']).toContain('running test: bookings third leaks');
  });
});
