/** Sends a signal to a process group and to each listed pid, ignoring ones already gone. */
export function signalTree(groupId: number, pids: number[], signal: NodeJS.Signals): void {
  const targets: number[] = [-groupId, ...pids];
  for (const target of targets) {
    try {
      process.kill(target, signal);
    } catch {
      // already exited
    }
  }
}

/**
 * Stops a process tree: SIGTERM to its group and known members, then SIGKILL after `graceMs` for
 * whatever ignored it. Members that left the group (setsid) are reached through `pids`, the live
 * members the tree watcher knows of.
 */
export async function killTree(groupId: number, pids: () => number[], graceMs: number, exited: () => boolean): Promise<void> {
  if (graceMs > 0) {
    signalTree(groupId, pids(), 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && !exited()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  // The tree is asked again: what it holds now, not what it held a grace period ago.
  signalTree(groupId, pids(), 'SIGKILL');
}
