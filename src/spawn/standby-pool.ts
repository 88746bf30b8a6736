// The standby children of a run: suite children started ahead, each loading Jest while the current
// suites run, then waiting for a suite whose command they match (see spawn-child).
import type { ChildPlan, Standby, StartedChild } from './run-plan';
import { discard, standbyKey, startChild } from './spawn-child';

/**
 * The standby children of a run: at most `capacity` (one per slot of the schedule) wait at a time.
 * `take` gives a waiting child that fits the suite about to run (same command) and is still alive;
 * `prepare` starts one for a suite that is due later, while the current suites run; `heldBytes` is
 * what the waiting ones hold now (a parallel run counts it against its total); `dispose` kills
 * whatever still waits when the run ends or stops.
 */
export class StandbyPool implements Standby {
  private waiting: Array<{ key: string; started: Promise<StartedChild | null>; child: StartedChild | null }> = [];

  constructor(private readonly capacity = 1) {}

  async take(plan: ChildPlan): Promise<StartedChild | null> {
    const key = standbyKey(plan);
    const at = this.waiting.findIndex((w) => w.key === key);
    // None fits: the oldest makes way for one that will (it would only hold memory).
    const held = this.waiting.splice(at >= 0 ? at : 0, 1)[0];
    if (!held) return null;
    const started = await held.started;
    if (!started) return null;
    const alive = started.pid !== undefined && started.child.exitCode === null && started.child.signalCode === null;
    if (held.key === key && alive) return started;
    await discard(started);
    return null;
  }

  /** Starts a standby child like `plan`'s, unless `capacity` already wait. */
  prepare(plan: ChildPlan): void {
    const key = standbyKey(plan);
    if (key === null || this.waiting.length >= this.capacity) return;
    // A standby that cannot start is no standby: the suite then starts its own child as usual.
    const entry: (typeof this.waiting)[number] = { key, started: startChild(plan, true).catch(() => null), child: null };
    void entry.started.then((child) => (entry.child = child));
    this.waiting.push(entry);
  }

  /** How many wait now. */
  get size(): number {
    return this.waiting.length;
  }

  /** The summed RSS of the waiting children's trees now. */
  heldBytes(): number {
    return this.waiting.reduce((sum, w) => sum + (w.child?.rssBytes ?? 0), 0);
  }

  async dispose(): Promise<void> {
    const held = this.waiting;
    this.waiting = [];
    for (const started of await Promise.all(held.map((w) => w.started))) if (started) await discard(started);
  }
}
