import { Command, Option } from 'commander';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const EXAMPLES = `
Commands:
  all                      run every suite: each file the project's Jest would run (the default)
  list                     list the suites, as the project's Jest finds them: name and file
  matrix                   print a GitHub Actions strategy.matrix as JSON (one entry per suite, or per shard with --shards)
  merge <report.json...>   combine the JSON reports of several shards into one table and report

Examples:
  stress-run all                                   every suite, one table, exit 0 only if all are within budget
  stress-run --suite kb-accuracy                   one suite (repeat --suite for more)
  stress-run --suite kb-accuracy --max-heap 48     reproduce an out-of-memory death on purpose
  stress-run all --json report.json --runs 3       three fresh runs per suite, medians judged, JSON kept
  stress-run all -- --selectProjects web --ci      everything after -- goes to Jest as given
  stress-run --dir test/heavy                      only the files Jest runs under test/heavy

Suites are the files the project's own Jest would run (its config: roots, testMatch, testRegex,
ignore patterns, projects), one per file and Jest project; --dir and --pattern narrow them.
Coverage is off unless asked for (-- --coverage). The caller's NODE_OPTIONS reach the suites
(heap flags aside), e.g. NODE_OPTIONS=--experimental-vm-modules for ESM.
Peak RSS is measured under the heap cap in force: V8 collects sooner under a lower cap, so the
figure is lower than an uncapped run's; --max-heap none measures as plain Jest runs.

Exit codes: 0 every suite passed within budget · 1 a test failed, a suite ran out of memory,
timed out, crashed or went over budget, or (with --baseline) grew past --max-regression or
disappeared · 2 bad usage or config, or a report file that could not be written ·
130/143/129 stopped by SIGINT/SIGTERM/SIGHUP.
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
    .argument('[command]', 'all | list | matrix | merge (default: all)')
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
    .option('--shard <i/n>', 'run only shard i of n (balanced by --durations when given, else by name)')
    .option('--durations <report.json>', 'a previous JSON report whose times balance --shard')
    .option('--shards <n>', 'with matrix: one matrix entry per shard instead of per suite')
    .option('--baseline <report.json>', 'compare peak memory and time with a saved report')
    .option('--max-regression <pct>', 'with --baseline: fail when a suite\'s peak RSS grows by more than this percentage (default: 10)')
    .option('--verbose', "stream each suite's own output, with a header per suite")
    .option('--debug', 'show stack traces and the exact child command lines')
    .addHelpText('after', EXAMPLES)
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}
