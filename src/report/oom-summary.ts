import type { OomSummary } from '../base/types';
import { MB } from '../base/units';

const NAME_MAX = 48;

/** The heap snapshot's summary as lines under a suite's OOM message: the top constructors by self size, and the contexts. */
export function oomSummaryText(summary: OomSummary): string {
  const name = (e: { name: string }): string => (e.name.length > NAME_MAX ? `${e.name.slice(0, NAME_MAX - 1)}…` : e.name).replace(/\s+/g, ' ');
  const nameWidth = Math.max(...summary.top.map((e) => name(e).length), 10);
  const countWidth = Math.max(...summary.top.map((e) => e.count.toLocaleString('en-US').length));
  return [
    `What filled the heap (self size by constructor, from the heap snapshot ${summary.snapshot}; open it in DevTools → Memory to see what retains them):`,
    ...summary.top.map((e) => `  ${name(e).padEnd(nameWidth)}  ${e.count.toLocaleString('en-US').padStart(countWidth)} objects  ${(e.selfSizeBytes / MB).toFixed(1).padStart(7)} MB`),
    `  ${summary.nativeContexts} native context${summary.nativeContexts === 1 ? '' : 's'}, ${summary.detachedContexts} detached${summary.nativeContexts > 2 ? ' (Jest makes one per test file: more than two alive means old test contexts are retained)' : ''}`,
  ].join('\n');
}
