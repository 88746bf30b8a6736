import { failingCap, renderFloorTable, reproduceCap } from '../../../src/report/floor-table';
import { makeReport } from '../../support/make-result';
import type { FloorTry } from '../../../src/base/types';
import { makeResult } from '../../support/make-result';

const t = (capMb: number, outcome: FloorTry['outcome']): FloorTry => ({ capMb, outcome, peakRssBytes: 0, durationMs: 100 });
const suite = (floorMb: number | null, tries: FloorTry[]) => makeResult({ heapFloorMb: floorMb, floorTries: tries });

describe('reproduceCap', () => {
  test('near the floor a cap can go either way: the note names one that ran out of heap two steps under it', () => {
    // Floor 79 MB, a step of 4 MB: 76 MB failed twice, but sits on the edge; 68 MB is 8 MB under.
    const s = suite(79, [t(100, 'passed'), t(68, 'oom'), t(76, 'oom'), t(88, 'passed'), t(82, 'passed'), t(79, 'passed'), t(76, 'oom')]);
    expect(failingCap(s)).toBe(76);
    expect(reproduceCap(s)).toBe(68);
  });

  test('the failing cap itself when nothing was tried that far under the floor', () => {
    const s = suite(79, [t(100, 'passed'), t(76, 'oom'), t(79, 'passed'), t(76, 'oom')]);
    expect(reproduceCap(s)).toBe(76);
  });

  test('only a cap whose every try ran out of heap, and none without a floor', () => {
    const s = suite(79, [t(100, 'passed'), t(60, 'timeout'), t(76, 'oom'), t(79, 'passed'), t(76, 'oom')]);
    expect(reproduceCap(s)).toBe(76);
    expect(reproduceCap(suite(null, [t(100, 'oom')]))).toBeNull();
  });
});

describe('the note that says how to reproduce the OOM', () => {
  const note = (s: ReturnType<typeof suite>): string => renderFloorTable(makeReport([s]), () => ({ mb: 100, budget: false }), { color: false }).split('\n').find((l) => l.includes('reproduce'))!;

  test('names the same cap as the OOM it reports when that cap ran out of heap every time', () => {
    expect(note(suite(79, [t(100, 'passed'), t(76, 'oom'), t(79, 'passed'), t(76, 'oom')]))).toBe(
      'kb-accuracy: passes at 79 MB, runs out of heap at 76 MB · reproduce: stress-run --suite kb-accuracy --max-heap 76',
    );
  });

  test('says in one sentence why it names another cap', () => {
    expect(note(suite(79, [t(100, 'passed'), t(68, 'oom'), t(76, 'oom'), t(88, 'passed'), t(82, 'passed'), t(79, 'passed'), t(76, 'oom')]))).toBe(
      'kb-accuracy: passes at 79 MB, runs out of heap at 76 MB · reproduce: stress-run --suite kb-accuracy --max-heap 68 ' +
        '(not 76: that close to the floor a run can go either way; 68 MB ran out of heap every time it was tried)',
    );
  });
});
