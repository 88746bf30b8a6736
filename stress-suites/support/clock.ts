// An injected clock: the clinic code never reads the wall clock, so no test depends on timing.

import type { Clock } from '../clinic/clock';

export type { Clock } from '../clinic/clock';

export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(isoOrMs: string | number): void;
  /** Back to the start time given at creation. */
  reset(): void;
}

export const DEFAULT_START = '2025-03-03T08:00:00.000Z';

export function createFakeClock(start: string = DEFAULT_START): FakeClock {
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) throw new Error(`not a date: ${start}`);
  let current = startMs;
  return {
    now: () => current,
    iso: () => new Date(current).toISOString(),
    advance: (ms) => {
      if (ms < 0) throw new Error('a clock does not go backwards');
      current += ms;
    },
    set: (value) => {
      const ms = typeof value === 'number' ? value : Date.parse(value);
      if (Number.isNaN(ms)) throw new Error(`not a date: ${String(value)}`);
      current = ms;
    },
    reset: () => {
      current = startMs;
    },
  };
}
