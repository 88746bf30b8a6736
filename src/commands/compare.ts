import { type Deps, type Io, SIGNAL_EXIT } from './io';
import type { Options } from '../config/options';
import { selectSuites } from '../discover/discover';
import { renderCompareTable, variantLabel } from '../report/compare-table';
import type { RunReport, Suite, SuiteResult } from '../base/types';
import { findSuites, jestArgsFor, withWorkDir } from './find-suites';
import { finish, outputFor, readReport } from './finish';
import { searchFloor } from './floor';
import { poolLoop } from './pool-loop';
import { runLoop } from './run-loop';
import { jobsFor, stopOnSignals, type SuitePlan, targetPlan } from './suite-plan';

/**
 * `stress-run compare --env VAR=a,b`: the selected suites under each value of each variable (several
 * --env give their product), one table with a column group per variant and the ratios between them;
 * with --floor, each suite's heap floor under each variant too.
 */
export function runCompare(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, async (workDir) => {
    const { all, jest, context } = findSuites(options, io, deps, workDir);
    const suites = selectSuites(all, options.suites);
    const envs = envProduct(options.env);
    const jobs = jobsFor(suites, envs, options, io.cwd);
    const output = outputFor(options, io);
    // Each suite's plan (which reads its file) is made once, for the floor searches and the runs of every variant.
    const plans = new Map(suites.map((suite) => [suite, targetPlan(suite, context, jestArgsFor(jest, options), options.verbose, null, io.env)]));
    const planOf = (suite: Suite): SuitePlan => plans.get(suite)!;
    // --floor: each suite's floor under each variant first, then the runs; a signal stops both.
    const floors: SuiteResult[] = [];
    if (options.floor) {
      const stopping = stopOnSignals(io);
      try {
        for (const job of jobs) {
          if (stopping.abort.aborted) break;
          const plans = { jest, hurry: stopping.hurry, options, io, human: output.human, say: (text: string) => io.stderr.write(text) };
          floors.push(await searchFloor(job, { target: planOf(job.suite).target, plans, deps, progress: output.style.progress }, stopping.abort));
        }
      } finally {
        stopping.unsubscribe();
      }
      const stopped = stopping.stoppedBy();
      if (stopped) return SIGNAL_EXIT[stopped];
    }
    const withFloor = (s: SuiteResult, i: number): SuiteResult => (floors[i] ? { ...s, heapFloorMb: floors[i].heapFloorMb, floorTries: floors[i].floorTries } : s);
    // `suites` keeps every variant's results, each named with its variant, so JUnit, Markdown and
    // annotations show them all; `variants` keeps them as run reports do, by their own names.
    const shape = (report: RunReport): RunReport => {
      const all = report.suites.map(withFloor);
      return {
        ...report,
        suites: all.map((s, i) => ({ ...s, name: `${s.name} [${variantLabel(jobs[i].env)}]` })),
        variants: envs.map((env, v) => ({ env, suites: all.slice(v * suites.length, (v + 1) * suites.length) })),
      };
    };
    const history = options.durations === null ? null : readReport(io.cwd, options.durations);
    const loop = { jobs, jest, planOf, history, options, io, output, deps, shape };
    const { report, stoppedBy } = options.isolation === 'file' ? await runLoop(loop) : await poolLoop({ ...loop, workerIdleMemoryLimit: context.context.globalConfig.workerIdleMemoryLimit });
    return finish(report, options, io, output, null, stoppedBy, renderCompareTable);
  });
}

/** Every combination of the variables' values, the first variable varying slowest: A=1,B=x · A=1,B=y · A=2,B=x … */
export function envProduct(vars: Array<{ name: string; values: string[] }>): Array<Record<string, string>> {
  return vars.reduce<Array<Record<string, string>>>((combos, { name, values }) => combos.flatMap((env) => values.map((value) => ({ ...env, [name]: value }))), [{}]);
}
