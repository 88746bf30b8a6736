// Budgets in a test file's docblock, read with Jest's own docblock parser, as Jest reads @jest-environment:
//   /**
//    * @stress-memory 200   peak RSS budget, MB
//    * @stress-time 10      wall-time budget, s
//    * @stress-leak 0.5     MB per test a probable leak may retain (with --per-test)
//    */
import * as fs from 'node:fs';
import { extract, parse } from 'jest-docblock';
import { errorCode, UsageError } from '../base/errors';
import { cut, LIMITS, readPositive } from './config';

/** A budget from a docblock, with the line it is on (1-based) so that messages can point at it. */
export interface DocblockValue {
  value: number;
  line: number;
}

/** The budgets one test file's docblock sets. */
export type DocblockBudgets = Partial<Record<'memoryMb' | 'timeS' | 'leakMb', DocblockValue>>;

// Each with the same limit as its flag and config key.
const PRAGMAS = { 'stress-memory': ['memoryMb', 'MB', LIMITS.mb], 'stress-time': ['timeS', 'seconds', LIMITS.seconds], 'stress-leak': ['leakMb', 'MB per test', LIMITS.mb] } as const;

/** Reads the budget pragmas of a test file's source; a bad value is a one-line error naming the file and line. */
export function docblockBudgets(source: string, shownFile: string): DocblockBudgets {
  const docblock = extract(source);
  if (!docblock) return {};
  const pragmas = parse(docblock);
  const budgets: DocblockBudgets = {};
  for (const [pragma, [key, unit, max]] of Object.entries(PRAGMAS)) {
    const raw = pragmas[pragma];
    if (raw === undefined) continue;
    const line = lineOf(source, `@${pragma}`);
    const text = Array.isArray(raw) ? raw.join(' ') : raw;
    // The rule of the command line and the config file: a plain decimal up to the same limit.
    const read = Array.isArray(raw) ? ({ error: 'not-positive' } as const) : readPositive(text, max);
    if ('error' in read) {
      const rule = read.error === 'too-large' ? `must be at most ${max} ${unit}` : `must be a positive number of ${unit}`;
      throw new UsageError(`${shownFile}:${line}: @${pragma} ${rule}, got '${cut(text)}'.`);
    }
    budgets[key] = { value: read.value, line };
  }
  return budgets;
}

/** Reads a test file and its docblock budgets. */
export function readDocblockBudgets(file: string, shownFile: string): DocblockBudgets {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${shownFile}: ${errorCode(error)}.`);
  }
  return docblockBudgets(source, shownFile);
}

// The parser gives values, not positions: the line is where the pragma's name first appears.
function lineOf(source: string, word: string): number {
  const at = source.indexOf(word);
  return at < 0 ? 1 : source.slice(0, at).split('\n').length;
}
