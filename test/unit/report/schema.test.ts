import { renderJson } from '../../../src/report/json';
import { mergeReports, parseReport } from '../../../src/report/merge';
import { notRun, toSuiteResult } from '../../../src/outcome/suite-result';
import type { RunReport, SuiteRun } from '../../../src/base/types';
import { validateReport } from '../../support/validate-report';
import { MB, makeCase, makeDeath, makeReport, makeResult } from '../../support/make-result';

// A report with one suite of every outcome, the optional lists filled in, and several runs for one suite.
function fullReport(): RunReport {
  const run = (durationMs: number): SuiteRun => {
    const { name, file, heapCapMb, timeoutS, budget, runs, ...facts } = makeResult({ durationMs });
    return facts;
  };
  return makeReport([
    makeResult({
      name: 'kb-accuracy',
      testCases: [makeCase({ ancestors: ['search'], title: 'ranks', durationMs: null }), makeCase({ status: 'todo' })],
      processes: [
        { pid: 100, ppid: null, command: 'node jest', peakRssBytes: 90 * MB, heapLimitBytes: 300 * MB, heapUsedPeakBytes: 40 * MB },
        { pid: 101, ppid: 100, command: 'node worker', peakRssBytes: 20 * MB, heapLimitBytes: null, heapUsedPeakBytes: null },
      ],
      samples: [
        { tMs: 0, rssBytes: 40 * MB, heapUsedBytes: null },
        { tMs: 50.5, rssBytes: 110 * MB, heapUsedBytes: 30 * MB },
      ],
      runs: [run(1900), run(2000), run(2100)].map((r, i) => ({ ...r, startedAtMs: i * 2000 })),
      startedAtMs: 4000,
    }),
    makeResult({
      name: 'booking',
      outcome: 'failed',
      tests: { passed: 1, failed: 1, skipped: 0, total: 2 },
      testCases: [makeCase(), makeCase({ status: 'failed', failureMessages: ['expected 1'] })],
      exitCode: 1,
      message: 'booking › holds a slot',
    }),
    makeDeath('oom', { name: 'redaction', heapCapMb: 48, exitCode: null, signal: 'SIGABRT' }),
    makeDeath('crashed', { name: 'segfault', exitCode: 139, signal: null }),
    makeDeath('timeout', { name: 'hang', heapCapMb: null }),
    makeDeath('killed', { name: 'killed' }),
    makeDeath('memory-killed', { name: 'memory-killed', killAboveMb: 600 }),
    makeDeath('interrupted', { name: 'later', peakRssBytes: 0, durationMs: 0 }),
  ], { schedule: { parallelism: 2, totalMemoryMb: 600, peakConcurrentRssBytes: 210 * MB, wallMs: 9000, sumSuiteMs: 14000 } });
}

// Sets one field deep in a copy of the report, or removes it with undefined.
function broken(path: Array<string | number>, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(fullReport())) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

describe('schema/report.v1.json', () => {
  it('accepts a report with every outcome, null counts, runs, processes and samples', () => {
    expect(validateReport(fullReport())).toEqual([]);
  });

  it('accepts what --json writes, and reports that leave out the optional lists', () => {
    expect(validateReport(JSON.parse(renderJson(fullReport())))).toEqual([]);
    const slim = fullReport().suites.map(({ testCases, processes, samples, runs, ...rest }) => rest);
    expect(validateReport({ ...fullReport(), suites: slim })).toEqual([]);
    expect(validateReport(makeReport([]))).toEqual([]);
  });

  it('accepts properties it does not know, since later versions add fields', () => {
    expect(validateReport({ ...fullReport(), host: 'ci-1', suites: [{ ...fullReport().suites[0], cpuMs: 12 }] })).toEqual([]);
  });

  it('accepts the results the core builds, including a suite that never ran', () => {
    const settings = { budget: { memoryMb: 300, timeS: 30 }, heapCapMb: null, killAboveMb: 600, timeoutMs: 60_000 };
    const ran = toSuiteResult({ name: 'a', file: '/x/a.stress.test.ts', project: { index: 0, name: null } }, 'x/a.stress.test.ts', [makeDeath('oom'), makeResult()], settings);
    const skipped = toSuiteResult({ name: 'b', file: '/x/b.stress.test.ts', project: { index: 0, name: null } }, 'x/b.stress.test.ts', [notRun()], settings);
    expect(validateReport(makeReport([ran, skipped]))).toEqual([]);
  });

  it('accepts merged and re-read reports', () => {
    const [first, ...rest] = fullReport().suites;
    const merged = mergeReports([makeReport([first]), makeReport(rest, { startedAt: '2025-01-01T00:00:01+02:00' })]);
    expect(validateReport(merged)).toEqual([]);
    expect(validateReport(parseReport(renderJson(merged), 'merged.json'))).toEqual([]);
  });

  it.each<[string, Array<string | number>, unknown, RegExp]>([
    ['another schema version', ['schemaVersion'], 2, /^schemaVersion must be equal to constant, got 2$/],
    ['no ok', ['ok'], undefined, /^ok is missing$/],
    ['a start that is not a date', ['startedAt'], 'yesterday', /^startedAt must match pattern .*, got \"yesterday\"$/],
    ['a negative duration', ['durationMs'], -1, /^durationMs must be >= 0, got -1$/],
    ['an unknown outcome', ['suites', 2, 'outcome'], 'exploded', /^suites\[2\]\.outcome must be one of passed, failed, oom, timeout, killed, memory-killed, crashed, interrupted, got \"exploded\"$/],
    ['a count as a string', ['suites', 0, 'tests', 'total'], '2', /^suites\[0\]\.tests\.total must be an integer or null, got \"2\"$/],
    ['a fractional count', ['suites', 0, 'tests', 'passed'], 1.5, /^suites\[0\]\.tests\.passed must be an integer or null, got 1\.5$/],
    ['a missing count', ['suites', 2, 'tests', 'skipped'], undefined, /^suites\[2\]\.tests\.skipped is missing$/],
    ['no heap cap field', ['suites', 1, 'heapCapMb'], undefined, /^suites\[1\]\.heapCapMb is missing$/],
    ['a budget without its flags', ['suites', 0, 'budget', 'memoryExceeded'], undefined, /^suites\[0\]\.budget\.memoryExceeded is missing$/],
    ['a signal as a number', ['suites', 2, 'signal'], 6, /^suites\[2\]\.signal must be a string or null, got 6$/],
    ['a fractional exit code', ['suites', 1, 'exitCode'], 1.5, /^suites\[1\]\.exitCode must be an integer or null, got 1\.5$/],
    ['a test case of unknown status', ['suites', 0, 'testCases', 0, 'status'], 'flaky', /^suites\[0\]\.testCases\[0\]\.status must be one of passed, failed, skipped, todo, got \"flaky\"$/],
    ['a run without its outcome', ['suites', 0, 'runs', 1, 'outcome'], undefined, /^suites\[0\]\.runs\[1\]\.outcome is missing$/],
    ['a sample without its time', ['suites', 0, 'samples', 0, 'tMs'], undefined, /^suites\[0\]\.samples\[0\]\.tMs is missing$/],
    ['an empty suite name', ['suites', 0, 'name'], '', /^suites\[0\]\.name must NOT have fewer than 1 characters, got \"\"$/],
    ['suites that are not a list', ['suites'], {}, /^suites must be a list, got \{\}$/],
  ])('rejects %s', (_, path, value, problem) => {
    const problems = validateReport(broken(path, value));
    expect(problems).not.toEqual([]);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('rejects what is not a report at all', () => {
    expect(validateReport(null)).toEqual(['the report must be an object, got null']);
    expect(validateReport([])).toEqual(['the report must be an object, got []']);
  });

  it('accepts --per-test figures, a leak budget and compare’s variants, and checks their types', () => {
    const perTest = [
      { name: 'books a slot', retainedBytes: 1_048_600, heapUsedBytes: 31 * MB, nativeContexts: 2 },
      { name: 'frees', retainedBytes: -4000, heapUsedBytes: 30 * MB, nativeContexts: 2 },
    ];
    const suite = makeResult({
      perTest,
      leak: { slopeBytesPerTest: 1_048_600, growthShare: 0.9, flagged: true },
      budget: { memoryMb: 300, timeS: 30, leakMb: 0.5, memoryExceeded: false, timeExceeded: false, leakExceeded: true },
    });
    const report = makeReport([suite], { variants: [{ env: { STRESS_MOCKS: 'heavy' }, suites: [suite] }, { env: { STRESS_MOCKS: 'light' }, suites: [makeResult({ leak: null })] }] });
    expect(validateReport(JSON.parse(renderJson(report)))).toEqual([]);
    const bad = JSON.parse(renderJson(report));
    bad.suites[0].leak.growthShare = 2;
    bad.variants[0].env.STRESS_MOCKS = 1;
    expect(validateReport(bad).length).toBeGreaterThanOrEqual(2);
  });
});
