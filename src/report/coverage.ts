// Coverage with -- --coverage: every suite runs alone, so each one leaves its own coverage map (the
// suite child writes Jest's result.coverage; Jest's CLI writes coverage-final.json to a temp folder).
// Here they become one map and one report, written with Jest's own libraries (istanbul-lib-coverage,
// -source-maps, -report, istanbul-reports) exactly as Jest's coverage reporter does at the end of a
// run: merge, map back through source maps, then each of the project's coverageReporters into its
// coverageDirectory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import libCoverage, { type CoverageMap, type CoverageMapData } from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import libSourceMaps from 'istanbul-lib-source-maps';
import reports from 'istanbul-reports';

/** The coverage settings of the project's resolved Jest globalConfig, as far as the report needs them. */
export interface CoverageSettings {
  coverageDirectory: string;
  /** As Jest takes them: a reporter's name, or [name, options]. */
  coverageReporters: Array<string | [string, Record<string, unknown>]>;
  /** coverageThreshold.global, which Jest also uses as the report's high watermarks. */
  thresholds: Partial<Record<'branches' | 'functions' | 'lines' | 'statements', number>>;
}

/** Coverage settings from a resolved globalConfig; null when it does not collect coverage. */
export function coverageSettingsOf(globalConfig: Record<string, unknown>): CoverageSettings | null {
  if (globalConfig.collectCoverage !== true || typeof globalConfig.coverageDirectory !== 'string') return null;
  const threshold = (globalConfig.coverageThreshold as { global?: CoverageSettings['thresholds'] } | undefined)?.global ?? {};
  return {
    coverageDirectory: globalConfig.coverageDirectory,
    coverageReporters: (globalConfig.coverageReporters as CoverageSettings['coverageReporters'] | undefined) ?? ['clover', 'json', 'lcov', 'text'],
    thresholds: threshold,
  };
}

/** The coverage map one suite left: a map's JSON file, or a folder where Jest's CLI wrote coverage-final.json. null when there is none. */
export function readSuiteCoverage(where: string): CoverageMapData | null {
  const file = fs.existsSync(where) && fs.statSync(where).isDirectory() ? path.join(where, 'coverage-final.json') : where;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CoverageMapData;
  } catch {
    return null;
  }
}

/**
 * One map from the suites' maps, mapped back to the original sources, as Jest's coverage reporter
 * builds it. `untested` gets the files the suites covered and returns the empty coverage of the
 * files collectCoverageFrom names that none of them loaded (Jest adds those before mapping too).
 */
export async function mergeCoverage(
  maps: CoverageMapData[],
  untested: (covered: string[]) => CoverageMapData | null = () => null,
): Promise<{ map: CoverageMap; store: ReturnType<typeof libSourceMaps.createSourceMapStore>; raw: CoverageMapData }> {
  const merged = libCoverage.createCoverageMap({});
  for (const data of maps) merged.merge(data);
  const empty = untested(merged.files());
  if (empty) merged.merge(empty);
  // Before source maps: what a shard keeps, so that merge can map the shards' maps together.
  const raw = merged.toJSON();
  const store = libSourceMaps.createSourceMapStore();
  return { map: await store.transformCoverage(merged), store, raw };
}

/** What a shard leaves beside its JSON report for merge: its coverage map (before source maps) and the project's coverage settings. */
export interface ShardCoverage {
  coverageVersion: 1;
  /** coverageDirectory, relative to the folder the shard ran in (machines check out to different paths). */
  coverageDirectory: string;
  coverageReporters: CoverageSettings['coverageReporters'];
  thresholds: CoverageSettings['thresholds'];
  map: CoverageMapData;
}

/** The coverage file beside a JSON report: `r.json` → `r.coverage.json`. */
export function coverageFileBeside(reportFile: string): string {
  return reportFile.replace(/(\.json)?$/, '.coverage.json');
}

/**
 * The coverage threshold failures of a map, as Jest words them: for each key of coverageThreshold.global,
 * a positive number is the lowest percentage allowed, a negative one the most uncovered items allowed.
 * Empty when every threshold is met. (Thresholds per path or glob are not checked.)
 */
export function thresholdFailures(map: CoverageMap, thresholds: CoverageSettings['thresholds']): string[] {
  const totals = coverageTotals(map);
  const failures: string[] = [];
  for (const key of ['statements', 'branches', 'lines', 'functions'] as const) {
    const threshold = thresholds[key];
    if (threshold === undefined) continue;
    const { covered, total, pct } = totals[key];
    if (threshold < 0) {
      const uncovered = total - covered;
      if (-threshold < uncovered) failures.push(`Jest: Uncovered count for ${key} (${uncovered}) exceeds global threshold (${-threshold})`);
    } else if (pct < threshold) {
      failures.push(`Jest: "global" coverage threshold for ${key} (${threshold}%) not met: ${pct}%`);
    }
  }
  return failures;
}

/** The totals of a map: covered and total statements, branches, functions and lines. */
export function coverageTotals(map: CoverageMap): Record<'statements' | 'branches' | 'functions' | 'lines', { covered: number; total: number; pct: number }> {
  const summary = map.getCoverageSummary().toJSON();
  const pick = (k: 'statements' | 'branches' | 'functions' | 'lines'): { covered: number; total: number; pct: number } => ({
    covered: summary[k].covered,
    total: summary[k].total,
    pct: summary[k].pct,
  });
  return { statements: pick('statements'), branches: pick('branches'), functions: pick('functions'), lines: pick('lines') };
}

/** One line for people: where the report went and its totals. */
export function coverageLine(map: CoverageMap, suites: number, settings: CoverageSettings, cwd: string, unit: 'suite' | 'shard' = 'suite'): string {
  const t = coverageTotals(map);
  const pct = (k: keyof typeof t): string => `${k} ${t[k].pct}% (${t[k].covered}/${t[k].total})`;
  const dir = path.relative(cwd, settings.coverageDirectory) || '.';
  return `coverage: ${suites} ${unit}${suites === 1 ? '' : 's'} merged into ${dir}/ · ${pct('statements')} · ${pct('branches')} · ${pct('functions')} · ${pct('lines')}\n`;
}

/**
 * Writes the merged map with each of the project's reporters into its coverageDirectory, as Jest does.
 * Reporters that print to the console (text, text-summary) write to `consoleDir` instead, and their
 * text is returned for the caller to show where stress-run's own output goes.
 */
export function writeCoverageReport(merged: { map: CoverageMap; store: ReturnType<typeof libSourceMaps.createSourceMapStore> }, settings: CoverageSettings, consoleDir: string): string {
  const watermarks = libReport.getDefaultWatermarks();
  for (const [key, value] of Object.entries(settings.thresholds)) {
    if (value !== undefined) watermarks[key as keyof typeof watermarks][1] = value;
  }
  const contextIn = (dir: string): libReport.Context => libReport.createContext({ coverageMap: merged.map, dir, sourceFinder: merged.store.sourceFinder, watermarks });
  const project = contextIn(settings.coverageDirectory);
  const console = contextIn(consoleDir);
  let printed = '';
  for (const [i, entry] of settings.coverageReporters.entries()) {
    const [name, options] = Array.isArray(entry) ? entry : [entry, {}];
    const toConsole = /^text/.test(name) && !options.file;
    const file = `coverage-${i}.txt`;
    reports.create(name as keyof reports.ReportOptions, { maxCols: 120, ...options, ...(toConsole ? { file } : {}) } as never).execute(toConsole ? console : project);
    if (toConsole && fs.existsSync(path.join(consoleDir, file))) printed += fs.readFileSync(path.join(consoleDir, file), 'utf8');
  }
  return printed;
}
