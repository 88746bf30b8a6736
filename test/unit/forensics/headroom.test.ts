import { headroomWarnings } from '../../../src/forensics/headroom';
import { makeReport, makeResult } from '../../support/make-result';

const history = makeReport([
  makeResult({ name: 'tight', heapFloorMb: 40 }),
  makeResult({ name: 'under', heapFloorMb: 80 }),
  makeResult({ name: 'roomy', heapFloorMb: 30 }),
  makeResult({ name: 'unknown', heapFloorMb: null }),
]);

describe('headroomWarnings', () => {
  it('warns about suites whose cap is under 1.2× the floor a previous report found, and under the floor outright', () => {
    const report = makeReport([
      makeResult({ name: 'tight', heapCapMb: 46 }),
      makeResult({ name: 'under', heapCapMb: 64 }),
      makeResult({ name: 'roomy', heapCapMb: 36 }),
      makeResult({ name: 'unknown', heapCapMb: 20 }),
      makeResult({ name: 'new', heapCapMb: 20 }),
      makeResult({ name: 'uncapped', heapCapMb: null }),
    ]);
    expect(headroomWarnings(report, history, 'floors.json')).toEqual([
      'tight: its heap cap of 46 MB is only 1.15× its heap floor of 40 MB (floors.json): a little more heap use and it runs out. Give it at least 48 MB.',
      'under: its heap cap of 64 MB is under its heap floor of 80 MB (floors.json): expect it to run out of heap. Raise its memory budget or --max-heap.',
    ]);
  });

  it('says nothing about a report without floors', () => {
    expect(headroomWarnings(makeReport([makeResult({ heapCapMb: 10 })]), makeReport([makeResult()]), 'r.json')).toEqual([]);
  });
});
