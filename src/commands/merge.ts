import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from './io';
import type { Options } from '../config/options';
import { errorCode, UsageError } from '../base/errors';
import { mergeReports } from '../report/merge';
import { coverageFileBeside, coverageLine, mergeCoverage, type ShardCoverage, thresholdFailures, writeCoverageReport } from '../report/coverage';
import { finish, outputFor, readBaselines, readReport } from './finish';

/**
 * `stress-run merge a.json b.json …`: the shards' reports as one table, report set and exit code; and
 * when the shards collected coverage (each left `<report>.coverage.json`), the project's coverage
 * report over all of them, its coverageThreshold checked as Jest checks it.
 */
export async function runMerge(options: Options, io: Io): Promise<number> {
  const reports = options.reports.map((file) => readReport(io.cwd, file));
  const baseline = options.baseline === null ? null : readBaselines(io.cwd, options.baseline);
  const coverage = readShardCoverage(options.reports, io);
  const output = outputFor(options, io);
  const code = finish(mergeReports(reports), options, io, output, baseline, null);
  if (coverage.length === 0) return code;
  const failures = await mergedCoverage(coverage, io, output.human);
  for (const line of failures) io.stderr.write(`${line}\n`);
  return code === 0 && failures.length > 0 ? 1 : code;
}

/** The coverage each shard left beside its report; a warning when only some did (the merged figures then undercount). */
function readShardCoverage(reportFiles: string[], io: Io): ShardCoverage[] {
  const found: ShardCoverage[] = [];
  const missing: string[] = [];
  for (const file of reportFiles) {
    const beside = coverageFileBeside(file);
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, beside), 'utf8');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw new UsageError(`Cannot read coverage ${beside}: ${errorCode(error)}.`);
      missing.push(file);
      continue;
    }
    let kept: ShardCoverage;
    try {
      kept = JSON.parse(text) as ShardCoverage;
    } catch (error) {
      throw new UsageError(`${beside} is not JSON (${(error as Error).message}).`);
    }
    if (kept.coverageVersion !== 1 || typeof kept.map !== 'object' || kept.map === null) throw new UsageError(`${beside} is not a shard's coverage map written by stress-run all --shard.`);
    found.push(kept);
  }
  if (found.length > 0 && missing.length > 0) {
    io.stderr.write(`stress-run: warning: no coverage beside ${missing.join(', ')}: the merged coverage leaves out the suites of ${missing.length === 1 ? 'that report' : 'those reports'}.\n`);
  }
  return found;
}

/** The shards' maps as one, written with the project's reporters into its coverageDirectory; the threshold failures. */
async function mergedCoverage(shards: ShardCoverage[], io: Io, human: { write(text: string): unknown }): Promise<string[]> {
  const first = shards[0];
  const settings = { coverageDirectory: path.resolve(io.cwd, first.coverageDirectory), coverageReporters: first.coverageReporters, thresholds: first.thresholds ?? {} };
  const merged = await mergeCoverage(shards.map((s) => s.map));
  const consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-merge-'));
  try {
    const printed = writeCoverageReport(merged, settings, consoleDir);
    human.write(printed + coverageLine(merged.map, shards.length, settings, io.cwd, 'shard'));
  } catch (error) {
    throw new UsageError(`Cannot write the coverage report to ${settings.coverageDirectory}: ${errorCode(error)}.`);
  } finally {
    fs.rmSync(consoleDir, { recursive: true, force: true });
  }
  return thresholdFailures(merged.map, settings.thresholds);
}
