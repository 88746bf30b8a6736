import { MEMORY_COUNTER, renderTrace, type TraceEvent } from '../../../src/report/trace';
import { makeDeath, makeReport, makeResult, MB } from '../../support/make-result';
import { traceProblems } from '../../support/trace-event-schema';

const samples = [
  { tMs: 0, rssBytes: 40 * MB, heapUsedBytes: null },
  { tMs: 50, rssBytes: 60 * MB, heapUsedBytes: 20 * MB },
  { tMs: 100, rssBytes: 70 * MB, heapUsedBytes: null },
];
const report = makeReport([
  makeResult({ name: 'a', startedAtMs: 10.4, durationMs: 120, samples, testMarks: [{ name: 't1', startMs: 20, endMs: 60 }, { name: 't2', startMs: 55, endMs: 90 }] }),
  makeDeath('oom', { name: 'b', startedAtMs: 140, durationMs: 80, samples, testMarks: [{ name: 'dies', startMs: 30, endMs: null }], runningTest: 'dies' }),
]);
const parsed = JSON.parse(renderTrace(report)) as { traceEvents: TraceEvent[]; displayTimeUnit: string };
const events = parsed.traceEvents;
const of = (pid: number, ph: string): TraceEvent[] => events.filter((e) => e.pid === pid && e.ph === ph);

test('is a valid Trace Event file', () => {
  expect(traceProblems(parsed)).toEqual([]);
  expect(parsed.displayTimeUnit).toBe('ms');
  // (and the check does catch a broken one)
  expect(traceProblems({ traceEvents: [{ name: 'x', ph: 'X', ts: 1, pid: 1, tid: 1 }] })).not.toEqual([]);
  expect(traceProblems({ traceEvents: [{ name: 'memory', ph: 'C', ts: 1, pid: 1, args: { rss: 'high' } }] })).not.toEqual([]);
});

test('one process per suite, named after it, with one counter track', () => {
  for (const [pid, name] of [[1, 'a'], [2, 'b']] as const) {
    expect(of(pid, 'M').find((e) => e.name === 'process_name')!.args!.name).toBe(name);
    expect(new Set(of(pid, 'C').map((e) => e.name))).toEqual(new Set([MEMORY_COUNTER]));
  }
});

test('counter timestamps are the samples, in µs since the run started; a missing heap figure keeps the last one', () => {
  expect(of(1, 'C').map((e) => e.ts)).toEqual([10400, 60400, 110400]);
  expect(of(2, 'C').map((e) => e.ts)).toEqual([140000, 190000, 240000]);
  expect(of(1, 'C').map((e) => e.args)).toEqual([
    { 'tree RSS MB': 40, 'heap used MB': 0 },
    { 'tree RSS MB': 60, 'heap used MB': 20 },
    { 'tree RSS MB': 70, 'heap used MB': 20 },
  ]);
});

test('tests nest inside their suite, never overlapping; a test that never ended lasts to the end', () => {
  for (const pid of [1, 2]) {
    const [suite, ...tests] = of(pid, 'X');
    for (const t of tests) {
      expect(t.ts).toBeGreaterThanOrEqual(suite.ts);
      expect(t.ts + t.dur!).toBeLessThanOrEqual(suite.ts + suite.dur!);
    }
    for (let i = 1; i < tests.length; i++) expect(tests[i].ts).toBeGreaterThanOrEqual(tests[i - 1].ts + tests[i - 1].dur!);
  }
  const [, t1, t2] = of(1, 'X');
  expect([t1.ts, t1.dur, t2.ts, t2.dur]).toEqual([30400, 35000, 65400, 35000]);
  const [b, dies] = of(2, 'X');
  expect(b.args).toMatchObject({ outcome: 'oom', 'running test': 'dies', verdict: 'OOM at 300 MB heap in test "dies"' });
  expect([dies.ts, dies.dur, dies.args]).toEqual([170000, 50000, { ended: false }]);
});

test('a report without start times lays its suites one after another', () => {
  const trace = JSON.parse(renderTrace(makeReport([makeResult({ name: 'x', durationMs: 100 }), makeResult({ name: 'y', durationMs: 50 })]))) as { traceEvents: TraceEvent[] };
  expect(trace.traceEvents.filter((e) => e.ph === 'X').map((e) => [e.ts, e.dur])).toEqual([[0, 100000], [100000, 50000]]);
});
