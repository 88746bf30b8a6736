// `stress-run budgets <report.json>`: measured budgets written into the project's config, every
// budget a person wrote kept; and the table saying which suites run on the built-in default.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { budgetChanges } from '../../../src/commands/budgets';
import { renderTable } from '../../../src/report/table';
import type { SuiteResult } from '../../../src/base/types';
import { fakeCli, passedRun } from '../../support/fake-cli';
import { MB, makeReport, makeResult } from '../../support/make-result';

const DEFAULTS = { memoryMb: 'default', timeS: 'default', leakMb: 'none' };
const suite = (name: string, peakMb: number, durationMs: number, over: Partial<SuiteResult> = {}): SuiteResult =>
  makeResult({ name, peakRssBytes: peakMb * MB, durationMs, sources: DEFAULTS, ...over });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-budgets-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function budgets(argv: string[], report: ReturnType<typeof makeReport>): Promise<{ code: number; out: string; err: string }> {
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
  const cli = fakeCli(['budgets', 'report.json', ...argv], async () => passedRun());
  cli.io.cwd = dir;
  const code = await main(cli.io, cli.deps);
  return { code, out: cli.out(), err: cli.err() };
}
const readJson = (file: string): any => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

describe('budgetChanges', () => {
  it('writes the highest of --runs\' figures plus the headroom, rounded up', () => {
    const runs = [300, 350, 320].map((mb, i) => passedRun({ peakRssBytes: mb * MB, durationMs: 1000 + i * 500 }));
    const [change] = budgetChanges([makeReport([suite('heavy', 320, 1500, { runs })])], {}, 20);
    expect(change.written).toEqual({ memoryMb: 420, timeS: 2.4 });
    expect(change.kept).toEqual([]);
  });

  it('budgets the time that is judged: without --per-test\'s forced GCs or --parallel\'s wait for a core', () => {
    const [change] = budgetChanges([makeReport([suite('heavy', 100, 11_000, { judgedDurationMs: 1_500, perTestGcMs: 9_500 })])], {}, 20);
    expect(change.written.timeS).toBe(1.8);
  });

  it('keeps a per-suite or project-wide budget of the config, leaves a docblock budget alone, and skips a suite that did not pass', () => {
    const changes = budgetChanges(
      [makeReport([
        suite('a', 100, 1000, { sources: { memoryMb: 'docblock, line 2', timeS: 'default', leakMb: 'none' } }),
        suite('b', 100, 1000, { sources: { memoryMb: 'config budgets["b"]', timeS: 'config', leakMb: 'none' } }),
        suite('c', 100, 1000, { outcome: 'oom' }),
      ])],
      { timeS: 10, budgets: { b: { memoryMb: 150 } } },
      20,
    );
    expect(changes.map((c) => [c.name, c.written])).toEqual([['a', {}], ['b', {}], ['c', {}]]);
    expect(changes[0].kept.join('; ')).toMatch(/docblock \(docblock, line 2\): left alone.*config's time budget for every suite \(10 s\) is kept/);
    expect(changes[1].kept.join('; ')).toMatch(/memory budget in the config \(150 MB\) is kept/);
    expect(changes[2].kept.join('; ')).toMatch(/did not pass \(oom\)/);
  });
});

describe('stress-run budgets', () => {
  it('creates stress-run.config.json where there is no config, with 20% headroom by default', async () => {
    const run = await budgets([], makeReport([suite('heavy', 350, 2000)]));
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(readJson('stress-run.config.json')).toEqual({ budgets: { heavy: { memoryMb: 420, timeS: 2.4 } } });
    expect(run.out).toMatch(/heavy: writes memory 420 MB \(peak 350 MB \+ 20%\), time 2.4 s/);
    expect(run.out).toContain('Created stress-run.config.json');
  });

  it('adds to the config in package.json "stressRun", keeping the rest of package.json and the hand-written budgets, with --headroom', async () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', stressRun: { runs: 2, budgets: { heavy: { timeS: 9 } } } }, null, 4));
    const run = await budgets(['--headroom', '50'], makeReport([suite('heavy', 100, 2000), suite('light', 50, 1000)]));
    expect(run.code).toBe(0);
    expect(readJson('package.json')).toEqual({ name: 'p', stressRun: { runs: 2, budgets: { heavy: { timeS: 9, memoryMb: 150 }, light: { memoryMb: 75, timeS: 1.5 } } } });
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toMatch(/^ {4}"name"/m);
    expect(fs.existsSync(path.join(dir, 'stress-run.config.json'))).toBe(false);
    expect(run.out).toMatch(/heavy: writes memory 150 MB .*; its time budget in the config \(9 s\) is kept\./);
  });

  it('writes the --config file, creating it when it does not exist yet', async () => {
    const run = await budgets(['--config', 'ci/stress.json'], makeReport([suite('heavy', 100, 2000)]));
    expect(run.code).toBe(0);
    expect(readJson('ci/stress.json')).toEqual({ budgets: { heavy: { memoryMb: 120, timeS: 2.4 } } });
  });

  it('needs a report', async () => {
    const cli = fakeCli(['budgets'], async () => passedRun());
    expect(await main(cli.io, cli.deps)).toBe(2);
    expect(cli.err()).toMatch(/budgets needs a JSON report/);
  });
});

describe('the table says where each budget came from', () => {
  it('a column, and a line naming the command when a suite runs on the built-in default', () => {
    const table = renderTable(
      makeReport([suite('heavy', 350, 2000), suite('owned', 100, 1000, { sources: { memoryMb: 'config budgets["owned"]', timeS: 'docblock, line 2', leakMb: 'none' } })]),
      { color: false },
    );
    expect(table).toMatch(/budget from/);
    expect(table).toMatch(/heavy .*default/);
    expect(table).toMatch(/owned .*config\/docblock/);
    expect(table).toMatch(/heavy is judged on the built-in default budget.*stress-run budgets <report\.json>/);
  });
});
