import { Command, Help, Option } from 'commander';
import { type Command as CommandName, COMMANDS } from '../config/options';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

// The commands that find the suites through the project's Jest.
const DISCOVERING: readonly CommandName[] = ['all', 'list', 'matrix', 'compare', 'floor'];
// The commands that run suites, each under its budgets.
const RUNNING: readonly CommandName[] = ['all', 'compare', 'floor'];
// The commands that end with a report: a table, report files, an exit code.
const REPORTING: readonly CommandName[] = ['all', 'merge', 'compare', 'floor'];

/** One flag: commander's flags and description, whether it repeats, and the commands that take it. */
interface Flag {
  flags: string;
  description: string;
  repeatable?: true;
  commands: readonly CommandName[];
}

/**
 * Every flag, in the order help shows them. `commands` is what each command's --help lists: the
 * flags that do something for it (config/options warns of the others it ignores).
 */
const FLAGS: readonly Flag[] = [
  { flags: '-s, --suite <name>', description: 'run only this suite; repeatable (see `stress-run list`)', repeatable: true, commands: RUNNING },
  { flags: '--dir <path>', description: 'only the test files under this folder; suite names are relative to it (default: the whole project, names relative to its root)', commands: DISCOVERING },
  { flags: '--pattern <glob>', description: 'only the test files matching this glob, relative to --dir (default: every file Jest would run)', commands: DISCOVERING },
  { flags: '--jest-config <path>', description: "Jest config for the suites (default: the project's jest.config.*)", commands: DISCOVERING },
  { flags: '--config <file>', description: 'stress-run config file (default: stress-run.config.json, or package.json "stressRun")', commands: [...DISCOVERING, 'budgets'] },
  { flags: '--max-heap <MB>', description: 'V8 heap cap for every Node process of a suite, inherited by every process it starts (default: none, as under plain Jest)', commands: RUNNING },
  {
    flags: '--kill-above <MB>',
    description: "live memory guard: kill a suite's whole tree as soon as its RSS goes over this, or \"none\" (default: the memory this run may use, 75% of the free memory or of a container's limit)",
    commands: ['all', 'compare'],
  },
  { flags: '--memory-budget <MB>', description: 'peak RSS budget per suite (default: 300)', commands: RUNNING },
  { flags: '--time-budget <s>', description: 'wall-time budget per suite (default: 30)', commands: RUNNING },
  { flags: '--timeout <s>', description: "kill a suite's whole process tree after this long (default: 2 × time budget)", commands: RUNNING },
  { flags: '--runs <n>', description: 'run every suite n times, each in a fresh process; judge the medians (default: 1)', commands: ['all', 'compare'] },
  { flags: '--json [file]', description: 'write the report as JSON to a file, or to stdout (then stdout holds only JSON)', commands: REPORTING },
  { flags: '--junit <file>', description: 'write a JUnit XML report', commands: REPORTING },
  { flags: '--markdown <file>', description: 'write a Markdown summary with a memory chart', commands: REPORTING },
  {
    flags: '--bmf <file>',
    description: "write each suite's peak RSS (bytes) and duration (ms) in Bencher Metric Format; with --runs, the lowest and highest run as lower_value and upper_value",
    commands: ['all', 'merge'],
  },
  {
    flags: '--html <file>',
    description: 'write one self-contained HTML page: the sortable table, each suite\'s memory over time with the test running then, the schedule, per-test heap, floor tries, variants',
    commands: ['all', 'compare', 'floor', 'html'],
  },
  {
    flags: '--trace <file>',
    description: "write a Chrome Trace Event file: a track per suite with its tests and its memory over time (open it in ui.perfetto.dev or chrome://tracing)",
    commands: REPORTING,
  },
  {
    flags: '--isolation <mode>',
    description:
      "file: each file alone in its own process (default); pool: the files through long-lived Jest workers, several files per worker (--parallel workers), each file's peak an estimate (~) and what it left behind in its worker; auto: pool, then alone again every file near a budget (over 80%), unreliable, failed or whose worker died",
    commands: ['all', 'compare'],
  },
  {
    flags: '--worker-memory-limit <MB>',
    description: "with --isolation pool or auto: recycle a worker whose settled heap after a file is over this (default: the project's workerIdleMemoryLimit)",
    commands: ['all', 'compare'],
  },
  {
    flags: '--parallel <n|auto>',
    description: 'run up to n suites at once, each still alone in its own capped process; auto: one per core',
    commands: ['all', 'compare', 'matrix'],
  },
  {
    flags: '--total-memory <MB>',
    description: 'with --parallel: the memory the running suites share; a suite starts only when its expected peak fits (default: 75% of the container limit, else of free memory)',
    commands: ['all', 'compare', 'matrix'],
  },
  {
    flags: '--history <report.json>',
    description: 'a previous JSON report: its times and peaks pack --shard and matrix --shards, order --parallel and a pool’s files (longest first) and size it',
    commands: ['all', 'matrix'],
  },
  {
    flags: '--shard <i/n|auto>',
    description:
      "run only shard i of n (with --history, packed by its times and peaks for machines of --parallel slots and --total-memory; else by name); auto: i and n from the CI's variables (GitLab, CircleCI, Buildkite, Bazel; Kubernetes Indexed Jobs with auto/<n>)",
    commands: ['all'],
  },
  { flags: '--durations <report.json>', description: 'the older name of --history', commands: ['all', 'matrix'] },
  {
    flags: '--shards <n|auto>',
    description: 'with matrix: one matrix entry per shard instead of per suite; auto: the fewest shards whose longest is expected under --target-minutes (needs --history)',
    commands: ['matrix'],
  },
  { flags: '--target-minutes <m>', description: "with matrix --shards auto: the longest shard's expected wall time to stay under", commands: ['matrix'] },
  {
    flags: '--format <github|list>',
    description: "with matrix: github, a strategy.matrix as JSON (default); list, one line per shard of its files (for CircleCI's or Buildkite's steps)",
    commands: ['matrix'],
  },
  {
    flags: '--baseline <reports...>',
    description: 'compare peak memory and time with saved reports (files or folders of them); with several runs of a suite, a t-test at 95% decides',
    commands: ['all', 'merge'],
  },
  {
    flags: '--max-regression <pct>',
    description: "with --baseline and a single baseline run: fail when a suite's peak RSS grows by more than this percentage (default: 10)",
    commands: ['all', 'merge'],
  },
  {
    flags: '--warmup',
    description: "run the selected files once through the project's Jest before measuring, results discarded, so transform caches (and the code cache for TypeScript) are warm",
    commands: ['all'],
  },
  {
    flags: '--headroom <pct>',
    description: 'with budgets: the budgets written are the highest measured figures plus this percentage (default: 20)',
    commands: ['budgets'],
  },
  { flags: '--noise-floor <MB>', description: 'with --baseline: growth below this never fails, whatever the rule (default: 5)', commands: ['all', 'merge'] },
  { flags: '--per-test', description: 'record the heap each test leaves behind (forced GC after each test) and flag suites that leak', commands: ['all', 'compare'] },
  { flags: '--leak-budget <MB>', description: 'with --per-test: fail a suite whose probable leak retains more than this per test', commands: ['all', 'compare'] },
  { flags: '--env <VAR=a,b>', description: 'with compare: a variable and the values to compare; repeatable (every combination runs)', repeatable: true, commands: ['compare'] },
  { flags: '--floor', description: "with compare: also search each suite's heap floor under each variant (several runs per suite and variant)", commands: ['compare'] },
  { flags: '--min-heap <MB>', description: 'with floor and compare --floor: the lowest heap cap the search tries (default: 16)', commands: ['floor', 'compare'] },
  { flags: '--why-oom', description: 'run a suite that ran out of heap once more with a heap snapshot, and show what filled the heap', commands: ['all'] },
  { flags: '--verbose', description: "stream each suite's own output, with a header per suite (floor: list each try)", commands: RUNNING },
  { flags: '--quiet', description: 'no live progress on stderr', commands: ['all', 'compare'] },
  { flags: '--debug', description: 'show stack traces and the exact child command lines', commands: COMMANDS },
  {
    flags: '--no-standby',
    description: "start each suite's process only when the suite starts (default: while suites run, the next suite's process starts ahead, on a core the run leaves free, and loads Jest and its file's transformer)",
    commands: ['all', 'compare'],
  },
];

/** What a command's help says: its arguments, one line for the list of commands, a paragraph, and examples. */
interface CommandHelp {
  /** Its arguments as the list of commands shows them (merge's report files). */
  args?: string;
  /** Its usage line, after `stress-run <name>`, when not `[options] [-- jest options]`. */
  usage?: string;
  summary: string;
  description: string;
  examples: string;
}

const COMMAND_HELP: Record<CommandName, CommandHelp> = {
  all: {
    summary: 'run the suites against their budgets (the default)',
    description:
      "Run every suite (each file the project's Jest would run, or those --suite names) in its own process " +
      '(heap-capped with --max-heap), measure the memory of its whole process tree, and judge it against a memory and a time budget. ' +
      'The default command: `stress-run --suite x` is `stress-run all --suite x`.',
    examples: `
Examples:
  stress-run all                                   every suite, one table, exit 0 only if all are within budget
  stress-run --suite kb-accuracy                   one suite (repeat --suite for more)
  stress-run --suite kb-accuracy --max-heap 26     reproduce an out-of-memory death on purpose (under its 31 MB
                                                   floor here); add --why-oom to see what filled the heap
  stress-run all --durations floors.json           warn about caps within 20% of the floors in a floor --json report
  stress-run all --json report.json --runs 3       three fresh runs per suite, medians judged, JSON kept
  stress-run all --parallel auto --history last.json   one suite per core, longest first, sized by last run's peaks
  stress-run all -- --selectProjects web --ci      everything after -- goes to Jest as given
  stress-run --dir test/heavy                      only the files Jest runs under test/heavy
  stress-run --suite kb-accuracy --per-test        the heap each test leaves behind; flags a suite that leaks
  stress-run all --baseline reports/               fail only on growth beyond what earlier runs vary

Peak RSS is measured under the heap cap in force: V8 collects sooner under a lower cap, so the
figure is lower than an uncapped run's; --max-heap none measures as plain Jest runs.
Budgets can also sit in a test file's docblock: @stress-memory 200 (MB), @stress-time 10 (s),
@stress-leak 0.5 (MB per test, with --per-test). A flag wins over the docblock, the docblock over
the config file, and that over the defaults; --verbose says where each budget came from.`,
  },
  list: {
    summary: 'list the suites Jest would run: name and file',
    description: "List the suites, as the project's Jest finds them: one line per suite, its name and its file.",
    examples: `
Examples:
  stress-run list                                  every suite: name<TAB>file
  stress-run list --dir test/heavy                 only the files Jest runs under test/heavy`,
  },
  matrix: {
    summary: 'print a GitHub Actions strategy.matrix as JSON',
    description: 'Print a GitHub Actions strategy.matrix as one line of JSON: one entry per suite, or per shard with --shards.',
    examples: `
Examples:
  stress-run matrix                                {"include":[{"suite":"kb-accuracy"},…]}: one job per suite
  stress-run matrix --shards 4                     {"include":[{"shard":"1/4"},…]}: each job runs stress-run all --shard i/n
                                                   (never more shards than suites, so no job runs empty)
  stress-run matrix --shards auto --target-minutes 10 --history last.json --parallel 2 --total-memory 6000
                                                   the fewest shards whose longest is expected under 10 minutes
                                                   on machines of 2 slots and 6,000 MB; each job then runs
                                                   stress-run all --shard i/n with the same three flags
  stress-run matrix --shards 4 --format list       one line per shard: its files (for CircleCI or Buildkite steps)`,
  },
  merge: {
    args: '<report.json...>',
    usage: '[options] <report.json...>',
    summary: "combine the shards' JSON reports into one report",
    description: 'Combine the JSON reports of several shards into one table, one report and one exit code.',
    examples: `
Examples:
  stress-run merge shard-*.json                    one table for the whole run; exit 1 if any suite failed
  stress-run merge shard-*.json --json all.json    and the combined report as JSON
  stress-run merge shard-*.json --baseline main/   fail only on growth beyond what earlier runs vary`,
  },
  compare: {
    summary: 'run the suites under each --env value, side by side',
    description:
      'Run the suites under each value of --env VAR=a,b (several --env: every combination) and show the ' +
      'variants side by side, with the ratio between them.',
    examples: `
Examples:
  stress-run compare --env STRESS_MOCKS=heavy,light --runs 3   what a change saves, medians of 3 runs
  stress-run compare --env A=1,2 --env B=x,y                   all four combinations
  stress-run compare --env STRESS_MOCKS=heavy,light --floor    each suite's heap floor under each variant too`,
  },
  floor: {
    summary: "find the smallest --max-heap each suite passes with",
    description:
      "Find each suite's heap floor: the smallest --max-heap at which it still passes, by bisection, each try " +
      'in a fresh process. Exits 0 when every suite\'s floor was found.',
    examples: `
Examples:
  stress-run floor --suite kb-accuracy             its heap floor: the smallest --max-heap it passes with
  stress-run floor --json floors.json              kept, so that stress-run all --durations floors.json warns
                                                   about caps within 20% of these floors`,
  },
  html: {
    args: '<report.json...>',
    usage: '[options] <report.json...>',
    summary: 'draw saved JSON reports as one HTML page',
    description:
      'Draw one or more saved JSON reports (several are merged, as merge does) as one self-contained HTML page: ' +
      'to the --html file, else to stdout.',
    examples: `
Examples:
  stress-run html report.json --html report.html   the page of a saved run
  stress-run html shard-*.json --html all.html     the shards' reports merged into one page`,
  },
  budgets: {
    args: '<report.json...>',
    usage: '[options] <report.json...>',
    summary: "write measured budgets into the project's config",
    description:
      "Write per-suite memory and time budgets into the project's stress-run config (stress-run.config.json, created where " +
      'none exists; package.json "stressRun" when the config lives there; or --config): each suite\'s highest measured peak ' +
      'and time in the reports, plus --headroom. A budget already in the config is kept, and one in a docblock left alone.',
    examples: `
Examples:
  stress-run all --json report.json && stress-run budgets report.json   budgets the project owns, 20% over this run
  stress-run all --runs 5 --json report.json                          five runs: the budgets cover the highest of them
  stress-run budgets report.json --headroom 50                        more room on a noisy CI machine`,
  },
};

const OVERVIEW = `
\`stress-run <command> --help\` lists the flags a command takes.

Examples:
  stress-run                                       every suite (all is the default), one table
  stress-run --suite kb-accuracy                   one suite (repeat --suite for more)
  stress-run floor --suite kb-accuracy             its heap floor: the smallest --max-heap it passes with
  stress-run all -- --selectProjects web --ci      everything after -- goes to Jest as given
  stress-run compare --env STRESS_MOCKS=heavy,light --runs 3   what a change saves, medians of 3 runs

Suites are the files the project's own Jest would run (its config: roots, testMatch, testRegex,
ignore patterns, projects), one per file and Jest project; --dir and --pattern narrow them.
Coverage is off unless asked for (-- --coverage). The caller's NODE_OPTIONS reach the suites
(heap flags aside), e.g. NODE_OPTIONS=--experimental-vm-modules for ESM.

Exit codes: 0 every suite passed within budget · 1 a test failed, a suite ran out of memory,
timed out, crashed or went over budget, or (with --baseline) grew past --max-regression or
disappeared · 2 bad usage or config, or a report file that could not be written ·
130/143/129 stopped by SIGINT/SIGTERM/SIGHUP. floor exits 0 when every suite's floor was found.
$GITHUB_STEP_SUMMARY, when set, gets the Markdown summary appended; with GITHUB_ACTIONS=true
each failing suite is also printed as an ::error annotation.
Budgets can also live in stress-run.config.json or package.json "stressRun" (flags win).
Sizes are in MB of 1,048,576 bytes, as in node --max-old-space-size.`;

function optionOf(flag: Flag): Option {
  const option = new Option(flag.flags, flag.description);
  return flag.repeatable ? option.argParser(collect) : option;
}

/**
 * The command-line definition; parsing errors and help are handled by the caller, and each command
 * (the top level when no command is named) calls `onCommand` with its name and arguments.
 *
 * Flags are parsed at the top level, wherever they stand on the line, as they always were: so
 * `stress-run --dir x list` lists, and what the parsed flags hold does not depend on the command.
 * Each command declares the flags it takes, and that is what its --help lists; the top-level help
 * lists the commands instead.
 */
export function buildProgram(version: string, onCommand: (command: string | undefined, args: string[]) => void): Command {
  const program = new Command()
    .name('stress-run')
    .description(
      'Run each Jest stress suite in its own process, measure the memory of its whole ' +
        'process tree, and judge every suite against a memory and a time budget in one table.',
    )
    .version(version, '-V, --version')
    // No command word means all; a word that names no command reaches config/options, which says so.
    .argument('[command]')
    .argument('[reports...]')
    .usage('[command] [options] [-- jest options]')
    .helpOption('-h, --help', 'show this help')
    // `stress-run help` stays an unknown command, as it always was; `stress-run <command> --help` is the way.
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .action((command: string | undefined, args: string[]) => onCommand(command, args));
  for (const flag of FLAGS) program.addOption(optionOf(flag));

  for (const name of COMMANDS) {
    const help = COMMAND_HELP[name];
    const command = program
      .command(name)
      .summary(help.summary)
      .description(help.description)
      .usage(help.usage ?? '[options] [-- jest options]')
      // Any words after the command go to config/options, which takes merge's report files and refuses the rest.
      .argument('[args...]')
      .action((args: string[]) => onCommand(name, args));
    for (const flag of FLAGS.filter((f) => f.commands.includes(name))) command.addOption(optionOf(flag));
    command.addHelpText('after', help.examples);
  }

  // Set after the commands, which would otherwise share it: the top-level help shows each command
  // by its name and arguments, and lists no flags but --version and --help. The flags stay visible
  // to commander everywhere else, so a mistyped one is matched against all of them.
  program
    .configureHelp({
      subcommandTerm: (command) => [command.name(), COMMAND_HELP[command.name() as CommandName].args].filter(Boolean).join(' '),
      formatHelp(command, helper) {
        const commandsOnly = Object.assign(Object.create(helper) as Help, {
          visibleOptions: (shown: Command) => helper.visibleOptions(shown).filter((o) => o.long === '--version' || o.long === '--help'),
        });
        return Help.prototype.formatHelp.call(this, command, commandsOnly);
      },
    })
    .addHelpText('after', OVERVIEW);
  return program;
}
