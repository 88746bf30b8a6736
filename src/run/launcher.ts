// The child entry point: starts Jest through its programmatic API so that the suite's own
// process.argv stays [node, launcher] and carries none of stress-run's Jest arguments.
// What to run comes in one environment variable, removed before any test code runs.
import * as path from 'node:path';
import { takeChildSpec } from './child-spec';

export const LAUNCH_ENV = 'STRESS_RUN_LAUNCH';

/** What the launcher needs: Jest's package path, the Jest CLI arguments, the project root. */
export interface LaunchSpec {
  jestPath: string;
  args: string[];
  projectRoot: string;
}

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
  // `@file`: the spec is in that file (a warm-up's list of files may be too long for one variable).
  const spec = takeChildSpec<LaunchSpec>(LAUNCH_ENV, 'launcher');
  if (spec === null) return;
  hideOutputFileLine(spec);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jest = require(spec.jestPath) as { run: (argv: string[], project?: string) => Promise<void> };
  jest.run(spec.args, spec.projectRoot).catch(() => {
    // jest.run already printed the error and set the exit code
  });
}

if (require.main === module) launch();
