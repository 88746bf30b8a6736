import type { RunReport } from '../base/types';
import { escapeControl, namesOf, writeName } from './escape';
import { isOk, verdictWithTest } from './verdict';

/** GitHub Actions workflow commands: one `::error` annotation on the test file of each suite that failed or went over budget. */
export function githubAnnotations(report: RunReport): string[] {
  return report.suites
    .filter((r) => !isOk(r))
    .map((r) => {
      const title = `${writeName(r.name, 'ci')}: ${verdictWithTest(r)}`;
      const message = escapeControl(r.message ?? verdictWithTest(r), { lines: true, names: namesOf(r) }).trim();
      return `::error file=${escapeProperty(writeName(r.file, 'ci'))},title=${escapeProperty(title)}::${escapeData(message)}`;
    });
}

// The escaping of @actions/core: the runner decodes these, and a raw newline would end the command.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
