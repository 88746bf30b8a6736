// What a command sees of the process (arguments, environment, streams, signals) and the side
// effects it drives, passed in so the unit tests can stand a fake runner in for Jest.
import type { DiscoverRequest, JestContext } from '../discover/jest-context';
import type { RunPlan } from '../spawn/run-plan';
import type { WarmupRequest } from '../spawn/warmup';
import type { Out } from '../base/out';
import type { SuiteRun } from '../base/types';
import type { PoolOutcome, PoolRequest } from '../schedule/pool';

/** The signals that stop a run. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** The exit code each stop signal gives (128 + its number). */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** The process as main() sees it: arguments, environment, streams and signals. */
export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Out;
  stderr: Out;
  /** Subscribes to SIGINT/SIGTERM/SIGHUP; returns the unsubscribe function. */
  onSignal(handler: (signal: StopSignal) => void): () => void;
}

/** The side effects main() drives, passed in so a fake runner can stand in for Jest. */
export interface Deps {
  version: string;
  runSuite(plan: RunPlan, abort: AbortSignal): Promise<SuiteRun>;
  /** Runs files through a pool of long-lived Jest workers (--isolation pool/auto). */
  runPool(request: PoolRequest, abort: AbortSignal): Promise<PoolOutcome>;
  /** Asks the project's Jest which files it would run (a child process running the project's Jest). */
  discover(request: DiscoverRequest): JestContext;
  /** Runs the selected files once through the project's Jest, results discarded (--warmup). */
  warmup(request: WarmupRequest, abort: AbortSignal): Promise<unknown>;
  now(): number;
}
