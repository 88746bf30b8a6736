// --per-test judges time without its own cost: a suite of quick tests over a large live heap passes
// its time budget alone, but the two full GCs --per-test forces after each test take many times
// longer than the tests. With --per-test it is still within its budget (and not killed at the
// timeout, twice the budget), and the JSON shows the GC time beside the time measured.
import * as path from 'node:path';
import { expectNoLeftovers, REPO, runCli, suiteOf } from './helpers';

afterEach(expectNoLeftovers);

const DIR = path.join(REPO, 'test/fixtures/gc-heavy');
const BUDGET = ['--memory-budget', '600', '--time-budget', '5'];

test('without --per-test the suite is well within its 5 s budget', async () => {
  const run = await runCli(['--dir', DIR, ...BUDGET], { jsonFile: true });
  expect(run.code).toBe(0);
  expect(suiteOf(run.report, 'many-objects').durationMs).toBeLessThan(5000);
});

test('with --per-test the forced GCs push the time measured over 5 s, but the time judged is without them: no OVER TIME, no TIMEOUT', async () => {
  const run = await runCli(['--dir', DIR, ...BUDGET, '--per-test'], { jsonFile: true });
  const s = suiteOf(run.report, 'many-objects');
  expect(run.stdout).not.toContain('OVER TIME');
  expect(s.outcome).toBe('passed');
  expect(run.code).toBe(0);
  expect(s.durationMs).toBeGreaterThan(5000);
  expect(s.perTestGcMs).toBeGreaterThan(s.durationMs - 5000);
  expect(s.judgedDurationMs).toBe(s.durationMs - s.perTestGcMs!);
  expect(s.budget.timeExceeded).toBe(false);
  expect(run.stdout).toMatch(/many-objects: .*the forced GCs took \d+\.\d s of its \d+\.\d s, judged on \d+\.\d s/);
});
