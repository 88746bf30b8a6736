import { renderTable, summaryLine, testsCell, verboseFooter } from '../../../src/report/table';
import { sparkline } from '../../../src/report/sparkline';
import { verdict } from '../../../src/report/verdict';
import { articleFor } from '../../../src/base/units';
import type { RunReport, SuiteResult } from '../../../src/base/types';
import { MB, makeResult } from '../../support/make-result';

// The table's own example: 142 MB, 3.1 s, 30 passed and 1 skipped, a five-sample timeline.
const result = (over: Partial<SuiteResult> = {}): SuiteResult =>
  makeResult({
    tests: { passed: 30, failed: 0, skipped: 1, total: 31 },
    testCases: [],
    peakRssBytes: 142 * MB,
    durationMs: 3100,
    samples: [10, 50, 90, 142, 120].map((mb, i) => ({ tMs: i * 50, rssBytes: mb * MB, heapUsedBytes: null })),
    ...over,
  });
const UNKNOWN = { passed: null, failed: null, skipped: null, total: null };

describe('verdict', () => {
  it.each([
    [result(), 'PASS'],
    [result({ outcome: 'failed', tests: { passed: 3, failed: 2, skipped: 0, total: 5 } }), 'FAIL 2 tests'],
    [result({ outcome: 'failed', tests: { passed: 3, failed: 1, skipped: 0, total: 4 } }), 'FAIL 1 test'],
    [result({ outcome: 'failed', tests: { passed: 0, failed: 0, skipped: 0, total: 0 } }), 'FAIL suite error'],
    [result({ outcome: 'oom', heapCapMb: 48, tests: UNKNOWN }), 'OOM at 48 MB heap'],
    [result({ outcome: 'oom', heapCapMb: null, tests: UNKNOWN }), 'OOM (no heap cap)'],
    [result({ outcome: 'timeout', timeoutS: 60, tests: UNKNOWN }), 'TIMEOUT after 60 s'],
    [result({ outcome: 'killed', tests: UNKNOWN }), 'KILLED (SIGKILL)'],
    [result({ outcome: 'memory-killed', killAboveMb: 600, tests: UNKNOWN }), 'KILLED over 600 MB RSS'],
    [result({ outcome: 'crashed', signal: 'SIGSEGV', exitCode: null }), 'CRASHED SIGSEGV'],
    [result({ outcome: 'crashed', signal: null, exitCode: 3 }), 'CRASHED exit 3'],
    [result({ outcome: 'interrupted' }), 'INTERRUPTED'],
    [result({ peakRssBytes: 312 * MB, budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } }), 'OVER MEMORY 312/300 MB'],
    [result({ durationMs: 34_000, budget: { memoryMb: 300, timeS: 30, memoryExceeded: false, timeExceeded: true } }), 'OVER TIME 34/30 s'],
    [result({ durationMs: 340, budget: { memoryMb: 300, timeS: 0.01, memoryExceeded: false, timeExceeded: true } }), 'OVER TIME 0.3/0.01 s'],
    // Every verdict at once: how the run ended, then each budget it broke.
    [result({ outcome: 'failed', tests: { passed: 3, failed: 1, skipped: 0, total: 4 }, peakRssBytes: 312 * MB, budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } }), 'FAIL 1 test, OVER MEMORY 312/300 MB'],
    [result({ outcome: 'failed', tests: { passed: 3, failed: 2, skipped: 0, total: 5 }, peakRssBytes: 312 * MB, durationMs: 34_000, budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: true } }), 'FAIL 2 tests, OVER MEMORY 312/300 MB, OVER TIME 34/30 s'],
    [result({ outcome: 'oom', heapCapMb: 48, tests: UNKNOWN, durationMs: 34_000, budget: { memoryMb: 300, timeS: 30, memoryExceeded: false, timeExceeded: true } }), 'OOM at 48 MB heap, OVER TIME 34/30 s'],
    // What the outcome already says is not said twice: a timeout is over time, a memory kill over memory.
    [result({ outcome: 'timeout', timeoutS: 60, tests: UNKNOWN, durationMs: 60_000, budget: { memoryMb: 300, timeS: 30, memoryExceeded: false, timeExceeded: true } }), 'TIMEOUT after 60 s'],
    [result({ outcome: 'memory-killed', killAboveMb: 600, tests: UNKNOWN, peakRssBytes: 612 * MB, budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } }), 'KILLED over 600 MB RSS'],
  ])('%#: reads %s', (r, text) => {
    expect(verdict(r)).toBe(text);
  });
});

describe('articleFor', () => {
  it.each([
    [80, 'an'],
    [8, 'an'],
    [11, 'an'],
    [18, 'an'],
    [800, 'an'],
    [18_000, 'an'],
    [64, 'a'],
    [110, 'a'],
    [1_800, 'a'],
    [300, 'a'],
    [1, 'a'],
  ])('%d MB takes %s', (n, article) => {
    expect(articleFor(n)).toBe(article);
  });
});

describe('sparkline', () => {
  it('draws a timeline of 2 million samples without overflowing the stack', () => {
    const values = Array.from({ length: 2_000_000 }, (_, i) => i % 1000);
    expect(sparkline(values)).toHaveLength(12);
  });

  it('scales to the highest value and keeps the shape', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('takes the max of each slice, so a short spike is never lost', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 37 ? 100 : 10));
    const line = sparkline(values, 10);
    expect(line).toHaveLength(10);
    expect(line[3]).toBe('█');
    expect(line.replace('█', '')).toMatch(/^▂+$/);
  });

  it('is empty for no samples', () => {
    expect(sparkline([])).toBe('');
  });
});

describe('testsCell', () => {
  it('shows unknown counts as ?', () => {
    expect(testsCell(result())).toBe('30/0/1');
    expect(testsCell(result({ tests: UNKNOWN }))).toBe('?/?/?');
  });
});

describe('renderTable', () => {
  const report: RunReport = {
    schemaVersion: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 9800,
    budgets: { memoryMb: 300, timeS: 30 },
    ok: false,
    suites: [
      result(),
      result({
        name: 'clinic-isolation',
        file: 'stress-suites/clinic-isolation.stress.test.ts',
        outcome: 'oom',
        tests: UNKNOWN,
        heapCapMb: 48,
        peakRssBytes: 130 * MB,
        message: 'V8 ran out of heap under a 48 MB heap cap',
      }),
    ],
  };

  it('lays out one row per suite, the summary, then why each failing suite failed', () => {
    expect(renderTable(report, { color: false })).toMatchSnapshot();
  });

  it('shows a failing suite that went over its memory budget with both verdicts in its row', () => {
    const r = result({ outcome: 'failed', tests: { passed: 3, failed: 1, skipped: 0, total: 4 }, peakRssBytes: 312 * MB, message: 'boom', budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } });
    const text = renderTable({ ...report, suites: [r] }, { color: false });
    const row = text.split('\n').find((l) => l.includes('clinic') || l.includes(r.name))!;
    expect(row).toContain('FAIL 1 test, OVER MEMORY 312/300 MB');
  });

  it('shows the heap cap column only when some suite ran under a cap', () => {
    const head = (text: string): string => text.split('\n')[1];
    expect(head(renderTable(report, { color: false }))).toContain('heap cap');
    const uncapped = renderTable({ ...report, suites: [result({ heapCapMb: null })] }, { color: false });
    expect(head(uncapped)).not.toContain('heap cap');
    expect(uncapped).not.toContain('none');
  });

  it('uses colour codes only when asked', () => {
    expect(renderTable(report, { color: false })).not.toMatch(/\u001b\[/);
    expect(renderTable(report, { color: true })).toMatch(/\u001b\[/);
  });

  it('sums the tests of suites that reported and counts the ones that could not', () => {
    expect(summaryLine(report)).toBe('1/2 suites passed within budget · 31 tests (30 passed, 0 failed, 1 skipped, 1 suite without results) · 9.8 s');
  });
});

describe('repeated runs in the table', () => {
  it('shows the median with the min–max range of peak and time', () => {
    const runs = [100, 140, 120].map((mb, i) => ({ ...result(), peakRssBytes: mb * MB, durationMs: 1000 + i * 500 }));
    const r = result({ peakRssBytes: 120 * MB, durationMs: 1500, runs });
    const text = renderTable({ schemaVersion: 1, startedAt: '', durationMs: 0, budgets: r.budget, ok: true, suites: [r] }, { color: false });
    expect(text).toContain('120 (100–140)');
    expect(text).toContain('1.5 (1.0–2.0)');
  });
});

describe('notes under the table', () => {
  const notRun = (name: string): SuiteResult => result({ name, outcome: 'interrupted', tests: UNKNOWN, durationMs: 0, peakRssBytes: 0, samples: [], message: 'not run: stress-run was interrupted first' });
  const interrupted = (): RunReport => ({
    schemaVersion: 1,
    startedAt: '',
    durationMs: 0,
    budgets: { memoryMb: 300, timeS: 30 },
    ok: false,
    suites: [result(), result({ name: 'b', outcome: 'interrupted', message: 'stress-run was interrupted while this suite ran' }), notRun('c'), notRun('d'), notRun('e')],
  });

  it('sums up the suites that never ran in one line, each keeping only its row', () => {
    const text = renderTable(interrupted(), { color: false });
    expect(text).toContain('3 suites not run: stress-run was interrupted first.');
    expect(text).not.toContain('not run: stress-run was interrupted first\n');
    for (const name of ['c', 'd', 'e']) expect(text.split('\n').filter((line) => line.includes(` ${name} `))).toHaveLength(1);
    // The suite that was running when it stopped still says so.
    expect(text).toContain('b (stress-suites/kb-accuracy.stress.test.ts): INTERRUPTED');
  });

  it('marks a cold run in its row and explains it once', () => {
    const text = renderTable({ ...interrupted(), suites: [result({ coldCache: true }), result({ name: 'warm' })] }, { color: false });
    expect(text).toMatch(/│ kb-accuracy .*PASS · cold cache/);
    expect(text).toMatch(/│ warm .*PASS +│/);
    expect(text).toContain('cold cache: Jest transformed files or TypeScript was compiled from source during kb-accuracy, so its figures read higher than with warm caches; --warmup fills the caches before measuring.');
  });

  it('says that peak RSS is measured under the cap when a suite ran capped, and nothing when none did', () => {
    const capNote = 'Peak RSS is measured under the heap cap in force (V8 collects sooner under a lower cap); --max-heap none measures as plain Jest.';
    expect(renderTable({ ...interrupted(), suites: [result()] }, { color: false })).toContain(capNote);
    expect(renderTable({ ...interrupted(), suites: [result({ heapCapMb: null })] }, { color: false })).not.toContain(capNote);
  });
});

describe('verboseFooter', () => {
  it('closes a suite with its verdict, peak, timeline and time', () => {
    expect(verboseFooter(result())).toBe('── kb-accuracy: PASS · peak 142 MB ▁▃▅█▇ · 3.1 s ──\n');
  });
});

describe('the test a suite died in', () => {
  test('is named in the note under the table, after the verdict', () => {
    const r = makeResult({ name: 'bookings', outcome: 'oom', heapCapMb: 64, message: 'V8 ran out of heap', runningTest: 'bookings third leaks' });
    const text = renderTable({ schemaVersion: 1, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1, budgets: r.budget, suites: [r], ok: false }, { color: false });
    expect(text).toContain('bookings (stress-suites/kb-accuracy.stress.test.ts): OOM at 64 MB heap in test "bookings third leaks"');
  });

  test('a hostile test title shows its control characters as escapes', () => {
    const r = makeResult({ name: 'x', outcome: 'timeout', message: 'killed', runningTest: 'a\u001b]0;pwned\u0007 \u009b2J\nb' });
    const text = renderTable({ schedule: undefined, schemaVersion: 1, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1, budgets: r.budget, suites: [r], ok: false }, { color: false });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('in test "a\\u001b]0;pwned\\u0007 \\x9b2J\\nb"');
  });
});
