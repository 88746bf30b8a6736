// --parallel: suites at once under a total memory budget, stopped cleanly by Ctrl-C, with the same
// results as one after another.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunReport, SuiteResult } from '../../src/base/types';
import {
  checkReport,
  expectNoLeftovers,
  FIXTURES_ARG,
  markedProcessesMatching,
  MiB,
  readPartialReport,
  removeDir,
  runFixtures,
  startCli,
  SUITE_CHILD,
  suiteArgs,
  suiteOf,
  tempDir,
  waitFor,
  type CliResult,
} from './helpers';

afterEach(expectNoLeftovers);

// Each hold-* suite holds 150 MB for 3 s. At a 250 MB budget each, 600 MB fits two of them, never three.
const SUITES = ['hold-a', 'hold-b', 'hold-c', 'pass', 'fail'];
const TOTAL_MB = 600;
const ARGS = [...suiteArgs(...SUITES), '--memory-budget', '250'];

/** Every moment at which a suite's summed RSS changes, with the sum over all suites then (each at its latest sample, from its first sample to its end). */
function summedTimeline(report: RunReport): Array<{ tMs: number; rssBytes: number; running: number }> {
  const points = report.suites.flatMap((s, i) => {
    const start = s.startedAtMs!;
    const end = start + Math.max(s.durationMs, s.samples[s.samples.length - 1].tMs + 1);
    return [...s.samples.map((p) => ({ tMs: start + p.tMs, i, rssBytes: p.rssBytes })), { tMs: end, i, rssBytes: 0 }];
  });
  points.sort((a, b) => a.tMs - b.tMs);
  const now = new Map<number, number>();
  return points.map((p) => {
    now.set(p.i, p.rssBytes);
    const values = [...now.values()];
    return { tMs: p.tMs, rssBytes: values.reduce((a, b) => a + b, 0), running: values.filter((v) => v > 0).length };
  });
}

describe(`--parallel 3 --total-memory ${TOTAL_MB} on suites that hold known amounts`, () => {
  let parallel: CliResult;
  let sequential: CliResult;
  beforeAll(async () => {
    // --warmup: the first run would otherwise transform the files, and a cold cache reads higher.
    parallel = await runFixtures([...ARGS, '--parallel', '3', '--total-memory', String(TOTAL_MB), '--warmup']);
    sequential = await runFixtures(ARGS);
  });

  test('runs every suite and exits 1 for the failing one, as one after another does', () => {
    expect(parallel.code).toBe(1);
    expect(sequential.code).toBe(1);
    expect(parallel.report!.suites.map((s) => s.name)).toEqual(SUITES);
  });

  test('the summed RSS of the suites running together never crossed the total, and two held memory at once', () => {
    const timeline = summedTimeline(parallel.report!);
    const highest = Math.max(...timeline.map((p) => p.rssBytes));
    expect(highest).toBeLessThanOrEqual(TOTAL_MB * MiB);
    // Two holding 150 MB each at the same moment: the run really was parallel.
    expect(highest).toBeGreaterThan(2 * 150 * MiB);
    expect(Math.max(...timeline.map((p) => p.running))).toBeLessThanOrEqual(2);
    expect(parallel.report!.schedule).toMatchObject({ parallelism: 3, totalMemoryMb: TOTAL_MB });
    expect(parallel.report!.schedule!.peakConcurrentRssBytes).toBeLessThanOrEqual(TOTAL_MB * MiB);
    expect(parallel.report!.schedule!.peakConcurrentRssBytes).toBeGreaterThan(2 * 150 * MiB);
  });

  test('never three hold-* suites at once: their spans overlap pairwise at most', () => {
    const spans = ['hold-a', 'hold-b', 'hold-c'].map((name) => {
      const s = suiteOf(parallel.report, name);
      return [s.startedAtMs!, s.startedAtMs! + s.durationMs];
    });
    const allThree = Math.max(...spans.map(([start]) => start)) < Math.min(...spans.map(([, end]) => end));
    expect(allThree).toBe(false);
  });

  test('counts, outcomes and each peak (within 3%) match a sequential run', () => {
    const facts = (s: SuiteResult) => [s.name, s.outcome, s.tests];
    expect(parallel.report!.suites.map(facts)).toEqual(sequential.report!.suites.map(facts));
    // Each peak, side by side in MB, where it differs by more than 3%.
    const apart = SUITES.map((name) => [name, suiteOf(parallel.report, name).peakRssBytes, suiteOf(sequential.report, name).peakRssBytes] as const)
      .filter(([, a, b]) => Math.abs(a - b) / b > 0.03)
      .map(([name, a, b]) => `${name}: ${(a / MiB).toFixed(1)} vs ${(b / MiB).toFixed(1)} MB`);
    expect(apart).toEqual([]);
    expect(sequential.report!.schedule).toMatchObject({ parallelism: 1, totalMemoryMb: null });
  });

  test('says how it scheduled the run, under the table', () => {
    expect(parallel.stdout).toMatch(/Schedule: up to 3 suites at once within 600 MB · highest summed RSS of running suites \d+ MB · wall [\d.]+ s for [\d.]+ s of suite time/);
    // Without a terminal, progress is plain lines: one as each suite starts and one as it ends.
    for (const name of SUITES) {
      expect(parallel.stderr).toContain(`▶ ${name}\n`);
      expect(parallel.stderr).toMatch(new RegExp(`[✓✗] ${name} `));
    }
  });
});

// With --parallel 2, a standby child waits for the third suite only where more than two cores are.
const EXPECTED_CHILDREN = 2 + (os.availableParallelism() > 2 ? 1 : 0);

describe.each([
  ['once', 1],
  ['twice', 2],
] as const)('Ctrl-C %s while two suites run at once', (_, times) => {
  let run: CliResult;
  let midRun: RunReport | null;
  let launchers: number;

  beforeAll(async () => {
    const dir = tempDir('ready');
    const ready = path.join(dir, 'ignoring-sigterm');
    const cli = startCli(['--dir', FIXTURES_ARG, ...suiteArgs('hang', 'ignores-sigterm', 'pass'), '--parallel', '2'], {
      jsonFile: true,
      env: { STRESS_RUN_FIXTURE_READY: ready },
    });
    // Both suites running, and where a core is left free, the waiting suite's process started ahead.
    launchers = (await waitFor('both suites to start', () => {
      const found = markedProcessesMatching(SUITE_CHILD);
      return found.length === EXPECTED_CHILDREN ? found : null;
    })).length;
    midRun = readPartialReport(cli.jsonPath!);
    // The suite that ignores SIGTERM does so from when its test environment is up.
    await waitFor('the suite to ignore SIGTERM', () => fs.existsSync(ready));
    removeDir(dir);
    // Its environment can be up in under half a second: Ctrl-C comes 600 ms later, so that its time
    // (from its start to its kill) is over 2.5 s only if the 2 s kill grace was waited out.
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (let i = 0; i < times; i++) {
      cli.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    run = await cli.done;
  });

  test('the report written mid-run parses and claims nothing', () => {
    expect(launchers).toBe(EXPECTED_CHILDREN);
    expect(midRun).not.toBeNull();
    checkReport(midRun!);
    expect(midRun!.ok).toBe(false);
  });

  test('exits 130 and marks both running suites and the waiting one interrupted', () => {
    expect(run.code).toBe(130);
    expect(run.report!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['hang', 'interrupted'],
      ['ignores-sigterm', 'interrupted'],
      ['pass', 'interrupted'],
    ]);
    expect(suiteOf(run.report, 'pass').durationMs).toBe(0);
  });

  test(times === 1 ? 'waits out the kill grace for the suite that ignores SIGTERM' : 'kills at once on the second', () => {
    const ignoring = suiteOf(run.report, 'ignores-sigterm');
    expect(ignoring.signal).toBe('SIGKILL');
    if (times === 1) expect(ignoring.durationMs).toBeGreaterThan(2500);
    else expect(run.stderr).toContain('SIGINT again, killing');
    expect(ignoring.durationMs).toBeLessThan(10_000);
  });

  test('leaves no process behind', () => {
    expect(run.leftovers).toEqual([]);
    expect(markedProcessesMatching(SUITE_CHILD)).toEqual([]);
  });
});
