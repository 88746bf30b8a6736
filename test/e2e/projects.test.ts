// stress-run on whole projects: one without a Jest of its own, and this repository's real stress suites.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../src/types';
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
      expect(fs.readFileSync(path.join(dir, 'merged.xml'), 'utf8')).toContain('tests="153"');
    } finally {
      removeDir(dir);
    }
  });
});
