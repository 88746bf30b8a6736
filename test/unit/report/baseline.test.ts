import { compareToBaseline, growthT, renderBaseline } from '../../../src/report/baseline';
import type { RunReport, SuiteResult } from '../../../src/base/types';
import { MB, makeReport, makeResult } from '../../support/make-result';

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
      'suite        peak RSS           Δ  time             Δ  status     rule',
      'brand-new    - → 80 MB             - → 1.2 s           new',
      'kb-accuracy  142 → 151 MB   +6.3%  2.1 → 2.3 s  +9.5%  ok         percent: +6.3% ≤ 10% (one baseline run)',
      'redaction    200 → 260 MB  +30.0%  3.0 → 2.9 s  -3.3%  REGRESSED  percent: +30.0% > 10% (one baseline run)',
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

describe('the gate over several baseline runs', () => {
  // Ten runs of an unchanged suite: 120 MB give or take 1.5 MB.
  const NOISE = [0, 1.2, -0.8, 0.4, -1.5, 0.9, -0.3, 1.5, -1.1, 0.6];
  const runsAt = (mb: number[]): SuiteResult['runs'] => mb.map((m) => makeResult({ peakRssBytes: Math.round(m * MB) }));
  const reportOf = (mb: number[]): RunReport => makeReport([makeResult({ peakRssBytes: Math.round(mb[0] * MB), runs: mb.length > 1 ? runsAt(mb) : undefined })]);
  const base = NOISE.map((d) => reportOf([120 + d]));

  it('passes every rerun of the unchanged suite, by the t-test, even with no floor', () => {
    for (const d of [...NOISE, 1.8, -2]) {
      const s = compareToBaseline(reportOf([120 + d]), base, 10, 0).suites[0];
      expect([d, s.status, s.rule]).toEqual([d, 'ok', 't-test']);
    }
  });

  it('fails a suite that holds 20 MB more, and says the t-test fired', () => {
    const s = compareToBaseline(reportOf([140.2]), base, 10, 5).suites[0];
    expect(s).toMatchObject({ status: 'regressed', rule: 't-test' });
    expect(s.detail).toMatch(/^t = [\d.]+ > 2\.26 \(95%, 10 baseline runs\)$/);
  });

  it('lets growth under the floor pass even when it is outside the noise, and says the floor decided', () => {
    const tight = [100, 100.1, 99.9, 100, 100.05].map((m) => reportOf([m]));
    const s = compareToBaseline(reportOf([103]), tight, 10, 5).suites[0];
    expect(s).toMatchObject({ status: 'ok', rule: 'floor' });
    expect(s.detail).toMatch(/^\+3 MB < 5 MB floor; t = [\d.]+ > /);
    expect(compareToBaseline(reportOf([103]), tight, 10, 0).suites[0].status).toBe('regressed');
  });

  it('counts each run of a report with --runs as one baseline run, and tests several new runs with Welch', () => {
    const one = [makeReport([makeResult({ peakRssBytes: 120 * MB, runs: runsAt(NOISE.map((d) => 120 + d)) })])];
    expect(compareToBaseline(reportOf([121, 119.5, 120.4]), one, 10, 0).suites[0]).toMatchObject({ status: 'ok', rule: 't-test' });
    const s = compareToBaseline(reportOf([130, 131, 129.5]), one, 10, 0).suites[0];
    expect(s).toMatchObject({ status: 'regressed', rule: 't-test' });
    expect(s.detail).toContain('10 baseline runs');
  });

  it('says in the summary which rule is at work', () => {
    const out = renderBaseline(compareToBaseline(reportOf([140]), base, 10, 5));
    expect(out.trimEnd().split('\n').pop()).toBe('Against the baseline: 1 suite grew beyond what the baseline runs vary (t-test, 95%) in peak memory (growth under 5 MB never fails).');
  });
});

describe('growthT', () => {
  it('is Student’s t for one new run against the baseline’s spread', () => {
    // mean 10, sample sd 1, n = 5: (12 − 10) / (1 · √(1 + 1/5))
    expect(growthT([9, 10, 11, 10, 10].map((x) => x), [12]).df).toBe(4);
    const { t } = growthT([8.5, 9.5, 10, 10.5, 11.5], [12]);
    const sd = Math.sqrt((2.25 + 0.25 + 0 + 0.25 + 2.25) / 4);
    expect(t).toBeCloseTo(2 / (sd * Math.sqrt(1.2)), 9);
  });

  it('is Welch’s t with Welch–Satterthwaite degrees of freedom for several new runs', () => {
    const { t, df } = growthT([1, 2, 3], [4, 6, 8, 10]);
    // means 2 and 7; variances 1 and 6.667; standard error √(1/3 + 6.667/4)
    expect(t).toBeCloseTo(5 / Math.sqrt(1 / 3 + 20 / 3 / 4), 9);
    const a = 1 / 3;
    const b = 20 / 3 / 4;
    expect(df).toBeCloseTo((a + b) ** 2 / (a ** 2 / 2 + b ** 2 / 3), 9);
  });

  it('is infinite for growth over identical runs, and zero for none', () => {
    expect(growthT([5, 5, 5], [6]).t).toBe(Infinity);
    expect(growthT([5, 5, 5], [5]).t).toBe(0);
  });
});

describe('compareToBaseline with pool estimates', () => {
  const suite = (peakMb: number, measuredIn?: 'file' | 'pool'): SuiteResult => makeResult({ name: 'kb', peakRssBytes: peakMb * MB, ...(measuredIn ? { measuredIn } : {}) });

  it('never compares an estimate with an exact figure: the suite is new, and says why', () => {
    const cmp = compareToBaseline(makeReport([suite(200, 'pool')]), makeReport([suite(100)]), 10, 5);
    expect(cmp.suites[0]).toMatchObject({ status: 'new', baseline: null, detail: 'measured in a pool (an estimate) now, the other way in the baseline: not compared' });
    expect(cmp.ok).toBe(true);
    expect(renderBaseline(cmp)).toContain('not compared');
  });

  it('compares estimates with estimates, and exact figures with exact ones, in the same baselines', () => {
    const baselines = [makeReport([suite(100)]), makeReport([suite(150, 'pool')])];
    expect(compareToBaseline(makeReport([suite(200, 'pool')]), baselines, 10, 5).suites[0]).toMatchObject({ status: 'regressed', baseline: { peakRssBytes: 150 * MB } });
    expect(compareToBaseline(makeReport([suite(104, 'file')]), baselines, 10, 5).suites[0]).toMatchObject({ status: 'ok', baseline: { peakRssBytes: 100 * MB } });
  });
});
