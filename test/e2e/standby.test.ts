// Standby children: the next suite's process starts, loads Jest and waits while the current suite
// runs, then is handed its file. The results must be those of a run where every suite starts its
// own process (--no-standby), and a standby child is a suite child like any other (own group,
// watched, never left behind).
import { expectNoLeftovers, runFixtures, suiteArgs, suiteOf, MiB, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

const SUITES = ['pass', 'fail', 'big-buffer'];

describe('three suites with and without standby children', () => {
  let ahead: CliResult;
  let each: CliResult;
  beforeAll(async () => {
    ahead = await runFixtures([...suiteArgs(...SUITES), '--debug']);
    each = await runFixtures([...suiteArgs(...SUITES), '--debug', '--no-standby']);
  });

  test('every suite after the first is handed to a standby child; none with --no-standby', () => {
    const handed = (run: CliResult): number => (run.stderr.match(/stress-run: \(standby pid \d+\) /g) ?? []).length;
    expect(handed(ahead)).toBe(SUITES.length - 1);
    expect(handed(each)).toBe(0);
  });

  test('the same outcomes and counts', () => {
    for (const name of SUITES) {
      const a = suiteOf(ahead.report, name);
      const b = suiteOf(each.report, name);
      expect([name, a.outcome, a.tests]).toEqual([name, b.outcome, b.tests]);
    }
    expect(ahead.code).toBe(1);
    expect(each.code).toBe(1);
  });

  test('memory is the process’s whole life: the known allocation is in the peak either way', () => {
    for (const run of [ahead, each]) {
      const s = suiteOf(run.report, 'big-buffer');
      expect(s.peakRssBytes).toBeGreaterThan(200 * MiB);
      // The timeline starts at the hand-over: no samples from before it.
      expect(Math.min(...s.samples.map((x) => x.tMs))).toBeGreaterThanOrEqual(0);
    }
  });

  test('nothing is left behind', () => {
    expect(ahead.leftovers).toEqual([]);
    expect(each.leftovers).toEqual([]);
  });
});
