// --why-oom on a suite that leaks one named class: a real heap snapshot, summarised in a process of its own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { spawnSync } from 'node:child_process';
import { BIN, cliEnv, expectNoLeftovers, REPO, removeDir, runCli, suiteOf, tempDir, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

describe('--why-oom on a leak of LeakedBooking', () => {
  let dir: string;
  let run: CliResult;
  beforeAll(async () => {
    dir = tempDir('why-oom');
    const reports = ['--junit', path.join(dir, 'junit.xml'), '--markdown', path.join(dir, 'summary.md')];
    run = await runCli(['--dir', 'test/fixtures/heavy', '-s', 'leaks-bookings', '--max-heap', '28', '--why-oom', ...reports], { jsonFile: true });
  });
  afterAll(() => {
    removeDir(dir);
    const snapshot = run?.report?.suites[0]?.oomSummary?.snapshot;
    if (snapshot) removeDir(path.dirname(snapshot));
  });

  test('the suite is still an OOM, and the summary names the leaked class first', () => {
    expect(run.code).toBe(1);
    const s = suiteOf(run.report, 'leaks-bookings');
    expect(s.outcome).toBe('oom');
    const summary = s.oomSummary!;
    expect(summary.top[0].name).toBe('LeakedBooking');
    expect(summary.top[0].count).toBeGreaterThan(10_000);
    expect(summary.top.length).toBe(10);
    const sizes = summary.top.map((e) => e.selfSizeBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(summary.nativeContexts).toBeGreaterThanOrEqual(2);
    expect(summary.detachedContexts).toBe(0);
    expect(fs.statSync(summary.snapshot).size).toBeGreaterThan(1024 * 1024);
  });

  test('the top 10 show under the table, in JUnit and in Markdown', () => {
    expect(run.stdout).toContain('What filled the heap');
    expect(run.stdout).toMatch(/^ +LeakedBooking +[\d,]+ objects +[\d.]+ MB$/m);
    const xml = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/LeakedBooking +[\d,]+ objects/);
    expect(fs.readFileSync(path.join(dir, 'summary.md'), 'utf8')).toMatch(/LeakedBooking +[\d,]+ objects/);
  });
});

test('with live progress on a terminal, --debug shows the second run’s command through the progress display, never torn into its lines', () => {
  // A real terminal (util-linux `script` gives the run a pseudo-terminal, 150 columns wide): live
  // progress is drawn, and every other line must first erase the drawn lines (log-update's erase ends
  // with ESC[G) instead of landing in the middle of them.
  const command = `stty cols 150 rows 40; ${process.execPath} ${BIN} --dir test/fixtures/heavy -s leaks-bookings --max-heap 28 --why-oom --debug`;
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO, env: cliEnv({ TERM: 'xterm' }), encoding: 'utf8', timeout: 100_000 });
  const screen = run.stdout;
  const commands = screen.split('stress-run: cd ').length - 1;
  expect(commands).toBe(2);
  // eslint-disable-next-line no-control-regex
  expect(screen.match(/\u001b\[G(?:\u001b\[\?2026l)?stress-run: cd /g)?.length).toBe(commands);
  const snapshot = /from the heap snapshot (\S+\.heapsnapshot)/.exec(screen)?.[1];
  if (snapshot) removeDir(path.dirname(snapshot));
});
