// The child entry point: starts Jest through its programmatic API so that the suite's own
// process.argv stays [node, launcher] and carries none of stress-run's Jest arguments.
// What to run comes in one environment variable, removed before any test code runs.
import * as path from 'node:path';
import { takeChildSpec } from './child-spec';
import { installCodeCache } from './code-cache';
import { watchParent } from './parent-watch';
import { LAUNCH_ENV, type LaunchSpec } from './protocol';

/**
 * Jest's CLI says where it wrote its --json output; that file is stress-run's own, in its temp folder,
 * and means nothing to the person reading a --verbose run. That one line is held back.
 */
function hideOutputFileLine(spec: LaunchSpec): void {
  const at = spec.args.indexOf('--outputFile');
  if (at < 0 || at + 1 >= spec.args.length) return;
  const line = `Test results written to: ${path.relative(process.cwd(), spec.args[at + 1])}\n`;
  const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => (chunk === line ? true : write(chunk, ...rest))) as typeof process.stderr.write;
}

function launch(): void {
  // First thing: if stress-run dies, this child takes the whole suite down with it.
  watchParent();
  // `@file`: the spec is in that file (a warm-up's list of files may be too long for one variable).
  const spec = takeChildSpec<LaunchSpec>(LAUNCH_ENV, 'launcher');
  if (spec === null) return;
  hideOutputFileLine(spec);
  if (spec.codeCacheDir) installCodeCache(spec.codeCacheDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jest = require(spec.jestPath) as { run: (argv: string[], project?: string) => Promise<void> };
  withSetupFiles(spec)
    .then((args) => jest.run(args, spec.projectRoot))
    .catch((error: unknown) => {
      // jest.run prints its own errors and sets the exit code; only a config that cannot be read lands here first.
      if (error instanceof Error && !process.exitCode) {
        process.stderr.write(`stress-run launcher: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
}

/**
 * Jest's CLI would replace the config's setupFilesAfterEnv with a --setupFilesAfterEnv list, so the
 * extra files are appended to the config itself: read as Jest reads it (any format, rootDir set),
 * extended, and handed to Jest as a JSON --config. Arguments are unchanged without extra files.
 */
async function withSetupFiles(spec: LaunchSpec): Promise<string[]> {
  if (!spec.extraSetupFiles?.length) return spec.args;
  const at = spec.args.indexOf('--config');
  const configPath = at >= 0 ? spec.args[at + 1] : undefined;
  const { config } = await readInitialOptions(path.dirname(spec.jestPath), configPath, spec.projectRoot);
  const extended = { rootDir: spec.projectRoot, ...config, setupFilesAfterEnv: [...(config.setupFilesAfterEnv ?? []), ...spec.extraSetupFiles] };
  const rest = at >= 0 ? [...spec.args.slice(0, at), ...spec.args.slice(at + 2)] : spec.args;
  return ['--config', JSON.stringify(extended), ...rest];
}

type RawConfig = { setupFilesAfterEnv?: string[]; rootDir?: string };

/**
 * jest-config's `readInitialOptions` (Jest 29 and later): the config file as Jest finds and reads
 * it, before normalising. Jest 26–28 have no such export; there the same two steps it is made of
 * (find the config file, read it with rootDir set) are taken from jest-config's own build files.
 */
async function readInitialOptions(jestDir: string, configPath: string | undefined, projectRoot: string): Promise<{ config: RawConfig }> {
  const paths = [jestDir, __dirname];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jestConfig = require(require.resolve('jest-config', { paths })) as {
    readInitialOptions?(file?: string, options?: { packageRootOrConfig?: string }): Promise<{ config: RawConfig }>;
  };
  if (jestConfig.readInitialOptions) return jestConfig.readInitialOptions(configPath, { packageRootOrConfig: projectRoot });
  const build = path.dirname(require.resolve('jest-config', { paths }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resolveConfigPath = (require(path.join(build, 'resolveConfigPath.js')) as { default: (p: string, cwd: string) => string }).default;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const readFile = (require(path.join(build, 'readConfigFileAndSetRootDir.js')) as { default: (p: string) => Promise<RawConfig> | RawConfig }).default;
  if (configPath?.trim().startsWith('{')) return { config: JSON.parse(configPath) as RawConfig };
  let file: string;
  try {
    file = resolveConfigPath(configPath ?? projectRoot, process.cwd());
  } catch {
    // No config file at all: Jest 26 runs on its defaults, with the project as rootDir.
    return { config: { rootDir: projectRoot } };
  }
  return { config: await readFile(file) };
}

if (require.main === module) launch();
