// --per-test judges time without its own cost: the hook's forced GCs are summed from its file, taken
// off the time judged against the budget, and both figures are kept.
import { parsePerTestFile, perTestGcMsOf } from '../../../src/forensics/leak';
import { toSuiteResult } from '../../../src/outcome/suite-result';
import { verdict } from '../../../src/report/verdict';
import { perTestNotes } from '../../../src/report/per-test-notes';
import { createColors } from 'picocolors';
import { settingsFor, resolveOptions } from '../../../src/config/options';
import { passedRun } from '../../support/fake-cli';

const suite = { name: 'gc-heavy', file: '/p/gc-heavy.test.js', project: { index: 0, name: null } };
const settings = settingsFor('gc-heavy', resolveOptions('all', [], { timeBudget: '5' }, {}));

describe('the forced GCs of --per-test', () => {
  it('are summed from the hook file, the baseline included (older lines without gcMs count 0)', () => {
    const text = [
      { baseline: true, heapUsedBytes: 1, nativeContexts: 2, gcMs: 100.5 },
      { name: 'a', heapUsedBytes: 1, nativeContexts: 2, gcMs: 200.2 },
      { name: 'b', heapUsedBytes: 1, nativeContexts: 2 },
      { name: 'c', heapUsedBytes: 1, nativeContexts: 2, gcMs: 299.6 },
    ].map((r) => JSON.stringify(r)).join('\n');
    expect(perTestGcMsOf(parsePerTestFile(text))).toBe(600);
  });

  it('are taken off the time judged: no OVER TIME for a suite within budget without them; durationMs stays as measured', () => {
    const run = passedRun({ durationMs: 11_000, perTestGcMs: 9_500, judgedDurationMs: 1_500, perTest: [] });
    const result = toSuiteResult(suite, 'gc-heavy.test.js', [run], settings);
    expect(result).toMatchObject({ durationMs: 11_000, judgedDurationMs: 1_500, perTestGcMs: 9_500 });
    expect(result.budget.timeExceeded).toBe(false);
    expect(verdict(result)).toBe('PASS');
  });

  it('a suite over its budget without them is still OVER TIME, on the time judged', () => {
    const run = passedRun({ durationMs: 11_000, perTestGcMs: 4_000, judgedDurationMs: 7_000, perTest: [] });
    const result = toSuiteResult(suite, 'gc-heavy.test.js', [run], settings);
    expect(result.budget.timeExceeded).toBe(true);
    expect(verdict(result)).toBe('OVER TIME 7/5 s');
  });

  it('without --per-test the time judged is the time measured', () => {
    const result = toSuiteResult(suite, 'gc-heavy.test.js', [passedRun({ durationMs: 6_000 })], settings);
    expect(result.judgedDurationMs).toBeUndefined();
    expect(result.budget.timeExceeded).toBe(true);
  });
});

describe('the table', () => {
  it('says under it how long the forced GCs took and the time judged', () => {
    const result = toSuiteResult(suite, 'gc-heavy.test.js', [passedRun({ durationMs: 11_000, perTestGcMs: 9_500, judgedDurationMs: 1_500, perTest: [] })], settings);
    expect(perTestNotes([result], createColors(false)).join('\n')).toContain('gc-heavy: no fit (0 tests measured); the forced GCs took 9.5 s of its 11.0 s, judged on 1.5 s');
  });
});
