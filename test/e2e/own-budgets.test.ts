// Budgets a project can own: a run on the built-in default says so and names the command, and
// `stress-run budgets report.json` writes measured budgets that the next run passes, keeping the
// budget written by hand.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../src/base/types';
import { expectNoLeftovers, REPO, removeDir, runCli, suiteOf, tempDir } from './helpers';

afterEach(expectNoLeftovers);

let dir: string;
beforeAll(() => {
  dir = tempDir('own-budgets');
  fs.cpSync(path.join(REPO, 'test/fixtures/budgets'), dir, { recursive: true });
});
afterAll(() => removeDir(dir));

const readReport = (): RunReport => JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as RunReport;

test('a 350 MB suite on the built-in default: the run says so; after stress-run budgets the next run exits 0, the hand-written budget kept', async () => {
  const first = await runCli(['all', '--json', 'report.json'], { cwd: dir });
  expect(first.code).toBe(1);
  const before = suiteOf(readReport(), 'holds-350mb');
  expect(before.budget).toMatchObject({ memoryMb: 300, memoryExceeded: true });
  expect(before.sources).toMatchObject({ memoryMb: 'default', timeS: 'default' });
  expect(first.stdout).toMatch(/budget from/);
  expect(first.stdout).toMatch(/holds-350mb is judged on the built-in default budget.*stress-run budgets <report\.json>/);

  // A budget written by hand before the budgets are written.
  fs.writeFileSync(path.join(dir, 'stress-run.config.json'), JSON.stringify({ budgets: { 'holds-350mb': { timeS: 25 } } }));
  const written = await runCli(['budgets', 'report.json'], { cwd: dir });
  expect(written.stderr).toBe('');
  expect(written.code).toBe(0);
  expect(written.stdout).toMatch(/holds-350mb: writes memory \d+ MB .*its time budget in the config \(25 s\) is kept/);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'stress-run.config.json'), 'utf8'));
  expect(config.budgets['holds-350mb'].timeS).toBe(25);
  expect(config.budgets['holds-350mb'].memoryMb).toBeGreaterThan(300);

  const next = await runCli(['all', '--json', 'report.json'], { cwd: dir });
  expect(next.code).toBe(0);
  const after = suiteOf(readReport(), 'holds-350mb');
  expect(after.sources).toMatchObject({ memoryMb: 'config budgets["holds-350mb"]', timeS: 'config budgets["holds-350mb"]' });
  expect(after.budget).toMatchObject({ memoryMb: config.budgets['holds-350mb'].memoryMb, timeS: 25, memoryExceeded: false });
  expect(next.stdout).not.toMatch(/built-in default/);
});
