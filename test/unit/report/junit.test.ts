import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderJunit } from '../../../src/report/junit';
import type { RunReport } from '../../../src/base/types';
import { MB, makeCase, makeDeath, makeReport, makeResult } from '../../support/make-result';

interface Node {
  [key: string]: unknown;
}

// Parses the XML after checking it is well-formed, with attributes as plain keys and repeated elements as arrays.
function parse(xml: string): Node {
  const valid = XMLValidator.validate(xml);
  expect(valid).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as Node;
}

const root = (xml: string): Node => parse(xml).testsuites as Node;
const suites = (xml: string): Node[] => root(xml).testsuite as Node[];
const cases = (suite: Node): Node[] => (suite.testcase as Node[] | undefined) ?? [];
const props = (suite: Node): Record<string, string> =>
  Object.fromEntries(((suite.properties as Node).property as Node[]).map((p) => [p.name as string, p.value as string]));
const countsOf = (node: Node): Record<string, string> => ({
  tests: node.tests as string,
  failures: node.failures as string,
  errors: node.errors as string,
  skipped: node.skipped as string,
});

// XML 1.0's Char production: anything outside it makes a strict parser reject the file.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

describe('renderJunit', () => {
  it('writes one testsuite per suite and one testcase per Jest test, with classname, name and time in seconds', () => {
    const report = makeReport([
      makeResult({
        name: 'kb-accuracy',
        testCases: [
          makeCase({ ancestors: ['search', 'ranking'], title: 'orders by score', durationMs: 1234 }),
          makeCase({ ancestors: [], title: 'top level', durationMs: null }),
        ],
      }),
      makeResult({ name: 'api/login', file: 'stress-suites/api/login.stress.test.ts', testCases: [makeCase()] }),
    ]);
    const [kb, login] = suites(renderJunit(report));
    expect(kb.name).toBe('kb-accuracy');
    expect(kb.file).toBe('stress-suites/kb-accuracy.stress.test.ts');
    expect(cases(kb).map((c) => [c.classname, c.name, c.time])).toEqual([
      ['search › ranking', 'orders by score', '1.234'],
      ['kb-accuracy', 'top level', '0.000'],
    ]);
    expect(login.name).toBe('api/login');
    expect(cases(login)).toHaveLength(1);
  });

  it('marks failed tests with a failure carrying the messages, and skipped and todo tests as skipped', () => {
    const report = makeReport([
      makeResult({
        outcome: 'failed',
        tests: { passed: 1, failed: 1, skipped: 2, total: 4 },
        testCases: [
          makeCase({ title: 'ok' }),
          makeCase({ title: 'breaks', status: 'failed', failureMessages: ['Error: expected 1\n    at line 3', 'second retry'] }),
          makeCase({ title: 'later', status: 'skipped' }),
          makeCase({ title: 'someday', status: 'todo' }),
        ],
        message: 'breaks failed',
      }),
    ]);
    const xml = renderJunit(report);
    const [suite] = suites(xml);
    expect(countsOf(suite)).toEqual({ tests: '4', failures: '1', errors: '0', skipped: '2' });
    const [ok, breaks, later, someday] = cases(suite);
    expect(ok.failure).toBeUndefined();
    const failure = breaks.failure as Node;
    expect(failure.message).toBe('Error: expected 1');
    expect(failure['#text']).toBe('Error: expected 1\n    at line 3\n\nsecond retry');
    expect(later.skipped).toBeDefined();
    expect(someday.skipped).toEqual({ message: 'todo' });
    expect(countsOf(root(xml))).toEqual({ tests: '4', failures: '1', errors: '0', skipped: '2' });
  });

  it.each(['oom', 'timeout', 'killed', 'memory-killed', 'crashed', 'interrupted'] as const)('turns a %s suite without results into one erroring testcase with the outcome and message', (outcome) => {
    const report = makeReport([makeDeath(outcome, { message: `FATAL ERROR: it went wrong\nsecond line` })]);
    const xml = renderJunit(report);
    const [suite] = suites(xml);
    expect(countsOf(suite)).toEqual({ tests: '1', failures: '0', errors: '1', skipped: '0' });
    const [only] = cases(suite);
    expect(only.classname).toBe('kb-accuracy');
    const error = only.error as Node;
    expect(error.type).toBe(outcome);
    expect(error['#text']).toBe('FATAL ERROR: it went wrong\nsecond line');
    expect(props(suite).outcome).toBe(outcome);
  });

  it('names the oom verdict in the error message', () => {
    const [suite] = suites(renderJunit(makeReport([makeDeath('oom', { heapCapMb: 48 })])));
    expect(cases(suite)[0].name).toBe('out of memory');
    expect((cases(suite)[0].error as Node).message).toBe('OOM at 48 MB heap');
  });

  it('names the test the suite died in, in the error message, its text and a property', () => {
    const [suite] = suites(renderJunit(makeReport([makeDeath('timeout', { timeoutS: 4, runningTest: 'bookings third' })])));
    const error = cases(suite)[0].error as Node;
    expect(error.message).toBe('TIMEOUT after 4 s in test "bookings third"');
    expect(error['#text']).toBe('running test: bookings third\n\nthe suite ended: timeout');
    expect(props(suite).runningTest).toBe('bookings third');
  });

  it('shows a suite error without failing tests (syntax error, no tests) as one failing testcase', () => {
    const report = makeReport([
      makeResult({ outcome: 'failed', tests: { passed: 0, failed: 0, skipped: 0, total: 0 }, testCases: [], message: 'SyntaxError: Unexpected token (3:1)' }),
    ]);
    const [suite] = suites(renderJunit(report));
    expect(countsOf(suite)).toEqual({ tests: '1', failures: '1', errors: '0', skipped: '0' });
    expect(cases(suite)[0].name).toBe('suite error');
    expect((cases(suite)[0].failure as Node)['#text']).toBe('SyntaxError: Unexpected token (3:1)');
  });

  it('adds a failing testcase for each budget breach', () => {
    const report = makeReport([
      makeResult({
        peakRssBytes: 312 * MB,
        durationMs: 45_000,
        budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: true },
      }),
    ]);
    const [suite] = suites(renderJunit(report));
    expect(countsOf(suite)).toEqual({ tests: '4', failures: '2', errors: '0', skipped: '0' });
    const byName = Object.fromEntries(cases(suite).map((c) => [c.name as string, c]));
    expect((byName['memory budget'].failure as Node).message).toBe('peak RSS 312 MB is over the 300 MB budget');
    expect((byName['memory budget'].failure as Node).type).toBe('budget');
    expect((byName['time budget'].failure as Node).message).toBe('took 45.000 s, over the 30 s budget');
  });

  it('gives a failing suite over its memory budget a verdict property with both, and the budget testcase', () => {
    const report = makeReport([
      makeResult({
        outcome: 'failed',
        tests: { passed: 1, failed: 1, skipped: 0, total: 2 },
        testCases: [makeCase({ title: 'ok' }), makeCase({ title: 'breaks', status: 'failed', failureMessages: ['Error: no'] })],
        peakRssBytes: 312 * MB,
        budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false },
      }),
    ]);
    const [suite] = suites(renderJunit(report));
    expect(props(suite).verdict).toBe('FAIL 1 test, OVER MEMORY 312/300 MB');
    expect(cases(suite).map((c) => c.name)).toEqual(['ok', 'breaks', 'memory budget']);
  });

  it('records peak RSS, heap cap, duration and outcome as properties', () => {
    const report = makeReport([makeResult({ peakRssBytes: 142 * MB + 5, heapCapMb: null, durationMs: 2500 })]);
    const [suite] = suites(renderJunit(report));
    expect(props(suite)).toMatchObject({
      outcome: 'passed',
      verdict: 'PASS',
      peakRssBytes: String(142 * MB + 5),
      peakRssMb: '142',
      heapCapMb: 'none',
      durationMs: '2500',
      memoryBudgetMb: '300',
      timeBudgetS: '30',
    });
    expect(suite.time).toBe('2.500');
  });

  it('gives every test case (budget and death cases too) its file and time, and every suite its peak RSS, heap cap and budgets as properties, for tools that read them', () => {
    const report = makeReport([
      makeResult({ name: 'a', file: 'test/a.stress.test.js', peakRssBytes: 400 * MB, heapCapMb: 256, budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } }),
      makeDeath('oom', { name: 'b', file: 'test/b.stress.test.js', heapCapMb: 64 }),
    ]);
    const parsed = suites(renderJunit(report));
    expect(parsed.map((s) => cases(s).length)).toEqual([3, 1]);
    for (const suite of parsed) {
      for (const c of cases(suite)) {
        expect(c.file).toBe(suite.file);
        expect(c.time).toMatch(/^\d+\.\d{3}$/);
      }
      expect(Object.keys(props(suite))).toEqual(expect.arrayContaining(['peakRssBytes', 'peakRssMb', 'heapCapMb', 'memoryBudgetMb', 'timeBudgetS', 'timeoutS']));
    }
    expect(props(parsed[0])).toMatchObject({ peakRssBytes: String(400 * MB), heapCapMb: '256', memoryBudgetMb: '300', timeBudgetS: '30' });
    expect(props(parsed[1]).heapCapMb).toBe('64');
  });

  it('sums the counts of every suite on the testsuites root, with the run time and start', () => {
    const report = makeReport(
      [
        makeResult({ name: 'a' }),
        makeDeath('oom', { name: 'b' }),
        makeResult({ name: 'c', budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } }),
        makeResult({ name: 'd', testCases: [makeCase({ status: 'skipped' })] }),
      ],
      { durationMs: 61_500 },
    );
    const r = root(renderJunit(report));
    expect(countsOf(r)).toEqual({ tests: '7', failures: '1', errors: '1', skipped: '1' });
    expect(r.time).toBe('61.500');
    expect(r.timestamp).toBe('2025-01-01T00:00:00.000Z');
  });

  it('writes an empty but valid document for a report without suites', () => {
    const r = root(renderJunit(makeReport([])));
    expect(countsOf(r)).toEqual({ tests: '0', failures: '0', errors: '0', skipped: '0' });
  });

  describe('escaping', () => {
    const nasty = `<a> & "b" 'c' 🚀\u0001\u0008\u000b\u001b\ufffe`;
    const report: RunReport = makeReport([
      makeResult({
        name: nasty,
        file: `stress-suites/odd name $(touch pwned) & 'q'; \`x\`.stress.test.js`,
        outcome: 'failed',
        testCases: [
          makeCase({
            ancestors: ['<describe>', '&'],
            title: `]]> "quoted" \ud800 lone`,
            status: 'failed',
            failureMessages: ['\u001b[31mexpect(\u001b[39mreceived\u001b[31m).toBe(\u001b[39mexpected\u001b[31m)\u001b[39m\n\nExpected: <b>"x"</b>\u0000'],
          }),
        ],
        message: 'failed',
      }),
      makeDeath('crashed', { name: 'seg\u0007fault 💥', message: 'Segmentation fault\u0000 <core dumped>\r\n' }),
    ]);
    const xml = renderJunit(report);

    it('stays well-formed XML 1.0 with markup, quotes, emoji, control characters and lone surrogates in names and messages', () => {
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).not.toMatch(NOT_XML_CHAR);
      expect(xml).not.toContain('\u001b');
    });

    it('keeps the readable text, escaped; names and messages show control characters as escapes, as every writer does (report/escape), and drop what XML cannot hold', () => {
      const [first, second] = suites(xml);
      expect(first.name).toBe(`<a> & "b" 'c' 🚀\\x01\\x08\\x0b\\x1b`);
      expect(first.file).toBe(`stress-suites/odd name $(touch pwned) & 'q'; \`x\`.stress.test.js`);
      const [testcase] = cases(first);
      expect(testcase.classname).toBe('<describe> › &');
      expect(testcase.name).toBe(`]]> "quoted"  lone`);
      const failure = testcase.failure as Node;
      expect(failure.message).toBe('expect(received).toBe(expected)');
      expect(failure['#text']).toBe('expect(received).toBe(expected)\n\nExpected: <b>"x"</b>\\x00');
      expect(second.name).toBe('seg\\x07fault 💥');
      expect(((cases(second)[0].error as Node)['#text'] as string).trim()).toBe('Segmentation fault\\x00 <core dumped>');
    });
  });
});

describe('renderJunit with several Jest projects', () => {
  it("puts the project's name in every test case's classname, so the same test in two projects stays two cases", () => {
    const xml = renderJunit({
      schemaVersion: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1000,
      budgets: { memoryMb: 300, timeS: 30 },
      ok: true,
      suites: ['web', 'node'].map((project) =>
        makeResult({ name: `${project}:math`, project, testCases: [{ ancestors: ['sum'], title: 'adds', status: 'passed', durationMs: 1, failureMessages: [] }] }),
      ),
    });
    expect(xml).toContain('classname="web › sum"');
    expect(xml).toContain('classname="node › sum"');
  });
});
