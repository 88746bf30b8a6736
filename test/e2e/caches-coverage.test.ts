// Real projects as they are: Jest's transform cache (cold runs read higher; --warmup warms it first)
// and a project that collects coverage (stress-run leaves its folder alone unless asked, then writes
// one merged report whose totals are plain Jest's).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../src/base/types';
import { CHILD_ENTRY } from '../../src/child/protocol';
import { expectNoLeftovers, REPO, removeDir, runCli, tempDir } from './helpers';

afterEach(expectNoLeftovers);

const peaks = (report: RunReport): Record<string, number> => Object.fromEntries(report.suites.map((s) => [s.name, s.peakRssBytes]));

describe('a babel-jest project and its transform cache', () => {
  const project = path.join(REPO, 'test/fixtures/projects/babel');
  let cache: string;
  beforeEach(() => {
    cache = tempDir('jest-cache');
  });
  afterEach(() => removeDir(cache));

  test('a run that fills an empty cache says "cold cache" in its row and its JSON', async () => {
    const run = await runCli(['all', '-s', 'src/ledger', '--', '--cacheDirectory', cache], { cwd: project, jsonFile: true });
    expect(run.code).toBe(0);
    expect(run.report!.suites.map((s) => [s.name, s.coldCache])).toEqual([['src/ledger', true]]);
    expect(run.stdout).toMatch(/│ src\/ledger .*PASS · cold cache/);
    expect(run.stdout).toContain('cold cache: Jest transformed files or TypeScript was compiled from source during src/ledger');
  });

  test('with --warmup, two back-to-back runs from an empty cache agree within 3% on every suite', async () => {
    const args = ['all', '--warmup', '--', '--cacheDirectory', cache];
    const first = await runCli(args, { cwd: project, jsonFile: true });
    const second = await runCli(args, { cwd: project, jsonFile: true });
    for (const run of [first, second]) {
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('warming up: 2 files');
      expect(run.report!.suites.filter((s) => s.coldCache).map((s) => s.name)).toEqual([]);
    }
    const a = peaks(first.report!);
    const b = peaks(second.report!);
    expect(Object.keys(a)).toEqual(['src/format', 'src/ledger']);
    const apart = Object.keys(a).map((name) => [name, Math.round((Math.abs(a[name] - b[name]) / Math.min(a[name], b[name])) * 1000) / 10]);
    expect(apart.filter(([, pct]) => (pct as number) > 3)).toEqual([]);
  });
});

describe("a ts-jest project's TypeScript, compiled from a code cache", () => {
  let cache: string;
  beforeEach(() => {
    cache = tempDir('jest-cache');
  });
  afterEach(() => removeDir(cache));

  test('the first suite child keeps V8 code for TypeScript in the Jest cache folder, one file per heap cap, and later children take it', async () => {
    const codeCache = path.join(cache, 'stress-run-code-cache');
    const stamps = (): Record<string, number> => Object.fromEntries(fs.readdirSync(codeCache).map((name) => [name, fs.statSync(path.join(codeCache, name)).mtimeMs]));
    const args = ['all', '-s', 'atomic-collision', '--', '--cacheDirectory', cache];
    const first = await runCli(args, { cwd: REPO, jsonFile: true });
    expect(first.code).toBe(0);
    const made = stamps();
    expect(Object.keys(made)).toHaveLength(1);
    // Taken as it is: V8 accepted it (a rejected file would be removed and made again).
    const second = await runCli(args, { cwd: REPO, jsonFile: true });
    expect(second.code).toBe(0);
    expect(second.report!.suites[0].tests).toEqual(first.report!.suites[0].tests);
    expect(stamps()).toEqual(made);
    expect(second.report!.suites[0].coldCache).toBeUndefined();
    // --per-test exposes gc through a V8 flag for a moment and sets it back: the code still fits.
    const perTest = await runCli(['all', '-s', 'atomic-collision', '--per-test', '--', '--cacheDirectory', cache], { cwd: REPO, jsonFile: true });
    expect(perTest.code).toBe(0);
    expect(perTest.report!.suites[0].perTest!.length).toBeGreaterThan(0);
    expect(stamps()).toEqual(made);
    // V8 takes code only under the flags it was made with: another heap cap gets its own file.
    const capped = await runCli(['all', '-s', 'atomic-collision', '--max-heap', '200', '--', '--cacheDirectory', cache], { cwd: REPO, jsonFile: true });
    expect(capped.code).toBe(0);
    expect(Object.keys(stamps())).toHaveLength(2);
    // Compiled from source to make it: the row says so.
    expect(capped.report!.suites[0].coldCache).toBe(true);
  });

  test('a project with a globalSetup runs each file through Jest\'s CLI, and TypeScript compiles from the same cache there', async () => {
    const project = path.join(REPO, 'test/fixtures/projects/ts-global');
    const codeCache = path.join(cache, 'stress-run-code-cache');
    const args = ['all', '--debug', '--', '--cacheDirectory', cache];
    const first = await runCli(args, { cwd: project, jsonFile: true });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(new RegExp(`STRESS_RUN_LAUNCH=.*"codeCacheDir":.*dist/${CHILD_ENTRY.launcher.replace(/\./g, '\\.')}`));
    expect(first.report!.suites.map((s) => [s.name, s.outcome, s.tests])).toEqual([['src/sum', 'passed', { total: 2, passed: 2, failed: 0, skipped: 0 }]]);
    const [made] = fs.readdirSync(codeCache);
    const stamp = fs.statSync(path.join(codeCache, made)).mtimeMs;
    const second = await runCli(args, { cwd: project, jsonFile: true });
    expect(second.code).toBe(0);
    expect(fs.readdirSync(codeCache)).toEqual([made]);
    expect(fs.statSync(path.join(codeCache, made)).mtimeMs).toBe(stamp);
    expect(second.report!.suites[0].coldCache).toBeUndefined();
  });

  test('--warmup fills it before the first suite, under the suites\' own flags: no suite of a run from an empty cache reads cold', async () => {
    const run = await runCli(['all', '-s', 'atomic-collision', '-s', 'kb-accuracy', '--warmup', '--', '--cacheDirectory', cache], { cwd: REPO, jsonFile: true });
    expect(run.code).toBe(0);
    expect(run.report!.suites.map((s) => [s.name, s.coldCache])).toEqual([
      ['atomic-collision', undefined],
      ['kb-accuracy', undefined],
    ]);
    expect(fs.readdirSync(path.join(cache, 'stress-run-code-cache'))).toHaveLength(1);
  });
});

/** The totals of a coverage-summary.json. */
function totals(dir: string): Record<string, { total: number; covered: number }> {
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'coverage', 'coverage-summary.json'), 'utf8')) as { total: Record<string, { total: number; covered: number }> };
  const pick = ({ total, covered }: { total: number; covered: number }): { total: number; covered: number } => ({ total, covered });
  return { statements: pick(summary.total.statements), branches: pick(summary.total.branches), functions: pick(summary.total.functions), lines: pick(summary.total.lines) };
}

/** Plain `jest --coverage` in a copy of the project: its coverage totals. */
function plainJestTotals(copy: string, args: string[] = []): Record<string, { total: number; covered: number }> {
  const r = spawnSync(process.execPath, [path.join(REPO, 'node_modules/jest/bin/jest.js'), '--coverage', ...args], { cwd: copy, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return totals(copy);
}

describe('a project whose config collects coverage', () => {
  let ours: string;
  let theirs: string;
  beforeEach(() => {
    ours = tempDir('coverage-ours');
    theirs = tempDir('coverage-jest');
    for (const dir of [ours, theirs]) fs.cpSync(path.join(REPO, 'test/fixtures/projects/coverage'), dir, { recursive: true });
  });
  afterEach(() => {
    removeDir(ours);
    removeDir(theirs);
  });

  test('stress-run all leaves its coverage folder alone; with -- --coverage it writes one merged report with plain Jest’s totals', async () => {
    const plain = await runCli(['all', '-s', 'src/square'], { cwd: ours, jsonFile: true });
    expect(plain.code).toBe(0);
    expect(fs.existsSync(path.join(ours, 'coverage'))).toBe(false);

    const run = await runCli(['all', '--', '--coverage'], { cwd: ours, jsonFile: true });
    expect(run.code).toBe(0);
    expect(run.report!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['src/circle', 'passed'],
      ['src/square', 'passed'],
    ]);
    // Neither suite covers all of shapes.js alone: only the merged map gives plain Jest's figures.
    expect(totals(ours)).toEqual(plainJestTotals(theirs));
    expect(fs.readdirSync(path.join(ours, 'coverage')).sort()).toEqual(['coverage-final.json', 'coverage-summary.json', 'lcov-report', 'lcov.info']);
    // The file collectCoverageFrom names and no suite loads is in the report, uncovered, as under plain Jest.
    const files = Object.keys(JSON.parse(fs.readFileSync(path.join(ours, 'coverage', 'coverage-final.json'), 'utf8')) as object).map((f) => path.relative(ours, f)).sort();
    expect(files).toEqual(['src/shapes.js', 'src/unused.js', 'src/words.js']);
    expect(run.stdout).toMatch(/^coverage: 2 suites merged into coverage\/ · statements [\d.]+% \(\d+\/\d+\)/m);
    // The project's text reporter prints with stress-run's output, as under plain Jest.
    expect(run.stdout).toMatch(/All files\s+\|/);
  });

  test('through Jest’s CLI (a project with globalSetup), coverage is merged the same way, and --verbose shows no temp path of stress-run', async () => {
    for (const dir of [ours, theirs]) {
      fs.writeFileSync(path.join(dir, 'global-setup.js'), 'module.exports = async () => {};\n');
      const config = fs.readFileSync(path.join(dir, 'jest.config.js'), 'utf8').replace("testEnvironment: 'node',", "testEnvironment: 'node',\n  globalSetup: '<rootDir>/global-setup.js',");
      fs.writeFileSync(path.join(dir, 'jest.config.js'), config);
    }
    const run = await runCli(['all', '-s', 'src/square', '--verbose', '--', '--coverage'], { cwd: ours, jsonFile: true });
    expect(run.code).toBe(0);
    expect(run.report!.suites.map((s) => [s.name, s.outcome, s.processes.some((p) => p.command.includes('launcher.js'))])).toEqual([['src/square', 'passed', true]]);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/stress-run-[A-Za-z0-9]{6}/);
    expect(totals(ours)).toEqual(plainJestTotals(theirs, ['src/square.test.js']));
  });
});
