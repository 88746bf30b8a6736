// stress-run's entry for the bin script: wires the real process and the real runner into main().
import { main } from './cli/main';
import { discoverWithJest } from './discover/jest-context';
import { runPool } from './schedule/pool';
import { runSuite } from './spawn/run-suite';
import { warmup } from './spawn/warmup';

/** Runs the CLI against the real process; resolves to the exit code. */
export function run(): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('../package.json') as { version: string };
  // A reader that went away (`| head`, `| tee` stopped by the same Ctrl-C: EPIPE) or a terminal that
  // closed (EIO) is not a crash: what cannot be shown is dropped, and the run ends with its own exit code.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  return main(
    {
      argv: process.argv.slice(2),
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      onSignal(handler) {
        // The suites run in sessions of their own, so a closed terminal (SIGHUP) reaches only us.
        const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
        const listeners = signals.map((signal) => [signal, (): void => handler(signal)] as const);
        for (const [signal, listener] of listeners) process.on(signal, listener);
        return () => {
          for (const [signal, listener] of listeners) process.off(signal, listener);
        };
      },
    },
    { version, runSuite, runPool, discover: discoverWithJest, warmup, now: () => Date.now() },
  );
}
