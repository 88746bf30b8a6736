// --parallel: a time verdict is not a neighbour's fault. A suite over its time budget while others
// shared the cores is timed again alone and judged on that; every row says whether its time was contended.
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { RunReport } from '../../../src/base/types';
import { renderTable } from '../../../src/report/table';
import { fakeCli, passedRun } from '../../support/fake-cli';

const FIXTURES = path.resolve(__dirname, '../../fixtures/suites');
const dirArgs = ['--dir', path.relative(path.resolve(__dirname, '../../..'), FIXTURES)];

/**
 * A runner on a machine of one core: a suite takes 1 s alone and 1 s more for each suite beside it at
 * any moment; `wait`: it reports that extra time as its wait for a core (Linux's run-queue delay).
 */
function sharedCores(argv: string[], wait = false) {
  // Each run's most suites at once, raised for every run still going whenever one starts.
  const active = new Set<{ most: number }>();
  return fakeCli(argv, async () => {
    const me = { most: 0 };
    active.add(me);
    for (const run of active) run.most = Math.max(run.most, active.size);
    await new Promise((resolve) => setTimeout(resolve, 100));
    active.delete(me);
    return passedRun({ durationMs: 1000 * me.most, ...(wait ? { cpuWaitMs: 1000 * (me.most - 1) } : {}) });
  });
}

describe('--parallel and the time budget', () => {
  it('a suite over its time budget beside others is judged without the time it waited for a core: no second run', async () => {
    const h = sharedCores(['-s', 'pass', '-s', 'fail', ...dirArgs, '--parallel', '2', '--total-memory', '1000', '--time-budget', '1.6', '--json', '--quiet'], true);
    expect(await main(h.io, h.deps)).toBe(0);
    const report = JSON.parse(h.out()) as RunReport;
    for (const s of report.suites) {
      expect(s).toMatchObject({ durationMs: 2000, cpuWaitMs: 1000, judgedDurationMs: 1000, timeContended: true });
      expect(s.budget.timeExceeded).toBe(false);
    }
    expect(h.plans).toHaveLength(2);
    expect(renderTable(report, { color: false })).toContain('PASS · time contended, judged 1.0 s');
  });

  it('without --parallel the wait for a core is reported but not taken off', async () => {
    const h = sharedCores(['-s', 'pass', ...dirArgs, '--time-budget', '1.6', '--json', '--quiet'], true);
    expect(await main(h.io, h.deps)).toBe(0);
    const [s] = (JSON.parse(h.out()) as RunReport).suites;
    expect(s).toMatchObject({ durationMs: 1000, cpuWaitMs: 0 });
    expect(s.judgedDurationMs).toBeUndefined();
  });

  it('where the wait is unknown, a suite over its time budget beside others is timed again alone and judged on that', async () => {
    const h = sharedCores(['-s', 'pass', '-s', 'fail', ...dirArgs, '--parallel', '2', '--total-memory', '1000', '--time-budget', '1.6', '--json', '--quiet']);
    expect(await main(h.io, h.deps)).toBe(0);
    const report = JSON.parse(h.out()) as RunReport;
    for (const s of report.suites) {
      expect(s).toMatchObject({ durationMs: 1000, timeContended: false, contendedDurationMs: 2000 });
      expect(s.budget.timeExceeded).toBe(false);
    }
    // Two runs beside each other, then each again alone.
    expect(h.plans).toHaveLength(4);
    expect(h.err()).toContain('stress-run: pass took 2.0 s, over its 1.6 s time budget, while other suites shared the cores: timing it again alone.');
    expect(renderTable(report, { color: false })).toContain('PASS · timed alone (2.0 s contended)');
  });

  it('a suite within its time budget beside others keeps its contended time and says so', async () => {
    const h = sharedCores(['-s', 'pass', '-s', 'fail', ...dirArgs, '--parallel', '2', '--total-memory', '1000', '--json', '--quiet']);
    expect(await main(h.io, h.deps)).toBe(0);
    const report = JSON.parse(h.out()) as RunReport;
    expect(report.suites.map((s) => [s.durationMs, s.timeContended, s.contendedDurationMs])).toEqual([[2000, true, undefined], [2000, true, undefined]]);
    expect(h.plans).toHaveLength(2);
    expect(renderTable(report, { color: false })).toContain('PASS · time contended');
  });

  it('still over its budget alone: OVER TIME, judged on the time alone', async () => {
    const h = sharedCores(['-s', 'pass', '-s', 'fail', ...dirArgs, '--parallel', '2', '--total-memory', '1000', '--time-budget', '0.5', '--timeout', '60', '--json', '--quiet']);
    expect(await main(h.io, h.deps)).toBe(1);
    const report = JSON.parse(h.out()) as RunReport;
    expect(report.suites.map((s) => [s.durationMs, s.budget.timeExceeded])).toEqual([[1000, true], [1000, true]]);
  });

  it('without --parallel nothing is said about contention', async () => {
    const h = sharedCores(['-s', 'pass', ...dirArgs, '--json', '--quiet']);
    expect(await main(h.io, h.deps)).toBe(0);
    expect((JSON.parse(h.out()) as RunReport).suites[0].timeContended).toBeUndefined();
  });
});
