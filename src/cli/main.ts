import { CommanderError } from 'commander';
import { runAll } from '../commands/all';
import { runCompare } from '../commands/compare';
import { runFloor } from '../commands/floor';
import { runList } from '../commands/list';
import { runMatrix } from '../commands/matrix';
import { runMerge } from '../commands/merge';
import { runHtml } from '../commands/html';
import { runBudgets } from '../commands/budgets';
import { loadConfig } from '../config/config';
import { UsageError } from '../base/errors';
import { writeName } from '../report/escape';
import type { Deps, Io } from '../commands/io';
import { type Command, type Options, type RawFlags, resolveOptions } from '../config/options';
import { buildProgram } from './program';

export type { Deps, Io, StopSignal } from '../commands/io';

/** One function per command: each reads top to bottom as the story of that command. */
const COMMAND_RUNNERS: Record<Command, (options: Options, io: Io, deps: Deps) => Promise<number> | number> = {
  all: runAll,
  list: runList,
  matrix: runMatrix,
  merge: runMerge,
  compare: runCompare,
  floor: runFloor,
  html: runHtml,
  budgets: runBudgets,
};

/** Runs stress-run for one command line and returns the exit code. main only parses and dispatches. */
export async function main(io: Io, deps: Deps): Promise<number> {
  let flags: RawFlags | null = null;
  try {
    const parsed = parseArgs(io, deps.version);
    if (typeof parsed === 'number') return parsed;
    flags = parsed.flags;
    // budgets creates a --config file that does not exist yet.
    const { config } = loadConfig(io.cwd, flags.config ?? null, parsed.command === 'budgets');
    const options = resolveOptions(parsed.command, parsed.args, flags, config, parsed.jestArgs);
    for (const flag of options.ignored) io.stderr.write(`stress-run: warning: ignoring ${flag}.\n`);
    return await COMMAND_RUNNERS[options.command](options, io, deps);
  } catch (error) {
    return reportError(error, io, flags);
  }
}

function parseArgs(io: Io, version: string): { command: string | undefined; args: string[]; flags: RawFlags; jestArgs: string[] | null } | number {
  // Everything after the first `--` is Jest's, as given.
  const split = io.argv.indexOf('--');
  const ours = split < 0 ? io.argv : io.argv.slice(0, split);
  const jestArgs = split < 0 ? null : io.argv.slice(split + 1);
  // The command that parsed the line (the top level when none is named): its name and the words after it.
  let picked = null as { command: string | undefined; args: string[] } | null;
  const program = buildProgram(version, (command, args) => (picked = { command, args }));
  // Each command shows its own help and errors: the same output and exit for all of them.
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      // Commander's own line breaks are spaces; what it echoes of the input is written as every name is: one line, escaped.
      outputError: (text, write) => write(`stress-run: ${writeName(text.replace(/^error: /, '').trim().replace(/\n(?=\(|Did you mean)/g, ' '))}\n`),
    });
  }
  try {
    program.parse(ours, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    throw error;
  }
  if (picked === null) throw new Error('no command took the command line');
  const { command, args } = picked;
  return { command, args, flags: program.opts<RawFlags>(), jestArgs };
}

// Once the flags are parsed, --debug and a bare --json shape every error, even one in their own values.
function reportError(error: unknown, io: Io, flags: RawFlags | null): number {
  // One line whatever the message echoes (a file's text, a flag's value): its control characters as escapes.
  const message = writeName(error instanceof Error ? error.message : String(error));
  const known = error instanceof UsageError;
  io.stderr.write(`stress-run: ${known ? '' : 'internal error: '}${message}${known || flags?.debug ? '' : ' (run with --debug for details)'}\n`);
  if (flags?.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  if (flags?.json === true || flags?.json === '-') io.stdout.write(JSON.stringify({ error: message }) + '\n');
  return 2;
}
