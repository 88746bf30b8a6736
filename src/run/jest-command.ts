import * as path from 'node:path';
import { LAUNCH_ENV } from './launcher';
import { WORK_DIR_ENV } from './parent-watch';
import { RUN_MARK_ENV } from './run-mark';
import type { JestSetup } from './resolve-jest';

/** The launcher and probe scripts, beside this file once built. */
export const LAUNCHER_PATH = path.join(__dirname, 'launcher.js');
export const PROBE_PATH = path.join(__dirname, 'probe.js');

/** The exact child process for one suite: argv, working folder and environment additions. */
export interface JestCommand {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Quotes one NODE_OPTIONS argument when it holds spaces or quotes (Node's own rule). */
function quoteNodeOption(value: string): string {
  return /[\s"\\]/.test(value) ? `"${value.replace(/(["\\])/g, '\\$1')}"` : value;
}

/**
 * Builds the child that runs one test file in band: node running the launcher, which starts Jest's
 * API with these arguments. The probe is left out when `probeDir` is null.
 */
export function jestCommand(input: {
  file: string;
  jest: JestSetup;
  outputFile: string;
  heapCapMb: number | null;
  probeDir: string | null;
  nodePath: string;
  inheritedNodeOptions: string | undefined;
  /** This run's id: every process of the suite carries it in its environment (see run-mark). */
  runId: string;
  /** The run's temp folder, which the child removes if stress-run dies (see parent-watch). */
  workDir: string | null;
}): JestCommand {
  // No --ci: Jest decides that from the environment, as a plain `npx jest` would (snapshots!).
  const args = ['--runInBand', '--json', '--outputFile', input.outputFile];
  if (input.jest.configPath !== null) args.push('--config', input.jest.configPath);
  args.push('--runTestsByPath', input.file);

  // The cap and the probe go through NODE_OPTIONS, not node flags: Jest and anything the suite
  // spawns inherit them, and no process.execArgv the suite may inspect is changed.
  // An inherited heap flag would override `--max-heap none` or sit beside ours: the cap shown is the cap in force.
  const inherited = (input.inheritedNodeOptions ?? '').split(/\s+/).filter((o) => o && !/^--max[-_]old[-_]space[-_]size(=|$)/.test(o));
  const nodeOptions = [inherited.join(' ')];
  if (input.heapCapMb !== null) nodeOptions.push(`--max-old-space-size=${input.heapCapMb}`);
  if (input.probeDir !== null) nodeOptions.push(`--require ${quoteNodeOption(PROBE_PATH)}`);

  const env: Record<string, string> = { NODE_OPTIONS: nodeOptions.filter(Boolean).join(' ') };
  if (input.probeDir !== null) env.STRESS_RUN_PROBE_DIR = input.probeDir;
  env[RUN_MARK_ENV] = input.runId;
  if (input.workDir !== null) env[WORK_DIR_ENV] = input.workDir;
  env[LAUNCH_ENV] = JSON.stringify({ jestPath: input.jest.jestPath, args, projectRoot: input.jest.projectRoot });
  return { argv: [input.nodePath, LAUNCHER_PATH], cwd: input.jest.projectRoot, env };
}

/** Quotes a word for a POSIX shell, only when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The child's exact command line as a shell line a person can paste: cd, environment, argv. */
export function shellLine(cwd: string, env: Record<string, string>, argv: string[]): string {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return ['cd', shellQuote(cwd), '&&', ...assignments, ...argv.map(shellQuote)].join(' ');
}
