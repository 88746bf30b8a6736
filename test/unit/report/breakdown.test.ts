import { breakdownChart, breakdownOf, breakdownText, dominantPart } from '../../../src/report/breakdown';
import { renderMarkdown } from '../../../src/report/markdown';
import { verboseFooter } from '../../../src/report/table';
import type { MemoryBreakdown } from '../../../src/base/types';
import { makeReport, makeResult, MB } from '../../support/make-result';

const breakdown = (heap: number, external: number, rest: number): MemoryBreakdown => ({
  pid: 7,
  tMs: 100,
  rssBytes: (heap + external + rest) * MB,
  heapUsedBytes: heap * MB,
  externalBytes: external * MB,
  arrayBuffersBytes: external * MB,
  restBytes: rest * MB,
  nativeContexts: 2,
  detachedContexts: 0,
});

describe('the RSS breakdown', () => {
  it('prefers the heap peak, then the exit', () => {
    const peak = breakdown(50, 1, 80);
    const exit = breakdown(20, 1, 80);
    expect(breakdownOf({ memoryAtHeapPeak: peak, memoryAtExit: exit })).toBe(peak);
    expect(breakdownOf({ memoryAtHeapPeak: null, memoryAtExit: exit })).toBe(exit);
    expect(breakdownOf({})).toBeNull();
  });

  it('says which part dominates and whether a heap cap can bound it', () => {
    expect(dominantPart(breakdown(200, 10, 80))).toMatch(/JS objects.*heap cap bounds it/);
    expect(dominantPart(breakdown(20, 200, 80))).toMatch(/Buffers.*cannot/);
    expect(dominantPart(breakdown(20, 1, 80))).toMatch(/native memory.*cannot/);
  });

  it('writes the figures so that they add up', () => {
    expect(breakdownText(breakdown(23, 203, 77))).toBe('heap 23 MB + external 203 MB (buffers 203) + rest 77 MB = RSS 303 MB · 2 native contexts, 0 detached');
  });

  it('draws stacked bars on one scale, and skips suites without a breakdown', () => {
    const suites = [
      makeResult({ name: 'heavy', memoryAtHeapPeak: breakdown(150, 0, 150) }),
      makeResult({ name: 'b', memoryAtHeapPeak: breakdown(30, 30, 90) }),
      makeResult({ name: 'none' }),
    ];
    expect(breakdownChart(suites)).toEqual([
      'heavy  ███████████████░░░░░░░░░░░░░░░  heap 150 · external 0 · rest 150 MB',
      'b      ███▓▓▓░░░░░░░░░                 heap 30 · external 30 · rest 90 MB',
    ]);
  });

  it('shows in --verbose and in the Markdown summary', () => {
    const r = makeResult({ memoryAtHeapPeak: breakdown(23, 203, 77) });
    expect(verboseFooter(r)).toContain('at the heap peak: heap 23 MB + external 203 MB');
    expect(verboseFooter(r)).toContain('a heap cap cannot bound it');
    expect(renderMarkdown(makeReport([r]))).toContain('### Where the RSS goes');
    expect(renderMarkdown(makeReport([makeResult()]))).not.toContain('Where the RSS goes');
  });
});
