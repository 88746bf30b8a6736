import { stripVTControlCharacters } from 'node:util';
import type { Outcome, TestCounts } from '../base/types';
import { countsOf, failedTestNames, failureTextOf, type JestJson, UNKNOWN_COUNTS } from './jest-results';
import { articleFor } from '../base/units';

/** The raw facts of how a suite's process ended. */
export interface Ending {
  exitCode: number | null;
  signal: string | null;
  /** stress-run killed it after --timeout. */
  timedOut: boolean;
  /** stress-run itself was interrupted while it ran. */
  interrupted: boolean;
  /** The live memory guard's limit, in MB, when the guard killed it; else null. */
  overLimitMb: number | null;
  /** The last part of the child's stderr. */
  stderrTail: string;
  jest: JestJson | null;
  heapCapMb: number | null;
  timeoutMs: number;
  /** A process the suite started (not Jest's own) that ran out of heap under the cap it inherited; its command, masked. */
  spawnedOom?: { command: string } | null;
}

export interface Classification {
  outcome: Outcome;
  tests: TestCounts;
  message: string | null;
}

// V8's fatal text for a heap exhaustion, and the GC trace it prints first.
const V8_OOM = /JavaScript heap out of memory|Last few GCs|Reached heap limit|Allocation failed - process out of memory/;
const MESSAGE_LINES = 12;

// Jest's ES-module failures: a file (or a package it loads) that is an ES module, loaded as CommonJS.
const ESM_FAILURE = /Cannot use import statement outside a module|Unexpected token '?export'?|Must use import to load ES Module|ERR_REQUIRE_ESM|require\(\) of ES Module/;

/**
 * Jest's own advice for a file it could not load because it is an ES module
 * (https://jestjs.io/docs/ecmascript-modules), as one `Hint:` line; null for any other failure. The
 * cause is how Node was started, never the heap, so no heap advice goes with it.
 */
export function esmHint(text: string): string | null {
  if (!ESM_FAILURE.test(text)) return null;
  return (
    'Hint: this is an ES module, which Jest runs only when Node has --experimental-vm-modules ' +
    '(https://jestjs.io/docs/ecmascript-modules): run NODE_OPTIONS=--experimental-vm-modules stress-run …, ' +
    'as the project’s test script would run Jest, or give Jest a transform that compiles it to CommonJS.'
  );
}

/** Keeps the first lines of a long text. */
export function firstLines(text: string, max = MESSAGE_LINES): string {
  const lines = text.split('\n');
  return lines.length <= max ? text : [...lines.slice(0, max), `… (${lines.length - max} more lines)`].join('\n');
}

function lastLines(text: string, max: number): string {
  return stripVTControlCharacters(text).trimEnd().split('\n').slice(-max).join('\n').trim();
}

/** Decides a suite's outcome from how its process ended; the order of the checks is the policy. */
export function classify(end: Ending): Classification {
  const tests = end.jest ? countsOf(end.jest) : UNKNOWN_COUNTS;
  if (end.interrupted) {
    return { outcome: 'interrupted', tests, message: 'stress-run was interrupted while this suite ran' };
  }
  if (end.overLimitMb !== null) {
    return {
      outcome: 'memory-killed',
      tests,
      message:
        `killed at once (SIGKILL) when the process tree's RSS went over the ${end.overLimitMb} MB limit of --kill-above. ` +
        'Buffers, native memory and non-Node children are not under the heap cap; find what holds the memory, or raise --kill-above.',
    };
  }
  if (end.timedOut) {
    return {
      outcome: 'timeout',
      tests,
      message: `killed after the ${end.timeoutMs / 1000} s timeout; raise --timeout if the suite is only slow`,
    };
  }
  // A V8 heap exhaustion aborts the process (SIGABRT, shells say 134) after printing its fatal text.
  const aborted = end.signal === 'SIGABRT' || end.exitCode === 134;
  if (V8_OOM.test(end.stderrTail) && (aborted || !end.jest)) {
    const cap = end.heapCapMb === null ? 'with no heap cap' : `under ${articleFor(end.heapCapMb)} ${end.heapCapMb} MB heap cap (--max-old-space-size=${end.heapCapMb})`;
    const fatal = end.stderrTail.match(/FATAL ERROR:.*/)?.[0];
    return {
      outcome: 'oom',
      tests,
      message: `V8 ran out of heap ${cap}${fatal ? `: ${fatal.trim()}` : ''}. Raise --max-heap, or find what the suite holds on to.`,
    };
  }
  if (end.spawnedOom && end.heapCapMb !== null) {
    const cap = end.heapCapMb;
    return {
      outcome: 'oom',
      tests,
      message:
        `A process the suite started ran out of heap under the ${cap} MB heap cap it inherited (--max-old-space-size=${cap} in NODE_OPTIONS): ${end.spawnedOom.command}\n` +
        'Every process a suite starts inherits the cap asked for; raise --max-heap, or leave it out (with none, every process runs under Node\'s own heap limit, as under plain Jest).',
    };
  }
  if (end.signal === 'SIGKILL') {
    return {
      outcome: 'killed',
      tests,
      message: 'killed by SIGKILL from outside stress-run (often the kernel or container OOM killer)',
    };
  }
  if (end.signal !== null) {
    const tail = lastLines(end.stderrTail, 5);
    return { outcome: 'crashed', tests, message: `died of ${end.signal}${tail ? `\n${tail}` : ''}` };
  }
  if (end.jest) {
    if (end.jest.numTotalTests === 0 && end.jest.testResults.length === 0) {
      return {
        outcome: 'failed',
        tests,
        message: "Jest found no test to run in this file: it does not match the Jest config's testMatch/testRegex (or is ignored by it). Align --pattern with the Jest config.",
      };
    }
    if (!end.jest.success || end.jest.numFailedTests > 0 || end.jest.numRuntimeErrorTestSuites > 0) {
      const failed = failedTestNames(end.jest);
      const shown = failed.slice(0, 5).map((name) => `✕ ${name}`);
      if (failed.length > 5) shown.push(`… and ${failed.length - 5} more failing tests`);
      const failure = failureTextOf(end.jest);
      const hint = esmHint(failure ?? '');
      return { outcome: 'failed', tests, message: [...shown, failure ? firstLines(failure) : 'Jest reported a failure', ...(hint ? [hint] : [])].join('\n') };
    }
    if (end.exitCode !== 0) {
      const tail = lastLines(end.stderrTail, 5);
      return {
        outcome: 'failed',
        tests,
        message: `Jest exited with code ${end.exitCode} although every test passed${tail ? `\n${tail}` : ''}`,
      };
    }
    return { outcome: 'passed', tests, message: null };
  }
  const tail = lastLines(end.stderrTail, 8);
  const hint = esmHint(end.stderrTail);
  return {
    outcome: 'crashed',
    tests,
    message: `Jest exited with code ${end.exitCode} and wrote no results${tail ? `\n${tail}` : ''}${hint ? `\n${hint}` : ''}`,
  };
}
