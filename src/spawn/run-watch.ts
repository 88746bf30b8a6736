// stress-run's side of the run watcher (child/run-watch): started with the run's temp folder, told of
// each suite group as it starts and ends. It holds nothing that keeps stress-run alive; when
// stress-run exits, normally or not, the watcher reads end-of-file: by then a normal run has told it
// every group is gone, so it only exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { childEntry, type RunWatchLine } from '../child/protocol';

let watcher: ChildProcess | null = null;

function send(line: RunWatchLine): void {
  if (watcher === null) {
    watcher = spawn(process.execPath, ['--max-old-space-size=32', childEntry('runWatch')], {
      // A process group of its own: a Ctrl-C at the terminal reaches stress-run, which stops the suites itself.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      // No NODE_OPTIONS of the caller's (a --require, a heap flag): the watcher is stress-run's own.
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    watcher.on('error', () => undefined);
    watcher.stdin!.on('error', () => undefined);
    watcher.unref();
    (watcher.stdin as unknown as { unref?: () => void }).unref?.();
  }
  watcher.stdin!.write(`${JSON.stringify(line)}\n`);
}

/** A suite child's process group is alive: the watcher kills it, its marked processes, its cgroup and folders if stress-run dies. */
export function watchGroup(group: number, mark: string, dirs: string[], cgroup: string | null): void {
  send({ add: { group, mark, dirs, ...(cgroup !== null ? { cgroup } : {}) } });
}

/** The suite child's tree is down, its cgroup and folder removed: nothing left for the watcher. */
export function groupGone(group: number): void {
  if (watcher !== null) send({ gone: group });
}

/** The run's own temp folder exists: the watcher removes it if stress-run dies (during discovery, say, before any suite). */
export function watchFolder(folder: string): void {
  send({ folder });
}

/** The run's temp folder is removed. */
export function folderGone(folder: string): void {
  if (watcher !== null) send({ folderGone: folder });
}
