import { renderMarkdown } from '../../../src/report/markdown';
import { MB, makeDeath, makeReport, makeResult } from '../../support/make-result';

// The cells of a markdown table row, split on pipes that are not escaped.
const cellsOf = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

const tableRows = (md: string): string[] => md.split('\n').filter((l) => l.startsWith('|'));

// The lines of the first ```text block after the chart heading.
function chartLines(md: string): string[] {
  const after = md.slice(md.indexOf('### Peak memory against budget'));
  const lines = after.split('\n');
  const open = lines.findIndex((l) => /^`{3,}text$/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^`{3,}$/.test(l));
  return lines.slice(open + 1, close);
}

describe('renderMarkdown', () => {
  const report = makeReport(
    [
      makeResult({ name: 'kb-accuracy', peakRssBytes: 150 * MB, durationMs: 2340 }),
      makeDeath('oom', { name: 'redaction', heapCapMb: 48, peakRssBytes: 95 * MB, durationMs: 8000, message: 'FATAL ERROR: JavaScript heap out of memory' }),
      makeResult({
        name: 'tenancy',
        heapCapMb: null,
        peakRssBytes: 312 * MB,
        tests: { passed: 3, failed: 0, skipped: 1, total: 4 },
        budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false },
      }),
    ],
    { durationMs: 12_340 },
  );
  const md = renderMarkdown(report);

  it('has the terminal table’s columns, one row per suite, with ? for unknown counts', () => {
    const [head, align, ...rows] = tableRows(md);
    expect(cellsOf(head)).toEqual(['suite', 'tests p/f/s', 'peak RSS MB', 'heap cap', 'time s', 'verdict']);
    expect(cellsOf(align)).toHaveLength(6);
    expect(rows.map(cellsOf)).toEqual([
      ['kb-accuracy', '2/0/0', '150', '300 MB', '2.3', '✅ PASS'],
      ['redaction', '?/?/?', '95', '48 MB', '8.0', '❌ OOM at 48 MB heap'],
      ['tenancy', '3/0/1', '312', 'none', '2.0', '⚠️ OVER MEMORY 312/300 MB'],
    ]);
  });

  it('heads the summary with the count of failing suites and carries the one-line summary', () => {
    expect(md.split('\n')[0]).toBe('## stress-run: ❌ 2 of 3 suites failed');
    expect(md).toContain('\n1/3 suites passed within budget · 6 tests (5 passed, 0 failed, 1 skipped, 1 suite without results) · 12.3 s\n');
    expect(renderMarkdown(makeReport([makeResult()])).split('\n')[0]).toBe('## stress-run: ✅ every suite within budget (1 of 1)');
  });

  it('draws each suite’s peak memory as a bar against its budget and marks the one over budget', () => {
    const lines = chartLines(md);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`kb-accuracy  ${'█'.repeat(10)}${'░'.repeat(10)}  150/300 MB`);
    expect(lines[1]).toBe(`redaction    ${'█'.repeat(6)}▍${'░'.repeat(13)}   95/300 MB`);
    expect(lines[2]).toBe(`tenancy      ${'█'.repeat(20)}▶ 312/300 MB  OVER BUDGET by 12 MB`);
  });

  it('shows a failing suite that also went over its memory budget with both verdicts in its row', () => {
    const both = makeResult({
      name: 'booking',
      outcome: 'failed',
      tests: { passed: 1, failed: 1, skipped: 0, total: 2 },
      peakRssBytes: 312 * MB,
      budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false },
    });
    const [, , row] = tableRows(renderMarkdown(makeReport([both])));
    expect(cellsOf(row)[5]).toBe('❌ FAIL 1 test, OVER MEMORY 312/300 MB');
  });

  it('escapes pipes and markdown in suite names so the row keeps its six cells, a newline shown as \\n', () => {
    const [, , row] = tableRows(renderMarkdown(makeReport([makeResult({ name: 'a|b *c* <d>\nnext' })])));
    const cells = cellsOf(row);
    expect(cells).toHaveLength(6);
    expect(cells[0]).toBe('a\\|b \\*c\\* \\<d\\>\\\\nnext');
  });

  it('explains every failing suite that has a message in a collapsed block, without terminal colours', () => {
    const failing = makeReport([
      makeResult({ name: 'ok' }),
      makeResult({
        name: 'booking',
        outcome: 'failed',
        tests: { passed: 1, failed: 1, skipped: 0, total: 2 },
        message: '\u001b[31m● booking › holds a slot\u001b[39m\n\n    ```inner fence```',
      }),
    ]);
    const out = renderMarkdown(failing);
    expect(out).toContain('<details><summary>booking (stress-suites/kb-accuracy.stress.test.ts): FAIL 1 test</summary>');
    expect(out).toContain('\n````text\n● booking › holds a slot\n\n    ```inner fence```\n````\n');
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('<summary>ok');
    expect(md).not.toContain('<summary>tenancy');
  });

  it('shows a suite that never ran without figures', () => {
    const out = renderMarkdown(makeReport([makeResult(), makeDeath('interrupted', { name: 'later', durationMs: 0, peakRssBytes: 0 })]));
    expect(cellsOf(tableRows(out)[3])[2]).toBe('-');
    expect(chartLines(out)[1]).toMatch(/^later\s+not run$/);
  });

  it('renders a report without suites', () => {
    const out = renderMarkdown(makeReport([]));
    expect(out.split('\n')[0]).toBe('## stress-run: no suites ran');
    expect(out).not.toContain('### Peak memory');
  });
});
