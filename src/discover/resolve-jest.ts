import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../base/errors';

const JEST_CONFIG_NAMES = ['jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.cjs', 'jest.config.json'];

/** Where and how to start Jest for a folder of suites. */
export interface JestSetup {
  /** The folder Jest runs in: the nearest folder above the suites with a Jest config or package.json. */
  projectRoot: string;
  /** The Jest config file to pass with --config, or null to let Jest read package.json / its defaults. */
  configPath: string | null;
  /** Jest's package entry (exports `run`): the project's own Jest, else the one installed beside stress-run. */
  jestPath: string;
  /** True when the project has no Jest of its own and the one beside stress-run is used. */
  bundledJest: boolean;
}

/** A Jest config given among the pass-through arguments (`-- --config x.js`, `-c x.js`). */
function configInArgs(args: string[]): boolean {
  return args.some((a) => /^(--config|-c)(=|$)/.test(a));
}

/** The Jest installed beside stress-run (Jest is its peer dependency: npm installs it with stress-run, or the project has it), or null. */
function besideStressRun(): string | null {
  return tryResolve('jest', __dirname);
}

/**
 * Finds the project root, Jest config and Jest package for the suites in `dir`: the project's own
 * Jest, else the one `fallback` finds beside stress-run; with neither, a one-line UsageError.
 */
export function resolveJest(dir: string, explicitConfig: string | null, cwd: string, jestArgs: string[] = [], fallback: () => string | null = besideStressRun): JestSetup {
  let configPath: string | null = null;
  if (explicitConfig !== null) {
    configPath = path.resolve(cwd, explicitConfig);
    if (!fs.existsSync(configPath)) {
      throw new UsageError(`Jest config not found: ${explicitConfig}. Pass an existing file to --jest-config.`);
    }
    if (fs.statSync(configPath).isDirectory()) {
      throw new UsageError(`--jest-config must be a Jest config file, but ${explicitConfig} is a folder.`);
    }
  }
  let projectRoot: string | null = null;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const found = JEST_CONFIG_NAMES.find((name) => fs.existsSync(path.join(at, name)));
    if (found || fs.existsSync(path.join(at, 'package.json'))) {
      projectRoot = at;
      if (configPath === null && found && !configInArgs(jestArgs)) configPath = path.join(at, found);
      break;
    }
    if (path.dirname(at) === at) break;
  }
  projectRoot ??= path.resolve(dir);

  const own = tryResolve('jest', projectRoot);
  const jestPath = own ?? fallback();
  if (jestPath === null) {
    throw new UsageError(`No Jest found for ${projectRoot}: stress-run runs the project's own Jest. Install it there: npm i -D jest`);
  }
  return { projectRoot, configPath, jestPath, bundledJest: own === null };
}

function tryResolve(id: string, from: string): string | null {
  try {
    return require.resolve(id, { paths: [from] });
  } catch {
    return null;
  }
}
