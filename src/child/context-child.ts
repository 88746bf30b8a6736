// The discovery child: runs in the project's folder with the project's own Jest, and asks that Jest
// which files it would run, exactly as `jest --listTests` would (config, roots, testMatch,
// testRegex, ignore patterns, `projects`, `--selectProjects`, test path patterns). It writes what it
// found, and everything a single-use suite child needs to run one file through Jest's own test worker
// (the resolved configs and each project's module map), to one JSON file. It never runs a test.
//
// Spec in STRESS_RUN_CONTEXT (JSON): { jestPath, projectRoot, args, outputFile }.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { CONTEXT_ENV, type ContextFile, type ContextProject, type ContextSpec, DEBUG_ENV, type TransformEntry, type TransformerShape } from './protocol';
import { cachedShapes } from './shape-cache';
import { takeChildSpec } from './child-spec';

type AnyFn = (...args: never[]) => unknown;
type Loose = Record<string, AnyFn & Record<string, AnyFn>>;

async function discover(spec: ContextSpec): Promise<ContextFile> {
  // Each package is loaded from the one that depends on it, as the project's own Jest would load it.
  const fromJest = createRequire(spec.jestPath);
  const cliPath = fromJest.resolve('jest-cli');
  const fromCli = createRequire(cliPath);
  const corePath = fromCli.resolve('@jest/core');
  const fromCore = createRequire(corePath);
  const cli = fromJest(cliPath) as Loose;
  const core = fromCli(corePath) as Loose;
  const jestConfig = fromCli('jest-config') as Loose;
  const runtimeModule = fromCore('jest-runtime') as { default?: Loose } & Loose;
  const Runtime = (runtimeModule.default ?? runtimeModule) as unknown as Loose;
  const jestVersion = String((core.getVersion as AnyFn)());

  const argv = (await (buildArgvOf(cli, cliPath) as AnyFn)(spec.args as never)) as Record<string, unknown> & { projects?: string[] };
  const projectPaths = argv.projects?.length ? argv.projects : [spec.projectRoot];
  const { globalConfig, configs } = (await (jestConfig.readConfigs as AnyFn)(argv as never, projectPaths as never)) as {
    globalConfig: Record<string, unknown>;
    configs: Array<Record<string, unknown>>;
  };
  const selected = selectProjects(configs, argv.selectProjects as string[] | undefined, argv.ignoreProjects as string[] | undefined);

  const SearchSource = ((core.SearchSource as unknown as { default?: unknown }).default ?? core.SearchSource) as unknown as new (context: unknown) => {
    getTestPaths: (...args: unknown[]) => Promise<{ tests: Array<{ path: string }> }>;
  };
  const major = Number(jestVersion.split('.')[0]);
  const configFiles = projectConfigFiles(argv, globalConfig, projectPaths, configs.length, spec.projectRoot);
  const projects: ContextProject[] = [];
  for (const config of selected) {
    fs.mkdirSync(String(config.cacheDirectory), { recursive: true });
    const hasteMap = (await (Runtime.createHasteMap as AnyFn)(config as never, {
      console: { log() {}, warn() {}, error() {}, info() {} },
      maxWorkers: 1,
      resetCache: !config.cache,
      watch: false,
      watchman: globalConfig.watchman,
    } as never)) as { build: () => Promise<{ hasteFS: unknown; moduleMap: { toJSON: () => unknown } }> } & { build?: unknown };
    const built = await hasteMap.build();
    const context = {
      config,
      hasteFS: built.hasteFS,
      moduleMap: built.moduleMap,
      resolver: (Runtime.createResolver as AnyFn)(config as never, built.moduleMap as never),
    };
    const source = new SearchSource(context);
    // Jest 30 added the project's config as the second argument.
    const found = major >= 30 ? await source.getTestPaths(globalConfig, config, undefined, undefined) : await source.getTestPaths(globalConfig, undefined, undefined);
    const displayName = (config.displayName as { name?: string } | undefined)?.name ?? null;
    const from = globalConfig.collectCoverageFrom as string[] | undefined;
    const hasteFS = built.hasteFS as { matchFilesWithGlob?: (globs: string[], root: string) => Iterable<string> };
    const coverageFrom = globalConfig.collectCoverage && from?.length && hasteFS.matchFilesWithGlob ? [...hasteFS.matchFilesWithGlob(from, String(globalConfig.rootDir))].sort() : undefined;
    projects.push({
      displayName,
      rootDir: String(config.rootDir),
      configFile: configFiles[configs.indexOf(config)] ?? null,
      testPaths: found.tests.map((t) => t.path).sort(),
      workerBlocker: workerBlocker(config, globalConfig, major),
      config,
      moduleMap: built.moduleMap.toJSON(),
      transformers: cachedShapes((config.transform as TransformEntry[] | undefined) ?? [], String(config.cacheDirectory), require, config),
      ...(coverageFrom ? { coverageFrom } : {}),
    });
  }

  let testWorkerPath: string | null = null;
  let testResultPath: string | null = null;
  try {
    // testWorker is not in jest-runner's exports map: find it beside the package's manifest.
    const worker = path.join(path.dirname(fromCore.resolve('jest-runner/package.json')), 'build', 'testWorker.js');
    if (fs.existsSync(worker)) testWorkerPath = worker;
    testResultPath = fromCore.resolve('@jest/test-result');
  } catch {
    // an older Jest lays its files out differently: every file then runs as its own Jest CLI
  }
  return { jestVersion, testWorkerPath, testResultPath, globalConfig: serializableGlobalConfig(globalConfig), projects, configuredProjects: configs.length };
}

const CONFIG_NAMES = ['jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.cjs', 'jest.config.mts', 'jest.config.cts', 'jest.config.json'];
const CONFIG_EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.json'];

/** The config file Jest reads for a project path: the file itself, or the folder's jest.config.* or package.json; null when none is there. */
function configFileOf(entry: string): string | null {
  try {
    if (!fs.statSync(entry).isDirectory()) return entry;
  } catch {
    return null;
  }
  for (const name of [...CONFIG_NAMES, 'package.json']) {
    if (fs.existsSync(path.join(entry, name))) return path.join(entry, name);
  }
  return null;
}

/**
 * Each of Jest's project configs' config file, in the order of `configs` (a project config does not
 * keep its path): the project entries Jest read, filtered as readConfigs filters them. A string entry
 * is a folder or a config file; an inline object lives in the root config. Empty when the entries do
 * not line up with the configs.
 */
function projectConfigFiles(argv: Record<string, unknown>, globalConfig: Record<string, unknown>, projectPaths: string[], count: number, projectRoot: string): Array<string | null> {
  const fromConfig = (globalConfig.projects as Array<string | object> | undefined) ?? [];
  const entries: Array<string | object> = projectPaths.length === 1 && fromConfig.length > 0 ? fromConfig : projectPaths;
  const kept = entries.filter((e) => {
    if (typeof e !== 'string') return true;
    try {
      return fs.statSync(e).isDirectory() || CONFIG_EXTENSIONS.some((ext) => e.endsWith(ext));
    } catch {
      return true;
    }
  });
  if (kept.length !== count) return [];
  const given = typeof argv.config === 'string' && !argv.config.trimStart().startsWith('{') ? path.resolve(argv.config) : null;
  const rootConfig = given ?? configFileOf(projectRoot);
  return kept.map((e) => (typeof e === 'string' ? configFileOf(path.resolve(e)) : rootConfig));
}

/** Jest's own argument parser: exported by jest-cli from Jest 30, inside its build folder before. */
function buildArgvOf(cli: Loose, cliPath: string): AnyFn {
  if (typeof cli.buildArgv === 'function') return cli.buildArgv;
  const root = path.dirname(path.dirname(cliPath));
  for (const file of ['build/run.js', 'build/cli/index.js']) {
    const candidate = path.join(root, file);
    if (!fs.existsSync(candidate)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(candidate) as Loose;
    if (typeof loaded.buildArgv === 'function') return loaded.buildArgv;
  }
  throw new Error(`this Jest (${root}) has no argument parser stress-run knows (buildArgv); Jest 27 to 30 are supported`);
}

/** The projects `--selectProjects` / `--ignoreProjects` leave, by displayName, as Jest picks them. */
function selectProjects<T extends Record<string, unknown>>(configs: T[], select: string[] | undefined, ignore: string[] | undefined): T[] {
  if (!select && !ignore) return configs;
  const name = (c: T): string | undefined => (c.displayName as { name?: string } | undefined)?.name;
  return configs.filter((c) => (select ? select.includes(name(c) ?? '') : true) && !(ignore ?? []).includes(name(c) ?? ''));
}

/** Why a project must run each file through the Jest CLI instead of Jest's test worker, or null. */
function workerBlocker(config: Record<string, unknown>, globalConfig: Record<string, unknown>, major: number): string | null {
  if (major < 28) return `Jest ${major} (the test worker is used from Jest 28 on)`;
  if (config.runner && !/[\\/]jest-runner[\\/]/.test(String(config.runner)) && config.runner !== 'jest-runner') return `a custom runner (${String(config.runner)})`;
  if (globalConfig.globalSetup || globalConfig.globalTeardown || config.globalSetup || config.globalTeardown) return 'globalSetup/globalTeardown';
  return null;
}

// Jest 30 keeps the test path patterns as an object with methods; its workers get the plain data.
function serializableGlobalConfig(globalConfig: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(globalConfig)) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const spec = takeChildSpec<ContextSpec>(CONTEXT_ENV, 'discovery');
  if (spec === null) return;
  try {
    const context = await discover(spec);
    fs.writeFileSync(spec.outputFile, JSON.stringify(context));
    process.exit(0);
  } catch (error) {
    // The first line of the message is what the user needs (a config that throws, a bad flag …).
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    if (process.env[DEBUG_ENV] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(3);
  }
}

if (require.main === module) void main();
