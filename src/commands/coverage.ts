// Coverage across a run of `all`: where each suite leaves its coverage map, and the one report made
// of them at the end (src/report/coverage.ts does the merging and writing).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Out } from '../cli/io';
import type { ContextFile } from '../discover/context-child';
import { errorCode } from '../errors';
import { coverageLine, coverageSettingsOf, mergeCoverage, readSuiteCoverage, writeCoverageReport } from '../report/coverage';

/** A run's coverage: where suite `index` leaves its map, and the report of them all. */
export interface SuiteCoverage {
  at(index: number): string;
  report(suites: number, cwd: string, human: Out, stderr: Out): Promise<void>;
}

/** Coverage for this run when the project's resolved config collects it (-- --coverage, or its config); null otherwise. */
export function suiteCoverage(context: ContextFile, workDir: string): SuiteCoverage | null {
  const settings = coverageSettingsOf(context.globalConfig);
  if (settings === null) return null;
  const dir = path.join(workDir, 'coverage');
  fs.mkdirSync(dir, { recursive: true });
  // A file (the suite child writes the map) or a folder (Jest's CLI writes coverage-final.json in it).
  const at = (index: number): string => path.join(dir, `suite-${index}`);
  return {
    at,
    async report(suites, cwd, human, stderr) {
      const maps = Array.from({ length: suites }, (_, i) => readSuiteCoverage(at(i))).filter((m) => m !== null);
      try {
        const merged = await mergeCoverage(maps);
        const printed = writeCoverageReport(merged, settings, path.join(workDir, 'coverage-text'));
        human.write(printed + coverageLine(merged.map, maps.length, settings, cwd));
      } catch (error) {
        stderr.write(`stress-run: cannot write the coverage report to ${settings.coverageDirectory}: ${errorCode(error)}.\n`);
      }
    },
  };
}
