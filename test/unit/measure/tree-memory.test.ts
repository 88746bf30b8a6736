import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pidsBefore, watchTree } from '../../../src/measure/tree-memory';

const linux = process.platform === 'linux' ? test : test.skip;

linux('a process first seen between fork and exec is listed under the command it runs', async () => {
  const before = pidsBefore();
  // Watched from the spawn, the shell may first show the command line of the process that forked it.
  const child = spawn('/bin/sh', ['-c', 'sleep 0.05; exec sleep 1'], { stdio: 'ignore' });
  const startedAtMs = performance.now();
  const watch = watchTree(child.pid!, { sampleMs: 20, treeMs: 100, startedAtMs, now: () => performance.now(), mark: null, before });
  await new Promise((resolve) => setTimeout(resolve, 400));
  const memory = watch.stop();
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const root = memory.processes.find((p) => p.pid === child.pid);
  expect(root?.command).toBe('sleep 1');
  expect(root!.peakRssBytes).toBeGreaterThan(0);
});

linux('a process that stays a fork of its parent for several listings is listed under the command it then runs', async () => {
  const before = pidsBefore();
  // The subshell shows its parent's command line until it execs, 0.3 s later: three listings.
  const child = spawn('/bin/sh', ['-c', '(sleep 0.3; exec sleep 1.5) & wait'], { stdio: 'ignore', detached: true });
  const startedAtMs = performance.now();
  const watch = watchTree(child.pid!, { sampleMs: 20, treeMs: 100, startedAtMs, now: () => performance.now(), mark: null, before });
  await new Promise((resolve) => setTimeout(resolve, 800));
  const memory = watch.stop();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  const children = memory.processes.filter((p) => p.ppid === child.pid);
  expect(children.map((p) => p.command)).toContain('sleep 1.5');
  expect(children.map((p) => p.command)).not.toContain('/bin/sh -c (sleep 0.3; exec sleep 1.5) & wait');
});

linux('a process its cgroup lists is the suite’s, outside the tree and unmarked: counted, and among the pids to kill', async () => {
  // A plain folder stands in for the suite's cgroup: the watch reads its cgroup.procs.
  const cgroup = fs.mkdtempSync(path.join(os.tmpdir(), 'tree-cgroup-'));
  const before = pidsBefore();
  const root = spawn('sleep', ['2'], { stdio: 'ignore' });
  const escaped = spawn('sleep', ['2.5'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(cgroup, 'cgroup.procs'), `${root.pid}\n${escaped.pid}\n`);
  try {
    const watch = watchTree(root.pid!, { sampleMs: 20, treeMs: 100, startedAtMs: performance.now(), now: () => performance.now(), mark: null, cgroup, before });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watch.pids()).toEqual(expect.arrayContaining([root.pid, escaped.pid]));
    const memory = watch.stop();
    expect(memory.processes.find((p) => p.pid === escaped.pid)?.command).toBe('sleep 2.5');
  } finally {
    root.kill('SIGKILL');
    escaped.kill('SIGKILL');
    fs.rmSync(cgroup, { recursive: true, force: true });
  }
});
