import * as path from 'node:path';
import { withoutHeapFlags } from '../base/node-options';
import { childEntry, LAUNCH_ENV, type LaunchSpec, PROBE_DIR_ENV, RUN_MARK_ENV, WORK_DIR_ENV, WORKER_ENV, type WorkerSpec } from '../child/protocol';
import type { JestSetup } from '../discover/resolve-jest';

/**
 * How a suite's file is run. `worker`: a single-use child runs it through the project's own Jest test
 * worker with the configs discovery resolved once. `cli`: the child runs Jest's CLI on the one file
 * (older Jest, custom runners, globalSetup), with the same Jest arguments discovery used.
 */
export type SuiteTarget =
  | {
      kind: 'worker';
      contextFile: string;
      projectIndex: number;
      coverageFile: string | null;
      extraSetupFiles: string[];
      verbose: boolean;
      /** Modules a standby child for this file loads while it waits (see spawn/modules-ahead). */
      ahead?: string[];
      /** A pool worker (--isolation pool): several files in turn, each handed over on stdin. */
      pool?: boolean;
    }
  | {
      kind: 'cli';
      jestArgs: string[];
      project: string | null;
      coverageDir?: string | null;
      extraSetupFiles?: string[];
      /** The project's code cache folder (child/code-cache); absent when the project keeps no cache. */
      codeCacheDir?: string;
    };

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
  /** The test file; null for a standby worker child, which reads it from stdin when handed a suite. */
  file: string | null;
  jest: JestSetup;
  outputFile: string;
  heapCapMb: number | null;
  probeDir: string | null;
  nodePath: string;
  inheritedNodeOptions: string | undefined;
  /** This run's id: every process of the suite carries it in its environment (see child/protocol's runMark). */
  runId: string;
  /** The run's temp folder, which the child removes if stress-run dies (see parent-watch). */
  workDir: string | null;
  target: SuiteTarget;
  /** More Node options for every process of the suite (such as a heap snapshot near the limit). */
  extraNodeOptions?: string[];
  /** Variables the suite's processes get besides stress-run's own (which win on a clash). */
  extraEnv?: Record<string, string>;
}): JestCommand {
  // The cap and the probe go through NODE_OPTIONS, not node flags: Jest and anything the suite
  // spawns inherit them, and no process.execArgv the suite may inspect is changed. With no cap asked
  // for, the NODE_OPTIONS stress-run was given (a heap size among them) reach the suite as they would reach plain Jest.
  const nodeOptions = [input.heapCapMb !== null ? withoutHeapFlags(input.inheritedNodeOptions) : (input.inheritedNodeOptions ?? '')];
  if (input.heapCapMb !== null) nodeOptions.push(`--max-old-space-size=${input.heapCapMb}`);
  if (input.probeDir !== null) nodeOptions.push(`--require ${quoteNodeOption(childEntry('probe'))}`);
  for (const option of input.extraNodeOptions ?? []) nodeOptions.push(quoteNodeOption(option));

  const env: Record<string, string> = { ...input.extraEnv, NODE_OPTIONS: nodeOptions.filter(Boolean).join(' ') };
  if (input.probeDir !== null) env[PROBE_DIR_ENV] = input.probeDir;
  env[RUN_MARK_ENV] = input.runId;
  // The run's own folder (the discovery context) goes too: nobody else is left to remove it.
  const workDirs = [input.workDir, input.target.kind === 'worker' ? path.dirname(input.target.contextFile) : null].filter((d): d is string => d !== null);
  if (workDirs.length) env[WORK_DIR_ENV] = workDirs.join(path.delimiter);
  const { target } = input;
  if (target.kind === 'worker') {
    const spec: WorkerSpec = {
      contextFile: target.contextFile,
      projectIndex: target.projectIndex,
      testPath: input.file ?? '',
      outputFile: input.outputFile,
      coverageFile: target.coverageFile,
      extraSetupFiles: target.extraSetupFiles,
      verbose: target.verbose,
      // Every child loads these before its file, standby or not: the same modules in the same order, so a
      // suite's memory does not depend on whether it ran in a standby child (loaded in the middle of the
      // file instead, the same modules left babel-jest's suites ~2 MB lower).
      ahead: target.ahead ?? [],
      ...(target.pool ? { pool: true } : {}),
    };
    env[WORKER_ENV] = JSON.stringify(spec);
    return { argv: [input.nodePath, childEntry('worker')], cwd: input.jest.projectRoot, env };
  }
  if (input.file === null) throw new Error('a standby child needs the worker target');
  // No --ci: Jest decides that from the environment, as a plain `npx jest` would (snapshots!).
  const args = ['--runInBand', '--json', '--outputFile', input.outputFile, ...target.jestArgs];
  // Coverage: Jest's own map of this one file into a temp folder (stress-run merges them once at the
  // end), never the project's folder, and no per-file threshold check.
  if (target.coverageDir) args.push('--coverageReporters', 'json', '--coverageDirectory', target.coverageDir, '--coverageThreshold', '{}');
  if (target.project !== null) args.push('--selectProjects', target.project);
  args.push('--runTestsByPath', input.file);
  const launch: LaunchSpec = { jestPath: input.jest.jestPath, args, projectRoot: input.jest.projectRoot };
  if (target.extraSetupFiles?.length) launch.extraSetupFiles = target.extraSetupFiles;
  if (target.codeCacheDir) launch.codeCacheDir = target.codeCacheDir;
  env[LAUNCH_ENV] = JSON.stringify(launch);
  return { argv: [input.nodePath, childEntry('launcher')], cwd: input.jest.projectRoot, env };
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
