// The child entry point: starts Jest through its programmatic API so that the suite's own
// process.argv stays [node, launcher] and carries none of stress-run's Jest arguments.
// What to run comes in one environment variable, removed before any test code runs.
import { watchParent } from './parent-watch';

export const LAUNCH_ENV = 'STRESS_RUN_LAUNCH';

/** What the launcher needs: Jest's package path, the Jest CLI arguments, the project root. */
export interface LaunchSpec {
  jestPath: string;
  args: string[];
  projectRoot: string;
}

function launch(): void {
  // First thing: if stress-run dies, this child takes the whole suite down with it.
  watchParent();
  const raw = process.env[LAUNCH_ENV];
  delete process.env[LAUNCH_ENV];
  if (!raw) {
    process.stderr.write(`stress-run launcher: ${LAUNCH_ENV} is not set\n`);
    process.exitCode = 2;
    return;
  }
  const spec = JSON.parse(raw) as LaunchSpec;
  // As Jest's own bin does: suites see the same NODE_ENV as under a plain `npx jest`.
  if (process.env.NODE_ENV == null) process.env.NODE_ENV = 'test';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jest = require(spec.jestPath) as { run: (argv: string[], project?: string) => Promise<void> };
  jest.run(spec.args, spec.projectRoot).catch(() => {
    // jest.run already printed the error and set the exit code
  });
}

if (require.main === module) launch();
