import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { UsageError } from '../base/errors';
import type { JestSetup } from './resolve-jest';
import { childEntry, CONTEXT_ENV, type ContextFile, type ContextSpec, DEBUG_ENV, helperChildEnv } from '../child/protocol';

const DISCOVERY_TIMEOUT_MS = 300_000;

/** What the project's Jest found, and the file the suite children read it from. */
export interface JestContext {
  file: string;
  context: ContextFile;
}

/** What discovery needs: where Jest is, the Jest arguments, and a folder of this run's own for the context file. */
export interface DiscoverRequest {
  jest: JestSetup;
  jestArgs: string[];
  workDir: string;
  env: NodeJS.ProcessEnv;
  debug: boolean;
}

/**
 * Asks the project's own Jest which files it would run, in a child process in the project's folder
 * (a Jest config is code: it may throw, hang, or need the caller's NODE_OPTIONS, and it must not
 * run inside stress-run). A failure is the user's to fix: one line with Jest's own message.
 */
export function discoverWithJest(request: DiscoverRequest): JestContext {
  const file = path.join(request.workDir, 'jest-context.json');
  const spec: ContextSpec = { jestPath: request.jest.jestPath, projectRoot: request.jest.projectRoot, args: request.jestArgs, outputFile: file };
  const env = helperChildEnv(request.env, CONTEXT_ENV, JSON.stringify(spec));
  if (request.debug) env[DEBUG_ENV] = '1';
  const child = spawnSync(process.execPath, [childEntry('context')], {
    cwd: request.jest.projectRoot,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: DISCOVERY_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error || child.status !== 0) {
    const said = (child.stderr ?? '').trim();
    const why = child.error ? child.error.message : (jestReason(said) ?? `exit code ${child.status}`);
    if (request.debug && said) process.stderr.write(`${said}\n`);
    throw new UsageError(`Jest could not list the project's tests (${request.jest.configPath ?? request.jest.projectRoot}): ${why.trim()}`);
  }
  return { file, context: JSON.parse(fs.readFileSync(file, 'utf8')) as ContextFile };
}

/**
 * Jest's reason in one line, from what it wrote on stderr: its first line, or, when that is a
 * heading (`● Validation Error:`), the heading and the sentence under it (`Module … in the
 * setupFiles option was not found.`), which is the part that says what to fix. Colours dropped.
 */
export function jestReason(stderr: string): string | null {
  const lines = stripVTControlCharacters(stderr).split('\n').map((line) => line.trim());
  const first = lines.findIndex((line) => line !== '');
  if (first < 0) return null;
  const heading = lines[first];
  if (!heading.endsWith(':')) return heading;
  const under = lines.slice(first + 1).find((line) => line !== '');
  return under === undefined ? heading : `${heading} ${under}`;
}
