// A suite that passes but needs more memory or time than its budget fails the run, from flags or a config file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, removeDir, runCli, runFixtures, suiteArgs, suiteOf, tempDir, FIXTURES_ARG, MiB, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

let configDir: string;
beforeAll(() => {
  configDir = tempDir('config');
});
afterAll(() => removeDir(configDir));

function writeConfig(name: string, content: unknown): string {
  const file = path.join(configDir, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('--memory-budget 50 on pass', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures([...suiteArgs('pass'), '--memory-budget', '50']);
  });

  test('the suite passes its tests but is over memory: exit 1', () => {
    expect(run.code).toBe(1);
    const s = suiteOf(run.report, 'pass');
    expect(s.outcome).toBe('passed');
    expect(s.budget).toEqual({ memoryMb: 50, timeS: 30, memoryExceeded: true, timeExceeded: false });
    expect(s.peakRssBytes).toBeGreaterThan(50 * MiB);
    expect(run.report!.ok).toBe(false);
    expect(run.report!.budgets).toEqual({ memoryMb: 50, timeS: 30 });
  });

  test('the table says OVER MEMORY', () => {
    expect(run.stdout).toMatch(/OVER MEMORY \d+\/50 MB/);
  });
});

describe('--time-budget 0.01 on pass', () => {
  let run: CliResult;
  beforeAll(async () => {
    // An explicit --timeout: the default (twice the time budget) would stop the suite instead.
    run = await runFixtures([...suiteArgs('pass'), '--time-budget', '0.01', '--timeout', '60']);
  });

  test('the suite passes its tests but is over time: exit 1, OVER TIME in the table', () => {
    expect(run.code).toBe(1);
    const s = suiteOf(run.report, 'pass');
    expect(s.outcome).toBe('passed');
    expect(s.budget).toMatchObject({ timeS: 0.01, timeExceeded: true, memoryExceeded: false });
    expect(s.durationMs).toBeGreaterThan(10);
    expect(run.stdout).toContain('OVER TIME');
  });
});

describe('a config file', () => {
  test('a per-suite budget puts pass over memory', async () => {
    const config = writeConfig('budgets.json', { budgets: { pass: { memoryMb: 40 } } });
    const run = await runFixtures([...suiteArgs('pass', 'fail'), '--config', config]);
    expect(run.code).toBe(1);
    const pass = suiteOf(run.report, 'pass');
    expect(pass.outcome).toBe('passed');
    expect(pass.budget).toMatchObject({ memoryMb: 40, memoryExceeded: true });
    expect(run.stdout).toMatch(/OVER MEMORY \d+\/40 MB/);
    // The other suite keeps the default budget.
    expect(suiteOf(run.report, 'fail').budget).toMatchObject({ memoryMb: 300, memoryExceeded: false });
  });

  test.each([
    ['a top-level', { memoryBudget: 40 }, 'memoryBudget'],
    ['a per-suite', { budgets: { pass: { memoryMB: 40 } } }, 'memoryMB'],
  ])('%s unknown key: exit 2, one line naming the key', async (_, content, key) => {
    const config = writeConfig(`unknown-${key}.json`, content);
    const run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(key);
  });
});
