import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where a report path points: stdout (`-`); a special file written in place, once, at the end (a
 * device such as /dev/null, a FIFO, a socket, anything under /dev such as /dev/stdout); or a
 * regular file, rewritten atomically, whose path is already followed through any symlink to its target.
 */
export type ReportTarget = { kind: 'stdout' } | { kind: 'special'; path: string } | { kind: 'file'; path: string };

/**
 * Decides how a report path is written (see ReportTarget); a folder is an EISDIR error, and a path
 * under /proc an error of its own: /proc's files are the kernel's (/proc/self/status refuses the write
 * with EINVAL only at the end, /proc/self/comm takes 15 bytes of it and drops the rest), so none can
 * hold a report. /dev/stdout, a link into /proc/self/fd, is named by its own path and still written.
 */
export function reportTarget(file: string, cwd: string): ReportTarget {
  if (file === '-') return { kind: 'stdout' };
  const absolute = path.resolve(cwd, file);
  if (underProc(absolute)) throw new Error('a path under /proc cannot hold a report');
  if (process.platform !== 'win32' && /^\/dev\//.test(absolute)) return { kind: 'special', path: absolute };
  const stat = statOrNull(absolute);
  if (stat?.isDirectory()) throw errnoError('EISDIR', absolute);
  if (stat && !stat.isFile()) return { kind: 'special', path: absolute };
  const followed = followLinks(absolute);
  if (underProc(followed)) throw new Error('a path under /proc cannot hold a report');
  return { kind: 'file', path: followed };
}

function underProc(absolute: string): boolean {
  return process.platform !== 'win32' && /^\/proc(\/|$)/.test(absolute);
}

/** A file written beside its target but not yet in place: commit() renames it there, abort() removes it. */
export interface PreparedFile {
  commit(): void;
  abort(): void;
}

/**
 * Writes `content` to a temp file beside `file`: created exclusively (O_EXCL, so it never follows a
 * planted symlink), mode 0600 while written, a random name; then given the target's mode. A missing
 * folder is created.
 */
export function prepareFile(file: string, content: string | Uint8Array): PreparedFile {
  const dir = path.dirname(file);
  makeDirs(dir);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, content);
    fs.fchmodSync(fd, modeFor(file));
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return {
    commit: () => {
      try {
        fs.renameSync(temp, file);
      } catch (error) {
        fs.rmSync(temp, { force: true });
        throw error;
      }
    },
    abort: () => fs.rmSync(temp, { force: true }),
  };
}

/** Writes a regular file atomically: a reader sees the old file or the whole new one, never half. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  prepareFile(file, content).commit();
}

/** How long the final write waits for a FIFO's reader to appear, and for a reader that stopped reading. */
export const FIFO_WAIT_MS = { reader: 2000, stalled: 30_000 };

/**
 * Writes a special file (device, FIFO, /dev/stdout …) in place, as a shell redirection would. A
 * FIFO (a pipe, also behind /dev/stdout) is opened without blocking: a blocking open with no reader
 * would wait for ever, where no signal could stop it and no table would be shown. With no reader
 * after `wait.reader` ms, or a reader that takes nothing for `wait.stalled` ms, it is an error.
 */
export function writeSpecial(file: string, content: string, wait = FIFO_WAIT_MS): void {
  if (!statOrNull(file)?.isFIFO()) {
    fs.writeFileSync(file, content);
    return;
  }
  const fd = openFifoWriter(file, wait.reader);
  try {
    const bytes = Buffer.from(content);
    let lastProgress = Date.now();
    for (let at = 0; at < bytes.length; ) {
      try {
        at += fs.writeSync(fd, bytes, at, bytes.length - at);
        lastProgress = Date.now();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        if (Date.now() - lastProgress > wait.stalled) throw new Error('the process reading this FIFO stopped reading');
        pause(5);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

// O_NONBLOCK: the open fails at once (ENXIO) while no process has the FIFO open for reading.
function openFifoWriter(file: string, waitMs: number): number {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      if (Date.now() >= deadline) throw new Error('no process is reading this FIFO');
      pause(50);
    }
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Throws when a special file cannot be written, without opening it (opening a FIFO would wait for a reader). */
export function checkSpecial(file: string): void {
  fs.accessSync(file, fs.constants.W_OK);
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

// Symlinks are followed to the file they name, so the rename replaces the target, not the link.
function followLinks(file: string): string {
  let at = file;
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!fs.lstatSync(at).isSymbolicLink()) return at;
      link = fs.readlinkSync(at);
    } catch {
      return at; // not there yet: the rename creates it
    }
    at = path.resolve(path.dirname(at), link);
  }
  throw errnoError('ELOOP', file);
}

// The existing file keeps its mode; a new one gets what the umask gives a new file.
function modeFor(file: string): number {
  const stat = statOrNull(file);
  return stat ? stat.mode & 0o777 : 0o666 & ~process.umask();
}

// One folder at a time, up from the nearest that exists: Node's recursive mkdir loops for ever on
// paths it can never create (under /proc).
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; !fs.existsSync(at); at = path.dirname(at)) {
    if (path.dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const folder of missing) fs.mkdirSync(folder);
}

function errnoError(code: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${file}`), { code, path: file });
}
