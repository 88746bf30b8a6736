// Many machines: each runs `stress-run all --shard auto`, reading its shard from its CI's own
// variables, and `merge` makes one run of them. Every suite runs exactly once, and the merged
// totals are a one-machine run's. Coverage collected on two shards merges into plain Jest's figures.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../src/base/types';
import { expectNoLeftovers, FIXTURES_ARG, REPO, removeDir, runCli, suiteArgs, tempDir } from './helpers';

afterEach(expectNoLeftovers);

const SUITES = ['pass', 'fail', 'loud', 'argv', 'no-tests', 'syntax-error', 'big-buffer', 'hold-a'];
const SELECT = ['--dir', FIXTURES_ARG, ...suiteArgs(...SUITES), '--quiet'];

// No CI's variable leaks into a run from the machine this test runs on.
const NO_CI = Object.fromEntries(
  ['CI_NODE_INDEX', 'CI_NODE_TOTAL', 'CIRCLE_NODE_INDEX', 'CIRCLE_NODE_TOTAL', 'BUILDKITE_PARALLEL_JOB', 'BUILDKITE_PARALLEL_JOB_COUNT', 'TEST_SHARD_INDEX', 'TEST_TOTAL_SHARDS', 'TEST_SHARD_STATUS_FILE', 'JOB_COMPLETION_INDEX', 'JOB_COMPLETIONS'].map((name) => [name, undefined]),
);

const readReport = (file: string): RunReport => JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport;

/** What a run says of each suite, machine aside: its outcome and test counts (not its memory or time). */
const totals = (report: RunReport): unknown => ({
  ok: report.ok,
  suites: report.suites.map((s) => [s.name, s.outcome, s.tests, s.budget.memoryExceeded, s.budget.timeExceeded]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
});

describe('four machines, one command line', () => {
  let dir: string;
  let oneMachine: RunReport;
  beforeAll(async () => {
    dir = tempDir('shards');
    const one = await runCli(['all', ...SELECT, '--json', path.join(dir, 'one.json')], { env: NO_CI });
    expect(one.code).toBe(1); // fail, no-tests and syntax-error fail, on one machine as on four
    oneMachine = readReport(path.join(dir, 'one.json'));
    expect(oneMachine.suites.map((s) => s.name).sort()).toEqual([...SUITES].sort());
  });
  afterAll(() => removeDir(dir));

  test.each([
    ['GitLab', (i: number) => ({ CI_NODE_INDEX: String(i), CI_NODE_TOTAL: '4' })],
    ['CircleCI', (i: number) => ({ CIRCLE_NODE_INDEX: String(i - 1), CIRCLE_NODE_TOTAL: '4' })],
    ['Buildkite', (i: number) => ({ BUILDKITE_PARALLEL_JOB: String(i - 1), BUILDKITE_PARALLEL_JOB_COUNT: '4' })],
  ])('%s: four `all --shard auto` runs, then merge: every suite exactly once, the totals of one machine', async (ci, envOf) => {
    const files: string[] = [];
    for (const i of [1, 2, 3, 4]) {
      const file = path.join(dir, `${ci}-${i}.json`);
      const run = await runCli(['all', ...SELECT, '--shard', 'auto', '--json', file], { env: { ...NO_CI, ...envOf(i) } });
      expect([0, 1]).toContain(run.code);
      expect(readReport(file).suites.length).toBeGreaterThan(0);
      files.push(file);
    }
    const names = files.flatMap((f) => readReport(f).suites.map((s) => s.name));
    expect(names.sort()).toEqual([...SUITES].sort());

    const merged = path.join(dir, `${ci}-merged.json`);
    const merge = await runCli(['merge', ...files, '--json', merged], { env: NO_CI });
    expect(merge.code).toBe(1);
    const report = readReport(merged);
    expect(report.merged).toEqual({ reports: 4, duration: 'span' });
    expect(totals(report)).toEqual(totals(oneMachine));
    const passed = oneMachine.suites.filter((s) => s.outcome === 'passed').length;
    expect(merge.stdout).toContain(`${passed}/${SUITES.length} suites passed within budget`);
  });

  test('--shard auto with no CI variable stops at once, in one line naming them', async () => {
    const run = await runCli(['all', ...SELECT, '--shard', 'auto'], { env: NO_CI });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^stress-run: --shard auto: no CI shard variables are set; looked for GitLab \(CI_NODE_INDEX\/CI_NODE_TOTAL\), CircleCI \(CIRCLE_NODE_INDEX\/CIRCLE_NODE_TOTAL\), Buildkite \(BUILDKITE_PARALLEL_JOB\/BUILDKITE_PARALLEL_JOB_COUNT\), Bazel \(TEST_SHARD_INDEX\/TEST_TOTAL_SHARDS\), Kubernetes Indexed Job \(JOB_COMPLETION_INDEX\/JOB_COMPLETIONS\)\. Use --shard i\/n outside those CIs\.\n$/);
    expect(run.stdout).toBe('');
  });
});

describe('coverage over two machines', () => {
  let ours: string;
  let theirs: string;
  beforeEach(() => {
    ours = tempDir('shard-coverage-ours');
    theirs = tempDir('shard-coverage-jest');
    for (const d of [ours, theirs]) fs.cpSync(path.join(REPO, 'test/fixtures/projects/coverage'), d, { recursive: true });
  });
  afterEach(() => {
    removeDir(ours);
    removeDir(theirs);
  });

  test("each shard keeps its map beside its report; merge writes the project's report with plain Jest's totals and checks coverageThreshold as Jest does", async () => {
    // A threshold the whole run misses (src/unused.js is loaded by no test): plain Jest would fail on it.
    const config = path.join(ours, 'jest.config.js');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('collectCoverage: true,', 'collectCoverage: true,\n  coverageThreshold: { global: { statements: 100 } },'));
    for (const i of [1, 2]) {
      const run = await runCli(['all', '--shard', `${i}/2`, '--json', `r-${i}.json`, '--', '--coverage'], { cwd: ours, env: NO_CI });
      expect(run.code).toBe(0);
      expect(fs.existsSync(path.join(ours, `r-${i}.coverage.json`))).toBe(true);
    }
    fs.rmSync(path.join(ours, 'coverage'), { recursive: true, force: true });

    const merge = await runCli(['merge', 'r-1.json', 'r-2.json'], { cwd: ours, env: NO_CI });
    expect(merge.stdout).toMatch(/^coverage: 2 shards merged into coverage\/ · statements [\d.]+% \(\d+\/\d+\)/m);
    expect(merge.stderr).toMatch(/^Jest: "global" coverage threshold for statements \(100%\) not met: [\d.]+%$/m);
    expect(merge.code).toBe(1);
    // Neither shard covers all of shapes.js alone: only the merged maps give plain Jest's figures.
    expect(summaryTotals(ours)).toEqual(plainJestTotals(theirs));
    const files = Object.keys(JSON.parse(fs.readFileSync(path.join(ours, 'coverage', 'coverage-final.json'), 'utf8')) as object).map((f) => path.relative(ours, f)).sort();
    expect(files).toEqual(['src/shapes.js', 'src/unused.js', 'src/words.js']);
  });
});

/** The totals of a coverage-summary.json. */
function summaryTotals(d: string): Record<string, { total: number; covered: number }> {
  const summary = JSON.parse(fs.readFileSync(path.join(d, 'coverage', 'coverage-summary.json'), 'utf8')) as { total: Record<string, { total: number; covered: number }> };
  const pick = ({ total, covered }: { total: number; covered: number }): { total: number; covered: number } => ({ total, covered });
  return { statements: pick(summary.total.statements), branches: pick(summary.total.branches), functions: pick(summary.total.functions), lines: pick(summary.total.lines) };
}

/** Plain `jest --coverage` in a copy of the project: its coverage totals. */
function plainJestTotals(copy: string): Record<string, { total: number; covered: number }> {
  const r = spawnSync(process.execPath, [path.join(REPO, 'node_modules/jest/bin/jest.js'), '--coverage'], { cwd: copy, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return summaryTotals(copy);
}
