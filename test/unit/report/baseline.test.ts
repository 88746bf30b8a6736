import { compareToBaseline, renderBaseline } from '../../../src/report/baseline';
import { MB, makeReport, makeResult } from './make-result';

const baseline = makeReport([
  makeResult({ name: 'kb-accuracy', peakRssBytes: 142 * MB, durationMs: 2100 }),
  makeResult({ name: 'redaction', peakRssBytes: 200 * MB, durationMs: 3000 }),
  makeResult({ name: 'retired', peakRssBytes: 120 * MB, durationMs: 5000 }),
]);
const current = makeReport([
  makeResult({ name: 'kb-accuracy', peakRssBytes: 151 * MB, durationMs: 2300 }),
  makeResult({ name: 'redaction', peakRssBytes: 260 * MB, durationMs: 2900 }),
  makeResult({ name: 'brand-new', peakRssBytes: 80 * MB, durationMs: 1200 }),
]);

describe('compareToBaseline', () => {
  it('gives each suite both figures and the deltas in bytes and percent of the baseline', () => {
    const kb = compareToBaseline(current, baseline).suites.find((s) => s.name === 'kb-accuracy')!;
    expect(kb).toMatchObject({
      status: 'ok',
      baseline: { peakRssBytes: 142 * MB, durationMs: 2100 },
      current: { peakRssBytes: 151 * MB, durationMs: 2300 },
      memoryDeltaBytes: 9 * MB,
      timeDeltaMs: 200,
    });
    expect(kb.memoryDeltaPct).toBeCloseTo((9 / 142) * 100, 6);
    expect(kb.timeDeltaPct).toBeCloseTo((200 / 2100) * 100, 6);
  });

  it('flags memory growth above the allowed percentage as a regression, and fails the comparison', () => {
    const cmp = compareToBaseline(current, baseline, 10);
    expect(cmp.suites.find((s) => s.name === 'redaction')!.status).toBe('regressed');
    expect(cmp.ok).toBe(false);
    expect(compareToBaseline(current, baseline, 50).suites.find((s) => s.name === 'redaction')!.status).toBe('ok');
  });

  it('allows exactly the limit, and judges memory only, not time', () => {
    const before = makeReport([makeResult({ peakRssBytes: 100 * MB, durationMs: 1000 })]);
    const after = makeReport([makeResult({ peakRssBytes: 110 * MB, durationMs: 9000 })]);
    const cmp = compareToBaseline(after, before);
    expect(cmp.maxRegressionPct).toBe(10);
    expect(cmp.suites[0].status).toBe('ok');
    expect(cmp.ok).toBe(true);
    expect(compareToBaseline(makeReport([makeResult({ peakRssBytes: 110 * MB + 1 })]), before).suites[0].status).toBe('regressed');
  });

  it('lists baseline suites that did not run as missing, which fails, and new suites as new, which does not', () => {
    const cmp = compareToBaseline(current, baseline, 50);
    expect(cmp.suites.map((s) => [s.name, s.status])).toEqual([
      ['brand-new', 'new'],
      ['kb-accuracy', 'ok'],
      ['redaction', 'ok'],
      ['retired', 'missing'],
    ]);
    expect(cmp.suites[0]).toMatchObject({ baseline: null, current: { peakRssBytes: 80 * MB }, memoryDeltaPct: null });
    expect(cmp.suites[3]).toMatchObject({ baseline: { peakRssBytes: 120 * MB }, current: null, memoryDeltaBytes: null });
    expect(cmp.ok).toBe(false);
    const withoutRetired = makeReport(baseline.suites.filter((s) => s.name !== 'retired'));
    expect(compareToBaseline(current, withoutRetired, 50).ok).toBe(true);
  });

  it('reads the median figures a suite with several runs already carries', () => {
    const before = makeReport([makeResult({ peakRssBytes: 100 * MB, runs: [] })]);
    const after = makeReport([makeResult({ peakRssBytes: 105 * MB, runs: [] })]);
    expect(compareToBaseline(after, before).suites[0].memoryDeltaBytes).toBe(5 * MB);
  });

  it('gives no percentage when the baseline measured nothing', () => {
    const before = makeReport([makeResult({ peakRssBytes: 0, durationMs: 0 })]);
    const cmp = compareToBaseline(makeReport([makeResult()]), before);
    expect(cmp.suites[0]).toMatchObject({ status: 'ok', memoryDeltaPct: null, timeDeltaPct: null });
  });
});

describe('renderBaseline', () => {
  it('prints one aligned row per suite with both figures, the change and the status, then a summary', () => {
    expect(renderBaseline(compareToBaseline(current, baseline)).split('\n')).toEqual([
      'suite        peak RSS           Δ  time             Δ  status',
      'brand-new    - → 80 MB             - → 1.2 s           new',
      'kb-accuracy  142 → 151 MB   +6.3%  2.1 → 2.3 s  +9.5%  ok',
      'redaction    200 → 260 MB  +30.0%  3.0 → 2.9 s  -3.3%  REGRESSED',
      'retired      120 → - MB            5.0 → - s           MISSING',
      'Against the baseline: 1 suite grew more than 10% in peak memory, 1 suite of the baseline did not run (1 suite new).',
      '',
    ]);
  });

  it('says so when nothing regressed', () => {
    const report = makeReport([makeResult({ peakRssBytes: 100 * MB, durationMs: 1000 })]);
    const shrunk = makeReport([makeResult({ peakRssBytes: 90 * MB, durationMs: 1000 })]);
    const out = renderBaseline(compareToBaseline(shrunk, report));
    expect(out).toContain('100 → 90 MB  -10.0%');
    expect(out).toMatch(/1\.0 → 1\.0 s\s+0\.0%  ok/);
    expect(out.trimEnd().split('\n').pop()).toBe('Against the baseline: no suite grew more than 10% in peak memory.');
  });
});
