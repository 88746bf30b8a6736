// A cgroup of its own for each suite child, where the machine offers cgroup v2 with delegation (root,
// or a `systemd-run --user --scope` shell): a process that clears its environment and double-forks
// between two tree scans escapes the tree, the process group and the run mark, never its cgroup. The
// child is moved in right after its spawn, while Node is still starting (tens of ms before any of its
// code, let alone a test, runs); the run's end, and the run watcher on stress-run's death, kill the
// cgroup and remove it. Where no cgroup can be made, or STRESS_RUN_NO_CGROUP is set, suites run as
// before: tree, group and mark, and the limit the docs name.
import { cgroupParent, createCgroup, moveInto, reapCgroup, type CgroupParent } from '../base/cgroup';
import { NO_CGROUP_ENV } from '../child/protocol';

let parent: CgroupParent | null = null;

/** Where suite cgroups go in this process, decided at the first suite child (and said once under --debug). */
function decide(say: ((line: string) => void) | null): CgroupParent {
  if (parent === null) {
    parent = process.env[NO_CGROUP_ENV] ? { reason: `${NO_CGROUP_ENV} is set` } : cgroupParent();
    tell(say);
  }
  return parent;
}

function tell(say: ((line: string) => void) | null): void {
  if (!say || parent === null) return;
  if ('dir' in parent) say(`each suite runs in a cgroup of its own under ${parent.dir}`);
  else say(`no cgroup for the suites (${parent.reason}): a process that clears its environment and leaves the tree between two scans can outlive its suite`);
}

/**
 * Moves the just-spawned suite child `pid` into a new cgroup named after its run; returns the
 * cgroup's folder, or null when suites get none here. A refusal (no delegation: the kernel checks the
 * move, not the mkdir) turns cgroups off for the rest of the process.
 */
export function joinSuiteCgroup(pid: number, runId: string, say: ((line: string) => void) | null): string | null {
  const where = decide(say);
  if (!('dir' in where)) return null;
  let cgroup: string | null = null;
  try {
    cgroup = createCgroup(where.dir, `stress-run-${runId}`);
    moveInto(cgroup, pid);
    return cgroup;
  } catch (error) {
    if (cgroup !== null) void reapCgroup(cgroup, 0);
    // The child already gone (it could not start): nothing is known of the machine.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return null;
    parent = { reason: `cannot move a process into a cgroup under ${where.dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    tell(say);
    return null;
  }
}

/** Kills whatever is left in a suite's cgroup and removes it (waits up to 2 s for the processes to go). */
export async function endSuiteCgroup(cgroup: string | null): Promise<void> {
  if (cgroup !== null) await reapCgroup(cgroup);
}
