import libCoverage from 'istanbul-lib-coverage';
import { coverageFileBeside, thresholdFailures } from '../../../src/report/coverage';

// One file of four statements, three of them run; two functions, one called.
const MAP = libCoverage.createCoverageMap({
  '/p/src/a.js': {
    path: '/p/src/a.js',
    statementMap: Object.fromEntries([0, 1, 2, 3].map((i) => [i, { start: { line: i + 1, column: 0 }, end: { line: i + 1, column: 10 } }])),
    fnMap: {
      0: { name: 'f', decl: { start: { line: 1, column: 0 }, end: { line: 1, column: 5 } }, loc: { start: { line: 1, column: 0 }, end: { line: 2, column: 0 } }, line: 1 },
      1: { name: 'g', decl: { start: { line: 3, column: 0 }, end: { line: 3, column: 5 } }, loc: { start: { line: 3, column: 0 }, end: { line: 4, column: 0 } }, line: 3 },
    },
    branchMap: {},
    s: { 0: 1, 1: 1, 2: 1, 3: 0 },
    f: { 0: 1, 1: 0 },
    b: {},
  },
});

describe('thresholdFailures', () => {
  it('words each unmet global threshold as Jest does, percentages and uncovered counts', () => {
    expect(thresholdFailures(MAP, { statements: 80, functions: 50, lines: -1 })).toEqual(['Jest: "global" coverage threshold for statements (80%) not met: 75%']);
    expect(thresholdFailures(MAP, { functions: 60 })).toEqual(['Jest: "global" coverage threshold for functions (60%) not met: 50%']);
    expect(thresholdFailures(MAP, { statements: -0 })).toEqual([]);
    expect(thresholdFailures(MAP, { lines: -0.5 })).toEqual(['Jest: Uncovered count for lines (1) exceeds global threshold (0.5)']);
  });

  it('passes when every threshold is met, and when there are none', () => {
    expect(thresholdFailures(MAP, { statements: 75, functions: 50, lines: 75 })).toEqual([]);
    expect(thresholdFailures(MAP, {})).toEqual([]);
  });
});

describe('coverageFileBeside', () => {
  it('puts the coverage map beside the JSON report', () => {
    expect(coverageFileBeside('reports/shard-1.json')).toBe('reports/shard-1.coverage.json');
    expect(coverageFileBeside('report')).toBe('report.coverage.json');
  });
});
