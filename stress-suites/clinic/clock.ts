// Time as the clinic backend sees it: injected, never read from the wall clock directly.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** The current time as an ISO 8601 string. */
  iso(): string;
}
