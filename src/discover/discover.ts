import { byName } from './by-name';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { UsageError } from '../errors';
import type { Suite } from '../types';

export const DEFAULT_PATTERN = '**/*.stress.test.{ts,tsx,js,mjs,cjs}';

// `.stress.test.ts`, `.test.js`, `.spec.tsx` …: the name is what stands before the test suffix.
const TEST_SUFFIX = /(\.stress)?\.(test|spec)\.[cm]?[jt]sx?$|\.[cm]?[jt]sx?$/;

/** A suite's name: its path relative to the suites folder, '/'-separated, without the test suffix. */
export function suiteName(relativePath: string): string {
  return relativePath.split(path.sep).join('/').replace(TEST_SUFFIX, '');
}

/** Finds the suites under `dir` matching `pattern`, sorted by name. */
export function discoverSuites(dir: string, pattern: string): Suite[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new UsageError(`Suite folder not found: ${dir}. Pass an existing folder to --dir.`);
  }
  if (!stat.isDirectory()) throw new UsageError(`--dir must be a folder, but ${dir} is a file.`);
  const files = globSync(pattern, { cwd: dir, absolute: false, onlyFiles: true, ignore: ['**/node_modules/**'] });
  if (files.length === 0) {
    throw new UsageError(`No suites in ${dir} match ${pattern}. Check --dir and --pattern.`);
  }
  const suites = files
    .map((rel) => ({ name: suiteName(rel), file: path.resolve(dir, rel) }))
    .sort((a, b) => byName(a, b) || (a.file < b.file ? -1 : 1));
  const clash = suites.find((s, i) => i > 0 && suites[i - 1].name === s.name);
  if (clash) {
    const other = suites[suites.indexOf(clash) - 1];
    throw new UsageError(`Two files give the suite name '${clash.name}': ${other.file} and ${clash.file}. Rename one, or narrow --pattern.`);
  }
  return suites;
}

/** Picks the named suites, in the order given; an unknown name lists the known ones. */
export function selectSuites(all: Suite[], names: string[]): Suite[] {
  if (names.length === 0) return all;
  const byName = new Map(all.map((s) => [s.name, s]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length) {
    throw new UsageError(
      `Unknown suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}. Known suites: ${all.map((s) => s.name).join(', ')}.`,
    );
  }
  return [...new Set(names)].map((n) => byName.get(n)!);
}
