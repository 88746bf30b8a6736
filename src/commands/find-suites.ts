import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deps, Io } from './io';
import type { Options } from '../config/options';
import { suitesFromContext } from '../discover/discover';
import type { JestContext } from '../discover/jest-context';
import { errorCode, UsageError } from '../base/errors';
import { resolveJest, type JestSetup } from '../discover/resolve-jest';
import type { Suite } from '../base/types';
import { folderGone, watchFolder } from '../spawn/run-watch';

/** What discovery found: the suites, how to start the project's Jest, and what it resolved. */
export interface Found {
  all: Suite[];
  jest: JestSetup;
  context: JestContext;
}

/**
 * Every suite the project's own Jest would run, filtered by --dir/--pattern, checking that per-suite
 * budgets name suites that exist. `workDir` is this run's own folder, for the context file the suite
 * children read.
 */
export function findSuites(options: Options, io: Io, deps: Deps, workDir: string): Found {
  const dir = options.dir === null ? null : path.resolve(io.cwd, options.dir);
  if (dir !== null) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch {
      throw new UsageError(`Suite folder not found: ${dir}. Pass an existing folder to --dir.`);
    }
    if (!stat.isDirectory()) throw new UsageError(`--dir must be a folder, but ${dir} is a file.`);
  }
  const jest = resolveJest(dir ?? io.cwd, options.jestConfig, io.cwd, options.jestArgs);
  const context = deps.discover({ jest, jestArgs: jestArgsFor(jest, options), workDir, env: io.env, debug: options.debug });
  const all = suitesFromContext(context.context, { projectRoot: jest.projectRoot, dir, pattern: options.pattern });
  const unknownBudgets = Object.keys(options.budgets).filter((name) => !all.some((s) => s.name === name));
  if (unknownBudgets.length) {
    throw new UsageError(`config "budgets" names unknown suite '${unknownBudgets[0]}'. Known suites: ${all.map((s) => s.name).join(', ')}.`);
  }
  return { all, jest, context };
}

/**
 * The arguments the project's Jest resolves its config with: the config file found, and the user's
 * own Jest flags. Coverage is off unless asked for: each suite would rewrite the project's coverage
 * folder with one file's coverage.
 */
export function jestArgsFor(jest: JestSetup, options: Options): string[] {
  const args: string[] = [];
  if (jest.configPath !== null) args.push('--config', jest.configPath);
  if (!options.jestArgs.some((a) => /^--(no-)?coverage(=|$)/.test(a) || /^--collect-?[cC]overage(=|$)/.test(a))) args.push('--coverage=false');
  return [...args, ...options.jestArgs];
}

/** This run's own temp folder (removed by the caller); a full or unusable temp folder is the user's to fix. */
export function makeWorkDir(env: NodeJS.ProcessEnv): string {
  try {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-'));
  } catch (error) {
    throw new UsageError(`Cannot create a temp folder in ${os.tmpdir()}: ${errorCode(error)}. Set TMPDIR to a writable folder${env.TMPDIR ? ` (it is ${env.TMPDIR})` : ''}.`);
  }
}

/** Runs `body` with a fresh work folder, removed afterwards whatever happens (by the run watcher if stress-run is killed). */
export async function withWorkDir<T>(env: NodeJS.ProcessEnv, body: (workDir: string) => Promise<T> | T): Promise<T> {
  const workDir = makeWorkDir(env);
  watchFolder(workDir);
  try {
    return await body(workDir);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    folderGone(workDir);
  }
}

/** A suite's file relative to the working folder, '/'-separated on every platform (as reports show it). */
export function relativeFile(cwd: string, suite: Suite): string {
  return path.relative(cwd, suite.file).split(path.sep).join('/');
}
