/** A rewrite of report files that is held back as the files grow. */
export interface ThrottledWrite {
  /** Writes now, or once the wait after the last write is over (then with the state of that moment). */
  request(): void;
  /** Drops a held-back write (the final write follows). */
  cancel(): void;
}

/**
 * Holds rewrites to about `bytesPerMs` (1 MB a second by default): after writing n bytes, the next
 * write waits until n / bytesPerMs ms have passed. Small reports are rewritten after every suite; a
 * report of hundreds of suites at most about once a second, so rewriting stays linear in the run.
 * `write` returns the bytes it wrote.
 */
export function throttleWrites(write: () => number, now: () => number, bytesPerMs = 1000): ThrottledWrite {
  let lastAt = -Infinity;
  let lastBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const run = (): void => {
    timer = undefined;
    lastAt = now();
    lastBytes = write();
  };
  return {
    request() {
      if (timer !== undefined) return;
      const waitMs = lastBytes / bytesPerMs - (now() - lastAt);
      if (waitMs <= 0) run();
      else timer = setTimeout(run, waitMs);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
