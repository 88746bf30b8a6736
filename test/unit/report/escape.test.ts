import { escapeControl } from '../../../src/report/escape';

describe('escapeControl', () => {
  it('shows control characters as escapes, so a name cannot restyle the terminal, set its title or fake a line', () => {
    expect(escapeControl('a\u001b]0;pwned\u0007b')).toBe('a\\x1b]0;pwned\\x07b');
    expect(escapeControl('one\ntwo\rthree\tfour\u009b')).toBe('one\\ntwo\\rthree\\tfour\\x9b');
  });

  it('in a message, drops colour and terminal sequences and keeps newlines', () => {
    expect(escapeControl('\u001b[31mred\u001b[39m')).toBe('\\x1b[31mred\\x1b[39m');
    expect(escapeControl('\u001b[31mred\u001b[39m \u001b]0;title\u0007', { lines: true })).toBe('red ');
    expect(escapeControl('first\n\u001b[2Jsecond\u0008', { lines: true })).toBe('first\nsecond\\x08');
  });

  it('leaves plain text, Unicode and emoji alone', () => {
    expect(escapeControl('kb-accuracy › finds ✓ 日本 🎉')).toBe('kb-accuracy › finds ✓ 日本 🎉');
  });
});

// ---------------------------------------------------------------------------------------------
// Every writer, the same hostile names

import { createColors } from 'picocolors';
import { compareToBaseline, renderBaseline } from '../../../src/report/baseline';
import { breakdownChart } from '../../../src/report/breakdown';
import { renderCompareTable } from '../../../src/report/compare-table';
import { renderFloorTable } from '../../../src/report/floor-table';
import { githubAnnotations } from '../../../src/report/github';
import { renderJunit } from '../../../src/report/junit';
import { renderMarkdown } from '../../../src/report/markdown';
import { perTestNotes } from '../../../src/report/per-test-notes';
import { endLine, progressLines, startLine } from '../../../src/report/progress';
import { problemLines, renderTable, verboseFooter } from '../../../src/report/table';
import { tableNotes } from '../../../src/report/table-notes';
import { escapeControl as escape, writeName } from '../../../src/report/escape';
import { makeCase, makeReport, makeResult, MB } from '../../support/make-result';

describe('every writer, fed the same hostile names', () => {
  // A file name with colour, a carriage return and a workflow command; a test title with a newline that would start `::error::` on a line of its own.
  const NAME = 'h\u001b[31mRED\u001b[0m\r::warning::pwn';
  const FILE = `dir/${NAME}.stress.test.js`;
  const TITLE = 'a\n::error::also \u001b]0;title\u0007';
  const DESCRIBE = 'outer\r\u009b2J';
  const ENV = { X: 'v\u001b[2J\n::error::env' };
  const breakdown = { pid: 1, tMs: 1, rssBytes: 100 * MB, heapUsedBytes: 40 * MB, externalBytes: 10 * MB, arrayBuffersBytes: 1, restBytes: 50 * MB, nativeContexts: 1, detachedContexts: 0 };
  const suite = makeResult({
    name: NAME,
    file: FILE,
    outcome: 'failed',
    tests: { passed: 0, failed: 1, skipped: 0, total: 1 },
    testCases: [makeCase({ ancestors: [DESCRIBE], title: TITLE, status: 'failed', failureMessages: [`● ${DESCRIBE} › ${TITLE}\n\n    boom`] })],
    message: `✕ ${DESCRIBE} › ${TITLE}\n  ● ${DESCRIBE} › ${TITLE}\n\n    boom`,
    memoryAtHeapPeak: breakdown,
    perTest: [{ name: `${DESCRIBE} ${TITLE}`, retainedBytes: 2 * MB, heapUsedBytes: 10 * MB, nativeContexts: 1 }],
    leak: { slopeBytesPerTest: 2 * MB, growthShare: 1, flagged: true },
    coldCache: true,
    heapFloorMb: null,
    floorTries: [],
  });
  const report = makeReport([suite]);
  const compared = makeReport([{ ...suite, name: `${NAME} [X=${ENV.X}]` }], { variants: [{ env: ENV, suites: [suite] }, { env: { X: 'b' }, suites: [suite] }] } as never);
  const c = createColors(false);
  const written: Array<[string, string]> = [
    ['table', renderTable(report, { color: false })],
    ['failure notes', problemLines([suite], c).join('\n')],
    ['notes under the table', tableNotes(report).join('\n')],
    ['--verbose footer', verboseFooter(suite)],
    ['progress: start', startLine(NAME)],
    ['progress: end', endLine(suite)],
    ['progress: live', progressLines({ queued: 0, finished: 0, failed: 0, running: [{ name: NAME, startedAtMs: 0, rssBytes: MB, budgetMb: 300 }], totalMemoryMb: null }, 1000, 200).join('\n')],
    ['GitHub annotations', githubAnnotations(report).join('\n')],
    ['Markdown', renderMarkdown(report)],
    ['JUnit', renderJunit(report)],
    ['breakdown chart', breakdownChart([suite]).join('\n')],
    ['--per-test notes', perTestNotes([suite], c).join('\n')],
    ['floor table', renderFloorTable(report, () => ({ mb: 300, budget: false }), { color: false })],
    ['compare table', renderCompareTable(compared, { color: false })],
    ['baseline', renderBaseline(compareToBaseline(report, report))],
  ];

  // Nothing but the newline that ends a line: no ESC, CR, BEL, CSI, and no line a name began.
  // eslint-disable-next-line no-control-regex
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
  test.each(written)('%s: no raw control character', (_writer, text) => {
    expect(text).not.toMatch(RAW);
  });

  test.each(written)('%s: no line starts with a workflow command a name carried', (_writer, text) => {
    for (const line of text.split('\n')) expect(line.trimStart()).not.toMatch(/^::(error|warning)::(also|pwn|env)/);
  });

  test('the name reads the same wherever it is written: writeName decides', () => {
    expect(writeName(NAME)).toBe('h\\x1b[31mRED\\x1b[0m\\r::warning::pwn');
    expect(writeName(NAME, 'ci')).toBe(writeName(NAME));
    expect(writeName(NAME, 'junit')).toBe(writeName(NAME));
    expect(writeName('a|b', 'markdown')).toBe('a\\|b');
    expect(writeName('<a>', 'html')).toBe('&lt;a&gt;');
    for (const [writer, text] of written.filter(([w]) => ['table', 'failure notes', '--verbose footer', 'progress: start', 'progress: end', 'floor table', 'baseline'].includes(w))) {
      expect([writer, text.includes(writeName(NAME))]).toEqual([writer, true]);
    }
    expect(renderMarkdown(report)).toContain(writeName(NAME, 'markdown'));
    expect(renderJunit(report)).toContain(writeName(NAME).replace(/&/g, '&amp;'));
  });

  test('a title of nothing but a line break leaves the message’s own lines alone', () => {
    expect(escape('one\ntwo', { lines: true, names: ['\n', ' \n'] })).toBe('one\ntwo');
  });

  test('a title quoted in a message stays on its one line', () => {
    expect(escape(`✕ ${TITLE}\nnext`, { lines: true, names: [TITLE] })).toBe(`✕ ${writeName(TITLE)}\nnext`);
    // Jest's own failure text quotes it without its terminal sequences.
    expect(escape(`● a\n::error::also \n\n  x`, { lines: true, names: ['a\n::error::also \u001b[2J'] })).toBe(`● a\\n::error::also \\x1b[2J\n\n  x`);
  });
});
