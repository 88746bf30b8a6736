import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cgroupDirOf, cgroupParent, cgroupPids, createCgroup, killCgroup, moveInto, parseCgroup2Mount, parseOwnCgroup, reapCgroup, removeCgroup } from '../../../src/base/cgroup';

const MOUNTINFO_V1_AND_V2 = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('parseCgroup2Mount', () => {
  test('finds the cgroup2 mount beside v1 ones (a hybrid machine)', () => {
    expect(parseCgroup2Mount(MOUNTINFO_V1_AND_V2)).toEqual({ mountPoint: '/sys/fs/cgroup/unified', root: '/' });
  });

  test('reads a line with optional fields and an escaped space, and a mount of a cgroup below the root', () => {
    const line = '29 23 0:26 /user.slice /sys/fs/my\\040cgroup rw,nosuid shared:4 master:1 - cgroup2 cgroup2 rw,nsdelegate';
    expect(parseCgroup2Mount(line)).toEqual({ mountPoint: '/sys/fs/my cgroup', root: '/user.slice' });
  });

  test('null without a cgroup2 mount (v1 only, or none)', () => {
    expect(parseCgroup2Mount(MOUNTINFO_V1_AND_V2.split('\n').slice(0, 2).join('\n'))).toBeNull();
    expect(parseCgroup2Mount('')).toBeNull();
  });
});

describe('parseOwnCgroup', () => {
  test('takes the 0:: line, among v1 lines', () => {
    expect(parseOwnCgroup('4:memory:/x\n0::/user.slice/user-1000.slice/session-2.scope\n')).toBe('/user.slice/user-1000.slice/session-2.scope');
    expect(parseOwnCgroup('1:cpu:/\n0::/\n')).toBe('/');
  });

  test('null without one (cgroup v1 only)', () => {
    expect(parseOwnCgroup('4:memory:/x\n1:cpu:/\n')).toBeNull();
  });
});

describe('cgroupDirOf', () => {
  test('joins the own cgroup to the mount point, less the root the mount shows', () => {
    expect(cgroupDirOf({ mountPoint: '/sys/fs/cgroup', root: '/' }, '/a.slice/b.scope')).toBe('/sys/fs/cgroup/a.slice/b.scope');
    expect(cgroupDirOf({ mountPoint: '/sys/fs/cgroup', root: '/' }, '/')).toBe('/sys/fs/cgroup');
    expect(cgroupDirOf({ mountPoint: '/mnt/cg', root: '/a.slice' }, '/a.slice/b.scope')).toBe('/mnt/cg/b.scope');
  });

  test('null when the own cgroup is outside the mounted part, or deleted', () => {
    expect(cgroupDirOf({ mountPoint: '/mnt/cg', root: '/a.slice' }, '/other.slice/c.scope')).toBeNull();
    expect(cgroupDirOf({ mountPoint: '/sys/fs/cgroup', root: '/' }, '/gone.scope (deleted)')).toBeNull();
  });
});

describe('cgroupParent: why a machine gives suites no cgroup', () => {
  const reading = (files: Record<string, string>) => (file: string): string => {
    if (!(file in files)) throw new Error(`ENOENT ${file}`);
    return files[file];
  };
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-test-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('no cgroup v2 mount', () => {
    expect(cgroupParent(reading({ '/proc/self/mountinfo': MOUNTINFO_V1_AND_V2.split('\n')[1], '/proc/self/cgroup': '0::/\n' }))).toEqual({ reason: 'no cgroup v2 mount' });
  });

  test('no 0:: line', () => {
    expect(cgroupParent(reading({ '/proc/self/mountinfo': MOUNTINFO_V1_AND_V2, '/proc/self/cgroup': '1:cpu:/\n' }))).toEqual({ reason: 'this process has no cgroup v2 path' });
  });

  test('/proc not readable', () => {
    expect(cgroupParent(reading({}))).toEqual({ reason: 'cannot read /proc/self/mountinfo or /proc/self/cgroup' });
  });

  test('a folder that cannot be written (a read-only mount, no delegation)', () => {
    const mountinfo = `41 31 0:38 / ${path.join(tmp, 'missing')} rw - cgroup2 cgroup2 rw`;
    expect(cgroupParent(reading({ '/proc/self/mountinfo': mountinfo, '/proc/self/cgroup': '0::/\n' }))).toEqual({
      reason: `cannot create a cgroup in ${path.join(tmp, 'missing')} (ENOENT)`,
    });
  });

  test('a plain folder, where a new folder holds no cgroup.procs: not a cgroup, and the probe folder is removed', () => {
    const mountinfo = `41 31 0:38 / ${tmp} rw - cgroup2 cgroup2 rw`;
    expect(cgroupParent(reading({ '/proc/self/mountinfo': mountinfo, '/proc/self/cgroup': '0::/\n' }))).toEqual({ reason: `${tmp} is not a cgroup v2 folder` });
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

// The file operations on plain folders laid out like a cgroup (cgroup.procs as a plain file): what is
// read, killed and removed. The kernel's side is in the last block, where this machine allows it.
describe('a cgroup’s processes, killed and removed', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-test-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('cgroupPids lists the cgroup’s and its children’s processes; none once it is gone', () => {
    fs.writeFileSync(path.join(tmp, 'cgroup.procs'), '10\n11\n');
    fs.mkdirSync(path.join(tmp, 'inner'));
    fs.writeFileSync(path.join(tmp, 'inner', 'cgroup.procs'), '12\n');
    expect(cgroupPids(tmp).sort()).toEqual([10, 11, 12]);
    expect(cgroupPids(path.join(tmp, 'gone'))).toEqual([]);
  });

  test('without cgroup.kill (before Linux 5.14) every listed process gets SIGKILL', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => sleeper.once('exit', (_code, signal) => resolve(signal)));
    fs.writeFileSync(path.join(tmp, 'cgroup.procs'), `${sleeper.pid}\n`);
    killCgroup(tmp);
    expect(await exited).toBe('SIGKILL');
  });

  test('removeCgroup removes the cgroups below first; false while one cannot go', () => {
    fs.mkdirSync(path.join(tmp, 'a', 'b'), { recursive: true });
    expect(removeCgroup(path.join(tmp, 'a'))).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'a'))).toBe(false);
    fs.mkdirSync(path.join(tmp, 'c'));
    fs.writeFileSync(path.join(tmp, 'c', 'cgroup.procs'), ''); // a plain folder with a file cannot be removed by rmdir
    expect(removeCgroup(path.join(tmp, 'c'))).toBe(false);
    expect(removeCgroup(path.join(tmp, 'gone'))).toBe(true);
  });

  test('moveInto writes to an existing cgroup.procs only (never creates one)', () => {
    expect(() => moveInto(tmp, 1234)).toThrow(/ENOENT/);
    expect(fs.existsSync(path.join(tmp, 'cgroup.procs'))).toBe(false);
  });
});

/** A process's state letter from /proc, null when it is gone or a zombie. */
function liveState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X' ? null : state;
  } catch {
    return null;
  }
}

const parent = cgroupParent();
const realCgroups = 'dir' in parent ? describe : describe.skip;

realCgroups('on this machine’s cgroup v2 (delegated to this process)', () => {
  test('a process moved in, with a daemon it double-forked, is killed with the cgroup, which is removed', async () => {
    const dir = (parent as { dir: string }).dir;
    const cgroup = createCgroup(dir, `stress-run-unit-${process.pid}`);
    const pidFile = path.join(os.tmpdir(), `cgroup-test-${process.pid}.pid`);
    try {
      // The shell is moved in, then starts a daemon in a session of its own and exits.
      const sh = spawn('/bin/sh', ['-c', `read go; (setsid sleep 30 & echo $! > ${pidFile}); sleep 30`], { stdio: ['pipe', 'ignore', 'ignore'] });
      moveInto(cgroup, sh.pid!);
      sh.stdin!.end('go\n');
      for (let i = 0; i < 100 && !fs.existsSync(pidFile); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const daemon = Number(fs.readFileSync(pidFile, 'utf8'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(cgroupPids(cgroup)).toEqual(expect.arrayContaining([sh.pid, daemon]));
      expect(await reapCgroup(cgroup)).toBe(true);
      expect(fs.existsSync(cgroup)).toBe(false);
      // Gone, or a zombie its new parent has not reaped yet (this container's init may never reap it).
      expect(liveState(daemon)).toBeNull();
    } finally {
      await reapCgroup(cgroup);
      fs.rmSync(pidFile, { force: true });
    }
  });
});
