// Coverage across a run of `all`: where each suite leaves its coverage map, and the one report made
// of them at the end (src/report/coverage.ts does the merging and writing).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Out } from '../base/out';
import { spawnSync } from 'node:child_process';
import type { CoverageMapData } from 'istanbul-lib-coverage';
import type { JestContext } from '../discover/jest-context';
import { errorCode } from '../base/errors';
import { writeFileAtomic } from '../base/write-file';
import { childEntry, helperChildEnv, UNTESTED_ENV, type UntestedSpec } from '../child/protocol';
import type { JestSetup } from '../discover/resolve-jest';
import { coverageLine, type CoverageSettings, coverageSettingsOf, mergeCoverage, readSuiteCoverage, type ShardCoverage, writeCoverageReport } from '../report/coverage';

/** A run's coverage: where suite `index` leaves its map, and the report of them all. */
export interface SuiteCoverage {
  at(index: number): string;
  /** Writes the project's report; with `keepAt`, also the shard's map for merge (see ShardCoverage). */
  report(suites: number, cwd: string, human: Out, stderr: Out, keepAt?: string | null): Promise<void>;
}

/** Coverage for this run when the project's resolved config collects it (-- --coverage, or its config); null otherwise. */
export function suiteCoverage({ file: contextFile, context }: JestContext, jest: JestSetup, workDir: string, env: NodeJS.ProcessEnv): SuiteCoverage | null {
  const settings = coverageSettingsOf(context.globalConfig);
  if (settings === null) return null;
  const dir = path.join(workDir, 'coverage');
  fs.mkdirSync(dir, { recursive: true });
  // A file (the suite child writes the map) or a folder (Jest's CLI writes coverage-final.json in it).
  const at = (index: number): string => path.join(dir, `suite-${index}`);
  return {
    at,
    async report(suites, cwd, human, stderr, keepAt = null) {
      const maps = Array.from({ length: suites }, (_, i) => readSuiteCoverage(at(i))).filter((m) => m !== null);
      try {
        const untested = (covered: string[]): CoverageMapData | null => untestedCoverage(jest, contextFile, covered, path.join(workDir, 'untested.json'), env);
        const merged = await mergeCoverage(maps, context.projects.some((p) => p.coverageFrom?.length) ? untested : undefined);
        const printed = writeCoverageReport(merged, settings, path.join(workDir, 'coverage-text'));
        human.write(printed + coverageLine(merged.map, maps.length, settings, cwd));
        if (keepAt !== null) keepShardCoverage(keepAt, merged.raw, settings, cwd, stderr);
      } catch (error) {
        stderr.write(`stress-run: cannot write the coverage report to ${settings.coverageDirectory}: ${error instanceof Error && !(error as NodeJS.ErrnoException).code ? error.message : errorCode(error)}.\n`);
      }
    },
  };
}

/** Beside a shard's JSON report: its map and the project's coverage settings, which merge turns into the whole run's report. */
function keepShardCoverage(file: string, map: CoverageMapData, settings: CoverageSettings, cwd: string, stderr: Out): void {
  const kept: ShardCoverage = {
    coverageVersion: 1,
    coverageDirectory: path.relative(cwd, settings.coverageDirectory) || '.',
    coverageReporters: settings.coverageReporters,
    thresholds: settings.thresholds,
    map,
  };
  try {
    writeFileAtomic(path.resolve(cwd, file), JSON.stringify(kept));
  } catch (error) {
    stderr.write(`stress-run: cannot write the shard's coverage map ${file}: ${errorCode(error)}.\n`);
  }
}

/** The empty coverage of the files collectCoverageFrom names that no suite loaded, from the project's own Jest in a child. */
function untestedCoverage(jest: JestSetup, contextFile: string, covered: string[], outputFile: string, callerEnv: NodeJS.ProcessEnv): CoverageMapData {
  const spec: UntestedSpec = { jestPath: jest.jestPath, contextFile, covered, outputFile };
  const env = helperChildEnv(callerEnv, UNTESTED_ENV, JSON.stringify(spec));
  const child = spawnSync(process.execPath, [childEntry('untested')], { cwd: jest.projectRoot, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.error || child.status !== 0) {
    const why = child.error?.message ?? (child.stderr ?? '').trim().split('\n')[0] ?? `exit code ${child.status}`;
    throw new Error(`the files no suite loaded could not be instrumented: ${why}`);
  }
  return JSON.parse(fs.readFileSync(outputFile, 'utf8')) as CoverageMapData;
}
