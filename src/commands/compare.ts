import type { Deps, Io } from '../cli/io';
import type { Options } from '../cli/options';
import { selectSuites } from '../discover/discover';
import { renderCompareTable, variantLabel } from '../report/compare-table';
import type { RunReport, Suite } from '../types';
import { jobsFor, runSuites, targetPlan } from './all';
import { findSuites, jestArgsFor, withWorkDir } from './find-suites';
import { finish, outputFor, readReport } from './finish';

/**
 * `stress-run compare --env VAR=a,b`: the selected suites under each value of each variable (several
 * --env give their product), one table with a column group per variant and the ratios between them.
 */
export function runCompare(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const suites = selectSuites(all, options.suites);
    const envs = envProduct(options.env);
    const jobs = jobsFor(suites, envs, io.cwd);
    const output = outputFor(options, io);
    // `suites` keeps every variant's results, each named with its variant, so JUnit, Markdown and
    // annotations show them all; `variants` keeps them as run reports do, by their own names.
    const shape = (report: RunReport): RunReport => ({
      ...report,
      suites: report.suites.map((s, i) => ({ ...s, name: `${s.name} [${variantLabel(jobs[i].env)}]` })),
      variants: envs.map((env, v) => ({ env, suites: report.suites.slice(v * suites.length, (v + 1) * suites.length) })),
    });
    const planOf = (suite: Suite) => targetPlan(suite, context, jestArgsFor(jest, options), options.verbose, null, io.env);
    const end = (report: RunReport, stoppedBy: Parameters<typeof finish>[5]): number => finish(report, options, io, output, null, stoppedBy, renderCompareTable);
    const history = options.durations === null ? null : readReport(io.cwd, options.durations);
    return runSuites(jobs, jest, planOf, history, options, io, output, deps, end, shape);
  });
}

/** Every combination of the variables' values, the first variable varying slowest: A=1,B=x · A=1,B=y · A=2,B=x … */
export function envProduct(vars: Array<{ name: string; values: string[] }>): Array<Record<string, string>> {
  return vars.reduce<Array<Record<string, string>>>((combos, { name, values }) => combos.flatMap((env) => values.map((value) => ({ ...env, [name]: value }))), [{}]);
}
