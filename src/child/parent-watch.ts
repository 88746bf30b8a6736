// A suite child's watch on stress-run. stress-run hands every suite child one end of a pipe (a socket
// pair) on file descriptor 3 and keeps the other end. When stress-run dies, however it dies (SIGKILL
// from a CI runner's hard cancel, the kernel's OOM killer), the kernel closes its end and the child
// reads end-of-file: the child then removes the run's temp folder, kills every process that carries
// the run's mark, and kills its own process group, itself included. Nothing of the suite outlives it.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { hasMark, listPids } from '../base/proc';
import { PARENT_FD, RUN_MARK_ENV, runMark, WORK_DIR_ENV } from './protocol';

/**
 * Starts watching for stress-run's death; a suite child's entry calls it first thing. It keeps no
 * process alive and does nothing when the child was started without the pipe.
 */
export function watchParent(): void {
  const workDir = process.env[WORK_DIR_ENV];
  delete process.env[WORK_DIR_ENV];
  const runId = process.env[RUN_MARK_ENV];
  let socket: net.Socket;
  try {
    if (!fs.fstatSync(PARENT_FD).isSocket()) return;
    socket = new net.Socket({ fd: PARENT_FD, readable: true, writable: false });
  } catch {
    return; // not started by stress-run (no descriptor 3): nothing to watch
  }
  const gone = (): void => parentGone(workDir, runId);
  socket.once('end', gone);
  socket.once('error', gone);
  socket.resume();
  socket.unref();
}

function parentGone(workDir: string | undefined, runId: string | undefined): void {
  for (const dir of (workDir ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: the processes matter more than the folders
    }
  }
  if (runId) {
    const mark = runMark(runId);
    for (const pid of listPids()) {
      if (pid !== process.pid && hasMark(pid, mark)) signal(pid);
    }
  }
  signal(0); // this process's own group, this process included
  process.exit(137);
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
