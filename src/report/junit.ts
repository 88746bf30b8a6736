import { stripVTControlCharacters } from 'node:util';
import type { Outcome, RunReport, SuiteResult } from '../base/types';
import { escapeControl, namesOf, writeName } from './escape';
import { verdict, verdictWithTest } from './verdict';
import { toMb } from '../base/units';

/** One <testcase>, before it is written as XML. */
interface JunitCase {
  classname: string;
  name: string;
  timeS: number;
  file: string;
  result: { kind: 'passed' } | { kind: 'skipped'; message: string | null } | { kind: 'failure' | 'error'; type: string; message: string; body: string };
}

// The name of the single test case that stands for a suite whose run went wrong without a failing test to show for it.
const RUN_CASE_NAME: Record<Exclude<Outcome, 'passed'>, string> = {
  failed: 'suite error',
  oom: 'out of memory',
  timeout: 'timeout',
  killed: 'killed',
  'memory-killed': 'killed over memory limit',
  crashed: 'crashed',
  interrupted: 'interrupted',
};

/**
 * The report as JUnit XML: one <testsuite> per stress suite, one <testcase> per Jest test.
 * A suite that died (oom, timeout, killed, crashed, interrupted) adds one <error> case, a suite error
 * without a failing test one <failure> case, and each budget breach a <failure> case of its own.
 */
export function renderJunit(report: RunReport): string {
  const suites = report.suites.map(renderedSuite);
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'stress-run', ...counts(all), time: seconds(report.durationMs), timestamp: report.startedAt })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
  ];
  return lines.join('\n') + '\n';
}

// Each suite's cases and XML, rendered once: reports are rewritten after every suite, and a finished suite never changes.
const renderedSuites = new WeakMap<SuiteResult, { cases: JunitCase[]; xml: string }>();

function renderedSuite(result: SuiteResult): { cases: JunitCase[]; xml: string } {
  const known = renderedSuites.get(result);
  if (known) return known;
  const cases = junitCases(result);
  const xml = [
    `  <testsuite${attributes({ name: writeName(result.name, 'junit'), file: writeName(result.file, 'junit'), ...counts(cases), time: seconds(result.durationMs) })}>`,
    '    <properties>',
    ...properties(result).map(([name, value]) => `      <property${attributes({ name, value })}/>`),
    '    </properties>',
    ...cases.map(testcase),
    '  </testsuite>',
  ].join('\n');
  const rendered = { cases, xml };
  renderedSuites.set(result, rendered);
  return rendered;
}

function junitCases(r: SuiteResult): JunitCase[] {
  const base = { file: writeName(r.file, 'junit') };
  const suite = writeName(r.name, 'junit');
  // A title quoted in a message is written as the title is: on one line.
  const message = (text: string): string => escapeControl(text, { lines: true, names: namesOf(r) });
  const cases: JunitCase[] = r.testCases.map((t) => {
    const failure = message(t.failureMessages.join('\n\n'));
    return {
      ...base,
      // With several Jest projects, the same test runs once per project: its project tells them apart.
      classname: [...(r.project === undefined ? [] : [r.project]), ...t.ancestors].map((n) => writeName(n, 'junit')).join(' › ') || suite,
      name: writeName(t.title, 'junit'),
      timeS: (t.durationMs ?? 0) / 1000,
      result:
        t.status === 'failed'
          ? { kind: 'failure', type: 'assertion', message: firstLine(failure) || 'failed', body: failure }
          : t.status === 'skipped' || t.status === 'todo'
            ? { kind: 'skipped', message: t.status === 'todo' ? 'todo' : null }
            : { kind: 'passed' },
    };
  });
  const died = r.outcome !== 'passed' && r.outcome !== 'failed';
  const failureShown = cases.some((c) => c.result.kind === 'failure');
  if (died || (r.outcome === 'failed' && !failureShown)) {
    cases.push({
      ...base,
      classname: suite,
      name: RUN_CASE_NAME[r.outcome as Exclude<Outcome, 'passed'>],
      timeS: r.durationMs / 1000,
      // The test it died in, when one was running: a death has no failing test case of its own to point at.
      result: { kind: died ? 'error' : 'failure', type: r.outcome, message: verdictWithTest(r), body: runningLine(r) + message(r.message ?? verdict(r)) },
    });
  }
  const peakMb = toMb(r.peakRssBytes);
  if (r.budget.memoryExceeded) {
    cases.push({
      ...base,
      classname: suite,
      name: 'memory budget',
      timeS: 0,
      result: {
        kind: 'failure',
        type: 'budget',
        message: `peak RSS ${r.measuredIn === 'pool' ? '~' : ''}${peakMb} MB is over the ${r.budget.memoryMb} MB budget${r.measuredIn === 'pool' ? ' (an estimate: measured in a pool worker)' : ''}`,
        body: `peak RSS of the process tree: ${r.peakRssBytes} bytes (${peakMb} MB); budget: ${r.budget.memoryMb} MB`,
      },
    });
  }
  if (r.budget.timeExceeded) {
    cases.push({
      ...base,
      classname: suite,
      name: 'time budget',
      timeS: 0,
      result: {
        kind: 'failure',
        type: 'budget',
        message: `took ${seconds(r.durationMs)} s, over the ${r.budget.timeS} s budget`,
        body: `wall time: ${r.durationMs} ms; budget: ${r.budget.timeS} s`,
      },
    });
  }
  return cases;
}

function runningLine(r: SuiteResult): string {
  return r.runningTest === undefined ? '' : `running test: ${r.runningTest}\n\n`;
}

function counts(cases: JunitCase[]): Record<'tests' | 'failures' | 'errors' | 'skipped', number> {
  const count = (kind: JunitCase['result']['kind']): number => cases.filter((c) => c.result.kind === kind).length;
  return { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

function properties(r: SuiteResult): Array<[string, string | number]> {
  const props: Array<[string, string | number]> = [
    ['outcome', r.outcome],
    ['verdict', verdict(r)],
    ['peakRssBytes', r.peakRssBytes],
    ['peakRssMb', toMb(r.peakRssBytes)],
    ['heapCapMb', r.heapCapMb ?? 'none'],
    ['durationMs', r.durationMs],
    ['memoryBudgetMb', r.budget.memoryMb],
    ['timeBudgetS', r.budget.timeS],
    ['timeoutS', r.timeoutS],
    ['exitCode', r.exitCode ?? 'none'],
    ['signal', r.signal ?? 'none'],
  ];
  if (r.killAboveMb !== undefined) props.push(['killAboveMb', r.killAboveMb ?? 'none']);
  if (r.runs) props.push(['runs', r.runs.length]);
  if (r.runningTest !== undefined) props.push(['runningTest', r.runningTest]);
  // pool: peakRssBytes is an estimate (--isolation pool or auto).
  if (r.measuredIn) props.push(['measuredIn', r.measuredIn]);
  if (r.leftInWorkerBytes !== undefined) props.push(['leftInWorkerBytes', r.leftInWorkerBytes]);
  return props;
}

function testcase(c: JunitCase): string {
  const open = `    <testcase${attributes({ classname: c.classname, name: c.name, time: c.timeS.toFixed(3), file: c.file })}`;
  switch (c.result.kind) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped${c.result.message ? attributes({ message: c.result.message }) : ''}/>\n    </testcase>`;
    default: {
      const { kind, type, message, body } = c.result;
      return `${open}>\n      <${kind}${attributes({ message: firstLine(message), type })}>${text(body)}</${kind}>\n    </testcase>`;
    }
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function firstLine(text: string): string {
  return (
    clean(text)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

// XML 1.0 allows only tab, newline, carriage return and U+0020 up from the C0 range, no lone surrogates and
// neither U+FFFE nor U+FFFF. Test output may carry any of them, and one bad character makes the whole file unreadable.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

/** Jest's text without colour codes and without characters XML 1.0 cannot hold. */
function clean(value: string): string {
  return stripVTControlCharacters(value).replace(NOT_XML, '');
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Newlines and tabs are written as character references: a parser would normalise them to spaces in an attribute.
function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(
      ([key, value]) =>
        ` ${key}="${text(String(value)).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`,
    )
    .join('');
}
