import { renderJson } from '../../../src/report/json';
import { mergeReports, parseReport } from '../../../src/report/merge';
import { summaryLine } from '../../../src/report/table';
import type { Isolation, PoolWorkerHistory } from '../../../src/base/types';
import { MB, makeDeath, makePoolFigures, makeReport, makeResult } from '../../support/make-result';

describe('mergeReports', () => {
  const shard1 = makeReport([makeResult({ name: 'kb-accuracy' }), makeResult({ name: 'tenancy' })], {
    startedAt: '2025-01-01T10:00:05.000Z',
    durationMs: 30_000,
  });
  const shard2 = makeReport([makeResult({ name: 'booking' }), makeDeath('oom', { name: 'redaction' })], {
    startedAt: '2025-01-01T10:00:00.000Z',
    durationMs: 20_000,
    budgets: { memoryMb: 512, timeS: 60 },
  });

  it('puts the suites of every shard in name order', () => {
    expect(mergeReports([shard1, shard2]).suites.map((s) => s.name)).toEqual(['booking', 'kb-accuracy', 'redaction', 'tenancy']);
  });

  it('starts at the earliest start and lasts from there to the latest end', () => {
    const merged = mergeReports([shard1, shard2]);
    expect(merged.startedAt).toBe('2025-01-01T10:00:00.000Z');
    // shard 2 runs 10:00:00 to 10:00:20, shard 1 10:00:05 to 10:00:35.
    expect(merged.durationMs).toBe(35_000);
    expect(merged.merged).toEqual({ reports: 2, duration: 'span' });
    expect(summaryLine(merged)).toMatch(/ · 35\.0 s \(span of 2 merged reports: first start to last end\)$/);
  });

  it('keeps the pool sections of shards that ran a pool, each shard’s workers numbered after the earlier ones’', () => {
    const worker = (n: number, file: string): PoolWorkerHistory => ({ worker: n, run: 1, baselineRssBytes: 55 * MB, baselineHeapBytes: 6 * MB, files: [{ file, heapAfterGcBytes: 9 * MB, rssBytes: 70 * MB }], ended: 'done' });
    const isolation = (over: Partial<Isolation>): Isolation => ({ mode: 'pool', workers: 2, workerMemoryLimitMb: null, suggestedWorkerIdleMemoryLimitMb: 64, history: [], confirmed: [], ...over });
    const a = makeReport([makeResult({ name: 'a1', measuredIn: 'pool', pool: makePoolFigures(1) }), makeResult({ name: 'a2', measuredIn: 'pool', pool: makePoolFigures(2) })], {
      isolation: isolation({ history: [worker(1, '/p/a1.js'), worker(2, '/p/a2.js')] }),
    });
    const b = makeReport([makeResult({ name: 'b1', measuredIn: 'pool', pool: makePoolFigures(1) })], {
      isolation: isolation({ mode: 'auto', workers: 1, suggestedWorkerIdleMemoryLimitMb: 96, history: [worker(1, '/p/b1.js')], confirmed: [{ name: 'b0', why: 'it failed' }] }),
    });
    const merged = mergeReports([a, b, shard1]);
    expect(merged.isolation).toMatchObject({ mode: 'auto', workers: 2, suggestedWorkerIdleMemoryLimitMb: 96, confirmed: [{ name: 'b0', why: 'it failed' }] });
    expect(merged.isolation!.history.map((w) => [w.worker, w.files[0].file])).toEqual([[1, '/p/a1.js'], [2, '/p/a2.js'], [3, '/p/b1.js']]);
    expect(merged.suites.filter((s) => s.pool).map((s) => [s.name, s.pool!.worker])).toEqual([['a1', 1], ['a2', 2], ['b1', 3]]);
    expect(mergeReports([shard1, shard2]).isolation).toBeUndefined();
  });

  it('adds the durations up when a start time cannot be read', () => {
    const merged = mergeReports([shard1, { ...shard2, startedAt: 'yesterday' }]);
    expect(merged.durationMs).toBe(50_000);
    expect(summaryLine(merged)).toMatch(/ · 50\.0 s \(sum of 2 merged reports\)$/);
    expect(merged.startedAt).toBe(shard1.startedAt);
  });

  it('keeps the budgets of the first report and judges ok again over all suites', () => {
    const merged = mergeReports([shard1, shard2]);
    expect(merged.budgets).toEqual({ memoryMb: 300, timeS: 30 });
    expect(merged.ok).toBe(false);
    expect(merged.schemaVersion).toBe(1);
    const lying = { ...shard2, ok: true, suites: [makeResult({ name: 'x', outcome: 'failed' })] };
    expect(mergeReports([shard1, lying]).ok).toBe(false);
    expect(mergeReports([shard1, { ...shard2, suites: [makeResult({ name: 'booking' })] }]).ok).toBe(true);
  });

  it("merges the shards' schedules: the most slots and memory, the highest peak of one machine, the span, the summed suite time", () => {
    const withSchedule = (r: typeof shard1, schedule: NonNullable<typeof shard1.schedule>): typeof shard1 => ({ ...r, schedule });
    const a = withSchedule(shard1, { parallelism: 2, totalMemoryMb: 1000, peakConcurrentRssBytes: 900, wallMs: 30_000, sumSuiteMs: 50_000 });
    const b = withSchedule(shard2, { parallelism: 2, totalMemoryMb: 1200, peakConcurrentRssBytes: 700, wallMs: 20_000, sumSuiteMs: 35_000 });
    expect(mergeReports([a, b]).schedule).toEqual({ parallelism: 2, totalMemoryMb: 1200, peakConcurrentRssBytes: 900, wallMs: 35_000, sumSuiteMs: 85_000 });
    // A report without one (an older version) leaves the merge without a schedule rather than a wrong one.
    expect(mergeReports([a, shard2]).schedule).toBeUndefined();
  });

  it('refuses a suite that appears in two reports, naming it', () => {
    const again = makeReport([makeResult({ name: 'tenancy' })]);
    expect(() => mergeReports([shard1, again])).toThrow("Suite 'tenancy' is in more than one report");
  });

  it('refuses an empty list of reports', () => {
    expect(() => mergeReports([])).toThrow('No reports to merge');
  });
});

describe('parseReport', () => {
  const report = makeReport([makeResult(), makeDeath('timeout', { name: 'slow' })]);

  it('reads back what --json writes', () => {
    expect(parseReport(renderJson(report), 'report.json')).toEqual(report);
  });

  it('fills in the lists a report may leave out', () => {
    const { testCases, processes, samples, ...slim } = report.suites[0];
    const parsed = parseReport(JSON.stringify({ ...report, suites: [slim] }), 'slim.json');
    expect(parsed.suites[0]).toMatchObject({ testCases: [], processes: [], samples: [] });
  });

  const broken: Array<[string, string, string]> = [
    ['not JSON', '{"schemaVersion": 1,', 'bad.json is not JSON ('],
    ['a list', '[]', 'bad.json is not a stress-run report: the report must be an object, got [].'],
    ['another schema version', JSON.stringify({ ...report, schemaVersion: 2 }), 'bad.json has schemaVersion 2; this stress-run reads reports of schemaVersion 1, as written by --json.'],
    ['no schema version', JSON.stringify({ suites: [] }), 'bad.json has no schemaVersion; this stress-run reads reports of schemaVersion 1'],
    ['no suites', JSON.stringify({ ...report, suites: undefined }), 'bad.json is not a stress-run report: suites is missing.'],
    [
      'an unknown outcome',
      JSON.stringify({ ...report, suites: [report.suites[0], { ...report.suites[1], outcome: 'exploded' }] }),
      'bad.json is not a stress-run report: suites[1].outcome must be one of passed, failed, oom, timeout, killed, memory-killed, crashed, interrupted, got "exploded".',
    ],
    [
      'a count that is a string',
      JSON.stringify({ ...report, suites: [{ ...report.suites[0], tests: { ...report.suites[0].tests, failed: '0' } }] }),
      'bad.json is not a stress-run report: suites[0].tests.failed must be an integer or null, got "0".',
    ],
    [
      'a budget without its flags',
      JSON.stringify({ ...report, suites: [{ ...report.suites[0], budget: { memoryMb: 300, timeS: 30 } }] }),
      'bad.json is not a stress-run report: suites[0].budget.memoryExceeded is missing (and 1 more problem).',
    ],
    ['no ok', JSON.stringify({ ...report, ok: 'yes' }), 'bad.json is not a stress-run report: ok must be a boolean, got "yes".'],
  ];

  it.each(broken)('refuses %s with a one-line message naming the file', (_, json, message) => {
    let thrown: Error | undefined;
    try {
      parseReport(json, 'bad.json');
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toContain(message);
    expect(thrown?.message).not.toContain('\n');
  });

  it('cuts a long wrong value short in the message', () => {
    const json = JSON.stringify({ ...report, startedAt: { note: 'x'.repeat(500) } });
    expect(() => parseReport(json, 'r.json')).toThrow(/startedAt must be a string, got \{"note":"x+…\.$/);
  });
});
