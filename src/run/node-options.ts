// An inherited heap flag would override `--max-heap none` or sit beside stress-run's own cap: the cap
// shown must be the cap in force, so the caller's NODE_OPTIONS reach the suites without one.
const HEAP_FLAG = /^--max[-_]old[-_]space[-_]size(=|$)/;

/** The caller's NODE_OPTIONS without any heap-size flag ('' when nothing is left). */
export function withoutHeapFlags(nodeOptions: string | undefined): string {
  return (nodeOptions ?? '')
    .split(/\s+/)
    .filter((o) => o && !HEAP_FLAG.test(o))
    .join(' ');
}
