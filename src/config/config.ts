import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode, UsageError } from '../errors';

/** Settings a project can keep in stress-run.config.json or package.json "stressRun". Flags win. */
export interface FileConfig {
  dir?: string;
  pattern?: string;
  jestConfig?: string;
  memoryMb?: number;
  timeS?: number;
  timeoutS?: number;
  maxHeapMb?: number | 'none';
  killAboveMb?: number | 'none';
  runs?: number;
  /** Per-suite budget overrides, by suite name. */
  budgets?: Record<string, { memoryMb?: number; timeS?: number }>;
}

export const CONFIG_FILE = 'stress-run.config.json';

const NUMBER_KEYS = ['memoryMb', 'timeS', 'timeoutS', 'runs'] as const;
const STRING_KEYS = ['dir', 'pattern', 'jestConfig'] as const;
const KNOWN_KEYS = [...NUMBER_KEYS, ...STRING_KEYS, 'maxHeapMb', 'killAboveMb', 'budgets'];

const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed config object; any unknown key or bad value names itself and the file. */
export function validateConfig(raw: unknown, source: string): FileConfig {
  const fail = (what: string): never => {
    throw new UsageError(`${source}: ${what}`);
  };
  if (!isObject(raw)) return fail('the config must be a JSON object.');
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) fail(`unknown key "${key}". Known keys: ${KNOWN_KEYS.join(', ')}.`);
  }
  for (const key of NUMBER_KEYS) {
    if (key in raw && !isPositive(raw[key])) fail(`"${key}" must be a positive number, got ${JSON.stringify(raw[key])}.`);
  }
  if ('runs' in raw && !Number.isInteger(raw.runs)) fail(`"runs" must be a whole number, got ${JSON.stringify(raw.runs)}.`);
  for (const key of STRING_KEYS) {
    if (key in raw && (typeof raw[key] !== 'string' || raw[key] === '')) fail(`"${key}" must be a non-empty string.`);
  }
  if ('maxHeapMb' in raw && raw.maxHeapMb !== 'none' && !(isPositive(raw.maxHeapMb) && Number.isInteger(raw.maxHeapMb))) {
    fail(`"maxHeapMb" must be a positive whole number of MB or "none", got ${JSON.stringify(raw.maxHeapMb)}.`);
  }
  if ('killAboveMb' in raw && raw.killAboveMb !== 'none' && !isPositive(raw.killAboveMb)) {
    fail(`"killAboveMb" must be a positive number of MB or "none", got ${JSON.stringify(raw.killAboveMb)}.`);
  }
  if ('budgets' in raw) {
    if (!isObject(raw.budgets)) fail('"budgets" must be an object of suite name → { memoryMb, timeS }.');
    for (const [name, budget] of Object.entries(raw.budgets as Record<string, unknown>)) {
      if (!isObject(budget)) fail(`"budgets.${name}" must be an object with memoryMb and/or timeS.`);
      for (const key of Object.keys(budget as object)) {
        const value = (budget as Record<string, unknown>)[key];
        if (key !== 'memoryMb' && key !== 'timeS') fail(`unknown key "budgets.${name}.${key}". Known keys: memoryMb, timeS.`);
        if (!isPositive(value)) fail(`"budgets.${name}.${key}" must be a positive number, got ${JSON.stringify(value)}.`);
      }
    }
  }
  return raw as FileConfig;
}

/** Reads the project's config from `cwd`: stress-run.config.json, else package.json "stressRun". */
export function loadConfig(cwd: string, explicitFile: string | null): { config: FileConfig; source: string | null } {
  if (explicitFile !== null) {
    return { config: validateConfig(readJson(path.resolve(cwd, explicitFile), explicitFile), explicitFile), source: explicitFile };
  }
  const own = path.join(cwd, CONFIG_FILE);
  if (fs.existsSync(own)) return { config: validateConfig(readJson(own, CONFIG_FILE), CONFIG_FILE), source: CONFIG_FILE };
  const pkgFile = path.join(cwd, 'package.json');
  if (fs.existsSync(pkgFile)) {
    const pkg = readJson(pkgFile, 'package.json');
    if (isObject(pkg) && 'stressRun' in pkg) {
      return { config: validateConfig(pkg.stressRun, 'package.json "stressRun"'), source: 'package.json' };
    }
  }
  return { config: {}, source: null };
}

function readJson(file: string, shown: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read config ${shown}: ${errorCode(error)}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${shown} is not valid JSON: ${(error as Error).message}.`);
  }
}
