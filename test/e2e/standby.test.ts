// Standby children: the next suite's process starts, loads Jest and waits while the current suite
// runs, then is handed its file. The results must be those of a run where every suite starts its
// own process (--no-standby), and a standby child is a suite child like any other (own group,
// watched, never left behind).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, REPO, removeDir, runCli, runFixtures, suiteArgs, suiteOf, tempDir, MiB, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

const SUITES = ['pass', 'fail', 'big-buffer'];

describe('three suites with and without standby children', () => {
  let ahead: CliResult;
  let each: CliResult;
  let scheduled: CliResult;
  beforeAll(async () => {
    ahead = await runFixtures([...suiteArgs(...SUITES), '--debug']);
    each = await runFixtures([...suiteArgs(...SUITES), '--debug', '--no-standby']);
    // The parallel scheduler with a core to spare (this machine has at least two): its slot gets a standby child.
    scheduled = await runFixtures([...suiteArgs(...SUITES), '--debug', '--parallel', '1', '--total-memory', '4000']);
  });

  const handed = (run: CliResult): string[] => [...run.stderr.matchAll(/stress-run: \(standby pid \d+\) \S*\/([\w-]+)\.stress\.test\.js/g)].map((m) => m[1]);

  test('every suite after the first is handed to a standby child; none with --no-standby', () => {
    expect(handed(ahead)).toEqual(SUITES.slice(1));
    expect(handed(each)).toEqual([]);
  });

  test('under --parallel, a slot with a free core gets one too, for the suites in the schedule’s order', () => {
    expect(scheduled.code).toBe(1);
    expect(handed(scheduled)).toHaveLength(SUITES.length - 1);
    expect(scheduled.report!.suites.map((s) => [s.name, s.outcome, s.tests])).toEqual(each.report!.suites.map((s) => [s.name, s.outcome, s.tests]));
    expect(scheduled.leftovers).toEqual([]);
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

describe('a standby child loads ahead the transformer its file needs', () => {
  const project = path.join(REPO, 'test/fixtures/projects/ahead');
  let dir: string;
  beforeEach(() => {
    dir = tempDir('ahead');
  });
  afterEach(() => removeDir(dir));

  /** The events the project's transformer and tests logged, in order, with the pids named by role. */
  async function loggedRun(args: string[], wait: boolean): Promise<{ run: CliResult; events: string[] }> {
    const log = path.join(dir, `${wait ? 'standby' : 'each'}.log`);
    const run = await runCli(['all', ...args, '--', '--cacheDirectory', path.join(dir, 'cache')], {
      cwd: project,
      jsonFile: true,
      env: { AHEAD_LOG: log, AHEAD_WAIT: wait ? '1' : undefined },
    });
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: string; pid: number });
    const firstPid = lines.find((e) => e.event === 'first started')!.pid;
    const secondPid = lines.find((e) => e.event === 'second ran')!.pid;
    const role = (pid: number): string => (pid === firstPid ? 'first suite' : pid === secondPid ? 'second suite' : 'another process');
    return { run, events: lines.map((e) => `${e.event} (${role(e.pid)})`) };
  }

  test('the second suite’s process loaded it while the first suite ran; without standby, after the first suite ended', async () => {
    // First without standby (which also fills the project's caches), then with.
    const each = await loggedRun(['--no-standby'], false);
    expect(each.run.code).toBe(0);
    expect(each.events).toEqual([
      // Discovery records the transformer's shape: once, then it is kept in Jest's cache folder.
      'transformer loaded (another process)',
      'transformer loaded (first suite)',
      'first started (first suite)',
      'first ended (first suite)',
      'transformer loaded (second suite)',
      'second ran (second suite)',
    ]);

    const ahead = await loggedRun([], true);
    expect(ahead.run.code).toBe(0);
    // The standby child may load it before or after the first suite's process does, but before that suite ends.
    expect(ahead.events.filter((e) => e !== 'transformer loaded (second suite)')).toEqual([
      'transformer loaded (first suite)',
      'first started (first suite)',
      'first ended (first suite)',
      'second ran (second suite)',
    ]);
    expect(ahead.events.indexOf('transformer loaded (second suite)')).toBeGreaterThanOrEqual(0);
    expect(ahead.events.indexOf('transformer loaded (second suite)')).toBeLessThan(ahead.events.indexOf('first ended (first suite)'));
    expect(ahead.run.report!.suites.map((s) => [s.name, s.outcome, s.tests])).toEqual(each.run.report!.suites.map((s) => [s.name, s.outcome, s.tests]));
  });
});
