// Shared helpers for the end-to-end tests: run the built CLI as a real child process, read its
// report, and make sure nothing it started is still alive afterwards.
//
// Every CLI run gets a marker variable in its environment. Children inherit it (Jest, the suite's
// own children, even a grandchild in a session of its own), so /proc/<pid>/environ tells which
// processes came from this test file's runs, and other people's stress-run processes on the same
// machine never make these tests fail.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunReport } from '../../src/base/types';
import { CHILD_ENTRY } from '../../src/child/protocol';
import { validateReport } from '../support/validate-report';

export const REPO = path.resolve(__dirname, '..', '..');
export const BIN = path.join(REPO, 'bin', 'stress-run.js');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'suites');
/** The fixture folder as the CLI sees it from the repo root. */
export const FIXTURES_ARG = 'test/fixtures/suites';
export const ODD_NAME = "odd name $(touch pwned) & 'q'; `x`";

export const MiB = 1024 * 1024;
// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;

const MARK_VAR = 'STRESS_RUN_E2E_MARK';
const MARK = `${process.pid}-${randomBytes(6).toString('hex')}`;
/** What a process left behind by stress-run usually looks like; listed in failures to help reading them. */
const KNOWN_LEFTOVER = [`dist/${CHILD_ENTRY.launcher}`, `dist/${CHILD_ENTRY.worker}`, 'stress-run-fixture'];
/** The suite's own Node process: the single-use worker child, or the launcher of Jest's CLI. */
export const SUITE_CHILD = new RegExp(`dist/(${[CHILD_ENTRY.worker, CHILD_ENTRY.launcher].map((entry) => entry.replace(/\./g, '\\.')).join('|')})`);
/** How long a process may take to disappear after stress-run sent it SIGKILL and exited. */
const LEFTOVER_GRACE_MS = 2000;
const RUN_LIMIT_MS = 100_000;

export interface LiveProcess {
  pid: number;
  command: string;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The report: from the --json file the helper added, or from stdout after a bare --json. */
  report: RunReport | null;
  /** Processes started by this run still alive after it ended (killed by the helper once seen). */
  leftovers: LiveProcess[];
  wallMs: number;
}

export interface RunOptions {
  /** Extra environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Append `--json <temp file>` and read the report from that file. */
  jsonFile?: boolean;
  /** The safety net's limit for runs of many suites or many runs (default 100 s). */
  limitMs?: number;
}

if (!fs.existsSync(path.join(REPO, 'dist', 'index.js'))) {
  throw new Error('The end-to-end tests run the built CLI: run `npm run build` first.');
}

/** The environment for a CLI run: the caller's, without colour and CI switches, plus the run marker. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'CI', 'NODE_OPTIONS', 'JEST_WORKER_ID', 'GITHUB_STEP_SUMMARY']) delete env[name];
  env[MARK_VAR] = MARK;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A fresh temporary folder outside the repo, removed by the caller (see removeDir). */
export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `stress-run-e2e-${label}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A running CLI, for tests that need to act while it runs (signals). */
export interface RunningCli {
  child: ChildProcess;
  /** The --json file the helper added, if any. */
  jsonPath: string | null;
  done: Promise<CliResult>;
}

/** Starts `node bin/stress-run.js …args` (argv array, no shell) from the repo root. */
export function startCli(args: string[], options: RunOptions = {}): RunningCli {
  const work = options.jsonFile ? tempDir('report') : null;
  const jsonPath = work ? path.join(work, 'report.json') : null;
  // Before any `--`: what follows it is Jest's.
  const split = args.includes('--') ? args.indexOf('--') : args.length;
  const argv = jsonPath ? [...args.slice(0, split), '--json', jsonPath, ...args.slice(split)] : args;
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...argv], {
    cwd: options.cwd ?? REPO,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  // A safety net only: a run that outlives it is stopped the way a person would (Ctrl-C first).
  const limit = setTimeout(() => {
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  }, options.limitMs ?? RUN_LIMIT_MS);

  const done = (async (): Promise<CliResult> => {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    clearTimeout(limit);
    const wallMs = Date.now() - started;
    const leftovers = await collectLeftovers();
    let report: RunReport | null = null;
    try {
      if (jsonPath && fs.existsSync(jsonPath)) report = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as RunReport;
      else if (bareJson(argv)) report = parseReport(stdout);
    } finally {
      if (work) removeDir(work);
    }
    if (report) checkReport(report);
    return { code, signal, stdout, stderr, report, leftovers, wallMs };
  })();
  return { child, jsonPath, done };
}

/** Runs the CLI to the end. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Runs the CLI on the fixture suites: `--dir test/fixtures/suites` plus args, report from a --json file. */
export function runFixtures(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return runCli(['--dir', FIXTURES_ARG, ...args], { jsonFile: true, ...options });
}

/** `-s a -s b …` for the given suite names. */
export function suiteArgs(...names: string[]): string[] {
  return names.flatMap((name) => ['-s', name]);
}

function bareJson(argv: string[]): boolean {
  const at = argv.indexOf('--json');
  return at >= 0 && (at === argv.length - 1 || argv[at + 1].startsWith('-'));
}

function parseReport(stdout: string): RunReport | null {
  try {
    const parsed = JSON.parse(stdout) as Partial<RunReport>;
    return parsed && typeof parsed === 'object' && 'schemaVersion' in parsed ? (parsed as RunReport) : null;
  } catch {
    return null;
  }
}

/** One suite of a report, by name; fails clearly when it is missing. */
export function suiteOf(report: RunReport | null, name: string): RunReport['suites'][number] {
  if (!report) throw new Error('the run wrote no report');
  const found = report.suites.find((s) => s.name === name);
  if (!found) throw new Error(`no suite '${name}' in the report (has: ${report.suites.map((s) => s.name).join(', ')})`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Leftover processes

function readProc(pid: number, file: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return null;
  }
}

/** Live (not zombie) processes started by this file's CLI runs, other than this process. */
export function markedProcesses(): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environ = readProc(pid, 'environ');
    if (!environ || !environ.split('\0').includes(`${MARK_VAR}=${MARK}`)) continue;
    const stat = readProc(pid, 'stat');
    const state = stat ? stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) : 'X';
    if (state === 'Z' || state === 'X') continue;
    const command = (readProc(pid, 'cmdline') ?? '').split('\0').filter(Boolean).join(' ');
    found.push({ pid, command });
  }
  return found;
}

/** Marked processes whose command line holds `text` (e.g. the launcher, the orphan's marker). */
export function markedProcessesMatching(text: string | RegExp): LiveProcess[] {
  return markedProcesses().filter((p) => (typeof text === 'string' ? p.command.includes(text) : text.test(p.command)));
}

let unreported: LiveProcess[] = [];

// Waits a moment for processes that were just sent SIGKILL, then kills and records what is left.
async function collectLeftovers(): Promise<LiveProcess[]> {
  const deadline = Date.now() + LEFTOVER_GRACE_MS;
  let alive = markedProcesses();
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = markedProcesses();
  }
  for (const p of alive) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  unreported.push(...alive);
  return alive;
}

/** For afterEach: no CLI run of this test left a process behind, and none is alive now. */
export async function expectNoLeftovers(): Promise<void> {
  const seen = [...unreported, ...(await collectLeftovers())];
  unreported = [];
  const show = (p: LiveProcess): string =>
    `${p.pid} ${p.command}${KNOWN_LEFTOVER.some((k) => p.command.includes(k)) ? '' : ' (not a suite child or fixture process)'}`;
  expect(seen.map(show)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Report checks, applied to every report a run produces (the strict field-name check is in output.test.ts)

const TOP_KEYS = ['schemaVersion', 'startedAt', 'durationMs', 'budgets', 'suites', 'ok'];
const SUITE_KEYS = [
  'name', 'file', 'outcome', 'tests', 'testCases', 'peakRssBytes', 'durationMs', 'exitCode', 'signal', 'message',
  'processes', 'samples', 'heapCapMb', 'killAboveMb', 'timeoutS', 'budget',
];
/** Fields a report may leave out, or carry depending on the command and flags. */
const OPTIONAL_SUITE_KEYS = ['runs', 'startedAtMs', 'testMarks', 'runningTest', 'project', 'coldCache', 'memoryAtHeapPeak', 'memoryAtExit', 'oomSummary', 'heapFloorMb', 'floorTries', 'killAboveMb', 'measuredIn', 'leftInWorkerBytes', 'pool', 'sources', 'cpuWaitMs', 'judgedDurationMs', 'perTestGcMs', 'timeContended', 'contendedDurationMs', 'neverWarmTransformers'];
const OPTIONAL_TOP_KEYS = ['schedule', 'merged', 'isolation'];
const OUTCOMES = ['passed', 'failed', 'oom', 'timeout', 'killed', 'memory-killed', 'crashed', 'interrupted'];
const hasKeys = (value: object, keys: string[], exactly: boolean): boolean =>
  exactly ? JSON.stringify(Object.keys(value).sort()) === JSON.stringify([...keys].sort()) : keys.every((k) => k in value);
const isCount = (v: unknown): boolean => v === null || (Number.isInteger(v) && (v as number) >= 0);

/**
 * Differences between a report and the RunReport interface (field names and types), as readable lines.
 * `extraKeys: 'allow'` accepts fields the interface does not have yet (the schema lets later releases add some).
 */
export function reportShapeProblems(report: RunReport, options: { extraKeys: 'allow' | 'forbid' } = { extraKeys: 'forbid' }): string[] {
  const strict = options.extraKeys === 'forbid';
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  check(hasKeys(report, TOP_KEYS, false) && (!strict || Object.keys(report).every((k) => TOP_KEYS.includes(k) || OPTIONAL_TOP_KEYS.includes(k))), `top-level keys are ${Object.keys(report).join(', ')}`);
  check(report.schemaVersion === 1, 'schemaVersion is not 1');
  check(typeof report.startedAt === 'string' && new Date(report.startedAt).toISOString() === report.startedAt, `startedAt ${report.startedAt} is not ISO`);
  check(Number.isInteger(report.durationMs) && report.durationMs >= 0, 'durationMs is not a whole number ≥ 0');
  check(report.budgets && hasKeys(report.budgets, ['memoryMb', 'timeS'], strict), 'budgets is not {memoryMb, timeS}');
  check(typeof report.ok === 'boolean', 'ok is not a boolean');
  check(Array.isArray(report.suites), 'suites is not an array');
  for (const s of report.suites ?? []) {
    const at = `suites[${s.name}]`;
    const extra = strict ? Object.keys(s).filter((k) => !SUITE_KEYS.includes(k) && !OPTIONAL_SUITE_KEYS.includes(k)) : [];
    const missing = SUITE_KEYS.filter((k) => !(k in s));
    check(extra.length === 0 && missing.length === 0, `${at} keys: extra ${extra.join(', ') || '-'}, missing ${missing.join(', ') || '-'}`);
    check(typeof s.name === 'string' && typeof s.file === 'string', `${at} name/file are not strings`);
    check(OUTCOMES.includes(s.outcome), `${at} outcome ${s.outcome}`);
    check(s.tests && hasKeys(s.tests, ['passed', 'failed', 'skipped', 'total'], strict), `${at} tests keys`);
    check(s.tests && Object.values(s.tests).every(isCount), `${at} tests counts are not whole numbers or null`);
    check(Number.isInteger(s.peakRssBytes) && s.peakRssBytes >= 0, `${at} peakRssBytes`);
    check(Number.isInteger(s.durationMs) && s.durationMs >= 0, `${at} durationMs`);
    check(s.heapCapMb === null || (typeof s.heapCapMb === 'number' && s.heapCapMb > 0), `${at} heapCapMb`);
    check(s.budget && hasKeys(s.budget, ['memoryMb', 'timeS', 'memoryExceeded', 'timeExceeded'], strict), `${at} budget keys`);
    check(s.budget && typeof s.budget.memoryExceeded === 'boolean' && typeof s.budget.timeExceeded === 'boolean', `${at} budget flags`);
    check(s.exitCode === null || Number.isInteger(s.exitCode), `${at} exitCode`);
    check(s.signal === null || typeof s.signal === 'string', `${at} signal`);
    check(s.message === null || typeof s.message === 'string', `${at} message`);
    check(Array.isArray(s.processes) && Array.isArray(s.samples) && Array.isArray(s.testCases), `${at} lists`);
    // A process the watcher knew nothing about is left out, never listed empty.
    const empty = (s.processes ?? []).filter((p) => p.command === '' && p.peakRssBytes === 0);
    check(empty.length === 0, `${at} lists ${empty.length} empty process entries`);
    check(s.coldCache === undefined || s.coldCache === true, `${at} coldCache is ${String(s.coldCache)}`);
  }
  return problems;
}

/** Fails the current test when a report lacks a field of the interface or breaks schema/report.v1.json. */
export function checkReport(report: RunReport): void {
  expect(reportShapeProblems(report, { extraKeys: 'allow' })).toEqual([]);
  expect(validateReport(report)).toEqual([]);
}

/**
 * Waits until `probe` returns a value other than null/undefined/false/0, or fails after `timeoutMs`.
 * 0 counts as not yet: a probe that returns a count (`list.length && …`) would otherwise be done at
 * once, before anything it waits for exists.
 */
export async function waitFor<T>(what: string, probe: () => T | null | undefined | false | 0, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false && value !== 0) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The report file a running CLI has written so far, or null. */
export function readPartialReport(file: string): RunReport | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport;
  } catch {
    return null;
  }
}
