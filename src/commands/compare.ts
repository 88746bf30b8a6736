import type { Deps, Io } from '../cli/io';
import type { Options } from '../cli/options';
import { selectSuites } from '../discover/discover';
import { renderCompareTable, variantLabel } from '../report/compare-table';
import { resolveJest } from '../run/resolve-jest';
import type { RunReport } from '../types';
import { jobsFor, runSuites } from './all';
import { findSuites } from './find-suites';
import { finish, outputFor } from './finish';

/**
 * `stress-run compare --env VAR=a,b`: the selected suites under each value of each variable (several
 * --env give their product), one table with a column group per variant and the ratios between them.
 */
export async function runCompare(options: Options, io: Io, deps: Deps): Promise<number> {
  const { dir, all } = findSuites(options, io.cwd);
  const suites = selectSuites(all, options.suites);
  const envs = envProduct(options.env);
  const jobs = jobsFor(suites, envs, io.cwd);
  const jest = resolveJest(dir, options.jestConfig, io.cwd);
  const output = outputFor(options, io);
  // `suites` keeps every variant's results, each named with its variant, so JUnit, Markdown and
  // annotations show them all; `variants` keeps them as run reports do, by their own names.
  const shape = (report: RunReport): RunReport => ({
    ...report,
    suites: report.suites.map((s, i) => ({ ...s, name: `${s.name} [${variantLabel(jobs[i].env)}]` })),
    variants: envs.map((env, v) => ({ env, suites: report.suites.slice(v * suites.length, (v + 1) * suites.length) })),
  });
  return runSuites(jobs, jest, options, io, output, deps, (report, stoppedBy) => finish(report, options, io, output, null, stoppedBy, renderCompareTable), shape);
}

/** Every combination of the variables' values, the first variable varying slowest: A=1,B=x · A=1,B=y · A=2,B=x … */
export function envProduct(vars: Array<{ name: string; values: string[] }>): Array<Record<string, string>> {
  return vars.reduce<Array<Record<string, string>>>((combos, { name, values }) => combos.flatMap((env) => values.map((value) => ({ ...env, [name]: value }))), [{}]);
}
