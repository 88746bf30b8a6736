// The real process's gc() for code that runs where Jest's sandbox hides it (a test's setup file, the
// pool worker between files).
// Loaded inside Jest's sandbox (a setup file): Node's modules by their bare names, which Jest 26's
// module registry resolves and the node: scheme it does not.
import * as v8 from 'v8';
import * as vm from 'vm';

/** V8's gc(): a full GC, or with `{ type: 'minor' }` only the young generation's (about a millisecond). */
export type Gc = (options?: { type?: 'major' | 'minor' }) => void;

/** The real process's gc(): the one --expose-gc gave it, else one exposed now through a fresh V8 context. */
export function findGc(): Gc {
  const own = vm.runInThisContext('typeof gc === "function" ? gc : null') as Gc | null;
  if (own) return own;
  // A flag set after start-up applies to contexts created after it: the new context's gc is a full GC of the whole isolate.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as Gc;
  // The process's V8 flags are left as they were: V8 takes cached code (child/code-cache) only under
  // the flags it was made with, and a --per-test run would otherwise spoil the cache for the next run.
  v8.setFlagsFromString('--no-expose-gc');
  return gc;
}
