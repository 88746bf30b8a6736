import { descendants, parseRunDelayMs, parseStat, parseStatus } from '../../../src/base/proc';

describe('parseStatus', () => {
  it('reads current and peak RSS in bytes', () => {
    const text = 'Name:\tnode\nVmPeak:\t 999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t7\n';
    expect(parseStatus(text)).toEqual({ rssBytes: 100 * 1024 * 1024, hwmBytes: 200 * 1024 * 1024 });
  });

  it('returns null for a zombie, which has no memory lines', () => {
    expect(parseStatus('Name:\tnode\nState:\tZ (zombie)\n')).toBeNull();
  });
});

describe('parseStat', () => {
  it('finds the parent pid and start time after a command name with spaces and parentheses', () => {
    const fields = ['S', '42', '7', '7', '0', '-1', '4194304', '1', '0', '0', '0', '3', '1', '0', '0', '20', '0', '7', '0', '98765'];
    expect(parseStat(`1234 (node (worker) 1) ${fields.join(' ')} 1 2 3`)).toEqual({ ppid: 42, startTime: 98765 });
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseStat('garbage')).toBeNull();
  });
});

describe('descendants', () => {
  it('walks the whole tree below the root, and nothing beside it', () => {
    const parentOf = new Map([
      [10, 1],
      [11, 10],
      [12, 10],
      [13, 12],
      [20, 1],
      [21, 20],
    ]);
    expect(descendants(10, parentOf).sort()).toEqual([10, 11, 12, 13]);
  });

  it('is just the root when it has no children', () => {
    expect(descendants(99, new Map([[10, 1]]))).toEqual([99]);
  });
});

describe('parseRunDelayMs', () => {
  it('reads the run-queue wait of /proc/<pid>/schedstat (its second field, ns) as ms', () => {
    expect(parseRunDelayMs('604591466 514708932 229\n')).toBeCloseTo(514.708932);
    expect(parseRunDelayMs('garbage')).toBeNull();
  });
});
