import { Command, Option } from 'commander';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const EXAMPLES = `
Commands:
  all                      run every suite: each file the project's Jest would run (the default)
  list                     list the suites, as the project's Jest finds them: name and file
  matrix                   print a GitHub Actions strategy.matrix as JSON (one entry per suite, or per shard with --shards)
  merge <report.json...>   combine the JSON reports of several shards into one table and report
  compare --env VAR=a,b    run the suites under each value (several --env: every combination) and
                           show the variants side by side, with the ratio between them
  floor                    find each suite's heap floor: the smallest --max-heap at which it still passes

Examples:
  stress-run all                                   every suite, one table, exit 0 only if all are within budget
  stress-run --suite kb-accuracy                   one suite (repeat --suite for more)
  stress-run floor --suite kb-accuracy             its heap floor: the smallest --max-heap it passes with
  stress-run --suite kb-accuracy --max-heap 26     reproduce an out-of-memory death on purpose (under its 31 MB
                                                   floor here); add --why-oom to see what filled the heap
  stress-run all --durations floors.json           warn about caps within 20% of the floors in a floor --json report
  stress-run all --json report.json --runs 3       three fresh runs per suite, medians judged, JSON kept
  stress-run all --parallel auto --history last.json   one suite per core, longest first, sized by last run's peaks
  stress-run all -- --selectProjects web --ci      everything after -- goes to Jest as given
  stress-run --dir test/heavy                      only the files Jest runs under test/heavy
  stress-run --suite kb-accuracy --per-test        the heap each test leaves behind; flags a suite that leaks
  stress-run compare --env STRESS_MOCKS=heavy,light --runs 3   what a change saves, medians of 3 runs
  stress-run all --baseline reports/               fail only on growth beyond what earlier runs vary

Suites are the files the project's own Jest would run (its config: roots, testMatch, testRegex,
ignore patterns, projects), one per file and Jest project; --dir and --pattern narrow them.
Coverage is off unless asked for (-- --coverage). The caller's NODE_OPTIONS reach the suites
(heap flags aside), e.g. NODE_OPTIONS=--experimental-vm-modules for ESM.
Peak RSS is measured under the heap cap in force: V8 collects sooner under a lower cap, so the
figure is lower than an uncapped run's; --max-heap none measures as plain Jest runs.
Budgets can also sit in a test file's docblock: @stress-memory 200 (MB), @stress-time 10 (s),
@stress-leak 0.5 (MB per test, with --per-test). A flag wins over the docblock, the docblock over
the config file, and that over the defaults; --verbose says where each budget came from.

Exit codes: 0 every suite passed within budget · 1 a test failed, a suite ran out of memory,
timed out, crashed or went over budget, or (with --baseline) grew past --max-regression or
disappeared · 2 bad usage or config, or a report file that could not be written ·
130/143/129 stopped by SIGINT/SIGTERM/SIGHUP. floor exits 0 when every suite's floor was found.
$GITHUB_STEP_SUMMARY, when set, gets the Markdown summary appended; with GITHUB_ACTIONS=true
each failing suite is also printed as an ::error annotation.
Budgets can also live in stress-run.config.json or package.json "stressRun" (flags win).
Sizes are in MB of 1,048,576 bytes, as in node --max-old-space-size.`;

/** The command-line definition; parsing errors and help are handled by the caller. */
export function buildProgram(version: string): Command {
  return new Command()
    .name('stress-run')
    .description(
      'Run each Jest stress suite in its own heap-capped process, measure the memory of its whole ' +
        'process tree, and judge every suite against a memory and a time budget in one table.',
    )
    .version(version, '-V, --version')
    .argument('[command]', 'all | list | matrix | merge | compare | floor (default: all)')
    .argument('[reports...]', 'report files, for merge')
    .usage('[command] [options] [-- jest options]')
    .option('-s, --suite <name>', 'run only this suite; repeatable (see `stress-run list`)', collect)
    .option('--dir <path>', "only the test files under this folder; suite names are relative to it (default: the whole project, names relative to its root)")
    .option('--pattern <glob>', 'only the test files matching this glob, relative to --dir (default: every file Jest would run)')
    .option('--jest-config <path>', "Jest config for the suites (default: the project's jest.config.*)")
    .option('--config <file>', 'stress-run config file (default: stress-run.config.json, or package.json "stressRun")')
    .option('--max-heap <MB>', 'V8 heap cap for every Node process of a suite, or "none" (default: the memory budget)')
    .option('--kill-above <MB>', "live memory guard: kill a suite's whole tree as soon as its RSS goes over this, or \"none\" (default: 2 × the memory budget, at least 512 MB)")
    .option('--memory-budget <MB>', 'peak RSS budget per suite (default: 300)')
    .option('--time-budget <s>', 'wall-time budget per suite (default: 30)')
    .option('--timeout <s>', "kill a suite's whole process tree after this long (default: 2 × time budget)")
    .option('--runs <n>', 'run every suite n times, each in a fresh process; judge the medians (default: 1)')
    .addOption(new Option('--json [file]', 'write the report as JSON to a file, or to stdout (then stdout holds only JSON)'))
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--markdown <file>', 'write a Markdown summary with a memory chart')
    .option('--parallel <n|auto>', 'run up to n suites at once, each still alone in its own capped process; auto: one per core')
    .option('--total-memory <MB>', 'with --parallel: the memory the running suites share; a suite starts only when its expected peak fits (default: 75% of the container limit, else of free memory)')
    .option('--history <report.json>', 'a previous JSON report: its times balance --shard and order --parallel (longest first), its peaks size --parallel')
    .option('--shard <i/n>', 'run only shard i of n (balanced by --history when given, else by name)')
    .option('--durations <report.json>', 'the older name of --history')
    .option('--shards <n>', 'with matrix: one matrix entry per shard instead of per suite')
    .option('--baseline <reports...>', 'compare peak memory and time with saved reports (files or folders of them); with several runs of a suite, a t-test at 95% decides')
    .option('--max-regression <pct>', 'with --baseline and a single baseline run: fail when a suite\'s peak RSS grows by more than this percentage (default: 10)')
    .option('--warmup', "run the selected files once through the project's Jest before measuring, results discarded, so transform caches (and the code cache for TypeScript) are warm")
    .option('--noise-floor <MB>', 'with --baseline: growth below this never fails, whatever the rule (default: 5)')
    .option('--per-test', 'record the heap each test leaves behind (forced GC after each test) and flag suites that leak')
    .option('--leak-budget <MB>', 'with --per-test: fail a suite whose probable leak retains more than this per test')
    .option('--env <VAR=a,b>', 'with compare: a variable and the values to compare; repeatable (every combination runs)', collect)
    .option('--floor', "with compare: also search each suite's heap floor under each variant (several runs per suite and variant)")
    .option('--min-heap <MB>', 'with floor and compare --floor: the lowest heap cap the search tries (default: 16)')
    .option('--why-oom', 'run a suite that ran out of heap once more with a heap snapshot, and show what filled the heap')
    .option('--verbose', "stream each suite's own output, with a header per suite (floor: list each try)")
    .option('--quiet', 'no live progress on stderr')
    .option('--debug', 'show stack traces and the exact child command lines')
    .option('--no-standby', "start each suite's process only when the suite starts (default: while suites run, the next suite's process starts ahead, on a core the run leaves free, and loads Jest and its file's transformer)")
    .addHelpText('after', EXAMPLES)
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}
