import type { RunReport } from '../base/types';

/** The report as JSON (schema/report.v1.json), pretty-printed, with a final newline. */
export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
