// What stress-run prints: JSON on stdout, the list, help, version, --verbose, and colour rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ANSI,
  expectNoLeftovers,
  FIXTURES,
  FIXTURES_ARG,
  REPO,
  reportShapeProblems,
  runCli,
  suiteArgs,
  type CliResult,
} from './helpers';
import type { RunReport } from '../../src/base/types';
import { validateReport } from '../support/validate-report';

afterEach(expectNoLeftovers);

const ANSI_ANYWHERE = new RegExp(ANSI.source, 'g');

describe('--json without a file', () => {
  let run: CliResult;
  let report: RunReport;
  beforeAll(async () => {
    run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--json']);
    report = JSON.parse(run.stdout) as RunReport;
  });

  test('stdout holds only the JSON report, and the table goes to stderr', () => {
    expect(run.code).toBe(0);
    expect(run.stdout.trimStart().startsWith('{')).toBe(true);
    expect(run.stdout.trimEnd().endsWith('}')).toBe(true);
    expect(run.stderr).toMatch(/│ *suite *│/);
    expect(run.stderr).toContain('PASS');
    expect(run.stdout).not.toContain('│');
  });

  test('uses the field names of the report interface', () => {
    expect(reportShapeProblems(report)).toEqual([]);
    expect(Object.keys(report).sort()).toEqual(['budgets', 'durationMs', 'ok', 'schedule', 'schemaVersion', 'startedAt', 'suites']);
    expect(report.schedule).toEqual({ parallelism: 1, totalMemoryMb: null, peakConcurrentRssBytes: report.suites[0].peakRssBytes, wallMs: report.durationMs, sumSuiteMs: report.suites[0].durationMs });
    expect(report.schemaVersion).toBe(1);
    expect(new Date(report.startedAt).toISOString()).toBe(report.startedAt);
    expect(Math.abs(Date.now() - Date.parse(report.startedAt))).toBeLessThan(5 * 60_000);
    expect(report.durationMs).toBeGreaterThan(0);
    expect(report.budgets).toEqual({ memoryMb: 300, timeS: 30 });
    expect(report.ok).toBe(true);
    expect(report.suites).toHaveLength(1);

    const [s] = report.suites;
    expect(s).toEqual(
      expect.objectContaining({
        name: 'pass',
        file: 'test/fixtures/suites/pass.stress.test.js',
        outcome: 'passed',
        tests: { passed: 3, failed: 0, skipped: 0, total: 3 },
        peakRssBytes: expect.any(Number),
        durationMs: expect.any(Number),
        heapCapMb: null,
        killAboveMb: expect.any(Number),
        budget: { memoryMb: 300, timeS: 30, memoryExceeded: false, timeExceeded: false },
        exitCode: 0,
        signal: null,
        message: null,
      }),
    );
    expect(s.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(s.durationMs).toBeGreaterThan(0);
    expect(s.durationMs).toBeLessThanOrEqual(report.durationMs);
  });

  test('is valid against schema/report.v1.json', () => {
    expect(validateReport(report)).toEqual([]);
    // (and the validator does reject a report from another schema version)
    expect(validateReport({ ...report, schemaVersion: 2 })).not.toEqual([]);
  });
});

describe('list', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runCli(['list', '--dir', FIXTURES_ARG]);
  });

  test('prints every suite’s name and file, one a line, and runs nothing', () => {
    expect(run.code).toBe(0);
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.stress.test.js')).sort();
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(files.length);
    for (const file of files) {
      const name = file.slice(0, -'.stress.test.js'.length);
      const line = lines.find((l) => l.startsWith(`${name}\t`) || l.startsWith(`${name} `));
      expect(line).toBeDefined();
      expect(line).toContain(`test/fixtures/suites/${file}`);
    }
    expect(run.stdout).not.toMatch(/PASS|│/);
  });
});

describe('--help and --version', () => {
  const FLAGS = [
    '--suite', '-s', '--dir', '--pattern', '--jest-config', '--config', '--max-heap', '--memory-budget', '--time-budget',
    '--timeout', '--runs', '--json', '--junit', '--markdown', '--shard', '--durations', '--shards', '--baseline',
    '--max-regression', '--min-heap', '--why-oom', '--verbose', '--debug', '--help', '-h', '--version', '-V',
  ];

  test('--help exits 0 and mentions every command, and every flag is in the --help of the top level or of a command', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    const commands = ['all', 'list', 'matrix', 'merge', 'floor'];
    for (const command of commands) expect(run.stdout + run.stderr).toContain(command);
    // The top-level help lists the commands; each command's help lists its own flags.
    let help = run.stdout + run.stderr;
    for (const command of [...commands, 'compare']) {
      const own = await runCli([command, '--help']);
      expect(own.code).toBe(0);
      help += own.stdout + own.stderr;
    }
    for (const flag of FLAGS) expect(help).toMatch(new RegExp(`(^|[\\s,])${flag}\\b`, 'm'));
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(version);
    }
  });
});

describe('--verbose', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--verbose']);
  });

  test('shows a header naming the suite, then Jest’s own output', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^.*\bpass\b.*pass\.stress\.test\.js.*$/m);
    const all = run.stdout + run.stderr;
    expect(all).toMatch(/PASS .*pass\.stress\.test\.js/);
    expect(all).toMatch(/Tests: +3 passed, 3 total/);
    // and still the table
    expect(run.stdout).toMatch(/│ *suite *│/);
  });
});

describe('colour', () => {
  const runWith = (env: Record<string, string | undefined>): Promise<CliResult> =>
    runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass')], { env });

  test('none when the output is not a terminal', async () => {
    const run = await runWith({});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PASS');
    expect(run.stdout.match(ANSI_ANYWHERE)).toBeNull();
    expect(run.stderr.match(ANSI_ANYWHERE)).toBeNull();
  });

  test('FORCE_COLOR=1 turns it on', async () => {
    const run = await runWith({ FORCE_COLOR: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(ANSI);
  });

  test('NO_COLOR=1: none', async () => {
    const run = await runWith({ NO_COLOR: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout.match(ANSI_ANYWHERE)).toBeNull();
  });

  // An empty FORCE_COLOR counts as not set (force-color.org: "present and not an empty string"),
  // so NO_COLOR decides.
  test('NO_COLOR=1 with an empty FORCE_COLOR: none', async () => {
    const run = await runWith({ NO_COLOR: '1', FORCE_COLOR: '' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PASS');
    expect(run.stdout.match(ANSI_ANYWHERE)).toBeNull();
  });
});
