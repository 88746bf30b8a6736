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

/** Node majors whose V8 has `--heap-growing-percent` and on which setting it at run time was tested. */
const HEAP_GROWING_NODE_MAJORS = [20, 21, 22, 23, 24];

/**
 * The V8 flag the probe sets in a capped process, or null. A --max-old-space-size as low as a suite's
 * cap makes V8 grow the old generation by 1.3× instead of 4× (more mark-compacts: about 5% of a
 * suite's time); `--heap-growing-percent=300` restores 4× growth, and the cap itself still holds (a
 * runaway heap still dies as an OOM at the cap). V8-internal, so only on the Node versions it was
 * tested on, and only under a cap stress-run set.
 */
export function heapGrowingFlag(nodeVersion: string, nodeOptions: string | undefined): string | null {
  const major = Number(/^v?(\d+)\./.exec(nodeVersion)?.[1]);
  if (!HEAP_GROWING_NODE_MAJORS.includes(major)) return null;
  return (nodeOptions ?? '').split(/\s+/).some((o) => HEAP_FLAG.test(o)) ? '--heap-growing-percent=300' : null;
}
