// Report files are files: a FIFO or a device stays what it is, a symlink keeps pointing at the report,
// `-` is stdout, a bad path fails before any file is touched, and a path under /proc fails at once.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { RunReport } from '../../src/base/types';
import { checkReport, expectNoLeftovers, removeDir, runCli, suiteArgs, tempDir, FIXTURES_ARG, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

let dir: string;
beforeAll(() => {
  dir = tempDir('report-files');
});
afterAll(() => removeDir(dir));

describe('--json to a FIFO, --markdown through a symlink, --junit to stdout (-)', () => {
  let run: CliResult;
  let fromFifo: string;
  beforeAll(async () => {
    const fifo = path.join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    fs.writeFileSync(path.join(dir, 'summary.md'), 'old');
    fs.symlinkSync('summary.md', path.join(dir, 'latest.md'));
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (read += chunk));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--json', fifo, '--markdown', path.join(dir, 'latest.md'), '--junit', '-']);
    await readerDone;
    fromFifo = read;
  });

  test('the FIFO is still a FIFO, and its reader got the report exactly once', () => {
    expect(run.code).toBe(0);
    expect(fs.statSync(path.join(dir, 'report.fifo')).isFIFO()).toBe(true);
    const report = JSON.parse(fromFifo) as RunReport;
    checkReport(report);
    expect(report.suites.map((s) => s.outcome)).toEqual(['passed']);
  });

  test('the symlink still points at its target, which holds the new summary', () => {
    expect(fs.lstatSync(path.join(dir, 'latest.md')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('## stress-run');
    expect(fs.readdirSync(dir).sort()).toEqual(['latest.md', 'report.fifo', 'summary.md']);
  });

  test('stdout holds only the JUnit XML, and the table went to stderr', () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(run.stdout) as { testsuites: unknown };
    expect(xml.testsuites).toBeDefined();
    expect(run.stdout.trimStart().startsWith('<?xml')).toBe(true);
    expect(run.stderr).toContain('suites passed within budget');
  });
});

describe('--json to a FIFO that no process reads', () => {
  let run: CliResult;
  let tmp: string;
  beforeAll(async () => {
    tmp = tempDir('fifo-tmp');
    const fifo = path.join(dir, 'unread.fifo');
    execFileSync('mkfifo', [fifo]);
    run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--json', fifo], { env: { TMPDIR: tmp }, limitMs: 30_000 });
  });
  afterAll(() => removeDir(tmp));

  test('does not hang: the table is shown, one line says the report had no reader, exit 2', () => {
    expect(run.signal).toBeNull();
    expect(run.wallMs).toBeLessThan(20_000);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('suites passed within budget');
    expect(run.stderr).toContain(`stress-run: cannot write --json file ${path.join(dir, 'unread.fifo')}: no process is reading this FIFO.`);
  });

  test('leaves no temp folder of the run behind', () => {
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('stress-run-'))).toEqual([]);
  });
});

describe('bad report paths', () => {
  test('a path that cannot be written fails before the first suite, and the other report files are left untouched', async () => {
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, 'old');
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    const run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--json', good, '--junit', path.join(dir, 'a-file', 'junit.xml')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('--junit')]);
    expect(fs.readFileSync(good, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test.each(['/proc/no-such-process/report.json', '/proc/self/status', '/proc/self/comm'])('a path under /proc (%s) fails before the first suite, one line, exit 2', async (file) => {
    const run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--json', file, '--markdown', path.join(dir, 'report.md')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([`stress-run: Cannot write --json file ${file}: a path under /proc cannot hold a report. Pass a path in a writable folder.`]);
    expect(run.stdout).toBe('');
    expect(fs.existsSync(path.join(dir, 'report.md'))).toBe(false);
  });

  test('two reports on stdout is one line, exit 2', async () => {
    const run = await runCli(['--dir', FIXTURES_ARG, ...suiteArgs('pass'), '--json', '-', '--markdown', '-']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('{"error":"--json and --markdown - would both write to stdout; send all but one to a file."}\n');
  });
});
