import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { envProduct } from '../../../src/commands/compare';
import type { RunReport } from '../../../src/base/types';
import { heapNeedHarness } from '../../support/heap-need-harness';
import { renderCompareTable, variantLabel } from '../../../src/report/compare-table';
import { MB, makeReport, makeResult } from '../../support/make-result';

describe('envProduct', () => {
  it('gives every combination, the first variable varying slowest', () => {
    expect(envProduct([{ name: 'A', values: ['1', '2'] }, { name: 'B', values: ['x', 'y'] }])).toEqual([
      { A: '1', B: 'x' },
      { A: '1', B: 'y' },
      { A: '2', B: 'x' },
      { A: '2', B: 'y' },
    ]);
    expect(envProduct([{ name: 'STRESS_MOCKS', values: ['heavy', 'light'] }])).toEqual([{ STRESS_MOCKS: 'heavy' }, { STRESS_MOCKS: 'light' }]);
  });
});

describe('renderCompareTable', () => {
  const heavy = [makeResult({ name: 'kb', peakRssBytes: 300 * MB, durationMs: 3000, leak: { slopeBytesPerTest: 2.8 * MB, growthShare: 0.97, flagged: true } })];
  const light = [makeResult({ name: 'kb', peakRssBytes: 120 * MB, durationMs: 1500, leak: { slopeBytesPerTest: 12_000, growthShare: 0.05, flagged: false } })];
  const report = makeReport([...heavy, ...light], {
    variants: [
      { env: { STRESS_MOCKS: 'heavy' }, suites: heavy },
      { env: { STRESS_MOCKS: 'light' }, suites: light },
    ],
  });

  it('shows a column group per variant, the leak slope, and the first variant as a ratio of the other', () => {
    const out = renderCompareTable(report, { color: false });
    expect(out.split('\n')[0]).toBe('Variants: heavy = STRESS_MOCKS=heavy · light = STRESS_MOCKS=light');
    const head = out.split('\n').find((l) => l.startsWith('│ suite'))!;
    expect(head.split('│').map((c) => c.trim()).filter(Boolean)).toEqual(['suite', 'heavy peak MB', 'heavy time s', 'heavy leak/test', 'light peak MB', 'light time s', 'light leak/test', 'heavy ÷ light peak', 'time', 'verdict']);
    expect(out).not.toMatch(/^┬/m);
    const row = out.split('\n').find((l) => l.startsWith('│ kb'))!;
    expect(row.split('│').map((c) => c.trim()).filter(Boolean)).toEqual(['kb', '300', '3.0', '+2.80 MB leak', '120', '1.5', '+12 KB', '×2.50', '×2.00', 'PASS']);
    expect(out).toContain('Peak RSS of all suites: heavy 300 MB, light 120 MB (×2.50).');
  });

  it('marks a pool estimate with ~ and shows the pool notes under the table', () => {
    const pooled = (r: ReturnType<typeof makeResult>): ReturnType<typeof makeResult> => ({ ...r, measuredIn: 'pool', leftInWorkerBytes: 0 });
    const isolation = { mode: 'pool' as const, workers: 1, workerMemoryLimitMb: null, suggestedWorkerIdleMemoryLimitMb: null, history: [], confirmed: [] };
    const pool = makeReport([...heavy, ...light].map(pooled), {
      variants: [
        { env: { STRESS_MOCKS: 'heavy' }, suites: heavy.map(pooled) },
        { env: { STRESS_MOCKS: 'light' }, suites: light.map(pooled) },
      ],
      isolation,
    });
    const out = renderCompareTable(pool, { color: false });
    const row = out.split('\n').find((l) => l.startsWith('│ kb'))!;
    expect(row.split('│').map((c) => c.trim()).filter(Boolean).slice(0, 5)).toEqual(['kb', '~300', '3.0', '+2.80 MB leak', '~120']);
    expect(out).toContain('~ an estimate: the file ran in a pool worker');
  });

  it('names the variant of a suite that did not pass', () => {
    const over = makeReport([], {
      variants: [
        { env: { STRESS_MOCKS: 'heavy' }, suites: [makeResult({ name: 'kb', outcome: 'oom', heapCapMb: 300, message: 'heap' })] },
        { env: { STRESS_MOCKS: 'light' }, suites: light },
      ],
    });
    expect(renderCompareTable(over, { color: false })).toContain('heavy: OOM at 300 MB heap');
  });

  it('with --floor, a floor column per variant and the floors as a ratio', () => {
    const withFloors = makeReport([], {
      variants: [
        { env: { STRESS_MOCKS: 'heavy' }, suites: [{ ...heavy[0], heapFloorMb: 112 }] },
        { env: { STRESS_MOCKS: 'light' }, suites: [{ ...light[0], heapFloorMb: 31 }] },
      ],
    });
    const out = renderCompareTable(withFloors, { color: false });
    const head = out.split('\n').find((l) => l.startsWith('│ suite'))!;
    expect(head.split('│').map((c) => c.trim()).filter(Boolean)).toEqual([
      'suite', 'heavy peak MB', 'heavy floor MB', 'heavy time s', 'heavy leak/test', 'light peak MB', 'light floor MB', 'light time s', 'light leak/test', 'heavy ÷ light peak', 'floor', 'time', 'verdict',
    ]);
    const row = out.split('\n').find((l) => l.startsWith('│ kb'))!;
    expect(row.split('│').map((c) => c.trim()).filter(Boolean)).toEqual(['kb', '300', '112', '3.0', '+2.80 MB leak', '120', '31', '1.5', '+12 KB', '×2.50', '×3.61', '×2.00', 'PASS']);
  });

  it('labels a variant by its variables', () => {
    expect(variantLabel({ A: '1', B: 'x' })).toBe('A=1 B=x');
  });
});

describe('stress-run compare --floor', () => {
  // A fake runner: a suite runs out of heap under a cap below its need, which the variant sets.
  const NEED_MB: Record<string, number> = { heavy: 112, light: 31 };
  const harness = (argv: string[]) =>
    heapNeedHarness(argv, (plan) => {
      const need = NEED_MB[plan.env.STRESS_MOCKS ?? 'light'];
      return { outcome: plan.heapCapMb === null || plan.heapCapMb >= need ? 'passed' : 'oom', peakMb: need + 50 };
    });

  it('searches each suite’s floor under each variant, then runs the variants, and reports both', async () => {
    const h = harness(['compare', '--dir', 'test/fixtures/suites', '-s', 'pass', '--env', 'STRESS_MOCKS=heavy,light', '--floor', '--json']);
    expect(await main(h.io, h.deps)).toBe(0);
    // Every try of a search carries its variant; the two plain runs come last, with no cap (none was asked for).
    const byVariant = (v: string) => h.plans.filter((p) => p.env.STRESS_MOCKS === v);
    expect(byVariant('heavy').length).toBeGreaterThan(3);
    expect(byVariant('light').length).toBeGreaterThan(3);
    expect(h.plans.slice(-2).map((p) => [p.env.STRESS_MOCKS, p.heapCapMb])).toEqual([['heavy', null], ['light', null]]);
    const report = JSON.parse(h.out().slice(h.out().indexOf('{'))) as RunReport;
    const floors = report.variants!.map((v) => [v.env.STRESS_MOCKS, v.suites[0].heapFloorMb]);
    expect(floors[0][1]! as number - 112).toBeGreaterThanOrEqual(0);
    expect(floors[0][1]! as number - 112).toBeLessThanOrEqual(6);
    expect(floors[1][1]! as number - 31).toBeGreaterThanOrEqual(0);
    expect(floors[1][1]! as number - 31).toBeLessThanOrEqual(2);
    expect(report.suites.map((s) => s.name)).toEqual(['pass [STRESS_MOCKS=heavy]', 'pass [STRESS_MOCKS=light]']);
    expect(report.suites.every((s) => (s.floorTries ?? []).length >= 3)).toBe(true);
  });

  it('--html draws the variants side by side, with each variant\'s floor tries', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-compare-html-'));
    try {
      const h = harness(['compare', '--dir', 'test/fixtures/suites', '-s', 'pass', '--env', 'STRESS_MOCKS=heavy,light', '--floor', '--html', path.join(out, 'compare.html')]);
      expect(await main(h.io, h.deps)).toBe(0);
      const page = fs.readFileSync(path.join(out, 'compare.html'), 'utf8');
      expect(page).toContain('<th>STRESS_MOCKS=heavy</th><th>STRESS_MOCKS=light</th>');
      expect(page).toMatch(/162 MB · [\d.]+ s<\/td><td>.*81 MB \(×0\.50\)/);
      expect(page.match(/Heap floor tries: floor/g)).toHaveLength(2);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('--floor elsewhere is named in a warning and does nothing', async () => {
    const h = harness(['--dir', 'test/fixtures/suites', '-s', 'pass', '--floor']);
    let err = '';
    h.io.stderr = { write: (t: string) => ((err += t), true) };
    expect(await main(h.io, h.deps)).toBe(0);
    expect(err).toContain('--floor (only for compare');
    expect(h.plans).toHaveLength(1);
  });
});
