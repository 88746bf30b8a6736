// A time verdict is not a neighbour's fault: four CPU-bound suites of under 1 s each alone, run four
// at once on two cores, each take longer than their 1.6 s budget through no fault of their own.
// Each is judged on its time without the time its process waited for a core, and the row says its
// time was contended.
import * as path from 'node:path';
import { expectNoLeftovers, REPO, runCli } from './helpers';

afterEach(expectNoLeftovers);

test('four CPU-bound suites with --parallel 4 and a 1.6 s budget: no OVER TIME, each row says its time was contended', async () => {
  const run = await runCli(['--dir', path.join(REPO, 'test/fixtures/cpu-bound'), '--time-budget', '1.6', '--parallel', '4', '--total-memory', '4000'], { jsonFile: true });
  const suites = run.report!.suites;
  expect(suites.map((s) => s.name)).toEqual(['spin-a', 'spin-b', 'spin-c', 'spin-d']);
  expect(run.stdout).not.toContain('OVER TIME');
  expect(run.stdout).not.toContain('TIMEOUT');
  expect(run.code).toBe(0);
  for (const s of suites) {
    expect(s.outcome).toBe('passed');
    expect(s.budget.timeExceeded).toBe(false);
    // Linux: judged on the time measured without the time its process waited for a core.
    expect(s.cpuWaitMs).toBeGreaterThan(0);
    expect(s.judgedDurationMs).toBe(s.durationMs - s.cpuWaitMs!);
    expect(s.judgedDurationMs).toBeLessThan(1600);
    // Contended; or (its wait unknown after a kill at the timeout) timed again alone.
    if (s.contendedDurationMs === undefined) expect(s.timeContended).toBe(true);
  }
  // On two cores four CPU-bound suites at once cannot all stay within 1.6 s of wall time (each
  // needs ~0.6 s of CPU in its test and ~0.3 s to start Jest: measured 1.9–2.3 s each at once).
  expect(suites.some((s) => s.durationMs > 1600)).toBe(true);
  // (a first run in a fresh cache also says `cold cache` before it)
  expect(run.stdout).toMatch(/PASS (· cold cache )?· time contended/);
});
