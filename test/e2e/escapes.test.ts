// A daemon that clears its environment (env -i: no run mark) and double-forks with setsid between two
// tree scans: neither the tree, nor the suite's process group, nor the mark finds it. Where stress-run
// can give each suite a cgroup of its own (cgroup v2, delegated), the cgroup holds it: nothing of the
// run is alive 3 s after the run ends, or after stress-run is killed with SIGKILL. Where it cannot (or
// with STRESS_RUN_NO_CGROUP=1), the daemon outlives the run: the documented limit, which the test
// asserts and then cleans up after.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cgroupParent, createCgroup, reapCgroup } from '../../src/base/cgroup';
import { expectNoLeftovers, markedProcesses, REPO, removeDir, runCli, startCli, suiteOf, tempDir, waitFor, type CliResult } from './helpers';

const ESCAPES = path.join(REPO, 'test', 'fixtures', 'escapes');
const cgroups = cgroupsHere();
const withCgroups = cgroups === null ? describe : describe.skip;
if (cgroups !== null) console.log(`no cgroup for suites on this machine (${cgroups}): only the fallback is tested`);

/** Null when this machine lets a process make a cgroup below its own and move a process into it (as stress-run does), else why not. */
function cgroupsHere(): string | null {
  const parent = cgroupParent();
  if (!('dir' in parent)) return parent.reason;
  const cgroup = createCgroup(parent.dir, `stress-run-e2e-probe-${process.pid}`);
  try {
    // A process of this test's own, moved in and killed with the cgroup.
    const probe = spawnSync('/bin/sh', ['-c', `echo $$ > ${cgroup}/cgroup.procs && echo moved`], { encoding: 'utf8' });
    return probe.stdout.includes('moved') ? null : `cannot move a process into ${cgroup}: ${probe.stderr.trim()}`;
  } finally {
    void reapCgroup(cgroup);
  }
}

afterEach(expectNoLeftovers);

/** The suite cgroups (stress-run-<run id>) under stress-run's own cgroup now. */
function suiteCgroupsNow(): string[] {
  const parent = cgroupParent();
  return 'dir' in parent ? fs.readdirSync(parent.dir).filter((name) => name.startsWith('stress-run-')) : [];
}

/** The daemon's pid once it has written it, else null. */
function daemonPid(pidFile: string): number | null {
  try {
    const text = fs.readFileSync(pidFile, 'utf8');
    return /^\d+\n/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/** The fixture's daemon is alive: `sleep 60`, not a zombie, without the run's mark (sh exports PWD only). */
function daemonAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1') === 'sleep\u000060\u0000' && !fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes('STRESS_RUN');
  } catch {
    return false;
  }
}

function killDaemon(pid: number | null): void {
  if (pid === null || !daemonAlive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

withCgroups('with a cgroup per suite: an env -i daemon that double-forked between two scans', () => {
  describe('when the run ends', () => {
    let tmp: string;
    let run: CliResult;
    let pid: number | null;
    let aliveAfter3s: boolean;
    let cgroupsLeft: string[];
    beforeAll(async () => {
      const before = suiteCgroupsNow();
      tmp = tempDir('escapes');
      const pidFile = path.join(tmp, 'daemon.pid');
      run = await runCli(['--dir', ESCAPES, '--debug'], { jsonFile: true, env: { STRESS_RUN_FIXTURE_PID_FILE: pidFile } });
      pid = daemonPid(pidFile);
      await settle(3000);
      aliveAfter3s = pid !== null && daemonAlive(pid);
      // This run's suite cgroups are named by their run ids (shown by --debug): another stress-run on the machine makes its own meanwhile.
      const ours = new Set([...run.stderr.matchAll(/STRESS_RUN_ID=([0-9a-f]+)/g)].map((m) => `stress-run-${m[1]}`));
      expect(ours.size).toBeGreaterThan(0);
      cgroupsLeft = suiteCgroupsNow().filter((name) => !before.includes(name) && ours.has(name));
    }, 60_000);
    afterAll(() => {
      killDaemon(pid);
      removeDir(tmp);
    });

    test('the suite ran in a cgroup of its own, removed at its end', () => {
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/stress-run: each suite runs in a cgroup of its own under /);
      expect(suiteOf(run.report, 'env-i-daemon').outcome).toBe('passed');
      expect(cgroupsLeft).toEqual([]);
    });

    test('the daemon is counted among the suite’s processes', () => {
      expect(suiteOf(run.report, 'env-i-daemon').processes.map((p) => p.command)).toContain('sleep 60');
    });

    test('nothing of the run is alive 3 s after it ends', () => {
      expect(pid).not.toBeNull();
      expect(aliveAfter3s).toBe(false);
    });
  });

  describe('when stress-run is killed with SIGKILL', () => {
    let tmp: string;
    let pid: number | null;
    let signal: NodeJS.Signals | null;
    let aliveAfter3s: boolean;
    let markedAfter3s: unknown[];
    let cgroupsLeft: string[];
    beforeAll(async () => {
      const before = suiteCgroupsNow();
      tmp = tempDir('escapes-kill');
      const pidFile = path.join(tmp, 'daemon.pid');
      const cli = startCli(['--dir', ESCAPES, '--debug'], { env: { STRESS_RUN_FIXTURE_PID_FILE: pidFile, STRESS_RUN_FIXTURE_HANG: '1', TMPDIR: tmp } });
      pid = await waitFor('the daemon to start', () => daemonPid(pidFile), 30_000);
      // Several scans pass with the daemon outside the tree.
      await settle(1000);
      cli.child.kill('SIGKILL');
      await settle(3000);
      aliveAfter3s = daemonAlive(pid);
      markedAfter3s = markedProcesses();
      const left = suiteCgroupsNow().filter((name) => !before.includes(name));
      const done = await cli.done;
      signal = done.signal;
      // This run's suite cgroups are named by their run ids (shown by --debug): another stress-run on the machine makes its own meanwhile.
      const ours = new Set([...done.stderr.matchAll(/STRESS_RUN_ID=([0-9a-f]+)/g)].map((m) => `stress-run-${m[1]}`));
      expect(ours.size).toBeGreaterThan(0);
      cgroupsLeft = left.filter((name) => ours.has(name));
    }, 60_000);
    afterAll(() => {
      killDaemon(pid);
      removeDir(tmp);
    });

    test('nothing of the run is alive 3 s later', () => {
      expect(signal).toBe('SIGKILL');
      expect(markedAfter3s).toEqual([]);
      expect(aliveAfter3s).toBe(false);
    });

    test('and no temp folder or cgroup of the run is left', () => {
      expect(fs.readdirSync(tmp).filter((name) => name.startsWith('stress-run-'))).toEqual([]);
      expect(cgroupsLeft).toEqual([]);
    });
  });
});

describe('with the fallback forced (STRESS_RUN_NO_CGROUP=1): the documented limit', () => {
  let tmp: string;
  let run: CliResult;
  let pid: number | null;
  let aliveAfter3s: boolean;
  beforeAll(async () => {
    tmp = tempDir('escapes-fallback');
    const pidFile = path.join(tmp, 'daemon.pid');
    run = await runCli(['--dir', ESCAPES, '--debug'], { jsonFile: true, env: { STRESS_RUN_FIXTURE_PID_FILE: pidFile, STRESS_RUN_NO_CGROUP: '1' } });
    pid = daemonPid(pidFile);
    await settle(3000);
    aliveAfter3s = pid !== null && daemonAlive(pid);
  }, 60_000);
  // The limit holds: the test itself takes the daemon down.
  afterAll(() => {
    killDaemon(pid);
    removeDir(tmp);
  });

  test('the run says, under --debug, that the suites get no cgroup, and passes', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/stress-run: no cgroup for the suites \(STRESS_RUN_NO_CGROUP is set\)/);
    expect(suiteOf(run.report, 'env-i-daemon').outcome).toBe('passed');
  });

  test('the daemon is neither counted nor killed: it is alive 3 s after the run', () => {
    expect(pid).not.toBeNull();
    expect(suiteOf(run.report, 'env-i-daemon').processes.map((p) => p.command)).not.toContain('sleep 60');
    expect(aliveAfter3s).toBe(true);
  });
});
