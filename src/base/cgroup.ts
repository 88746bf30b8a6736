// cgroup v2, where the machine lets stress-run use it: a suite's processes in a cgroup of their own
// stay in it whatever they do (clear their environment, double-fork, leave the session), so killing
// the cgroup kills them all. Pure parsers of /proc's text, then the few file operations a cgroup
// needs: create one below stress-run's own, move a process in, list, kill, remove.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The cgroup2 mount from a /proc/self/mountinfo text: where it is mounted and which cgroup it shows there; null when none. */
export function parseCgroup2Mount(mountinfo: string): { mountPoint: string; root: string } | null {
  for (const line of mountinfo.split('\n')) {
    // `id parent major:minor root mountpoint options [optional fields…] - fstype source super-options`
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const fsType = line.slice(dash + 3).split(' ')[0];
    if (fsType !== 'cgroup2') continue;
    const fields = line.slice(0, dash).split(' ');
    if (fields.length < 5) continue;
    return { root: unescapeMount(fields[3]), mountPoint: unescapeMount(fields[4]) };
  }
  return null;
}

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes (`\040`). */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** This process's cgroup v2 path from a /proc/self/cgroup text (its `0::<path>` line); null when it has none. */
export function parseOwnCgroup(procCgroup: string): string | null {
  for (const line of procCgroup.split('\n')) {
    if (line.startsWith('0::')) return line.slice(3) || null;
  }
  return null;
}

/** The folder of cgroup `own` under a cgroup2 mount that shows cgroup `root`; null when `own` is not below it (or is deleted). */
export function cgroupDirOf(mount: { mountPoint: string; root: string }, own: string): string | null {
  if (own.endsWith(' (deleted)')) return null;
  const relative = path.posix.relative(mount.root, own);
  if (relative.startsWith('..') || path.posix.isAbsolute(relative)) return null;
  return path.join(mount.mountPoint, relative);
}

/** Where stress-run can make cgroups for its suites: its own cgroup's folder, or why not. */
export type CgroupParent = { dir: string } | { reason: string };

/**
 * stress-run's own cgroup v2 folder, when it can make cgroups in it: the folder is found from the
 * cgroup2 mount and this process's `0::` line, and a probe cgroup is made and removed there.
 * Moving a process in is tried per suite (see moveInto): a machine may allow the one and not the other.
 */
export function cgroupParent(read: (file: string) => string = (file) => fs.readFileSync(file, 'utf8')): CgroupParent {
  if (process.platform !== 'linux') return { reason: 'not Linux' };
  let mount: ReturnType<typeof parseCgroup2Mount>;
  let own: string | null;
  try {
    mount = parseCgroup2Mount(read('/proc/self/mountinfo'));
    own = parseOwnCgroup(read('/proc/self/cgroup'));
  } catch {
    return { reason: 'cannot read /proc/self/mountinfo or /proc/self/cgroup' };
  }
  if (!mount) return { reason: 'no cgroup v2 mount' };
  if (own === null) return { reason: 'this process has no cgroup v2 path' };
  const dir = cgroupDirOf(mount, own);
  if (dir === null) return { reason: `this process's cgroup ${own} is not under the cgroup2 mount at ${mount.mountPoint}` };
  const probe = path.join(dir, `stress-run-probe-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(probe);
  } catch (error) {
    return { reason: `cannot create a cgroup in ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const isCgroup = fs.existsSync(path.join(probe, 'cgroup.procs'));
  try {
    fs.rmdirSync(probe);
  } catch {
    // an empty cgroup is removed; a plain folder too
  }
  return isCgroup ? { dir } : { reason: `${dir} is not a cgroup v2 folder` };
}

/** Writes `text` to a file that must exist already (a cgroup's interface files; some are write-only). */
function writeExisting(file: string, text: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY);
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes the cgroup `name` under `parent`; throws when it cannot. */
export function createCgroup(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir);
  return dir;
}

/** Moves a process (and the threads of it) into the cgroup; throws when the kernel refuses (no delegation, EBUSY …). */
export function moveInto(cgroup: string, pid: number): void {
  writeExisting(path.join(cgroup, 'cgroup.procs'), String(pid));
}

/** The cgroup itself and every cgroup below it, deepest last. */
function cgroupTree(cgroup: string): string[] {
  const out: string[] = [];
  const queue = [cgroup];
  while (queue.length) {
    const dir = queue.shift()!;
    out.push(dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) if (entry.isDirectory()) queue.push(path.join(dir, entry.name));
  }
  return out;
}

/** Every process in the cgroup and the cgroups below it; empty when it is gone. */
export function cgroupPids(cgroup: string): number[] {
  const pids: number[] = [];
  for (const dir of cgroupTree(cgroup)) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, 'cgroup.procs'), 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const pid = Number(line);
      if (line && Number.isInteger(pid)) pids.push(pid);
    }
  }
  return pids;
}

/**
 * SIGKILLs every process in the cgroup and below: one write to `cgroup.kill` where the kernel has it
 * (5.14+; it also takes the processes forking meanwhile), else each pid `cgroup.procs` lists.
 */
export function killCgroup(cgroup: string): void {
  try {
    writeExisting(path.join(cgroup, 'cgroup.kill'), '1');
    return;
  } catch {
    // no cgroup.kill (older kernel), or the cgroup is gone: the list below says which
  }
  for (const pid of cgroupPids(cgroup)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Removes the cgroup and those below it (deepest first); false when one still holds a process (or cannot be removed). */
export function removeCgroup(cgroup: string): boolean {
  let removed = true;
  for (const dir of cgroupTree(cgroup).reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') removed = false;
    }
  }
  return removed;
}

/**
 * Kills everything in the cgroup and removes it, trying again every 20 ms until it is empty (a process
 * forked while the list was read, an exit still under way) or `timeoutMs` has passed. True when it is gone.
 */
export async function reapCgroup(cgroup: string, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!fs.existsSync(cgroup)) return true;
    killCgroup(cgroup);
    if (removeCgroup(cgroup)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
