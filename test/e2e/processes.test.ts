// Nothing outlives a run: a grandchild that left the process group, and the running suite when
// stress-run itself is stopped with Ctrl-C, SIGTERM or SIGHUP (a closed terminal).
import {
  expectNoLeftovers,
  markedProcessesMatching,
  readPartialReport,
  runFixtures,
  startCli,
  FIXTURES_ARG,
  suiteArgs,
  suiteOf,
  SUITE_CHILD,
  waitFor,
  type CliResult,
} from './helpers';

afterEach(expectNoLeftovers);

describe('a suite that leaves a detached grandchild running', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures(suiteArgs('orphan'));
  });

  test('passes', () => {
    expect(run.code).toBe(0);
    expect(suiteOf(run.report, 'orphan').outcome).toBe('passed');
  });

  test('and its grandchild is gone afterwards', () => {
    expect(run.leftovers).toEqual([]);
    expect(markedProcessesMatching('stress-run-fixture-orphan')).toEqual([]);
  });
});

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('stress-run stopped by %s while a suite runs', (signal, exitCode) => {
  let run: CliResult;
  let launchersWhileRunning: number;

  beforeAll(async () => {
    const cli = startCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass', 'hang', 'fail')], { jsonFile: true });
    // The report is rewritten after each suite: once `pass` has passed in it, `hang` is next.
    await waitFor('the first suite to finish', () => readPartialReport(cli.jsonPath!)?.suites.some((s) => s.name === 'pass' && s.outcome === 'passed'));
    // The hang suite's Jest process is up (the leftover scan sees it, so it would see one left behind).
    launchersWhileRunning = (await waitFor('the hang suite to start', () => {
      const found = markedProcessesMatching(SUITE_CHILD);
      return found.length ? found : null;
    })).length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    cli.child.kill(signal);
    run = await cli.done;
  });

  test(`exits ${exitCode} and says why`, () => {
    // The hang suite's process, and the standby child already waiting for the next suite.
    expect(launchersWhileRunning).toBeGreaterThanOrEqual(1);
    expect(launchersWhileRunning).toBeLessThanOrEqual(2);
    expect(run.code).toBe(exitCode);
    expect(run.signal).toBeNull();
    expect(run.stderr).toContain(signal);
  });

  test('the report keeps what finished and marks the rest interrupted', () => {
    expect(run.report!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['pass', 'passed'],
      ['hang', 'interrupted'],
      ['fail', 'interrupted'],
    ]);
    expect(run.report!.ok).toBe(false);
    // hang was running when the signal came; fail never started.
    expect(suiteOf(run.report, 'hang').durationMs).toBeGreaterThan(500);
    expect(suiteOf(run.report, 'fail').durationMs).toBe(0);
  });

  test('a suite that never ran is its row only, and one line sums up the suites not run', () => {
    expect(run.stdout.split('\n').filter((line) => /\bfail\b/.test(line))).toHaveLength(1);
    expect(run.stdout).toContain('1 suite not run: stress-run was interrupted first.');
  });

  test('stops promptly, without waiting for the suite’s timeout', () => {
    expect(suiteOf(run.report, 'hang').durationMs).toBeLessThan(10_000);
  });

  test('leaves no process behind', () => {
    expect(run.leftovers).toEqual([]);
  });
});

describe('stress-run under `| tee`, when the same Ctrl-C also stops the reader of its stdout', () => {
  let run: CliResult;
  beforeAll(async () => {
    const cli = startCli(['--dir', FIXTURES_ARG, ...suiteArgs('hang')], { jsonFile: true });
    await waitFor('the hang suite to start', () => markedProcessesMatching(SUITE_CHILD).length > 0);
    cli.child.stdout!.destroy();
    cli.child.kill('SIGINT');
    run = await cli.done;
  });

  test('exits 130 without a stack trace, and the report is still written', () => {
    expect(run.code).toBe(130);
    expect(run.stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(suiteOf(run.report, 'hang').outcome).toBe('interrupted');
    expect(run.leftovers).toEqual([]);
  });
});
