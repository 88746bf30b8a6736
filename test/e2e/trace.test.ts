// --trace: a Chrome Trace Event file of a real run (Perfetto's UI, chrome://tracing).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TraceEvent } from '../../src/report/trace';
import { expectNoLeftovers, removeDir, runFixtures, suiteArgs, tempDir, type CliResult } from './helpers';
import { traceProblems } from '../support/trace-event-schema';

afterEach(expectNoLeftovers);

describe('--trace on a passing suite and one that dies in its third test', () => {
  let run: CliResult;
  let trace: { traceEvents: TraceEvent[] };
  beforeAll(async () => {
    const dir = tempDir('trace');
    try {
      run = await runFixtures([...suiteArgs('pass', 'oom-third'), '--max-heap', '64', '--trace', path.join(dir, 'run.trace.json')]);
      trace = JSON.parse(fs.readFileSync(path.join(dir, 'run.trace.json'), 'utf8')) as typeof trace;
    } finally {
      removeDir(dir);
    }
  });
  const of = (pid: number, ph: string): TraceEvent[] => trace.traceEvents.filter((e) => e.pid === pid && e.ph === ph);

  test('passes the Trace Event format check', () => {
    expect(run.code).toBe(1);
    expect(traceProblems(trace)).toEqual([]);
  });

  test('holds one named track and one counter track per suite', () => {
    const suites = run.report!.suites;
    const pids = [...new Set(trace.traceEvents.map((e) => e.pid))].sort();
    expect(pids).toEqual(suites.map((_, i) => i + 1));
    suites.forEach((s, i) => {
      expect(of(i + 1, 'M').find((e) => e.name === 'process_name')!.args!.name).toBe(s.name);
      expect(new Set(of(i + 1, 'C').map((e) => e.name)).size).toBe(1);
    });
  });

  test("its timestamps agree with the JSON's samples and test marks", () => {
    run.report!.suites.forEach((s, i) => {
      const start = s.startedAtMs!;
      expect(start).toBeGreaterThanOrEqual(0);
      expect(s.samples.length).toBeGreaterThan(0);
      expect(of(i + 1, 'C').map((e) => e.ts)).toEqual(s.samples.map((x) => Math.round((start + x.tMs) * 1000)));
      const [suite, ...tests] = of(i + 1, 'X');
      expect(suite.ts).toBe(Math.round(start * 1000));
      expect(tests.map((t) => t.name)).toEqual(s.testMarks!.map((m) => m.name));
      tests.forEach((t, j) => {
        expect(t.ts).toBe(Math.round((start + s.testMarks![j].startMs) * 1000));
        expect(t.ts + t.dur!).toBeLessThanOrEqual(suite.ts + suite.dur!);
      });
    });
    const third = of(2, 'X')[3];
    expect(third).toMatchObject({ name: 'bookings third leaks', args: { ended: false } });
  });
});
