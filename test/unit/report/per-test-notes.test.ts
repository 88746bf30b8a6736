import { createColors } from 'picocolors';
import { leakWords, perTestNotes, perTestSize } from '../../../src/report/per-test-notes';
import { verdict, isOk } from '../../../src/report/verdict';
import { toSuiteResult } from '../../../src/outcome/suite-result';
import type { SuiteRun } from '../../../src/base/types';
import { MB, makeResult } from '../../support/make-result';

const c = createColors(false);
const perTest = [
  { name: 'a keeps', retainedBytes: 3 * MB, heapUsedBytes: 33 * MB, nativeContexts: 2 },
  { name: 'b frees', retainedBytes: -2 * MB, heapUsedBytes: 31 * MB, nativeContexts: 2 },
  { name: 'c keeps more', retainedBytes: 5 * MB, heapUsedBytes: 36 * MB, nativeContexts: 2 },
];

describe('perTestNotes', () => {
  it('gives each measured suite its leak fit and the tests that retained most', () => {
    const suites = [
      makeResult({ name: 'kb', perTest, leak: { slopeBytesPerTest: 2.81 * MB, growthShare: 0.97, flagged: true } }),
      makeResult({ name: 'plain' }),
      makeResult({ name: 'one', perTest: perTest.slice(0, 1), leak: null }),
    ];
    expect(perTestNotes(suites, c)).toEqual([
      '',
      'Heap left behind per test (settled by a full GC after each test; growth under 64 KB is noise):',
      '  kb: probable leak: +2.81 MB/test, grew after 97% of tests',
      '    most retained: +5.00 MB "c keeps more", +3.00 MB "a keeps"',
      '  one: no fit (1 test measured)',
      '    most retained: +3.00 MB "a keeps"',
    ]);
    expect(perTestNotes([makeResult()], c)).toEqual([]);
  });

  it('words sizes and fits', () => {
    expect([perTestSize(12_000), perTestSize(-3 * MB), perTestSize(0)]).toEqual(['+12 KB', '-3.00 MB', '+0 KB']);
    expect(leakWords({ slopeBytesPerTest: 9000, growthShare: 0.1, flagged: false })).toBe('no leak: +9 KB/test, grew after 10% of tests');
  });
});

describe('a leak budget', () => {
  const run = (slopeMb: number, flagged: boolean): SuiteRun => {
    const { name, file, heapCapMb, timeoutS, budget, runs, ...facts } = makeResult({ perTest, leak: { slopeBytesPerTest: slopeMb * MB, growthShare: flagged ? 0.9 : 0.2, flagged } });
    return facts;
  };
  const settings = (leakMb?: number) => ({ budget: { memoryMb: 300, timeS: 30, ...(leakMb ? { leakMb } : {}) }, heapCapMb: 300, killAboveMb: null, timeoutMs: 60_000 });
  const suite = { name: 'kb', file: '/x/kb.test.js', project: { index: 0, name: null } };

  it('fails a probable leak over it, with the slope in the verdict', () => {
    const result = toSuiteResult(suite, 'kb.test.js', [run(1, true), run(1.2, true), run(0.9, true)], settings(0.5));
    expect(result.leak).toEqual({ slopeBytesPerTest: 1 * MB, growthShare: 0.9, flagged: true });
    expect(result.budget.leakExceeded).toBe(true);
    expect(isOk(result)).toBe(false);
    expect(verdict(result)).toBe('OVER LEAK 1/0.5 MB/test');
  });

  it('does not fail a slope that is not a probable leak, nor a suite without a leak budget', () => {
    expect(toSuiteResult(suite, 'kb.test.js', [run(1, false)], settings(0.5)).budget.leakExceeded).toBe(false);
    const unbudgeted = toSuiteResult(suite, 'kb.test.js', [run(3, true)], settings());
    expect(unbudgeted.budget).not.toHaveProperty('leakExceeded');
    expect(isOk(unbudgeted)).toBe(true);
  });
});
