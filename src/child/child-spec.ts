// What every stress-run child (discovery, suite worker, Jest launcher, untested-files) does first:
// take its instructions out of one environment variable, so no test code ever sees them, and set
// NODE_ENV as Jest's own bin does.
import * as fs from 'node:fs';

/** The child's spec from `name` (JSON, or `@file` holding the JSON), removed from the environment; null (exit code 2, one line) when it is missing. */
export function takeChildSpec<T>(name: string, label: string): T | null {
  const raw = process.env[name];
  delete process.env[name];
  if (!raw) {
    process.stderr.write(`stress-run ${label}: ${name} is not set\n`);
    process.exitCode = 2;
    return null;
  }
  // As Jest's own bin does: suites see the same NODE_ENV as under a plain `npx jest`.
  if (process.env.NODE_ENV == null) process.env.NODE_ENV = 'test';
  return JSON.parse(raw.startsWith('@') ? fs.readFileSync(raw.slice(1), 'utf8') : raw) as T;
}
