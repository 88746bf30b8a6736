// The one shape of an output stream every writer takes: stdout, stderr, or a test's fake.

/** A writable stream, as far as stress-run uses one. */
export interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}
