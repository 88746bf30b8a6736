import * as path from 'node:path';
import type { Options } from '../cli/options';
import { discoverSuites } from '../discover/discover';
import { UsageError } from '../errors';
import type { Suite } from '../types';

/** Every suite the options describe, checking that per-suite budgets name suites that exist. */
export function findSuites(options: Options, cwd: string): { dir: string; all: Suite[] } {
  const dir = path.resolve(cwd, options.dir);
  const all = discoverSuites(dir, options.pattern);
  const unknownBudgets = Object.keys(options.budgets).filter((name) => !all.some((s) => s.name === name));
  if (unknownBudgets.length) {
    throw new UsageError(`config "budgets" names unknown suite '${unknownBudgets[0]}'. Known suites: ${all.map((s) => s.name).join(', ')}.`);
  }
  return { dir, all };
}

/** A suite's file relative to the working folder, '/'-separated on every platform (as reports show it). */
export function relativeFile(cwd: string, suite: Suite): string {
  return path.relative(cwd, suite.file).split(path.sep).join('/');
}
