import { cut, type FileConfig, LIMITS, readPositive } from './config';
import type { Budget, BudgetSources } from '../base/types';
import type { DocblockBudgets } from './docblock';
import { UsageError } from '../base/errors';
import { runMemoryMb as memoryOfRun } from '../base/machine-memory';

export const COMMANDS = ['all', 'list', 'matrix', 'merge', 'compare', 'floor', 'html', 'budgets'] as const;
export type Command = (typeof COMMANDS)[number];

/** The lowest heap cap `floor` tries unless --min-heap says otherwise: below it V8 cannot even start Jest. */
export const DEFAULT_MIN_HEAP_MB = 16;

/** The flags as commander hands them over: strings, not yet checked. */
export interface RawFlags {
  suite?: string[];
  dir?: string;
  pattern?: string;
  jestConfig?: string;
  config?: string;
  maxHeap?: string;
  killAbove?: string;
  memoryBudget?: string;
  timeBudget?: string;
  timeout?: string;
  runs?: string;
  json?: string | boolean;
  junit?: string;
  markdown?: string;
  bmf?: string;
  trace?: string;
  html?: string;
  shard?: string;
  shards?: string;
  targetMinutes?: string;
  format?: string;
  durations?: string;
  baseline?: string[];
  history?: string;
  parallel?: string;
  totalMemory?: string;
  quiet?: boolean;
  maxRegression?: string;
  noiseFloor?: string;
  perTest?: boolean;
  leakBudget?: string;
  env?: string[];
  floor?: boolean;
  verbose?: boolean;
  debug?: boolean;
  minHeap?: string;
  whyOom?: boolean;
  standby?: boolean;
  warmup?: boolean;
  isolation?: string;
  workerMemoryLimit?: string;
  headroom?: string;
}

export const ISOLATIONS = ['file', 'pool', 'auto'] as const;
/** How the files run: each alone in its own process (file), several per long-lived worker (pool), or pool first and alone where a budget is at stake (auto). */
export type IsolationMode = (typeof ISOLATIONS)[number];

/** Checked options for one invocation. */
export interface Options {
  command: Command;
  /** Report files for `merge`, `html` and `budgets`. */
  reports: string[];
  suites: string[];
  /** null: the whole project, as its Jest config says. */
  dir: string | null;
  /** null: every file Jest would run (under dir). */
  pattern: string | null;
  jestConfig: string | null;
  /** Arguments for Jest itself: everything after `--`, else the config file's `jestArgs`. */
  jestArgs: string[];
  /** The heap cap asked for (--max-heap, config maxHeapMb); undefined or null (`--max-heap none`): no cap. */
  maxHeapMb: number | null | undefined;
  /** undefined: the live memory guard at the memory this run may use (see settingsFor); null: no guard (`--kill-above none`). */
  killAboveMb: number | null | undefined;
  budget: Budget;
  /** undefined: twice each suite's time budget. */
  timeoutS: number | undefined;
  budgets: Record<string, { memoryMb?: number; timeS?: number; leakMb?: number }>;
  /** Budgets given as flags: they win over docblocks and the config file. */
  flagBudget: { memoryMb?: number; timeS?: number; leakMb?: number };
  /** Budgets the config file sets for every suite (the rest are defaults). */
  fileBudget: { memoryMb?: number; timeS?: number; leakMb?: number };
  /** --per-test: the heap each test leaves behind, and the leak fit. */
  perTest: boolean;
  /** `compare --env VAR=a,b`: each variable with its values, in the order given. */
  env: Array<{ name: string; values: string[] }>;
  /** `compare --floor`: each suite's heap floor under each variant as well. */
  floor: boolean;
  runs: number;
  /** true: JSON on stdout. */
  json: string | true | null;
  junit: string | null;
  markdown: string | null;
  /** Bencher Metric Format: each suite's peak RSS and duration, for Bencher or another tracker. */
  bmf: string | null;
  /** A Chrome Trace Event file of the run (Perfetto, chrome://tracing). */
  trace: string | null;
  /** A self-contained HTML page of the run (its charts drawn by uPlot, inlined). */
  html: string | null;
  shard: string | null;
  /** `matrix --shards`: a number, or auto (the fewest shards whose longest is expected under --target-minutes). */
  shards: number | 'auto' | null;
  /** `matrix --shards auto`: the longest shard's expected time to stay under, in minutes. */
  targetMinutes: number | null;
  /** `matrix`: a GitHub strategy.matrix (JSON), or a plain list, one line of files per shard. */
  format: 'github' | 'list';
  /** A previous report (--history, or its older name --durations): balances --shard and orders and sizes --parallel. */
  durations: string | null;
  /** Baseline report files and folders (--baseline a.json b.json … or a folder); null without --baseline. */
  baseline: string[] | null;
  /** Suites at once: null runs them one after another; 'auto' is the number of cores this process may use. */
  parallel: number | 'auto' | null;
  /** The memory the running suites share with --parallel; null: 75% of what this process may use. */
  totalMemoryMb: number | null;
  /** No live progress. */
  quiet: boolean;
  maxRegressionPct: number;
  /** With --baseline: growth below this many MB never fails. */
  noiseFloorMb: number;
  verbose: boolean;
  debug: boolean;
  /** `floor`: the lowest heap cap the search tries. */
  minHeapMb: number;
  /** Re-run a suite that ran out of heap with a heap snapshot, and summarise it. */
  whyOom: boolean;
  /** Start the next suite's process ahead, while the current suite runs (off with --no-standby). */
  standby: boolean;
  /** Run the selected files once through Jest before measuring (warm transform caches). */
  warmup: boolean;
  /** --isolation: file (default), pool or auto; floor always isolates. */
  isolation: IsolationMode;
  /** --worker-memory-limit: recycle a pool worker whose settled heap is over this many MB (overrides the project's workerIdleMemoryLimit); null: the project's. */
  workerMemoryLimitMb: number | null;
  /** The --config file named (null: stress-run.config.json, else package.json "stressRun"): where `budgets` writes. */
  configFile: string | null;
  /** `budgets`: the headroom over the measured figures, in percent. */
  headroomPct: number;
  /** Flags given that do nothing in this combination, to say so rather than ignore them. */
  ignored: string[];
}

/** A positive decimal number up to `max` from a flag (no hex, binary or exponent forms), or a one-line error naming the flag. */
export function parsePositive(flag: string, text: string, unit: string, whole = false, max: number = Infinity): number {
  const read = readPositive(text, max, whole);
  if ('value' in read) return read.value;
  if (read.error === 'too-large') throw new UsageError(`${flag} must be at most ${max}, got '${cut(text)}'.`);
  throw new UsageError(`${flag} must be a positive ${whole ? 'whole number' : 'number'}${unit ? ` of ${unit}` : ''}, got '${cut(text)}'.`);
}

// A glob pattern is a line, not a file: a huge one only costs time and memory in the matcher.
function checkedPattern(pattern: string | undefined): string | undefined {
  if (pattern !== undefined && pattern.length > LIMITS.patternChars) {
    throw new UsageError(`--pattern is ${pattern.length} characters; a pattern may hold at most ${LIMITS.patternChars}.`);
  }
  return pattern;
}

/** Turns the command word, its arguments, flags and the config file into checked Options. Flags win. */
export function resolveOptions(command: string | undefined, args: string[], flags: RawFlags, file: FileConfig, jestArgs: string[] | null = null): Options {
  const cmd = (command ?? 'all') as Command;
  if (!COMMANDS.includes(cmd)) {
    throw new UsageError(`Unknown command '${command}'. Commands: ${COMMANDS.join(', ')} (run 'stress-run --help').`);
  }
  const takesReports = cmd === 'merge' || cmd === 'html' || cmd === 'budgets';
  if (!takesReports && args.length > 0) {
    throw new UsageError(`Unexpected argument '${args[0]}'. To pick suites, use --suite <name>.`);
  }
  if (cmd === 'merge' && args.length === 0) throw new UsageError('merge needs one or more report files: stress-run merge a.json b.json');
  if (cmd === 'budgets' && args.length === 0) throw new UsageError('budgets needs a JSON report of a run: stress-run all --json report.json, then stress-run budgets report.json');
  if (cmd === 'html' && args.length === 0) throw new UsageError('html needs one or more JSON reports: stress-run html report.json --html report.html');
  // `--json [file]` takes the next word: `stress-run --json list` would write a file named list.
  if (typeof flags.json === 'string' && (COMMANDS as readonly string[]).includes(flags.json)) {
    throw new UsageError(`--json took '${flags.json}' as its file. Put the command first (stress-run ${flags.json} --json), or name a file.`);
  }

  // `-` is stdout, and stdout holds one report at most.
  const onStdout = [flags.json === true || flags.json === '-' ? '--json' : null, flags.junit === '-' ? '--junit -' : null, flags.markdown === '-' ? '--markdown -' : null, flags.bmf === '-' ? '--bmf -' : null, flags.trace === '-' ? '--trace -' : null, flags.html === '-' ? '--html -' : null].filter(Boolean);
  if (onStdout.length > 1) throw new UsageError(`${onStdout.join(' and ')} would both write to stdout; send all but one to a file.`);

  let maxHeapMb: number | null | undefined = file.maxHeapMb === 'none' ? null : file.maxHeapMb;
  if (flags.maxHeap !== undefined) {
    maxHeapMb = flags.maxHeap === 'none' ? null : parsePositive('--max-heap', flags.maxHeap, 'MB (or none)', true, LIMITS.mb);
  }
  let killAboveMb: number | null | undefined = file.killAboveMb === 'none' ? null : file.killAboveMb;
  if (flags.killAbove !== undefined) {
    killAboveMb = flags.killAbove === 'none' ? null : parsePositive('--kill-above', flags.killAbove, 'MB (or none)', false, LIMITS.mb);
  }
  const maxRegressionPct = flags.maxRegression === undefined ? 10 : Number(flags.maxRegression);
  if (flags.maxRegression !== undefined && !/^\s*\d+(\.\d+)?\s*$/.test(flags.maxRegression)) {
    throw new UsageError(`--max-regression must be a percentage of 0 or more, got '${cut(flags.maxRegression)}'.`);
  }
  if (maxRegressionPct > LIMITS.percent) {
    throw new UsageError(`--max-regression must be at most ${LIMITS.percent}, got '${cut(flags.maxRegression!)}'.`);
  }
  const runs = flags.runs !== undefined ? parsePositive('--runs', flags.runs, '', true, LIMITS.runs) : (file.runs ?? 1);
  const flagBudget = {
    memoryMb: flags.memoryBudget !== undefined ? parsePositive('--memory-budget', flags.memoryBudget, 'MB', false, LIMITS.mb) : undefined,
    timeS: flags.timeBudget !== undefined ? parsePositive('--time-budget', flags.timeBudget, 'seconds', false, LIMITS.seconds) : undefined,
    leakMb: flags.leakBudget !== undefined ? parsePositive('--leak-budget', flags.leakBudget, 'MB per test', false, LIMITS.mb) : undefined,
  };
  // A bare `--baseline` before the command takes the command word as a file, as --json would.
  const misplaced = (flags.baseline ?? []).find((f) => (COMMANDS as readonly string[]).includes(f));
  if (misplaced) throw new UsageError(`--baseline took '${misplaced}' as a report. Put the command first (stress-run ${misplaced} --baseline …), or end the list with --.`);
  if (cmd === 'compare' && !flags.env?.length) throw new UsageError('compare needs --env VAR=a,b (repeat --env for several variables): stress-run compare --env STRESS_MOCKS=heavy,light');
  const noiseFloorMb = flags.noiseFloor === undefined ? 5 : Number(flags.noiseFloor);
  if (!Number.isFinite(noiseFloorMb) || noiseFloorMb < 0 || flags.noiseFloor?.trim() === '') {
    throw new UsageError(`--noise-floor must be a number of MB, 0 or more, got '${flags.noiseFloor}'.`);
  }
  if (flags.history !== undefined && flags.durations !== undefined) {
    throw new UsageError('--durations is the older name of --history: give only --history.');
  }
  const historyFlag = flags.history !== undefined ? '--history' : '--durations';
  if (cmd === 'matrix' && flags.shards?.trim() === 'auto') {
    if (flags.targetMinutes === undefined) throw new UsageError('--shards auto needs --target-minutes <m>: it picks the fewest shards whose longest is expected under m minutes.');
    if (flags.history === undefined && flags.durations === undefined) throw new UsageError('--shards auto needs --history <report.json>: the expected time of each suite comes from a previous report.');
  }
  if (cmd === 'matrix' && flags.format?.trim() === 'list' && flags.shards === undefined) throw new UsageError('--format list prints one line of files per shard: give --shards <n|auto>.');
  const isolation = (flags.isolation?.trim() ?? 'file') as IsolationMode;
  if (!ISOLATIONS.includes(isolation)) throw new UsageError(`--isolation must be one of ${ISOLATIONS.join(', ')}, got '${cut(flags.isolation!)}'.`);
  const parallel = flags.parallel === undefined ? null : flags.parallel.trim() === 'auto' ? 'auto' : parsePositive('--parallel', flags.parallel, 'suites (or auto)', true, LIMITS.runs);
  return {
    command: cmd,
    reports: takesReports ? args : [],
    suites: flags.suite ?? [],
    dir: flags.dir ?? file.dir ?? null,
    pattern: checkedPattern(flags.pattern) ?? file.pattern ?? null,
    jestConfig: flags.jestConfig ?? file.jestConfig ?? null,
    jestArgs: checkJestArgs(jestArgs ?? file.jestArgs ?? [], flags.jestConfig ?? file.jestConfig ?? null),
    maxHeapMb,
    killAboveMb,
    budget: {
      memoryMb: flagBudget.memoryMb ?? file.memoryMb ?? 300,
      timeS: flagBudget.timeS ?? file.timeS ?? 30,
      ...(flagBudget.leakMb !== undefined || file.leakMb !== undefined ? { leakMb: flagBudget.leakMb ?? file.leakMb } : {}),
    },
    timeoutS: flags.timeout !== undefined ? parsePositive('--timeout', flags.timeout, 'seconds', false, LIMITS.seconds) : file.timeoutS,
    budgets: file.budgets ?? {},
    flagBudget,
    fileBudget: { memoryMb: file.memoryMb, timeS: file.timeS, leakMb: file.leakMb },
    perTest: flags.perTest ?? false,
    floor: flags.floor ?? false,
    env: envVariables(flags.env ?? []),
    runs,
    json: flags.json === true || flags.json === '-' ? true : typeof flags.json === 'string' ? flags.json : null,
    junit: flags.junit ?? null,
    markdown: flags.markdown ?? null,
    bmf: flags.bmf ?? null,
    trace: flags.trace ?? null,
    html: flags.html ?? null,
    shard: flags.shard ?? null,
    shards: flags.shards === undefined ? null : flags.shards.trim() === 'auto' ? 'auto' : parsePositive('--shards', flags.shards, 'shards (or auto)', true, LIMITS.shards),
    targetMinutes: flags.targetMinutes !== undefined ? parsePositive('--target-minutes', flags.targetMinutes, 'minutes', false, LIMITS.seconds / 60) : null,
    format: matrixFormat(flags.format),
    durations: flags.history ?? flags.durations ?? null,
    parallel,
    totalMemoryMb: flags.totalMemory !== undefined ? parsePositive('--total-memory', flags.totalMemory, 'MB', false, LIMITS.mb) : null,
    quiet: flags.quiet ?? false,
    baseline: flags.baseline ?? null,
    maxRegressionPct,
    noiseFloorMb,
    verbose: flags.verbose ?? false,
    debug: flags.debug ?? false,
    minHeapMb: flags.minHeap !== undefined ? parsePositive('--min-heap', flags.minHeap, 'MB', true) : DEFAULT_MIN_HEAP_MB,
    whyOom: flags.whyOom ?? false,
    standby: flags.standby ?? true,
    warmup: flags.warmup ?? false,
    isolation: cmd === 'all' || cmd === 'compare' ? isolation : 'file',
    workerMemoryLimitMb: flags.workerMemoryLimit !== undefined ? parsePositive('--worker-memory-limit', flags.workerMemoryLimit, 'MB', false, LIMITS.mb) : null,
    configFile: flags.config ?? null,
    headroomPct: flags.headroom !== undefined ? headroom(flags.headroom) : 20,
    ignored: [
      flags.headroom !== undefined && cmd !== 'budgets' && '--headroom (only for budgets)',
      flags.isolation !== undefined && cmd === 'floor' && '--isolation (floor always runs each file alone)',
      flags.workerMemoryLimit !== undefined && isolation === 'file' && '--worker-memory-limit (only with --isolation pool or auto)',
      flags.perTest === true && isolation !== 'file' && (cmd === 'all' || cmd === 'compare') && `--per-test for the files measured in the pool (only in a process of their own: with --isolation file, or for the files --isolation auto runs again alone)`,
      flags.whyOom === true && isolation !== 'file' && (cmd === 'all' || cmd === 'compare') && `--why-oom for the files measured in the pool (only in a process of their own: with --isolation file, or for the files --isolation auto runs again alone)`,
      flags.minHeap !== undefined && cmd !== 'floor' && !(cmd === 'compare' && flags.floor) && '--min-heap (only for floor and compare --floor)',
      flags.whyOom !== undefined && cmd !== 'all' && cmd !== 'compare' && '--why-oom (only for all and compare)',
      flags.shards !== undefined && cmd !== 'matrix' && '--shards (only for matrix; to run a shard use --shard i/n)',
      (flags.history ?? flags.durations) !== undefined && cmd !== 'all' && cmd !== 'compare' && cmd !== 'matrix' && `${historyFlag} (only for all, compare and matrix: it packs shards, orders and sizes --parallel, and its heap floors warn of tight caps)`,
      flags.targetMinutes !== undefined && !(cmd === 'matrix' && flags.shards?.trim() === 'auto') && '--target-minutes (only for matrix --shards auto)',
      flags.format !== undefined && cmd !== 'matrix' && '--format (only for matrix)',
      flags.bmf !== undefined && cmd !== 'all' && cmd !== 'merge' && '--bmf (only for all and merge)',
      flags.totalMemory !== undefined && parallel === null && '--total-memory (only with --parallel)',
      flags.maxRegression !== undefined && flags.baseline === undefined && '--max-regression (only with --baseline)',
      flags.warmup === true && cmd !== 'all' && '--warmup (only for all)',
      flags.noiseFloor !== undefined && flags.baseline === undefined && '--noise-floor (only with --baseline)',
      flags.env !== undefined && cmd !== 'compare' && '--env (only for compare)',
      flags.floor !== undefined && cmd !== 'compare' && '--floor (only for compare; for one run\'s floors use the floor command)',
      flags.baseline !== undefined && cmd === 'compare' && '--baseline (not for compare: each variant is the other\'s baseline)',
      flags.leakBudget !== undefined && !flags.perTest && '--leak-budget (only with --per-test)',
    ].filter((text): text is string => typeof text === 'string'),
  };
}

/** `--headroom <pct>`: 0 or more percent. */
function headroom(text: string): number {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || Number(text) > LIMITS.percent) throw new UsageError(`--headroom must be a percentage of 0 or more, got '${cut(text)}'.`);
  return Number(text);
}

/** `--format`: github (the default) or list. */
function matrixFormat(text: string | undefined): 'github' | 'list' {
  if (text === undefined || text.trim() === 'github') return 'github';
  if (text.trim() === 'list') return 'list';
  throw new UsageError(`--format must be github or list, got '${cut(text)}'.`);
}

/**
 * `VAR=a,b` → { name: 'VAR', values: ['a', 'b'] }; a one-line error otherwise. An empty value is a
 * variant of its own: the variable set, and empty (`NODE_OPTIONS=--max-semi-space-size=16,` compares
 * the flag against none: an empty NODE_OPTIONS also replaces one stress-run inherited).
 */
export function parseEnvFlag(text: string): { name: string; values: string[] } {
  const at = text.indexOf('=');
  const name = text.slice(0, at);
  const values = text.slice(at + 1).split(',');
  if (at <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`--env must be VAR=value1,value2 (a variable name and comma-separated values), got '${text}'.`);
  }
  return { name, values };
}

/**
 * The --env flags, each variable once and each of its values once: a variable given twice would
 * run only its last values (twice over), and a value given twice two identical variants under one
 * label, so both are refused in one line rather than merged behind the user's back.
 */
export function envVariables(texts: string[]): Array<{ name: string; values: string[] }> {
  const vars = texts.map(parseEnvFlag);
  for (const [i, v] of vars.entries()) {
    const again = vars.findIndex((w, j) => j > i && w.name === v.name);
    if (again >= 0) {
      const all = [...v.values, ...vars[again].values].join(',');
      throw new UsageError(`--env ${v.name} is given twice ('${cut(texts[i])}' and '${cut(texts[again])}'); give its values in one --env: ${cut(`${v.name}=${all}`)}.`);
    }
    const twice = v.values.find((value, j) => v.values.indexOf(value) !== j);
    if (twice !== undefined) throw new UsageError(`--env ${v.name} names the value '${cut(twice)}' twice, in '${cut(texts[i])}'; each value is one variant.`);
  }
  return vars;
}

// Jest flags that stress-run sets itself for every suite, or that would stop a suite from being one
// measured run of one file; each with what to do instead.
const JEST_FLAGS_REFUSED: Record<string, string> = {
  runInBand: 'stress-run runs every suite alone in its own process already',
  i: 'stress-run runs every suite alone in its own process already',
  maxWorkers: 'use --parallel to run several suites at once',
  w: 'use --parallel to run several suites at once',
  json: 'use stress-run --json',
  outputFile: 'use stress-run --json <file>',
  runTestsByPath: 'stress-run picks the files; pick suites with --suite',
  listTests: 'use stress-run list',
  shard: 'use stress-run --shard i/n',
  watch: 'stress-run runs each suite once',
  watchAll: 'stress-run runs each suite once',
  onlyChanged: 'not supported: pick suites with --suite',
  o: 'not supported: pick suites with --suite',
  changedSince: 'not supported: pick suites with --suite',
  lastCommit: 'not supported: pick suites with --suite',
  showConfig: 'run jest --showConfig directly',
  clearCache: 'run jest --clearCache directly',
  init: 'run jest --init directly',
};

/** Checks the pass-through Jest arguments against the flags stress-run sets itself; a clash is a one-line error. */
export function checkJestArgs(args: string[], jestConfig: string | null): string[] {
  for (const arg of args) {
    const match = /^--?([^=]+)/.exec(arg);
    if (!match || /^-?\d/.test(arg.slice(1))) continue;
    const name = match[1].replace(/^no-/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const why = Object.hasOwn(JEST_FLAGS_REFUSED, name) ? JEST_FLAGS_REFUSED[name] : null;
    if (why) throw new UsageError(`Jest flag ${arg} cannot be passed through: ${why}.`);
    if ((name === 'config' || name === 'c') && jestConfig !== null) {
      throw new UsageError(`Jest's config is given twice: --jest-config ${jestConfig} and ${arg} after --. Keep one.`);
    }
  }
  return args;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** The live memory guard's default is the memory this run may use (as --parallel's total), and never below this. */
export const KILL_ABOVE_FLOOR_MB = 512;

export type { BudgetSources } from '../base/types';

/** One suite's budget, heap cap and timeout, after per-suite overrides. */
export interface SuiteSettings {
  budget: Budget;
  /** The V8 heap cap every Node process of the suite inherits: only one asked for (--max-heap, config maxHeapMb); null for none. */
  heapCapMb: number | null;
  /** The live memory guard: kill the tree when its RSS goes over this many MB; null for none. */
  killAboveMb: number | null;
  timeoutMs: number;
  sources?: BudgetSources;
}

const BUDGET_FLAGS = { memoryMb: '--memory-budget', timeS: '--time-budget', leakMb: '--leak-budget' } as const;

/**
 * Works out the budget, heap cap and timeout that apply to one suite: flag, then docblock, then config
 * file, then defaults. `runMemoryMb` is the memory this run may use (the default guard), read once per run.
 */
export function settingsFor(name: string, options: Options, docblock: DocblockBudgets = {}, runMemoryMb: number = memoryOfRun(options.totalMemoryMb)): SuiteSettings {
  const own = options.budgets[name] ?? {};
  const sources = {} as BudgetSources;
  const pick = (key: keyof BudgetSources): number | undefined => {
    const flag = options.flagBudget?.[key];
    const doc = docblock[key];
    const [value, source] =
      flag !== undefined ? [flag, BUDGET_FLAGS[key]]
      : doc !== undefined ? [doc.value, `docblock, line ${doc.line}`]
      : own[key] !== undefined ? [own[key], `config budgets["${name}"]`]
      : options.fileBudget?.[key] !== undefined ? [options.fileBudget[key], 'config']
      : [options.budget[key], options.budget[key] === undefined ? 'none' : 'default'];
    sources[key] = source;
    return value;
  };
  const leakMb = pick('leakMb');
  const budget: Budget = { memoryMb: pick('memoryMb')!, timeS: pick('timeS')!, ...(leakMb !== undefined ? { leakMb } : {}) };
  // No cap unless one was asked for: with none, every test runs under Node's own heap limit, as under
  // plain Jest, and the memory budget is judged on the measured peak.
  const heapCapMb = options.maxHeapMb ?? null;
  // Node's timers hold at most 2^31-1 ms (24.8 days); longer would fire at once.
  const timeoutMs = Math.min(MAX_TIMER_MS, Math.round((options.timeoutS ?? 2 * budget.timeS) * 1000));
  // The default guard is there for the machine, not for a verdict: a suite is stopped only where it
  // would take more than this run may use, never over a budget plain Jest knows nothing of.
  const killAboveMb = options.killAboveMb === undefined ? Math.max(KILL_ABOVE_FLOOR_MB, budget.memoryMb, runMemoryMb) : options.killAboveMb;
  // A guard set below what the suite may use kills every run before it can be judged: refused.
  const needs = Math.max(budget.memoryMb, heapCapMb ?? 0);
  if (options.killAboveMb !== undefined && killAboveMb !== null && killAboveMb < needs) {
    const what = heapCapMb !== null && heapCapMb > budget.memoryMb ? `heap cap (${heapCapMb} MB)` : `memory budget (${budget.memoryMb} MB)`;
    throw new UsageError(`--kill-above ${killAboveMb} MB (or the config's killAboveMb) is below the ${what} of suite '${cut(name)}': every run would be killed before it could be judged; give at least ${needs}, or none.`);
  }
  return { budget, heapCapMb, killAboveMb, timeoutMs, sources };
}
