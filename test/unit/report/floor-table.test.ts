import { failingCap, reproduceCap } from '../../../src/report/floor-table';
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
