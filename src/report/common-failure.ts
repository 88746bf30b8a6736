// When every suite fails the same way before any test runs, the cause is almost never the tests: it is
// how Jest was started (ESM without --experimental-vm-modules, a config path only the project's test
// script gives, a missing transform). One note under the table says so, with a hint, instead of N
// copies of the same error.
import type { SuiteResult } from '../base/types';

/** Suites that fail later than this did run something; the shared cause is a start-up one. */
const EARLY_MS = 15_000;

/** Known start-up failures: what the text says, and what to do about it. */
const HINTS: Array<[RegExp, string]> = [
  [
    /Cannot use import statement outside a module|Unexpected token '?export'?|Must use import to load ES Module|ERR_REQUIRE_ESM|require\(\) of ES Module|import\.meta|experimental-vm-modules|TS1343|TS1378/,
    'the files are ES modules: run them as the project’s test script does, e.g. NODE_OPTIONS=--experimental-vm-modules stress-run all, or give Jest a transform for them',
  ],
  [
    /Jest encountered an unexpected token|SyntaxError: .*Unexpected token|Missing initializer in const declaration|Unexpected token ':'/,
    'Jest could not parse the files: a transform is missing, or the project’s test script names a config stress-run did not get (pass it: stress-run all -- --config <file>)',
  ],
  [/Cannot find module/, 'a module could not be found: install the project’s dependencies, or pass the config its test script uses (stress-run all -- --config <file>)'],
];

/**
 * The same start-up failure in every suite that ran, worded once with a hint; null otherwise. A
 * single suite gets a note only when its failure is a known one (then the hint is the news).
 */
export function commonFailure(results: SuiteResult[]): string | null {
  const ran = results.filter((r) => !(r.outcome === 'interrupted' && r.durationMs === 0));
  if (ran.length === 0) return null;
  const early = ran.every((r) => r.outcome === 'failed' && !r.tests.passed && !r.tests.failed && r.durationMs <= EARLY_MS && r.message);
  if (!early) return null;
  const lines = ran.map((r) => firstLine(r.message!));
  const shape = signature(lines[0]);
  if (shape === '' || !lines.every((line) => signature(line) === shape)) return null;
  const hint = HINTS.find(([pattern]) => pattern.test(ran[0].message!))?.[1];
  if (ran.length === 1 && !hint) return null;
  const who = ran.length === 1 ? 'The only suite failed' : 'Every suite failed the same way';
  return `${who} before any test ran: ${lines[0]}${hint ? `\n  Hint: ${hint}.` : ''}`;
}

/** The first line that says something, below Jest's "Test suite failed to run" header. */
function firstLine(message: string): string {
  return (
    message
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !/^●\s*Test suite failed to run$/.test(line)) ?? ''
  );
}

/** A line with what differs from file to file (paths, positions) taken out. */
function signature(line: string): string {
  return line.replace(/(?:[A-Za-z]:)?[^\s:'"()]*[\\/][^\s:'"()]*/g, '<path>').replace(/\d+/g, 'N');
}
