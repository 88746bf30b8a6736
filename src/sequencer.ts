// `stress-run/sequencer`: a Jest testSequencer for the project's own Jest config. With a stress-run
// JSON report named by STRESS_RUN_HISTORY, `jest --shard i/n` splits the files by their time in it
// (longest first onto the least-loaded shard, as `stress-run all --shard` without memory figures) and
// each shard runs its longest files first; without one, it is Jest's default sequencer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HISTORY_ENV } from './child/protocol';
import { medianPerSuite, selectShard } from './discover/shard';
import { parseReport } from './report/merge';

/** The part of Jest's Test the sequencer reads. */
export interface SequencedTest {
  path: string;
  context: { config: { rootDir: string } };
}

interface ShardOptions {
  shardIndex: number;
  shardCount: number;
}

interface JestSequencer {
  shard(tests: SequencedTest[], options: ShardOptions): SequencedTest[] | Promise<SequencedTest[]>;
  sort(tests: SequencedTest[]): SequencedTest[] | Promise<SequencedTest[]>;
}

/**
 * Each test file's time in the report (the median of its runs; the longest when several Jest projects
 * run it), by absolute path: the report's paths are relative to where stress-run ran, `cwd`.
 * null when the variable is unset or the report cannot be read (then Jest's default applies).
 */
export function historyDurations(env: Record<string, string | undefined>, cwd: string, warn: (line: string) => void = () => {}): Map<string, number> | null {
  const file = env[HISTORY_ENV];
  if (file === undefined || file.trim() === '') return null;
  let report;
  try {
    report = parseReport(fs.readFileSync(path.resolve(cwd, file), 'utf8'), file);
  } catch (error) {
    warn(`stress-run/sequencer: ${HISTORY_ENV}=${file} cannot be read (${(error as Error).message}); Jest's default order and shards apply.`);
    return null;
  }
  const byName = medianPerSuite(report, (run) => run.durationMs);
  const byFile = new Map<string, number>();
  for (const suite of report.suites) {
    const ms = byName.get(suite.name);
    if (ms === undefined || !(ms > 0)) continue;
    const absolute = path.resolve(cwd, suite.file);
    byFile.set(absolute, Math.max(ms, byFile.get(absolute) ?? 0));
  }
  return byFile.size ? byFile : null;
}

/**
 * This shard's tests, split by time: longest first onto the least-loaded shard; a test the report
 * lacks counts as the median known time. Ties fall by the path relative to the project's rootDir,
 * which is the same on every machine wherever it checked the project out.
 */
export function timedShard<T extends SequencedTest>(tests: T[], { shardIndex, shardCount }: ShardOptions, durations: Map<string, number>): T[] {
  const keyed = tests.map((test) => ({ name: path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/'), test }));
  const weights = new Map<string, number>();
  for (const { name, test } of keyed) {
    const ms = durations.get(test.path);
    if (ms !== undefined) weights.set(name, ms);
  }
  return selectShard(keyed, { index: shardIndex, count: shardCount }, weights).map((k) => k.test);
}

/** Longest first by the report's times (unknown ones last, by path), so no worker is left with a long file at the end. */
export function longestFirst<T extends SequencedTest>(tests: T[], durations: Map<string, number>): T[] {
  return [...tests].sort((a, b) => (durations.get(b.path) ?? -1) - (durations.get(a.path) ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// The project's own @jest/test-sequencer (the Jest that loads this file), else the one stress-run depends on.
function jestSequencer(): new (options: unknown) => JestSequencer {
  let id: string;
  try {
    id = require.resolve('@jest/test-sequencer', { paths: [process.cwd()] });
  } catch {
    id = require.resolve('@jest/test-sequencer');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(id) as { default?: new (options: unknown) => JestSequencer };
  return (loaded.default ?? loaded) as new (options: unknown) => JestSequencer;
}

/** The sequencer Jest instantiates: stress-run's history where there is one, Jest's default elsewhere. */
export default class StressRunSequencer extends jestSequencer() {
  private durations: Map<string, number> | null | undefined;

  private history(): Map<string, number> | null {
    if (this.durations === undefined) this.durations = historyDurations(process.env, process.cwd(), (line) => process.stderr.write(line + '\n'));
    return this.durations;
  }

  override shard(tests: SequencedTest[], options: ShardOptions): SequencedTest[] | Promise<SequencedTest[]> {
    const durations = this.history();
    return durations === null ? super.shard(tests, options) : timedShard(tests, options, durations);
  }

  override sort(tests: SequencedTest[]): SequencedTest[] | Promise<SequencedTest[]> {
    const durations = this.history();
    return durations === null ? super.sort(tests) : longestFirst(tests, durations);
  }
}
