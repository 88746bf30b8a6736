// Where a suite's RSS goes: V8 heap, memory outside the heap held by JS objects (Buffers …), and the
// rest (code, native memory, the heap's free pages). Worded once here for --verbose and Markdown.
import type { MemoryBreakdown, SuiteResult } from '../base/types';
import { toMb } from '../base/units';
import { writeName } from './escape';

/** The breakdown a suite is judged by: at its heaviest process's heap peak, else at its exit. */
export function breakdownOf(r: Pick<SuiteResult, 'memoryAtHeapPeak' | 'memoryAtExit'>): MemoryBreakdown | null {
  return r.memoryAtHeapPeak ?? r.memoryAtExit ?? null;
}

/** Which part holds most of the RSS, and whether a heap cap can bound it. */
export function dominantPart(b: MemoryBreakdown): string {
  const rest = Math.max(0, b.restBytes);
  if (b.heapUsedBytes >= b.externalBytes && b.heapUsedBytes >= rest) return 'mostly JS objects on the V8 heap: a heap cap bounds it';
  if (b.externalBytes >= rest) return 'mostly Buffers and other memory outside the heap: a heap cap cannot bound it';
  return 'mostly code and native memory: a heap cap cannot bound it';
}

/** `heap 23 MB + external 203 MB (buffers 201) + rest 77 MB = RSS 302 MB · 2 native contexts, 0 detached`. */
export function breakdownText(b: MemoryBreakdown): string {
  return (
    `heap ${toMb(b.heapUsedBytes)} MB + external ${toMb(b.externalBytes)} MB (buffers ${toMb(b.arrayBuffersBytes)}) + rest ${toMb(b.restBytes)} MB` +
    ` = RSS ${toMb(b.rssBytes)} MB · ${b.nativeContexts} native context${b.nativeContexts === 1 ? '' : 's'}, ${b.detachedContexts} detached`
  );
}

const BAR_WIDTH = 30;
/** The characters of the stacked bar: heap, external, rest. */
export const BAR_PARTS = { heap: '█', external: '▓', rest: '░' } as const;

/** One stacked bar per suite, all on one scale (the largest RSS shown): `name  ████▓▓▓▓░░  heap 23 · external 203 · rest 77 MB`. */
export function breakdownChart(suites: SuiteResult[]): string[] {
  const rows = suites.map((r) => ({ name: writeName(r.name), b: breakdownOf(r) })).filter((x): x is { name: string; b: MemoryBreakdown } => x.b !== null);
  if (rows.length === 0) return [];
  const scale = Math.max(...rows.map((x) => x.b.rssBytes));
  const nameWidth = Math.max(...rows.map((x) => [...x.name].length));
  return rows.map(({ name, b }) => {
    const width = (bytes: number): number => Math.round((Math.max(0, bytes) / scale) * BAR_WIDTH);
    const heap = width(b.heapUsedBytes);
    const external = width(b.externalBytes);
    const rest = Math.max(0, Math.min(BAR_WIDTH - heap - external, width(b.restBytes)));
    const bar = BAR_PARTS.heap.repeat(heap) + BAR_PARTS.external.repeat(external) + BAR_PARTS.rest.repeat(rest);
    return `${name}${' '.repeat(nameWidth - [...name].length)}  ${bar.padEnd(BAR_WIDTH)}  heap ${toMb(b.heapUsedBytes)} · external ${toMb(b.externalBytes)} · rest ${toMb(b.restBytes)} MB`;
  });
}
