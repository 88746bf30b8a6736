// stress-run's entry for the bin script: wires the real process and the real runner into main().
import { main } from './cli/main';
import { runSuite } from './run/run-suite';

/** Runs the CLI against the real process; resolves to the exit code. */
export function run(): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('../package.json') as { version: string };
  return main(
    {
      argv: process.argv.slice(2),
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      onSignal(handler) {
        const onInt = (): void => handler('SIGINT');
        const onTerm = (): void => handler('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
        return () => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
        };
      },
    },
    { version, runSuite, now: () => Date.now() },
  );
}
