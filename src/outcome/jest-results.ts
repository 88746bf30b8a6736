import { stripVTControlCharacters } from 'node:util';
import type { TestCase, TestCounts } from '../base/types';

/** The part of Jest's --json output that stress-run reads. */
export interface JestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  numTotalTests: number;
  numRuntimeErrorTestSuites: number;
  testResults: Array<{
    /** Jest's formatted failure text for the file (assertion diffs, syntax errors …). */
    message?: string;
    assertionResults: Array<{
      ancestorTitles: string[];
      title: string;
      status: string;
      duration?: number | null;
      failureMessages: string[];
    }>;
  }>;
}

export const UNKNOWN_COUNTS: TestCounts = { passed: null, failed: null, skipped: null, total: null };


/** Parses Jest's JSON output; null when it is missing, truncated or not Jest's. */
export function parseJestJson(text: string | null): JestJson | null {
  if (!text) return null;
  try {
    const json = JSON.parse(text) as JestJson;
    return typeof json.numTotalTests === 'number' && Array.isArray(json.testResults) ? json : null;
  } catch {
    return null;
  }
}

/** Pass/fail/skip counts from Jest's totals. */
export function countsOf(json: JestJson): TestCounts {
  return {
    passed: json.numPassedTests,
    failed: json.numFailedTests,
    skipped: json.numPendingTests + (json.numTodoTests ?? 0),
    total: json.numTotalTests,
  };
}

/** Every test case Jest reported, in order. */
export function testCasesOf(json: JestJson): TestCase[] {
  return json.testResults.flatMap((file) =>
    file.assertionResults.map((a) => ({
      ancestors: a.ancestorTitles,
      title: a.title,
      status: a.status === 'passed' || a.status === 'failed' || a.status === 'todo' ? a.status : 'skipped',
      durationMs: a.duration ?? null,
      failureMessages: a.failureMessages.map((m) => stripVTControlCharacters(m)),
    })),
  );
}

/** Jest's own failure text for the file (assertion diffs, syntax errors, "must contain a test"). */
export function failureTextOf(json: JestJson): string | null {
  const texts = json.testResults
    .map((file) => file.message ?? '')
    .filter((t) => t.trim() !== '');
  return texts.length ? stripVTControlCharacters(texts.join('\n')).trim() : null;
}

/** Full names ("describe › test") of the failing tests. */
export function failedTestNames(json: JestJson): string[] {
  return json.testResults.flatMap((file) =>
    file.assertionResults.filter((a) => a.status === 'failed').map((a) => [...a.ancestorTitles, a.title].join(' › ')),
  );
}
