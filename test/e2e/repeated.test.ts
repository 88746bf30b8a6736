// --runs N: every run is a fresh process, the JSON keeps every run, the verdict uses the medians.
import { median } from '../../src/base/median';
import { expectNoLeftovers, runFixtures, SUITE_CHILD, suiteArgs, suiteOf } from './helpers';

afterEach(expectNoLeftovers);

test('three runs of pass: three fresh processes, medians reported, min–max in the table', async () => {
  const run = await runFixtures([...suiteArgs('pass'), '--runs', '3']);
  expect(run.code).toBe(0);
  const suite = suiteOf(run.report, 'pass');
  expect(suite.runs).toHaveLength(3);
  const jestPids = suite.runs!.map((r) => r.processes.find((p) => SUITE_CHILD.test(p.command))!.pid);
  expect(new Set(jestPids).size).toBe(3);
  expect(suite.peakRssBytes).toBe(median(suite.runs!.map((r) => r.peakRssBytes)));
  expect(suite.durationMs).toBe(median(suite.runs!.map((r) => r.durationMs)));
  expect(run.stdout).toMatch(/│ pass\s+│\s+3\/0\/0 │\s+\d+ \(\d+–\d+\) │/);
});
