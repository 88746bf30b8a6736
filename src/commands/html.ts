// `stress-run html <report.json…>`: saved reports drawn as one self-contained HTML page.
import { UsageError, errorCode } from '../base/errors';
import { prepareFile, reportTarget, writeSpecial } from '../base/write-file';
import type { Options } from '../config/options';
import { renderHtml } from '../report/html';
import { mergeReports } from '../report/merge';
import { readReport } from './finish';
import { htmlAssets } from './html-assets';
import type { Io } from './io';

/** Reads the reports (several are merged, as `merge` does), and writes the page to --html, else to stdout. */
export function runHtml(options: Options, io: Io): number {
  const reports = options.reports.map((file) => readReport(io.cwd, file));
  const report = reports.length === 1 ? reports[0] : mergeReports(reports);
  const page = renderHtml(report, htmlAssets());
  const file = options.html ?? '-';
  let target;
  try {
    target = reportTarget(file, io.cwd);
    if (target.kind === 'file') prepareFile(target.path, page).commit();
    else if (target.kind === 'special') writeSpecial(target.path, page);
  } catch (error) {
    throw new UsageError(`Cannot write --html file ${file}: ${errorCode(error)}.`);
  }
  if (target.kind === 'stdout') io.stdout.write(page);
  return 0;
}
