import { median } from '../../../src/base/median';
import { notRun, toSuiteResult } from '../../../src/outcome/suite-result';
import type { SuiteRun } from '../../../src/base/types';

const MB = 1024 * 1024;
const run = (over: Partial<SuiteRun> = {}): SuiteRun => ({
  outcome: 'passed',
  tests: { passed: 2, failed: 0, skipped: 0, total: 2 },
  testCases: [],
  peakRssBytes: 100 * MB,
  durationMs: 1000,
  exitCode: 0,
  signal: null,
  message: null,
  processes: [],
  samples: [],
  ...over,
});
const suite = { name: 'kb-accuracy', file: '/p/stress-suites/kb-accuracy.stress.test.ts', project: { index: 0, name: null } };
const settings = { budget: { memoryMb: 150, timeS: 2 }, heapCapMb: 150, killAboveMb: 512, timeoutMs: 4000 };

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });
});

describe('toSuiteResult', () => {
  it('judges a single run against its budget', () => {
    const result = toSuiteResult(suite, 'stress-suites/kb-accuracy.stress.test.ts', [run({ peakRssBytes: 151 * MB })], settings);
    expect(result).toMatchObject({
      name: 'kb-accuracy',
      file: 'stress-suites/kb-accuracy.stress.test.ts',
      outcome: 'passed',
      heapCapMb: 150,
      timeoutS: 4,
      budget: { memoryMb: 150, timeS: 2, memoryExceeded: true, timeExceeded: false },
    });
    expect(result.runs).toBeUndefined();
  });

  it('judges the medians of several runs and keeps every run', () => {
    const runs = [run({ peakRssBytes: 100 * MB, durationMs: 900 }), run({ peakRssBytes: 160 * MB, durationMs: 3000 }), run({ peakRssBytes: 110 * MB, durationMs: 1100 })];
    const result = toSuiteResult(suite, 'f', runs, settings);
    expect(result.peakRssBytes).toBe(110 * MB);
    expect(result.durationMs).toBe(1100);
    expect(result.budget.memoryExceeded).toBe(false);
    expect(result.runs).toHaveLength(3);
  });

  it('lets any failing run decide the outcome', () => {
    const runs = [run(), run({ outcome: 'oom', message: 'heap', tests: { passed: null, failed: null, skipped: null, total: null } }), run()];
    const result = toSuiteResult(suite, 'f', runs, settings);
    expect(result.outcome).toBe('oom');
    expect(result.message).toBe('heap');
  });

  it('marks a suite that never started as interrupted with unknown counts', () => {
    const result = toSuiteResult(suite, 'f', [notRun()], settings);
    expect(result.outcome).toBe('interrupted');
    expect(result.tests.total).toBeNull();
  });
});
