// How each kind of suite ending is classified, counted and turned into an exit code, on real Jest runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, FIXTURES, ODD_NAME, REPO, runFixtures, suiteArgs, suiteOf, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

const UNKNOWN = { passed: null, failed: null, skipped: null, total: null };

describe('a passing suite on its own', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures(suiteArgs('pass'));
  });

  test('passes with 3/0/0 and exit code 0', () => {
    expect(run.code).toBe(0);
    const pass = suiteOf(run.report, 'pass');
    expect(pass.outcome).toBe('passed');
    expect(pass.tests).toEqual({ passed: 3, failed: 0, skipped: 0, total: 3 });
    expect(pass).toMatchObject({ exitCode: 0, signal: null, message: null });
    expect(run.report!.ok).toBe(true);
  });
});

describe('a failing suite on its own', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures(suiteArgs('fail'));
  });

  test('fails with 3 passed, 2 failed of 5, exit code 1, and names the failing tests', () => {
    expect(run.code).toBe(1);
    const fail = suiteOf(run.report, 'fail');
    expect(fail.outcome).toBe('failed');
    expect(fail.tests).toEqual({ passed: 3, failed: 2, skipped: 0, total: 5 });
    expect(fail.message).toContain('wrong sum');
    expect(fail.message).toContain('wrong name');
    expect(fail.message).not.toMatch(/✕ (one|two|three)\b/);
    expect(run.report!.ok).toBe(false);
  });
});

describe('several fixtures in one run', () => {
  const names = ['pass', 'fail', 'segfault', 'syntax-error', 'no-tests', 'loud', ODD_NAME];
  const pwnedPlaces = [REPO, FIXTURES, path.dirname(FIXTURES), process.cwd()].map((dir) => path.join(dir, 'pwned'));
  let run: CliResult;

  beforeAll(async () => {
    for (const place of pwnedPlaces) expect(fs.existsSync(place)).toBe(false);
    run = await runFixtures(suiteArgs(...names));
  });

  test('reports every suite, in the order asked for, and exits 1 because some failed', () => {
    expect(run.report!.suites.map((s) => s.name)).toEqual(names);
    expect(run.report!.ok).toBe(false);
    expect(run.code).toBe(1);
  });

  test('pass: passed 3/0/0', () => {
    expect(suiteOf(run.report, 'pass')).toMatchObject({ outcome: 'passed', tests: { passed: 3, failed: 0, skipped: 0, total: 3 } });
  });

  test('fail: failed 3/2 of 5', () => {
    expect(suiteOf(run.report, 'fail')).toMatchObject({ outcome: 'failed', tests: { passed: 3, failed: 2, skipped: 0, total: 5 } });
  });

  test('segfault: crashed with SIGSEGV and unknown counts', () => {
    const s = suiteOf(run.report, 'segfault');
    expect(s).toMatchObject({ outcome: 'crashed', signal: 'SIGSEGV', exitCode: null, tests: UNKNOWN });
    expect(s.message).toContain('SIGSEGV');
  });

  test('syntax-error: failed, and the message shows the SyntaxError', () => {
    const s = suiteOf(run.report, 'syntax-error');
    expect(s.outcome).toBe('failed');
    expect(s.message).toContain('SyntaxError');
  });

  test('no-tests: failed, and the message says a suite needs at least one test', () => {
    const s = suiteOf(run.report, 'no-tests');
    expect(s.outcome).toBe('failed');
    expect(s.message).toContain('at least one test');
  });

  test('loud: 40 MB of output does not block it', () => {
    const s = suiteOf(run.report, 'loud');
    expect(s).toMatchObject({ outcome: 'passed', tests: { passed: 1, failed: 0, skipped: 0, total: 1 } });
    expect(s.durationMs).toBeLessThan(30_000);
    // None of the suite's own output reaches stress-run's output without --verbose.
    expect(run.stdout.length + run.stderr.length).toBeLessThan(1024 * 1024);
  });

  test('a file name full of shell characters runs as data: passed, and nothing was executed', () => {
    const s = suiteOf(run.report, ODD_NAME);
    expect(s.outcome).toBe('passed');
    expect(s.file).toBe(`test/fixtures/suites/${ODD_NAME}.stress.test.js`);
    for (const place of pwnedPlaces) expect(fs.existsSync(place)).toBe(false);
  });

  test('the table shows every suite', () => {
    for (const name of names) expect(run.stdout).toContain(name);
  });
});

describe('out of memory under --max-heap 64', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures([...suiteArgs('oom'), '--max-heap', '64']);
  });

  // Under a cap the probe sets V8's --heap-growing-percent=300 (src/run/node-options.ts): a runaway heap must still die at the cap.
  test('is classified oom with unknown counts, the cap in force and V8’s reason', () => {
    expect(run.code).toBe(1);
    const s = suiteOf(run.report, 'oom');
    expect(s.outcome).toBe('oom');
    expect(s.tests).toEqual(UNKNOWN);
    expect(s.heapCapMb).toBe(64);
    expect(s.message).toMatch(/heap out of memory/i);
    expect(s.message).toContain('64 MB');
  });
});

describe('suites that never finish, under --timeout 2', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures([...suiteArgs('hang', 'ignores-sigterm'), '--timeout', '2']);
  });

  test('exit code 1', () => {
    expect(run.code).toBe(1);
  });

  test('hang: timeout, stopped by SIGTERM soon after the 2 s', () => {
    const s = suiteOf(run.report, 'hang');
    expect(s.outcome).toBe('timeout');
    expect(s.timeoutS).toBe(2);
    expect(s.tests).toEqual(UNKNOWN);
    expect(s.durationMs).toBeGreaterThanOrEqual(1950);
    expect(s.durationMs).toBeLessThan(3900);
    expect(s.message).toContain('2 s');
  });

  test('ignores-sigterm: timeout, and it took the 2 s kill grace and SIGKILL to end it', () => {
    const s = suiteOf(run.report, 'ignores-sigterm');
    expect(s.outcome).toBe('timeout');
    expect(s.signal).toBe('SIGKILL');
    expect(s.durationMs).toBeGreaterThanOrEqual(3900);
    expect(s.durationMs).toBeLessThan(10_000);
  });
});

describe('suites run unmodified', () => {
  test('process.argv and a spawned process’s execArgv carry nothing of stress-run; the cap still reaches the grandchild', async () => {
    const run = await runFixtures([...suiteArgs('argv'), '--max-heap', '100']);
    expect(run.code).toBe(0);
    expect(suiteOf(run.report, 'argv').tests).toEqual({ passed: 3, failed: 0, skipped: 0, total: 3 });
  });
});

describe('a grandchild that holds the suite’s stderr open', () => {
  test('the suite passes when Jest exits, without waiting for the pipe, and the grandchild is stopped', async () => {
    const run = await runFixtures([...suiteArgs('holds-stderr'), '--timeout', '20']);
    expect(run.code).toBe(0);
    expect(suiteOf(run.report, 'holds-stderr')).toMatchObject({ outcome: 'passed', tests: { passed: 1, total: 1 } });
    expect(suiteOf(run.report, 'holds-stderr').durationMs).toBeLessThan(10_000);
  });
});
