// The run watcher: one small Node process per run, started by stress-run beside its suites (not in
// any suite's tree, in a process group of its own). stress-run tells it on stdin which suite groups
// are alive (RunWatchLine); when stress-run dies, however it dies (SIGKILL, the OOM killer), the
// kernel closes that pipe and the watcher takes every live suite down: its process group, every
// process carrying its run mark, everything in its cgroup (where it has one), its temp folders.
// Unlike the suite child's own parent watch, this needs nothing of the suite's event loop: a suite
// spinning in a synchronous loop is killed as fast.
import * as fs from 'node:fs';
import { hasMark, listPids } from '../base/proc';
import { reapCgroup } from '../base/cgroup';
import type { RunWatchLine } from './protocol';

const live = new Map<number, { mark: string; dirs: string[]; cgroup?: string }>();
// The run's own temp folders (discovery's context, the suites' folders below it): removed last.
const folders = new Set<string>();

function take(line: string): void {
  let parsed: RunWatchLine;
  try {
    parsed = JSON.parse(line) as RunWatchLine;
  } catch {
    return;
  }
  if ('add' in parsed) live.set(parsed.add.group, { mark: parsed.add.mark, dirs: parsed.add.dirs, cgroup: parsed.add.cgroup });
  else if ('gone' in parsed) live.delete(parsed.gone);
  else if ('folder' in parsed) folders.add(parsed.folder);
  else folders.delete(parsed.folderGone);
}

async function parentGone(): Promise<void> {
  const marks = [...new Set([...live.values()].map((entry) => entry.mark))];
  // A group whose leader still carries its mark is the suite's: the whole group goes, also processes
  // in it that cleared their environment. A leader without the mark is a reused pid: left alone.
  for (const [group, entry] of live) if (hasMark(group, entry.mark)) kill(-group);
  if (marks.length) for (const pid of listPids()) if (pid !== process.pid && marks.some((mark) => hasMark(pid, mark))) kill(pid);
  // A suite's cgroup holds what neither its group nor its mark reach (a daemon that ran env -i and double-forked).
  await Promise.all([...live.values()].map((entry) => (entry.cgroup ? reapCgroup(entry.cgroup) : true)));
  for (const dir of [...[...live.values()].flatMap((entry) => entry.dirs), ...folders]) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: the processes matter more than the folders
    }
  }
  process.exit(0);
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function main(): void {
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      take(pending.slice(0, end));
      pending = pending.slice(end + 1);
    }
  });
  let going = false;
  const gone = (): void => {
    if (going) return;
    going = true;
    void parentGone();
  };
  process.stdin.on('end', gone);
  process.stdin.on('error', gone);
}

if (require.main === module) main();
