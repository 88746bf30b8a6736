// Pure planning for parallel runs: the order of the queue, which suites may start now under the
// parallelism and the total memory budget.

/** A suite waiting to start, with what it is expected to cost. */
export interface Queued {
  name: string;
  /** Its peak RSS in a previous report, else its memory budget. */
  expectedPeakBytes: number;
  /** Its time in a previous report; 0 when unknown. */
  expectedMs: number;
}

/** A suite running now. */
export interface Running {
  name: string;
  expectedPeakBytes: number;
  /** The measured RSS of its process tree now (0 before the first sample). */
  rssBytes: number;
}

/** How much may run at once. */
export interface Limits {
  parallelism: number;
  totalBytes: number;
}

/** The queue in start order: longest expected time first (known before unknown), then by name. */
export function orderQueue(queue: Queued[]): Queued[] {
  return [...queue].sort((a, b) => b.expectedMs - a.expectedMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The queued suites that may start now, in queue order. A suite starts when a slot is free and the
 * expected peaks of the running suites (or their measured RSS, when higher) plus its own fit in the
 * total. Nothing starts while the measured RSS of the running trees is over the total. A suite
 * larger than the total starts only when nothing runs, so it runs alone; while it waits at the head
 * of the queue nothing else starts, and smaller suites that fit may pass a head that does not.
 * `heldBytes`, what processes started ahead for later suites (standby children) hold now, counts
 * in the measured RSS; it reserves nothing, so a process started ahead never keeps a suite waiting
 * that would otherwise fit.
 */
export function startable(queue: Queued[], running: Running[], limits: Limits, heldBytes = 0): Queued[] {
  const measured = running.reduce((sum, r) => sum + r.rssBytes, heldBytes);
  if (measured > limits.totalBytes) return [];
  let slots = limits.parallelism - running.length;
  let reserved = running.reduce((sum, r) => sum + Math.max(r.expectedPeakBytes, r.rssBytes), 0);
  let alone = running.length === 0;
  const picked: Queued[] = [];
  for (const [index, q] of queue.entries()) {
    if (slots <= 0) break;
    const oversized = q.expectedPeakBytes > limits.totalBytes;
    if (alone) {
      picked.push(q);
      slots--;
      reserved += q.expectedPeakBytes;
      alone = false;
      if (oversized) break;
      continue;
    }
    if (oversized) {
      if (index === 0) break;
      continue;
    }
    if (reserved + q.expectedPeakBytes <= limits.totalBytes) {
      picked.push(q);
      slots--;
      reserved += q.expectedPeakBytes;
    }
  }
  return picked;
}

/** The suites whose expected peak alone is over the total: each will run alone. */
export function oversized(queue: Queued[], limits: Limits): Queued[] {
  return queue.filter((q) => q.expectedPeakBytes > limits.totalBytes);
}
