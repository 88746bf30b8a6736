import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareFile, reportTarget, writeFileAtomic, writeSpecial } from '../../../src/base/write-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-write-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reportTarget', () => {
  it('reads - as stdout, and devices, FIFOs and /dev paths as special files written in place', () => {
    expect(reportTarget('-', dir)).toEqual({ kind: 'stdout' });
    expect(reportTarget('/dev/null', dir)).toEqual({ kind: 'special', path: '/dev/null' });
    expect(reportTarget('/dev/stdout', dir)).toEqual({ kind: 'special', path: '/dev/stdout' });
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(reportTarget(fifo, dir)).toEqual({ kind: 'special', path: fifo });
  });

  it('refuses every path under /proc, named or reached through a symlink: no file there can hold a report', () => {
    for (const file of ['/proc/self/status', '/proc/self/comm', '/proc/x/report.json', '/proc']) {
      expect(() => reportTarget(file, dir)).toThrow('a path under /proc cannot hold a report');
    }
    expect(() => reportTarget('self/comm', '/proc')).toThrow('under /proc');
    fs.symlinkSync('/proc/self/comm', path.join(dir, 'comm.json'));
    expect(() => reportTarget('comm.json', dir)).toThrow('under /proc');
  });

  it('follows a symlink (also a dangling one) to the file it names, so the rename replaces the target', () => {
    const target = path.join(dir, 'real.json');
    fs.writeFileSync(target, 'old');
    fs.symlinkSync('real.json', path.join(dir, 'link.json'));
    expect(reportTarget('link.json', dir)).toEqual({ kind: 'file', path: target });
    fs.symlinkSync(path.join(dir, 'later.json'), path.join(dir, 'dangling.json'));
    expect(reportTarget('dangling.json', dir)).toEqual({ kind: 'file', path: path.join(dir, 'later.json') });
  });

  it('refuses a folder', () => {
    expect(() => reportTarget(dir, dir)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});

describe('prepareFile', () => {
  it('writes nothing in place until commit, and abort leaves no trace', () => {
    const file = path.join(dir, 'report.json');
    fs.writeFileSync(file, 'old');
    const prepared = prepareFile(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    prepared.abort();
    expect(fs.readdirSync(dir)).toEqual(['report.json']);
    prepareFile(file, 'new').commit();
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
  });

  it('keeps the mode of the file it replaces', () => {
    const file = path.join(dir, 'report.json');
    fs.writeFileSync(file, 'old', { mode: 0o640 });
    fs.chmodSync(file, 0o640);
    writeFileAtomic(file, 'new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });

  it('never writes through a symlink planted at a temp name (the old name was predictable)', () => {
    const file = path.join(dir, 'report.json');
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, path.join(dir, `.report.json.${process.pid}.tmp`));
    writeFileAtomic(file, 'report');
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.readFileSync(file, 'utf8')).toBe('report');
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temp file behind', () => {
    const file = path.join(dir, 'sub', 'report.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, 'second');
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['report.json']);
  });

  it('fails at once on a folder it can never create (Node\'s recursive mkdir loops there)', () => {
    expect(() => writeFileAtomic('/proc/no-such-process/report.json', 'x')).toThrow();
  });
});

describe('writeSpecial to a FIFO', () => {
  it('gives up on a FIFO that no process reads, instead of waiting for ever', () => {
    const fifo = path.join(dir, 'unread.fifo');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(() => writeSpecial(fifo, 'report', { reader: 200, stalled: 200 })).toThrow('no process is reading this FIFO');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('writes the whole text, larger than a pipe holds, to a reader', () => {
    const fifo = path.join(dir, 'read.fifo');
    execFileSync('mkfifo', [fifo]);
    const out = path.join(dir, 'out.txt');
    // A reader in a process of its own, started first; it copies what it reads into a file.
    const reader = spawn('sh', ['-c', `cat "${fifo}" > "${out}"`]);
    const text = 'r'.repeat(1024 * 1024);
    writeSpecial(fifo, text, { reader: 5000, stalled: 5000 });
    return new Promise<void>((resolve) => reader.on('close', () => {
      expect(fs.readFileSync(out, 'utf8')).toBe(text);
      resolve();
    }));
  });
});
