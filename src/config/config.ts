import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode, UsageError } from '../base/errors';

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
  /** With --per-test: MB per test a probable leak may retain. */
  leakMb?: number;
  /** Arguments passed to Jest as they are, like everything after `--` on the command line. */
  jestArgs?: string[];
  /** Per-suite budget overrides, by suite name. */
  budgets?: Record<string, { memoryMb?: number; timeS?: number; leakMb?: number }>;
}

export const CONFIG_FILE = 'stress-run.config.json';

/** The largest values stress-run accepts, from flags or the config: beyond them a number is a mistake. */
export const LIMITS = { mb: 1_048_576, seconds: 100_000_000, runs: 1000, shards: 1000, percent: 1_000_000, patternChars: 64 * 1024 } as const;
/** A config file larger than this is not a config file. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_ECHO_CHARS = 60;

/** The largest value each numeric key may hold. */
const NUMBER_LIMITS: Record<string, number> = { memoryMb: LIMITS.mb, timeS: LIMITS.seconds, timeoutS: LIMITS.seconds, runs: LIMITS.runs, maxHeapMb: LIMITS.mb, killAboveMb: LIMITS.mb, leakMb: LIMITS.mb };

/**
 * The one rule for a number written as text (a flag's value, a docblock pragma): a plain decimal
 * (no hex, binary or exponent forms), above 0, whole where asked, and at most `max`. The config
 * file's JSON numbers are held to the same limits (NUMBER_LIMITS).
 */
export function readPositive(text: string, max: number, whole = false): { value: number } | { error: 'not-positive' | 'too-large' } {
  const value = Number(text);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || !Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) return { error: 'not-positive' };
  if (value > max) return { error: 'too-large' };
  return { value };
}

/** Text as an error message shows it: cut short when long. */
export function cut(text: string): string {
  return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}… (${text.length} characters)` : text;
}

/** A config value as an error message shows it: JSON, cut short when long. */
export function echo(value: unknown): string {
  return cut(JSON.stringify(value) ?? String(value));
}

const NUMBER_KEYS = ['memoryMb', 'timeS', 'timeoutS', 'runs', 'leakMb'] as const;
const SUITE_BUDGET_KEYS = ['memoryMb', 'timeS', 'leakMb'];
const STRING_KEYS = ['dir', 'pattern', 'jestConfig'] as const;
const KNOWN_KEYS = [...NUMBER_KEYS, ...STRING_KEYS, 'maxHeapMb', 'killAboveMb', 'jestArgs', 'budgets'];

const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed config object; any unknown key or bad value names itself and the file. */
export function validateConfig(raw: unknown, source: string): FileConfig {
  const fail = (what: string): never => {
    throw new UsageError(`${source}: ${what}`);
  };
  if (!isObject(raw)) return fail('the config must be a JSON object.');
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) fail(`unknown key "${cut(key)}". Known keys: ${KNOWN_KEYS.join(', ')}.`);
  }
  // A number past its limit is a typo (1e21 MB), not a wish.
  const overLimit = (key: string, at: string, value: unknown): void => {
    if (isPositive(value) && value > NUMBER_LIMITS[key]) fail(`"${at}" must be at most ${NUMBER_LIMITS[key]}, got ${echo(value)}.`);
  };
  for (const key of NUMBER_KEYS) {
    if (key in raw && !isPositive(raw[key])) fail(`"${key}" must be a positive number, got ${echo(raw[key])}.`);
    overLimit(key, key, raw[key]);
  }
  if ('runs' in raw && !Number.isInteger(raw.runs)) fail(`"runs" must be a whole number, got ${echo(raw.runs)}.`);
  for (const key of STRING_KEYS) {
    if (key in raw && (typeof raw[key] !== 'string' || raw[key] === '')) fail(`"${key}" must be a non-empty string.`);
  }
  if (typeof raw.pattern === 'string' && raw.pattern.length > LIMITS.patternChars) fail(`"pattern" is ${raw.pattern.length} characters; a pattern may hold at most ${LIMITS.patternChars}.`);
  if ('maxHeapMb' in raw && raw.maxHeapMb !== 'none' && !(isPositive(raw.maxHeapMb) && Number.isInteger(raw.maxHeapMb))) {
    fail(`"maxHeapMb" must be a positive whole number of MB or "none", got ${echo(raw.maxHeapMb)}.`);
  }
  if ('jestArgs' in raw && !(Array.isArray(raw.jestArgs) && raw.jestArgs.every((a) => typeof a === 'string'))) {
    fail(`"jestArgs" must be an array of strings, such as ["--ci", "--selectProjects", "web"].`);
  }
  if ('killAboveMb' in raw && raw.killAboveMb !== 'none' && !isPositive(raw.killAboveMb)) {
    fail(`"killAboveMb" must be a positive number of MB or "none", got ${echo(raw.killAboveMb)}.`);
  }
  overLimit('maxHeapMb', 'maxHeapMb', raw.maxHeapMb);
  overLimit('killAboveMb', 'killAboveMb', raw.killAboveMb);
  if ('budgets' in raw) {
    if (!isObject(raw.budgets)) fail('"budgets" must be an object of suite name → { memoryMb, timeS, leakMb }.');
    for (const [name, budget] of Object.entries(raw.budgets as Record<string, unknown>)) {
      if (!isObject(budget)) fail(`"budgets.${cut(name)}" must be an object with memoryMb, timeS and/or leakMb.`);
      for (const key of Object.keys(budget as object)) {
        const value = (budget as Record<string, unknown>)[key];
        if (!SUITE_BUDGET_KEYS.includes(key)) fail(`unknown key "budgets.${cut(name)}.${cut(key)}". Known keys: ${SUITE_BUDGET_KEYS.join(', ')}.`);
        if (!isPositive(value)) fail(`"budgets.${cut(name)}.${key}" must be a positive number, got ${echo(value)}.`);
        overLimit(key, `budgets.${cut(name)}.${key}`, value);
      }
    }
  }
  return raw as FileConfig;
}

/** Where the project's config lives: the --config file, else stress-run.config.json, else package.json "stressRun"; a new stress-run.config.json where there is none. */
export interface ConfigLocation {
  /** The absolute path of the file to read and write. */
  file: string;
  /** The name errors and messages show. */
  shown: string;
  /** True when the config is package.json's "stressRun" key. */
  inPackage: boolean;
  exists: boolean;
}

/** Finds the project's config as loadConfig reads it (and where `stress-run budgets` writes one when none exists). */
export function configLocation(cwd: string, explicitFile: string | null): ConfigLocation {
  if (explicitFile !== null) {
    const file = path.resolve(cwd, explicitFile);
    return { file, shown: explicitFile, inPackage: false, exists: fs.existsSync(file) };
  }
  const own = path.join(cwd, CONFIG_FILE);
  if (fs.existsSync(own)) return { file: own, shown: CONFIG_FILE, inPackage: false, exists: true };
  const pkgFile = path.join(cwd, 'package.json');
  if (fs.existsSync(pkgFile)) {
    const pkg = readJson(pkgFile, 'package.json');
    if (isObject(pkg) && 'stressRun' in pkg) return { file: pkgFile, shown: 'package.json "stressRun"', inPackage: true, exists: true };
  }
  return { file: own, shown: CONFIG_FILE, inPackage: false, exists: false };
}

/**
 * Reads the project's config from `cwd`: stress-run.config.json, else package.json "stressRun".
 * `missingOk`: a --config file that does not exist yet reads as empty (`stress-run budgets` creates it).
 */
export function loadConfig(cwd: string, explicitFile: string | null, missingOk = false): { config: FileConfig; source: string | null } {
  const at = configLocation(cwd, explicitFile);
  if (!at.exists && (explicitFile === null || missingOk)) return { config: {}, source: null };
  const raw = readJson(at.file, at.inPackage ? 'package.json' : at.shown);
  const config = at.inPackage && isObject(raw) ? raw.stressRun : raw;
  return { config: validateConfig(config, at.shown), source: at.inPackage ? 'package.json' : at.shown };
}

/** The file as JSON, read with the same checks as the config (size, JSON), for a command that rewrites it. */
export function readConfigJson(file: string, shown: string): unknown {
  return readJson(file, shown);
}

function readJson(file: string, shown: string): unknown {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_CONFIG_BYTES) throw new UsageError(`${shown} is ${(size / MAX_CONFIG_BYTES).toFixed(1)} MB; a config file is a few lines of JSON (at most 1 MB).`);
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot read config ${shown}: ${errorCode(error)}.`);
  }
  try {
    // An editor's UTF-8 byte order mark is not part of the JSON.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${shown} is not valid JSON: ${cut((error as Error).message)}.`);
  }
}
