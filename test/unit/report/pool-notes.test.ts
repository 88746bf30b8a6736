import { createColors } from 'picocolors';
import type { Isolation, PoolFigures } from '../../../src/base/types';
import { estimateMark, poolNotes } from '../../../src/report/pool-notes';
import { renderJunit } from '../../../src/report/junit';
import { renderMarkdown } from '../../../src/report/markdown';
import { endLine } from '../../../src/report/progress';
import { verdict } from '../../../src/report/verdict';
import { renderTable } from '../../../src/report/table';
import { MB, makeDeath, makeReport, makePoolFigures, makeResult } from '../../support/make-result';

const c = createColors(false);
const figures = makePoolFigures;
const isolation = (over: Partial<Isolation> = {}): Isolation => ({
  mode: 'pool',
  workers: 2,
  workerMemoryLimitMb: null,
  suggestedWorkerIdleMemoryLimitMb: 30,
  history: [
    {
      worker: 1,
      run: 1,
      baselineRssBytes: 55 * MB,
      baselineHeapBytes: 6 * MB,
      files: [
        { file: '/p/leaks.stress.test.js', heapAfterGcBytes: 56 * MB, rssBytes: 120 * MB },
        { file: '/p/small.stress.test.js', heapAfterGcBytes: 56 * MB, rssBytes: 121 * MB },
      ],
      ended: 'done',
    },
    { worker: 2, run: 1, baselineRssBytes: 55 * MB, baselineHeapBytes: 6 * MB, files: [], ended: 'died', diedIn: { file: '/p/ooms.stress.test.js', test: 'fills the heap' } },
  ],
  confirmed: [],
  ...over,
});
const rows = [
  makeResult({ name: 'leaks', file: '/p/leaks.stress.test.js', measuredIn: 'pool', leftInWorkerBytes: 50 * MB, pool: figures(1) }),
  makeResult({ name: 'small', file: '/p/small.stress.test.js', measuredIn: 'pool', leftInWorkerBytes: 0, pool: figures(1) }),
  makeDeath('oom', { name: 'ooms', file: '/p/ooms.stress.test.js', measuredIn: 'pool', pool: figures(2, { died: { test: 'fills the heap' } }) }),
];

describe('poolNotes', () => {
  it('says nothing for a run that isolated every file', () => {
    expect(poolNotes(makeReport([makeResult()]), c)).toEqual([]);
  });

  it('explains the ~, draws each worker’s settled heap, names the leak and the worker that died, and suggests a limit', () => {
    const lines = poolNotes(makeReport(rows, { isolation: isolation() }), c);
    expect(lines).toContain('pool workers, settled heap after each file:');
    expect(lines).toContain('  worker 1: ▂██ 6 → 56 MB heap · RSS 55 → 121 MB · 2 files');
    expect(lines).toContain('  worker 2: █ 6 MB heap · RSS 55 MB · 0 files · died in ooms, test “fills the heap”');
    expect(lines).toContain("left the most behind in their worker: leaks 50.0 MB (100% of its worker's growth)");
    expect(lines).toContain('suggested workerIdleMemoryLimit: 30 MB (1.5 × the median heap in use after a file, as Jest measures it, less what earlier files left in the worker; none is set)');
    expect(lines.some((l) => l.startsWith('~ an estimate'))).toBe(true);
  });

  it('says why auto ran files again alone, and that a worker was recycled', () => {
    const history = isolation().history.map((w) => (w.worker === 1 ? { ...w, ended: 'recycled' as const } : w));
    const lines = poolNotes(makeReport(rows, { isolation: isolation({ mode: 'auto', workerMemoryLimitMb: 40, history, confirmed: [{ name: 'ooms', why: 'its worker died in it' }] }) }), c);
    expect(lines).toContain('run again alone for an exact figure: ooms (its worker died in it)');
    expect(lines.find((l) => l.startsWith('  worker 1'))).toContain(' · recycled: its settled heap went over the 40 MB worker memory limit');
  });
});

describe('the table of a pool run', () => {
  it('marks an estimate with ~ and never an exact figure', () => {
    expect(estimateMark('pool')).toBe('~');
    expect(estimateMark('file')).toBe('');
    expect(estimateMark(undefined)).toBe('');
    const table = renderTable(makeReport([rows[0], makeResult({ name: 'alone', measuredIn: 'file' })], { isolation: isolation() }), { color: false });
    expect(table).toMatch(/│ leaks +│ +2\/0\/0 │ +~100 │/);
    expect(table).toMatch(/│ alone +│ +2\/0\/0 │ +100 │/);
    const markdown = renderMarkdown(makeReport([rows[0], makeResult({ name: 'alone', measuredIn: 'file' })], { isolation: isolation() }));
    // Escaped: a bare ~ is strikethrough in GitHub's Markdown.
    expect(markdown).toContain('| leaks | 2/0/0 | \\~100 |');
    expect(markdown).toContain('~100/300 MB');
    expect(markdown).toContain('| alone | 2/0/0 | 100 |');
    // The pool's notes, as under the terminal table, in a section of their own.
    expect(markdown).toContain('### Pool workers');
    expect(markdown).toContain("left the most behind in their worker: leaks 50.0 MB (100% of its worker's growth)");
  });
});

describe('an estimate over budget, wherever it is named', () => {
  const over = makeResult({ name: 'big', peakRssBytes: 310 * MB, measuredIn: 'pool', budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } });

  it('keeps its ~ in the verdict, the progress line and JUnit', () => {
    expect(verdict(over)).toBe('OVER MEMORY ~310/300 MB');
    expect(endLine(over)).toBe('✗ big OVER MEMORY ~310/300 MB · ~310 MB · 2.0 s\n');
    const xml = renderJunit(makeReport([over]));
    expect(xml).toContain('peak RSS ~310 MB is over the 300 MB budget (an estimate: measured in a pool worker)');
    expect(xml).toContain('<property name="measuredIn" value="pool"/>');
    expect(verdict({ ...over, measuredIn: 'file' })).toBe('OVER MEMORY 310/300 MB');
  });
});

describe('a worker that died between two files', () => {
  it('says so, without blaming a file', () => {
    const history = [{ worker: 1, run: 1, baselineRssBytes: 55 * MB, baselineHeapBytes: 6 * MB, files: [{ file: '/p/small.stress.test.js', heapAfterGcBytes: 8 * MB, rssBytes: 70 * MB }], ended: 'died' as const }];
    const lines = poolNotes(makeReport(rows.slice(1, 2), { isolation: isolation({ history }) }), c);
    expect(lines.find((l) => l.startsWith('  worker 1'))).toContain(' · died between two files (something its last file left running)');
  });
});
