// --per-test, docblock budgets, compare and the noise-aware baseline gate, on a fixture project with
// its own test environment and setup file (each of its suites fails if either one did not apply).
// Several runs go in one invocation (--runs); on a loaded machine they can outlast the usual limits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SuiteResult } from '../../src/base/types';
import { CHILD_ENTRY } from '../../src/child/protocol';
import { type CliResult, expectNoLeftovers, MiB, removeDir, REPO, runCli, suiteArgs, suiteOf, tempDir } from './helpers';

afterEach(expectNoLeftovers);

const PROJECT = 'test/fixtures/per-test';
const CONFIG = ['--config', `${PROJECT}/stress-run.config.json`];
const LONG = { limitMs: 400_000 };
const LONG_HOOK_MS = 450_000;
const runsOf = (s: SuiteResult): SuiteResult[] => (s.runs ?? [s]) as SuiteResult[];

describe('--per-test on a suite that keeps 1 MiB after each of 30 tests, 5 runs', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runCli([...CONFIG, ...suiteArgs('leak'), '--per-test', '--runs', '5'], { jsonFile: true, ...LONG });
  }, LONG_HOOK_MS);

  test('the project’s own environment and setup file still apply: every test passes', () => {
    expect(run.code).toBe(0);
    expect(suiteOf(run.report, 'leak').tests).toEqual({ passed: 31, failed: 0, skipped: 0, total: 31 });
  });

  test('every run measures each test, and its slope is within 10% of 1 MiB per test', () => {
    const runs = runsOf(suiteOf(run.report, 'leak'));
    expect(runs).toHaveLength(5);
    for (const r of runs) {
      expect(r.perTest).toHaveLength(31);
      expect(r.leak).toMatchObject({ flagged: true });
      expect(Math.abs(r.leak!.slopeBytesPerTest - MiB) / MiB).toBeLessThan(0.1);
      expect(r.leak!.growthShare).toBeGreaterThan(2 / 3);
    }
  });

  test('the suite is flagged, and the notes under the table name the tests that retained most', () => {
    expect(suiteOf(run.report, 'leak').leak).toMatchObject({ flagged: true });
    expect(run.stdout).toMatch(/leak: probable leak: \+1\.0\d MB\/test, grew after \d+% of tests/);
    expect(run.stdout).toMatch(/most retained: \+1\.\d\d MB "keeps MiB number \d+"/);
  });
});

test('through Jest’s CLI (a project with a globalSetup), the hook is appended to the project’s setup files too', async () => {
  const run = await runCli(['--dir', 'test/fixtures/per-test-cli', '--per-test', '--debug'], { jsonFile: true });
  expect(run.stderr).toContain(`dist/${CHILD_ENTRY.launcher}`);
  expect(run.code).toBe(0);
  const suite = suiteOf(run.report, 'keeps');
  expect(suite.tests).toMatchObject({ passed: 7, failed: 0 });
  expect(suite.perTest!.map((t) => t.name)).toEqual(['runs under the project’s own environment and setup file', ...[1, 2, 3, 4, 5, 6].map((i) => `keeps MiB number ${i}`)]);
  expect(suite.leak).toMatchObject({ flagged: true });
});

describe('a suite that allocates and frees, 10 runs', () => {
  let run: CliResult;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('gate');
    run = await runCli([...CONFIG, ...suiteArgs('churn'), '--per-test', '--runs', '10'], { jsonFile: true, ...LONG });
  }, LONG_HOOK_MS);
  afterAll(() => removeDir(dir));

  test('is never flagged as a leak, in 10 of 10 runs', () => {
    expect(run.code).toBe(0);
    const runs = runsOf(suiteOf(run.report, 'churn'));
    expect(runs.map((r) => r.leak?.flagged)).toEqual(Array(10).fill(false));
    expect(runs.every((r) => r.perTest?.length === 13)).toBe(true);
    expect(run.stdout).toMatch(/churn: no leak/);
  });

  test('passes the baseline gate in each of its 10 runs, judged against the other 9; fails when it holds 20 MB more, by the t-test', async () => {
    // Each run (a fresh process) as a report of its own, then each one against a folder of the other nine.
    const suite = suiteOf(run.report, 'churn');
    const reports = runsOf(suite).map((r) => JSON.stringify({ ...run.report!, suites: [{ ...suite, ...r, runs: undefined }] }));
    // One after another: the leftover check counts any live stress-run of this file as left behind.
    for (const [i, report] of reports.entries()) {
      const others = path.join(dir, `without-${i}`);
      fs.mkdirSync(others);
      reports.forEach((text, j) => j !== i && fs.writeFileSync(path.join(others, `run-${j}.json`), text));
      fs.writeFileSync(path.join(dir, `run-${i}.json`), report);
      const rerun = await runCli(['merge', path.join(dir, `run-${i}.json`), '--baseline', others]);
      // On failure, show the comparison rather than a bare exit code.
      expect({ code: rerun.code, stderr: rerun.stderr, out: rerun.code === 0 ? '' : rerun.stdout }).toEqual({ code: 0, stderr: '', out: '' });
      expect(rerun.stdout).toMatch(/^churn .* ok +(t-test|floor): /m);
    }

    const all = path.join(dir, 'all');
    fs.mkdirSync(all);
    reports.forEach((text, j) => fs.writeFileSync(path.join(all, `run-${j}.json`), text));
    const grown = await runCli([...CONFIG, ...suiteArgs('churn'), '--per-test', '--baseline', all], { jsonFile: true, env: { HOLD_EXTRA_MB: '20' } });
    expect(grown.code).toBe(1);
    expect(grown.report!.ok).toBe(true);
    expect(grown.stdout).toMatch(/^churn .* REGRESSED +t-test: t = [\d.]+ > 2\.26 \(95%, 10 baseline runs\)$/m);
    expect(grown.stdout).toContain('1 suite grew beyond what the baseline runs vary (t-test, 95%) in peak memory (growth under 5 MB never fails).');
  }, LONG_HOOK_MS);
});

describe('compare --env HOLD_EXTRA_MB=40,0, with a suite whose budgets sit in its docblock', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runCli(['compare', ...CONFIG, ...suiteArgs('churn', 'budget'), '--env', 'HOLD_EXTRA_MB=40,0', '--verbose'], { jsonFile: true, ...LONG });
  }, LONG_HOOK_MS);

  test('runs each variant and keeps them apart in the report', () => {
    expect(run.code).toBe(0);
    const variants = run.report!.variants!;
    expect(variants.map((v) => [v.env, v.suites.map((s) => s.name)])).toEqual([
      [{ HOLD_EXTRA_MB: '40' }, ['churn', 'budget']],
      [{ HOLD_EXTRA_MB: '0' }, ['churn', 'budget']],
    ]);
    expect(run.report!.suites.map((s) => s.name)).toEqual(['churn [HOLD_EXTRA_MB=40]', 'budget [HOLD_EXTRA_MB=40]', 'churn [HOLD_EXTRA_MB=0]', 'budget [HOLD_EXTRA_MB=0]']);
  });

  test('shows the variants side by side with the ratio of their peaks', () => {
    const [heavy, light] = run.report!.variants!.map((v) => v.suites[0].peakRssBytes);
    expect((heavy - light) / MiB).toBeGreaterThan(20);
    expect(run.stdout).toContain('Variants: 40 = HOLD_EXTRA_MB=40 · 0 = HOLD_EXTRA_MB=0');
    expect(run.stdout).toContain('40 ÷ 0 peak');
    expect(run.stdout).toMatch(new RegExp(`│ churn .*×${(heavy / light).toFixed(2).replace('.', '\\.')}`));
  });

  test('a docblock budget overrides the config file, and --verbose says where each came from', () => {
    // The config sets 350 MB for this suite and 400 MB for all: the docblock's 250 MB wins.
    for (const variant of run.report!.variants!) {
      expect(variant.suites[1]).toMatchObject({ name: 'budget', budget: { memoryMb: 250, timeS: 20 }, heapCapMb: null });
    }
    expect(run.stdout).toContain('budgets: memory 250 MB (docblock, line 2) · time 20 s (docblock, line 3)');
    expect(run.stdout).toContain('budgets: memory 400 MB (config) · time 30 s (default)');
  });
});

test('floor takes the docblock budget as all does: its search starts at the docblock’s 250 MB budget, which its table shows', async () => {
  // The config sets 350 MB for this suite; its docblock says 250 MB, which `all` judges it against.
  const run = await runCli(['floor', ...CONFIG, ...suiteArgs('budget'), '--min-heap', '200'], { jsonFile: true });
  expect(run.code).toBe(0);
  const suite = suiteOf(run.report, 'budget');
  expect(suite.floorTries![0].capMb).toBe(250);
  expect(run.stdout).toMatch(/│ budget +│ +\d+ MB │ +\S+ │ +250 MB budget │/);
});

test('a bad docblock budget is one line naming the file and line: exit 2, nothing run', async () => {
  const dir = tempDir('docblock');
  try {
    fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node' };\n");
    fs.writeFileSync(path.join(dir, 'bad.stress.test.js'), "/**\n * A suite.\n * @stress-memory lots\n */\ntest('x', () => {});\n");
    const run = await runCli(['--dir', dir, '--json']);
    expect(run.code).toBe(2);
    const file = path.relative(REPO, path.join(dir, 'bad.stress.test.js'));
    expect(run.stderr).toBe(`stress-run: ${file}:3: @stress-memory must be a positive number of MB, got 'lots'.\n`);
  } finally {
    removeDir(dir);
  }
});
