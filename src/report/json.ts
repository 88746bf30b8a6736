import type { RunReport, SuiteResult } from '../types';

// Each suite's text, rendered once: reports are rewritten after every suite, and a finished suite
// never changes, so a run of n suites renders each one once instead of n times.
const renderedSuites = new WeakMap<SuiteResult, string>();

/** The report as JSON (schema/report.v1.json), pretty-printed, with a final newline. */
export function renderJson(report: RunReport): string {
  const outer = JSON.stringify({ ...report, suites: [] }, null, 2);
  if (report.suites.length === 0) return outer + '\n';
  // The same text as JSON.stringify(report, null, 2): each suite indented to its depth (JSON strings hold no raw newlines).
  const suites = report.suites.map((suite) => {
    let text = renderedSuites.get(suite);
    if (text === undefined) {
      text = JSON.stringify(suite, null, 2).replace(/\n/g, '\n    ');
      renderedSuites.set(suite, text);
    }
    return text;
  });
  return outer.replace('\n  "suites": []', () => `\n  "suites": [\n    ${suites.join(',\n    ')}\n  ]`) + '\n';
}
