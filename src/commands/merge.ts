import type { Io } from './io';
import type { Options } from '../config/options';
import { mergeReports } from '../report/merge';
import { finish, outputFor, readBaselines, readReport } from './finish';

/** `stress-run merge a.json b.json …`: the shards' reports as one table, report set and exit code. */
export function runMerge(options: Options, io: Io): number {
  const reports = options.reports.map((file) => readReport(io.cwd, file));
  const baseline = options.baseline === null ? null : readBaselines(io.cwd, options.baseline);
  return finish(mergeReports(reports), options, io, outputFor(options, io), baseline, null);
}
