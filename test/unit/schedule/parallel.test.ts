import { runParallel } from '../../../src/schedule/parallel';
import type { Queued } from '../../../src/schedule/plan';
import type { SuiteResult } from '../../../src/base/types';
import { makeDeath, makeResult, MB } from '../../support/make-result';

interface Started {
  name: string;
  finish(): void;
  sample(rssMb: number): void;
  abort: AbortSignal;
}

/** runParallel over named plans with runs the test finishes by hand. */
function harness(queue: Queued[], parallelism: number, totalMb: number, abort = new AbortController(), heldMb = () => 0) {
  const started: Started[] = [];
  const results: string[] = [];
  const plans = [...queue].map((q) => ({ name: q.name })).sort((a, b) => a.name.localeCompare(b.name));
  const done = runParallel(
    plans,
    queue,
    { parallelism, totalBytes: totalMb * MB },
    (plan, signal, onSample) =>
      new Promise<SuiteResult>((resolve) => {
        const finish = (): void => resolve(makeResult({ name: plan.name }));
        signal.addEventListener('abort', () => resolve(makeDeath('interrupted', { name: plan.name })));
        started.push({ name: plan.name, finish, sample: (mb) => onSample(mb * MB), abort: signal });
      }),
    (plan) => makeDeath('interrupted', { name: plan.name, durationMs: 0 }),
    abort.signal,
    (result) => results.push(`${result.name}:${result.outcome}`),
    () => heldMb() * MB,
  );
  const names = (): string[] => started.map((s) => s.name);
  const finish = async (name: string): Promise<void> => {
    started.find((s) => s.name === name)!.finish();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, names, finish, results, done, abort };
}

const q = (name: string, peakMb: number, ms = 0): Queued => ({ name, expectedPeakBytes: peakMb * MB, expectedMs: ms });

describe('runParallel', () => {
  it('keeps the expected peaks of running suites within the total, and hands back results in plan order', async () => {
    const h = harness([q('a', 250), q('b', 250), q('c', 250), q('d', 100)], 4, 600);
    // a and b fit (500 MB); c does not, d (100 MB) does.
    expect(h.names()).toEqual(['a', 'b', 'd']);
    await h.finish('a');
    expect(h.names()).toEqual(['a', 'b', 'd', 'c']);
    await h.finish('b');
    await h.finish('c');
    await h.finish('d');
    const results = await h.done;
    expect(results.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(h.results).toEqual(['a:passed', 'b:passed', 'c:passed', 'd:passed']);
  });

  it('counts what standby children hold in the measured total: nothing new starts while it is over', async () => {
    let held = 0;
    const h = harness([q('a', 100), q('b', 100), q('c', 100)], 2, 600, new AbortController(), () => held);
    expect(h.names()).toEqual(['a', 'b']);
    // 300 measured + 350 held: over the 600 total when a slot frees.
    h.started[0].sample(300);
    held = 350;
    await h.finish('b');
    expect(h.names()).toEqual(['a', 'b']);
    held = 100;
    h.started[0].sample(300);
    expect(h.names()).toEqual(['a', 'b', 'c']);
    for (const name of ['a', 'c']) await h.finish(name);
    await h.done;
  });

  it('starts nothing new while the measured RSS is over the total, and resumes when it falls', async () => {
    const h = harness([q('a', 100), q('b', 100), q('c', 100), q('d', 100)], 3, 600);
    // a and b grow far past what was expected: 650 MB measured, over the 600 MB total.
    h.started[0].sample(400);
    h.started[1].sample(250);
    await h.finish('c');
    expect(h.names()).toEqual(['a', 'b', 'c']);
    h.started[0].sample(200);
    expect(h.names()).toEqual(['a', 'b', 'c', 'd']);
    for (const name of ['a', 'b', 'd']) await h.finish(name);
    await h.done;
  });

  it('after an abort starts nothing more, lets the running suites stop, and marks the rest not run', async () => {
    const h = harness([q('a', 100), q('b', 100), q('c', 100)], 2, 600);
    h.abort.abort();
    const results = await h.done;
    expect(h.names()).toEqual(['a', 'b']);
    expect(h.started.every((s) => s.abort.aborted)).toBe(true);
    expect(results.map((r) => [r.name, r.outcome, r.durationMs > 0])).toEqual([
      ['a', 'interrupted', true],
      ['b', 'interrupted', true],
      ['c', 'interrupted', false],
    ]);
  });

  it('stops the other runs and throws when one run fails inside stress-run', async () => {
    const abort = new AbortController();
    let other: AbortSignal | null = null;
    const done = runParallel(
      [{ name: 'a' }, { name: 'b' }],
      [q('a', 1), q('b', 1)],
      { parallelism: 2, totalBytes: 100 * MB },
      (plan, signal) => {
        if (plan.name === 'a') return Promise.reject(new Error('boom'));
        other = signal;
        return new Promise<SuiteResult>((resolve) => signal.addEventListener('abort', () => resolve(makeDeath('interrupted', { name: 'b' }))));
      },
      (plan) => makeDeath('interrupted', { name: plan.name }),
      abort.signal,
      () => undefined,
    );
    await expect(done).rejects.toThrow('boom');
    expect(other!.aborted).toBe(true);
  });
});
