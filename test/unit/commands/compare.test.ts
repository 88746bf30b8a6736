import { envProduct } from '../../../src/commands/compare';
import { renderCompareTable, variantLabel } from '../../../src/report/compare-table';
import { MB, makeReport, makeResult } from '../report/make-result';

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

  it('names the variant of a suite that did not pass', () => {
    const over = makeReport([], {
      variants: [
        { env: { STRESS_MOCKS: 'heavy' }, suites: [makeResult({ name: 'kb', outcome: 'oom', heapCapMb: 300, message: 'heap' })] },
        { env: { STRESS_MOCKS: 'light' }, suites: light },
      ],
    });
    expect(renderCompareTable(over, { color: false })).toContain('heavy: OOM at 300 MB heap');
  });

  it('labels a variant by its variables', () => {
    expect(variantLabel({ A: '1', B: 'x' })).toBe('A=1 B=x');
  });
});
