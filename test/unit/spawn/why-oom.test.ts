import * as fs from 'node:fs';
import type { RunPlan } from '../../../src/spawn/run-plan';
import { withOomSummary } from '../../../src/spawn/why-oom';
import type { SuiteRun } from '../../../src/base/types';
import { makeDeath, makeResult } from '../../support/make-result';

const plan = { suite: { name: 'kb/accuracy', file: '/x.test.js' }, timeoutMs: 10_000, heapCapMb: 32, extraNodeOptions: ['--trace-gc'] } as unknown as RunPlan;

/** A fake runner: records the plan, writes an empty snapshot file when asked, ends with `outcome`. */
function runner(outcome: 'oom' | 'timeout', writeEmpty = false): { run: (p: RunPlan) => Promise<SuiteRun>; plans: RunPlan[] } {
  const plans: RunPlan[] = [];
  return {
    plans,
    run: async (p) => {
      plans.push(p);
      const dir = p.extraNodeOptions!.find((o) => o.startsWith('--diagnostic-dir='))!.slice('--diagnostic-dir='.length);
      if (writeEmpty) fs.writeFileSync(`${dir}/Heap.1.heapsnapshot`, '');
      return { ...makeDeath(outcome), memoryAtHeapPeak: null };
    },
  };
}

describe('withOomSummary', () => {
  it('leaves a result alone unless it ran out of heap', async () => {
    const fake = runner('oom');
    const passed = makeResult();
    expect(await withOomSummary(passed, plan, fake.run, new AbortController().signal)).toBe(passed);
    expect(fake.plans).toEqual([]);
  });

  it('runs the suite again with room to write a snapshot at 90% of the cap it died under, more time, its own Node options kept', async () => {
    const fake = runner('timeout');
    const result = await withOomSummary(makeDeath('oom', { message: 'V8 ran out of heap' }), plan, fake.run, new AbortController().signal);
    expect(fake.plans).toHaveLength(1);
    const again = fake.plans[0];
    expect(again.timeoutMs).toBe(30_000);
    expect(again.heapCapMb).toBe(64);
    const dir = again.extraNodeOptions![2].slice('--diagnostic-dir='.length);
    expect(again.extraNodeOptions).toEqual(['--trace-gc', '--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${dir}`]);
    expect(again.extraEnv).toEqual({ STRESS_RUN_SNAPSHOT_AT: String(Math.round(0.9 * 32 * 1024 * 1024)), STRESS_RUN_SNAPSHOT_DIR: dir });
    expect(result.oomSummary).toBeNull();
    expect(result.message).toBe('V8 ran out of heap\n--why-oom: no heap snapshot from the second run: it timed out after 30 s, before V8 finished writing the heap snapshot; raise --timeout');
  });

  it('says so when the snapshot file is empty (the process died while writing it), and cleans up', async () => {
    const fake = runner('oom', true);
    const result = await withOomSummary(makeDeath('oom', { message: null }), plan, fake.run, new AbortController().signal);
    expect(result.message).toBe('--why-oom: no heap snapshot from the second run: it ran out of heap before V8 could write the heap snapshot');
    const dir = fake.plans[0].extraNodeOptions![2].slice('--diagnostic-dir='.length);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('does nothing once the run was aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    const fake = runner('oom');
    const oom = makeDeath('oom');
    expect(await withOomSummary(oom, plan, fake.run, abort.signal)).toBe(oom);
  });
});
