// stress-run on whole projects: one without a Jest of its own, and this repository's real stress suites.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../src/base/types';
import { expectNoLeftovers, FIXTURES, MiB, removeDir, REPO, runCli, tempDir } from './helpers';

afterEach(expectNoLeftovers);

describe('a project without Jest installed', () => {
  let project: string;
  beforeAll(() => {
    project = tempDir('no-jest');
    fs.copyFileSync(path.join(FIXTURES, 'pass.stress.test.js'), path.join(project, 'pass.stress.test.js'));
    fs.writeFileSync(path.join(project, 'jest.config.js'), "module.exports = { testEnvironment: 'node' };\n");
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'no-jest-here', private: true }, null, 2));
  });
  afterAll(() => removeDir(project));

  test('runs its suite with stress-run’s own Jest', async () => {
    // Nothing above the project may provide a Jest either.
    for (let at = project; path.dirname(at) !== at; at = path.dirname(at)) {
      expect(fs.existsSync(path.join(at, 'node_modules'))).toBe(false);
    }
    const run = await runCli(['all', '--dir', project], { jsonFile: true });
    expect(run.code).toBe(0);
    expect(run.report!.suites).toHaveLength(1);
    expect(run.report!.suites[0]).toMatchObject({
      name: 'pass',
      outcome: 'passed',
      tests: { passed: 3, failed: 0, skipped: 0, total: 3 },
    });
  });
});

describe('the real stress suites in stress-suites/', () => {
  let whole: RunReport;

  test('all pass within budget: 5 suites, 153 tests, each under 300 MiB', async () => {
    const run = await runCli(['all'], { jsonFile: true });
    whole = run.report!;
    // On failure, show which suites went wrong and why rather than a bare exit code.
    const problems = run.report
      ? run.report.suites
          .filter((s) => s.outcome !== 'passed' || s.budget.memoryExceeded || s.budget.timeExceeded)
          .map((s) => `${s.name}: ${s.outcome}, ${Math.round(s.peakRssBytes / MiB)} MiB, ${s.durationMs} ms: ${s.message}`)
      : [run.stderr.trim()];
    expect({ code: run.code, problems }).toEqual({ code: 0, problems: [] });
    const { suites } = run.report!;
    expect(suites).toHaveLength(5);
    expect(suites.reduce((sum, s) => sum + (s.tests.total ?? 0), 0)).toBe(153);
    const overPeak = suites.filter((s) => s.peakRssBytes >= 300 * MiB).map((s) => `${s.name}: ${Math.round(s.peakRssBytes / MiB)} MiB`);
    expect(overPeak).toEqual([]);
    expect(run.report!.ok).toBe(true);
  });

  test('three shards, merged, give the same suites and counts as one unsharded run', async () => {
    const dir = tempDir('shards');
    try {
      const files = [1, 2, 3].map((i) => path.join(dir, `shard-${i}.json`));
      for (const [i, file] of files.entries()) {
        const shard = await runCli(['all', '--shard', `${i + 1}/3`, '--json', file]);
        expect(shard.code).toBe(0);
      }
      const shardNames = files.map((f) => (JSON.parse(fs.readFileSync(f, 'utf8')) as RunReport).suites.map((s) => s.name));
      expect(shardNames.every((names) => names.length > 0)).toBe(true);
      const merged = await runCli(['merge', ...files, '--json', '--junit', path.join(dir, 'merged.xml')]);
      expect(merged.code).toBe(0);
      const counts = (r: RunReport): Array<[string, string, unknown]> => r.suites.map((s) => [s.name, s.outcome, s.tests]);
      expect(counts(merged.report!)).toEqual(counts(whole));
      // The time shown is the span from the first shard's start to the last one's end, and says so.
      expect(merged.report!.merged).toEqual({ reports: 3, duration: 'span' });
      expect(merged.stderr).toMatch(/ s \(span of 3 merged reports: first start to last end\)\n/);
      expect(fs.readFileSync(path.join(dir, 'merged.xml'), 'utf8')).toContain('tests="153"');
    } finally {
      removeDir(dir);
    }
  });
});

/** Plain Jest's own totals for a project, as its users run it. */
function plainJest(cwd: string, args: string[], env: Record<string, string> = {}): { suites: number; tests: number; passed: number } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'node_modules/jest/bin/jest.js'), ...args, '--json'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  const json = JSON.parse(r.stdout) as { numTotalTestSuites: number; numTotalTests: number; numPassedTests: number };
  return { suites: json.numTotalTestSuites, tests: json.numTotalTests, passed: json.numPassedTests };
}

describe('a project as it is: two Jest projects, two roots, an ignored helper, a config named only by a flag', () => {
  const project = path.join(REPO, 'test/fixtures/projects/multi');

  test('stress-run all with no --dir/--pattern runs exactly the files and projects plain Jest runs, with the same totals', async () => {
    const run = await runCli(['all', '--', '--config', 'jest.multi.config.js'], { cwd: project, jsonFile: true });
    expect(run.code).toBe(0);
    const suites = run.report!.suites;
    expect(suites.map((s) => [s.name, s.project, s.tests.total])).toEqual([
      ['shared:src/shared/sum', 'shared', 3],
      ['unit:lib/str', 'unit', 1],
      ['unit:src/math', 'unit', 2],
      ['unit:src/shared/sum', 'unit', 3],
    ]);
    const jest = plainJest(project, ['--config', 'jest.multi.config.js']);
    expect({ suites: suites.length, tests: suites.reduce((n, s) => n + (s.tests.total ?? 0), 0), passed: suites.reduce((n, s) => n + (s.tests.passed ?? 0), 0) }).toEqual(jest);
  });

  test('--suite picks one project’s run of a shared file, and Jest flags after -- select projects', async () => {
    const one = await runCli(['all', '--suite', 'unit:src/shared/sum', '--', '--config', 'jest.multi.config.js'], { cwd: project, jsonFile: true });
    expect(one.report!.suites.map((s) => [s.name, s.outcome])).toEqual([['unit:src/shared/sum', 'passed']]);
    const listed = await runCli(['list', '--', '--config', 'jest.multi.config.js', '--selectProjects', 'shared'], { cwd: project });
    expect(listed.stdout).toBe('shared:src/shared/sum\tsrc/shared/sum.test.js\n');
  });

  test('a Jest flag that stress-run sets itself is refused in one line', async () => {
    const run = await runCli(['all', '--', '--runInBand'], { cwd: project });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('stress-run: Jest flag --runInBand cannot be passed through: stress-run runs every suite alone in its own process already.\n');
  });
});

describe('a native ESM project', () => {
  const project = path.join(REPO, 'test/fixtures/projects/esm');

  test('passes with NODE_OPTIONS=--experimental-vm-modules from the caller, as its test script runs it', async () => {
    const run = await runCli(['all'], { cwd: project, jsonFile: true, env: { NODE_OPTIONS: '--experimental-vm-modules' } });
    expect(run.report!.suites.map((s) => [s.name, s.outcome, s.tests.passed])).toEqual([['sum', 'passed', 3]]);
    expect(run.code).toBe(0);
  });

  test('without it, the failure comes with a hint that names --experimental-vm-modules', async () => {
    const run = await runCli(['all'], { cwd: project, jsonFile: true });
    expect(run.code).toBe(1);
    expect(run.report!.suites.map((s) => [s.name, s.outcome])).toEqual([['sum', 'failed']]);
    expect(run.stdout).toContain('The only suite failed before any test ran: Must use import to load ES Module');
    expect(run.stdout).toContain('Hint: the files are ES modules: run them as the project’s test script does, e.g. NODE_OPTIONS=--experimental-vm-modules stress-run all');
  });
});
