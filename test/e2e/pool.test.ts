// --isolation pool and auto against a small project (test/fixtures/pool): the files through long-lived
// Jest workers, several files per worker. Every mode counts the tests as plain Jest does; the file that
// keeps memory on the real global is named as the one that left the most behind in its worker; auto
// runs again alone exactly the files near their budget; a worker that runs out of heap names the file
// and the test it died in, and the files behind it still get their rows.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { checkReport, cliEnv, expectNoLeftovers, markedProcessesMatching, MiB, readPartialReport, REPO, runCli, startCli, SUITE_CHILD, suiteOf, waitFor, type CliResult } from './helpers';
import type { RunReport } from '../../src/base/types';

afterEach(expectNoLeftovers);

const DIR = 'test/fixtures/pool';
const SMALL = Array.from({ length: 9 }, (_, i) => `small-${i + 1}`);
const pick = (...names: string[]): string[] => names.flatMap((name) => ['-s', name]);
const runPool = (args: string[]): Promise<CliResult> => runCli(['--dir', DIR, '--quiet', ...args], { jsonFile: true });

/** Passed, failed and skipped tests summed over a report's suites. */
const totals = (report: RunReport | null): [number, number, number] => {
  const sum = (key: 'passed' | 'failed' | 'skipped'): number => report!.suites.reduce((n, s) => n + (s.tests[key] ?? 0), 0);
  return [sum('passed'), sum('failed'), sum('skipped')];
};

describe('the leak project: one file keeps 5 MB per test on the real global, nine do not', () => {
  const files = ['leaks', 'fails', ...SMALL];
  let plain: [number, number, number];
  let alone: CliResult;
  let pool: CliResult;
  let auto: CliResult;
  beforeAll(async () => {
    // Plain Jest on the same files (it exits 1: one test fails).
    const out = spawnSync(process.execPath, [path.join(REPO, 'node_modules/jest/bin/jest.js'), '--json', '--runInBand', ...files.map((f) => `${f}.stress.test.js`)], {
      cwd: path.join(REPO, DIR),
      env: cliEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).stdout;
    const jest = JSON.parse(out.slice(out.indexOf('{'))) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    plain = [jest.numPassedTests, jest.numFailedTests, jest.numPendingTests + jest.numTodoTests];
    alone = await runPool(pick(...files));
    pool = await runPool([...pick(...files), '--isolation', 'pool']);
    auto = await runPool([...pick(...files), '--isolation', 'auto']);
  }, 240_000);

  test('totals equal a plain jest run’s in every mode', () => {
    expect(plain).toEqual([20 + 1 + 27, 1, 1]);
    for (const run of [alone, pool, auto]) expect(totals(run.report)).toEqual(plain);
    for (const run of [alone, pool, auto]) expect(run.code).toBe(1);
  });

  test('pool marks every row as an estimate, in the table (~) and in the JSON', () => {
    expect(pool.report!.suites.every((s) => s.measuredIn === 'pool')).toBe(true);
    expect(pool.stdout).toMatch(/│ leaks +│ +20\/0\/0 │ +~\d+ │/);
    expect(alone.report!.suites.every((s) => s.measuredIn === undefined)).toBe(true);
    expect(alone.stdout).not.toContain('~');
  });

  test('pool names the leaking file first, and no other file left a tenth of what it left', () => {
    const leaks = suiteOf(pool.report, 'leaks').leftInWorkerBytes!;
    expect(leaks).toBeGreaterThan(95 * MiB);
    for (const s of pool.report!.suites.filter((x) => x.name !== 'leaks')) expect([s.name, s.leftInWorkerBytes! < leaks / 10]).toEqual([s.name, true]);
    expect(pool.stdout).toMatch(/left the most behind in their worker: leaks \d+\.\d MB \(\d+% of its worker's growth\)/);
  });

  test('each worker’s settled heap after every file is in the report, drawn under the table', () => {
    const history = pool.report!.isolation!.history;
    expect(history.flatMap((w) => w.files.map((f) => path.basename(f.file, '.stress.test.js'))).sort()).toEqual([...files].sort());
    expect(pool.stdout).toMatch(/ {2}worker 1: [▁▂▃▄▅▆▇█]+ \d+ → \d+ MB heap · RSS \d+ → \d+ MB · 11 files/);
    expect(pool.report!.isolation!.suggestedWorkerIdleMemoryLimitMb).toBeGreaterThan(0);
  });

  test('auto runs again alone only the file that failed', () => {
    expect(auto.report!.isolation!.confirmed.map((c) => c.name)).toEqual(['fails']);
    expect(suiteOf(auto.report, 'fails').measuredIn).toBe('file');
  });

  test('nothing is left behind', () => {
    for (const run of [alone, pool, auto]) expect(run.leftovers).toEqual([]);
  });
});

describe('two files near a 300 MB budget among small ones', () => {
  let auto: CliResult;
  beforeAll(async () => {
    auto = await runPool([...pick('near-budget-under', 'near-budget-over', ...SMALL.slice(0, 4)), '--isolation', 'auto', '--debug']);
  }, 120_000);

  test('auto runs both again alone, and no small file', () => {
    expect(auto.report!.isolation!.confirmed.map((c) => c.name).sort()).toEqual(['near-budget-over', 'near-budget-under']);
    // Run alone, a file is handed to a suite child (its own command line or a standby child), never to a pool worker.
    const alone = [...auto.stderr.matchAll(/STRESS_RUN_WORKER='\{[^']*"testPath":"[^"]*\/([\w-]+)\.stress\.test\.js"|\(standby pid \d+\) \S*\/([\w-]+)\.stress\.test\.js/g)].map((m) => m[1] ?? m[2]);
    expect(alone.sort()).toEqual(['near-budget-over', 'near-budget-under']);
  });

  test('their rows show the exact figures, PASS and OVER MEMORY; the small ones stay estimates', () => {
    const under = suiteOf(auto.report, 'near-budget-under');
    const over = suiteOf(auto.report, 'near-budget-over');
    expect([under.measuredIn, under.outcome, under.budget.memoryExceeded]).toEqual(['file', 'passed', false]);
    expect([over.measuredIn, over.outcome, over.budget.memoryExceeded]).toEqual(['file', 'passed', true]);
    expect(auto.stdout).toMatch(/│ near-budget-under +│ +1\/0\/0 │ +\d+ │.*PASS/);
    expect(auto.stdout).toMatch(/│ near-budget-over +│ +1\/0\/0 │ +\d+ │.*OVER MEMORY/);
    for (const name of SMALL.slice(0, 4)) expect(suiteOf(auto.report, name).measuredIn).toBe('pool');
    expect(auto.code).toBe(1);
  });

  test('nothing is left behind', () => {
    expect(auto.leftovers).toEqual([]);
  });
});

describe('a worker that runs out of heap in the middle of a file', () => {
  let pool: CliResult;
  beforeAll(async () => {
    pool = await runPool([...pick('small-1', 'ooms', 'small-2', 'small-3'), '--isolation', 'pool', '--max-heap', '64', '--verbose']);
  }, 120_000);

  test('its row names the file and the test it was running', () => {
    const ooms = suiteOf(pool.report, 'ooms');
    expect(ooms.outcome).toBe('oom');
    expect(ooms.message).toContain('died running this file, in test “fills the heap”');
    expect(ooms.pool!.died).toEqual({ test: 'fills the heap' });
    const died = pool.report!.isolation!.history.find((w) => w.ended === 'died')!;
    expect([path.basename(died.diedIn!.file), died.diedIn!.test]).toEqual(['ooms.stress.test.js', 'fills the heap']);
    expect(pool.stdout).toContain('died in ooms, test “fills the heap”');
  });

  test('the files behind it run on in a new worker, and every file has its row', () => {
    expect(pool.report!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['small-1', 'passed'],
      ['ooms', 'oom'],
      ['small-2', 'passed'],
      ['small-3', 'passed'],
    ]);
    expect(pool.report!.isolation!.history.map((w) => w.files.length)).toEqual([1, 2]);
    expect(pool.leftovers).toEqual([]);
  });

  test('--verbose heads each file’s output with its name, and ends it with its verdict', () => {
    expect(pool.stdout).toContain('── ooms (test/fixtures/pool/ooms.stress.test.js) · in a pool worker ──');
    expect(pool.stdout).toContain('── ooms: OOM at 64 MB heap ──');
    expect(pool.stdout).toContain('── small-3: PASS ──');
  });
});

describe('a worker whose settled heap goes over the worker memory limit is recycled', () => {
  let flag: CliResult;
  let project: CliResult;
  beforeAll(async () => {
    flag = await runPool([...pick('leaks', 'small-1', 'small-2'), '--isolation', 'pool', '--worker-memory-limit', '30']);
    // The project's own workerIdleMemoryLimit, as Jest reads it (here from Jest's command line).
    project = await runPool([...pick('leaks', 'small-1', 'small-2'), '--isolation', 'pool', '--', '--workerIdleMemoryLimit=30MB']);
  }, 120_000);

  test('after the leaking file, the next files run in a fresh worker', () => {
    for (const run of [flag, project]) {
      const history = run.report!.isolation!.history;
      expect(history.map((w) => [w.ended, w.files.map((f) => path.basename(f.file, '.stress.test.js'))])).toEqual([
        ['recycled', ['leaks']],
        ['done', ['small-1', 'small-2']],
      ]);
      expect(run.stdout).toMatch(/worker 1: .* · recycled: its settled heap went over the (30|29) MB worker memory limit/);
      expect(totals(run.report)).toEqual([26, 0, 0]);
      expect(run.leftovers).toEqual([]);
    }
    expect(flag.report!.isolation!.workerMemoryLimitMb).toBe(30);
    expect(project.report!.isolation!.workerMemoryLimitMb).toBe(29);
  });
});

describe('Ctrl-C during a pool run', () => {
  let run: CliResult;
  let midRun: RunReport | null;
  beforeAll(async () => {
    // ooms takes seconds to fill a 300 MB heap: the run is stopped while it does.
    const cli = startCli(['--dir', DIR, '--quiet', ...pick('small-1', 'ooms', 'small-2'), '--isolation', 'pool'], { jsonFile: true });
    midRun = await waitFor('small-1 to be done', () => {
      const partial = readPartialReport(cli.jsonPath!);
      return partial?.suites.find((s) => s.name === 'small-1')?.outcome === 'passed' ? partial : null;
    });
    cli.child.kill('SIGINT');
    run = await cli.done;
  }, 120_000);

  test('the report written mid-run has the file done so far and claims nothing', () => {
    checkReport(midRun!);
    expect(midRun!.ok).toBe(false);
    expect(midRun!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['small-1', 'passed'],
      ['ooms', 'interrupted'],
      ['small-2', 'interrupted'],
    ]);
  });

  test('exits 130; the running file says its worker was stopped, the next one was not run', () => {
    expect(run.code).toBe(130);
    expect(run.report!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['small-1', 'passed'],
      ['ooms', 'interrupted'],
      ['small-2', 'interrupted'],
    ]);
    expect(suiteOf(run.report, 'ooms').message).toMatch(/^the pool worker \(pid \d+\) was stopped running this file/);
    expect(suiteOf(run.report, 'small-2').durationMs).toBe(0);
    expect(run.report!.isolation!.history.map((w) => w.ended)).toEqual(['stopped']);
  });

  test('leaves no process behind', () => {
    expect(run.leftovers).toEqual([]);
    expect(markedProcessesMatching(SUITE_CHILD)).toEqual([]);
  });
});
