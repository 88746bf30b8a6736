// `stress-run budgets <report.json…>`: per-suite budgets the project owns, from what a run measured.
// The built-in default (300 MB, 30 s) is nobody's decision; this writes each suite's measured peak
// and time, plus a stated headroom, into the project's stress-run config, keeping every budget a
// person wrote (in the config or a docblock).
import * as fs from 'node:fs';
import type { RunReport, SuiteResult, SuiteRun } from '../base/types';
import { errorCode, UsageError } from '../base/errors';
import { toMb } from '../base/units';
import { writeFileAtomic } from '../base/write-file';
import { configLocation, type FileConfig, readConfigJson, validateConfig } from '../config/config';
import type { Options } from '../config/options';
import { writeName } from '../report/escape';
import { readReport } from './finish';
import type { Io } from './io';

type SuiteBudget = { memoryMb?: number; timeS?: number; leakMb?: number };

/** What `budgets` does to one suite: the budgets it writes, and why it leaves the others. */
export interface BudgetChange {
  name: string;
  /** The budgets written: the highest measured figure plus the headroom. */
  written: { memoryMb?: number; timeS?: number };
  /** The measured figures they came from (the highest of the runs). */
  measured: { peakMb: number; timeS: number };
  /** Why a budget was not written, one phrase each. */
  kept: string[];
}

/** The highest figure of every run of a suite (a result's own figures are the medians of its runs). */
function highest(r: SuiteResult, pick: (run: SuiteRun) => number): number {
  return Math.max(...(r.runs ?? [r]).map(pick));
}

const KEYS = [
  ['memoryMb', 'memory'],
  ['timeS', 'time'],
] as const;

/**
 * The budgets to write for each suite of the reports (a suite in several reports: its highest figures),
 * given the config as it is: a budget the config already sets for the suite, or for every suite, is
 * the project's own and is kept; a docblock budget wins over the config anyway, so it is left alone.
 * A suite that did not pass is skipped: an out-of-memory run's peak is its cap, not its need.
 */
export function budgetChanges(reports: RunReport[], config: FileConfig, headroomPct: number): BudgetChange[] {
  const byName = new Map<string, SuiteResult[]>();
  for (const r of reports.flatMap((report) => report.suites)) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const grow = 1 + headroomPct / 100;
  const changes: BudgetChange[] = [];
  for (const [name, results] of byName) {
    const passed = results.filter((r) => r.outcome === 'passed');
    if (passed.length === 0) {
      changes.push({ name, written: {}, measured: { peakMb: 0, timeS: 0 }, kept: [`it did not pass (${results[0].outcome}): no figure to budget from`] });
      continue;
    }
    const peakBytes = Math.max(...passed.map((r) => highest(r, (run) => run.peakRssBytes)));
    // The time that is judged: without --per-test's forced GCs and (--parallel) the wait for a core.
    const durationMs = Math.max(...passed.map((r) => highest(r, (run) => run.judgedDurationMs ?? run.durationMs)));
    const measured = { peakMb: toMb(peakBytes), timeS: durationMs / 1000 };
    const proposed = { memoryMb: Math.ceil((peakBytes / 1024 / 1024) * grow), timeS: Math.ceil(measured.timeS * grow * 10) / 10 };
    const own = config.budgets?.[name] ?? {};
    const written: BudgetChange['written'] = {};
    const kept: string[] = [];
    for (const [key, word] of KEYS) {
      const source = passed.find((r) => r.sources)?.sources?.[key];
      if (source?.startsWith('docblock')) kept.push(`its ${word} budget is in its docblock (${source}): left alone`);
      else if (own[key] !== undefined) kept.push(`its ${word} budget in the config (${own[key]}${key === 'memoryMb' ? ' MB' : ' s'}) is kept`);
      else if (config[key] !== undefined) kept.push(`the config's ${word} budget for every suite (${config[key]}${key === 'memoryMb' ? ' MB' : ' s'}) is kept`);
      else written[key] = proposed[key];
    }
    changes.push({ name, written, measured, kept });
  }
  return changes;
}

/** The config with the changes' budgets added under "budgets" (nothing already there is changed). */
export function withBudgets(config: Record<string, unknown>, changes: BudgetChange[]): Record<string, unknown> {
  const budgets = { ...((config.budgets as Record<string, SuiteBudget> | undefined) ?? {}) };
  for (const change of changes) {
    if (Object.keys(change.written).length === 0) continue;
    budgets[change.name] = { ...budgets[change.name], ...change.written };
  }
  return { ...config, budgets };
}

/** Reads the reports, works out the budgets, writes them into the project's config (atomically) and says what it did. */
export function runBudgets(options: Options, io: Io): number {
  const reports = options.reports.map((file) => readReport(io.cwd, file));
  const at = configLocation(io.cwd, options.configFile);
  const raw = at.exists ? readConfigJson(at.file, at.inPackage ? 'package.json' : at.shown) : {};
  const current = at.inPackage ? (raw as Record<string, unknown>).stressRun : raw;
  const config = validateConfig(current, at.shown);
  const changes = budgetChanges(reports, config, options.headroomPct);
  for (const change of changes) io.stdout.write(describe(change, options.headroomPct));
  const any = changes.some((c) => Object.keys(c.written).length > 0);
  if (!any) {
    io.stdout.write(`Nothing to write: ${at.shown} is left as it was.\n`);
    return 0;
  }
  const next = withBudgets(config as Record<string, unknown>, changes);
  const whole = at.inPackage ? { ...(raw as Record<string, unknown>), stressRun: next } : next;
  try {
    writeFileAtomic(at.file, `${JSON.stringify(whole, null, at.exists ? indentOf(at.file) : 2)}\n`);
  } catch (error) {
    throw new UsageError(`Cannot write ${at.shown}: ${errorCode(error)}.`);
  }
  io.stdout.write(`${at.exists ? 'Updated' : 'Created'} ${at.shown} (headroom ${options.headroomPct}% over the highest measured figures).\n`);
  return 0;
}

function describe(change: BudgetChange, headroomPct: number): string {
  const parts: string[] = [];
  if (change.written.memoryMb !== undefined) parts.push(`memory ${change.written.memoryMb} MB (peak ${change.measured.peakMb} MB + ${headroomPct}%)`);
  if (change.written.timeS !== undefined) parts.push(`time ${change.written.timeS} s (${change.measured.timeS.toFixed(1)} s + ${headroomPct}%)`);
  const wrote = parts.length ? `writes ${parts.join(', ')}` : 'writes nothing';
  return `${writeName(change.name)}: ${wrote}${change.kept.length ? `; ${change.kept.join('; ')}` : ''}.\n`;
}

// The file keeps its own indentation (a package.json indented with tabs or four spaces stays so).
function indentOf(file: string): string | number {
  try {
    const match = /^[ \t]+(?=")/m.exec(fs.readFileSync(file, 'utf8'));
    return match ? match[0] : 2;
  } catch {
    return 2;
  }
}
