// Faults that must never hang stress-run, leave a process behind, or make it report less than the truth:
// a daemon holding the suite's pipe (with a token on its command line), stress-run itself killed with
// SIGKILL, runaway native memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  expectNoLeftovers,
  markedProcessesMatching,
  MiB,
  removeDir,
  runFixtures,
  startCli,
  suiteArgs,
  suiteOf,
  tempDir,
  waitFor,
  FIXTURES_ARG,
  SUITE_CHILD,
  type CliResult,
} from './helpers';

afterEach(expectNoLeftovers);

describe('a suite that starts a daemon (double fork, setsid) holding its stderr and 150 MB', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runFixtures([...suiteArgs('daemon', 'pass'), '--timeout', '20']);
  });

  test('ends when Jest ends, and the next suite still runs', () => {
    expect(run.code).toBe(0);
    expect(run.report!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['daemon', 'passed'],
      ['pass', 'passed'],
    ]);
    expect(suiteOf(run.report, 'daemon').durationMs).toBeLessThan(15_000);
  });

  test('counts the daemon in the peak and lists it among the processes', () => {
    const s = suiteOf(run.report, 'daemon');
    const daemon = s.processes.find((p) => p.command.includes('stress-run-fixture-daemon'));
    expect(daemon).toBeDefined();
    expect(daemon!.peakRssBytes).toBeGreaterThan(150 * MiB);
    expect(s.peakRssBytes).toBeGreaterThan(150 * MiB + daemon!.peakRssBytes / 4);
  });

  test('masks the token on its command line in the report', () => {
    const daemon = suiteOf(run.report, 'daemon').processes.find((p) => p.command.includes('stress-run-fixture-daemon'));
    expect(daemon!.command).toContain('--token=***');
    expect(JSON.stringify(run.report)).not.toContain('s3cr3t');
  });

  test('and kills it', () => {
    expect(run.leftovers).toEqual([]);
    expect(markedProcessesMatching('stress-run-fixture-daemon')).toEqual([]);
  });
});

describe('stress-run killed with SIGKILL while a suite runs', () => {
  let tmp: string;
  let launchers: number;
  let run: CliResult;
  beforeAll(async () => {
    tmp = tempDir('tmpdir');
    const cli = startCli(['--dir', FIXTURES_ARG, ...suiteArgs('hang')], { env: { TMPDIR: tmp } });
    launchers = (await waitFor('the hang suite to start', () => {
      const found = markedProcessesMatching(SUITE_CHILD);
      return found.length ? found : null;
    })).length;
    // Past the child's start-up: it notices stress-run's death when its event loop turns.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    cli.child.kill('SIGKILL');
    run = await cli.done;
  });
  afterAll(() => removeDir(tmp));

  test('takes the suite’s whole tree down with it', () => {
    expect(launchers).toBe(1);
    expect(run.signal).toBe('SIGKILL');
    expect(run.leftovers).toEqual([]);
  });

  test('and leaves no temp folder', () => {
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('stress-run-'))).toEqual([]);
  });
});

describe('a suite whose native memory runs away (Buffers, which no heap cap stops)', () => {
  let dir: string;
  let run: CliResult;
  beforeAll(async () => {
    dir = tempDir('guard');
    run = await runFixtures([...suiteArgs('runaway-buffers'), '--kill-above', '600', '--junit', path.join(dir, 'junit.xml'), '--markdown', path.join(dir, 'summary.md')]);
  });
  afterAll(() => removeDir(dir));

  test('is killed by the live memory guard (--kill-above 600), long before it reaches 1 GB', () => {
    expect(run.code).toBe(1);
    const s = suiteOf(run.report, 'runaway-buffers');
    expect(s.outcome).toBe('memory-killed');
    expect(s.killAboveMb).toBe(600);
    expect(s.peakRssBytes).toBeGreaterThan(600 * MiB);
    expect(s.peakRssBytes).toBeLessThan(1024 * MiB);
    expect(s.tests.total).toBeNull();
  });

  test('says so in the table, the JUnit file and the Markdown summary', () => {
    expect(run.stdout).toContain('KILLED over 600 MB RSS');
    expect(run.stdout).toContain('--kill-above');
    expect(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toContain('KILLED over 600 MB RSS');
    expect(fs.readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('KILLED over 600 MB RSS');
  });
});
