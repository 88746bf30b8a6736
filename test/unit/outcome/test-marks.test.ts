import { parseTestMarks, runningTestOf } from '../../../src/outcome/test-marks';

const lines = (...ls: object[]): string => ls.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('parseTestMarks', () => {
  test('pairs starts and ends, in ms since the suite started', () => {
    const text = lines({ start: 'a', atMs: 1100 }, { end: 'a', atMs: 1150 }, { start: 'b', atMs: 1160 });
    expect(parseTestMarks(text, 1000)).toEqual([
      { name: 'a', startMs: 100, endMs: 150 },
      { name: 'b', startMs: 160, endMs: null },
    ]);
  });

  test('a line cut short as the process died is skipped', () => {
    expect(parseTestMarks(lines({ start: 'a', atMs: 1100 }) + '{"end":"a","at', 1000)).toEqual([{ name: 'a', startMs: 100, endMs: null }]);
  });

  test('the same name twice (retries) pairs in order', () => {
    const text = lines({ start: 'x', atMs: 10 }, { end: 'x', atMs: 20 }, { start: 'x', atMs: 30 });
    expect(parseTestMarks(text, 0)).toEqual([
      { name: 'x', startMs: 10, endMs: 20 },
      { name: 'x', startMs: 30, endMs: null },
    ]);
  });

  test('a mark before the suite started (a standby child) is at 0', () => {
    expect(parseTestMarks(lines({ start: 'a', atMs: 900 }), 1000)[0].startMs).toBe(0);
  });
});

describe('runningTestOf', () => {
  const marks = parseTestMarks(lines({ start: 'a', atMs: 1 }, { end: 'a', atMs: 2 }, { start: 'b', atMs: 3 }), 0);
  test('names the last test that never ended, when the suite died', () => {
    for (const outcome of ['oom', 'timeout', 'killed', 'memory-killed', 'crashed', 'interrupted'] as const) expect(runningTestOf(outcome, marks)).toBe('b');
  });
  test('none for a suite that ended by itself, or died between tests', () => {
    expect(runningTestOf('passed', marks)).toBeNull();
    expect(runningTestOf('failed', marks)).toBeNull();
    expect(runningTestOf('oom', marks.slice(0, 1))).toBeNull();
  });
});
