import * as path from 'node:path';
import picomatch from 'picomatch';
import { UsageError } from '../base/errors';
import type { Suite } from '../base/types';
import { byName } from './by-name';
import type { ContextFile, ContextProject } from '../child/protocol';

// `.stress.test.ts`, `.test.js`, `.spec.tsx` …: the name is what stands before the test suffix.
const TEST_SUFFIX = /(\.stress)?\.(test|spec)\.[cm]?[jt]sx?$|\.[cm]?[jt]sx?$/;

/** A suite's name: its path relative to the suites folder, '/'-separated, without the test suffix. */
export function suiteName(relativePath: string): string {
  return relativePath.split(path.sep).join('/').replace(TEST_SUFFIX, '');
}

/** How Jest's files become suites: names relative to `dir` (else the project root), kept when under `dir` and matching `pattern`. */
export interface SuiteFilter {
  projectRoot: string;
  /** Absolute folder, or null for the whole project. */
  dir: string | null;
  /** A glob relative to `dir` (or the project root), or null for every file Jest runs. */
  pattern: string | null;
}

/**
 * The suites of a run: every file the project's Jest would run, one suite per file and Jest project.
 * With several projects, a suite's name starts with its project's name (`web:login`, see projectLabel), so a
 * file that two projects run is two suites, each with its own counts, memory and time.
 */
export function suitesFromContext(context: ContextFile, filter: SuiteFilter): Suite[] {
  const base = filter.dir ?? filter.projectRoot;
  const matches = filter.pattern === null ? () => true : picomatch(filter.pattern, { dot: true });
  const several = Math.max(context.projects.length, context.configuredProjects ?? 0) > 1;
  const suites: Suite[] = [];
  context.projects.forEach((project, index) => {
    const label = several ? projectLabel(project, filter.projectRoot) : null;
    for (const file of project.testPaths) {
      const rel = path.relative(base, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (!matches(rel.split(path.sep).join('/'))) continue;
      const name = suiteName(rel);
      suites.push({ name: label === null ? name : `${label}:${name}`, file, project: { index, name: label } });
    }
  });
  if (suites.length === 0) {
    const found = context.projects.reduce((n, p) => n + p.testPaths.length, 0);
    const where = filter.dir === null ? '' : ` under ${filter.dir}`;
    throw new UsageError(
      found === 0
        ? `Jest finds no test files in ${filter.projectRoot} with its config. Check the Jest config (roots, testMatch, testRegex), or pass it with --jest-config.`
        : `None of the ${found} test files Jest would run ${[where && `is${where}`, filter.pattern !== null && `matches ${filter.pattern}`].filter(Boolean).join(' and ')}. Check --dir and --pattern.`,
    );
  }
  suites.sort((a, b) => byName(a, b) || (a.file < b.file ? -1 : 1));
  const clash = suites.find((s, i) => i > 0 && suites[i - 1].name === s.name);
  if (clash) {
    const other = suites[suites.indexOf(clash) - 1];
    throw new UsageError(`Two files give the suite name '${clash.name}': ${other.file} and ${clash.file}. Rename one, or narrow --dir/--pattern.`);
  }
  return suites;
}

/**
 * What a project is called in suite names: its displayName; without one, its folder relative to the
 * root (`packages/api`), else, for a project in the root folder, its config file's name
 * (`jest.unit.config.js`). Never a number: `project-2` says nothing and changes when the list does.
 */
export function projectLabel(project: Pick<ContextProject, 'displayName' | 'rootDir' | 'configFile'>, projectRoot: string): string {
  if (project.displayName) return project.displayName;
  const folder = path.relative(projectRoot, project.rootDir).split(path.sep).join('/');
  if (folder !== '') return folder;
  if (project.configFile) return path.basename(project.configFile);
  return path.basename(projectRoot);
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
