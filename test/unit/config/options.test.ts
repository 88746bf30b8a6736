import { parsePositive, type RawFlags, resolveOptions, settingsFor } from '../../../src/config/options';
import { UsageError } from '../../../src/base/errors';

const flags = (over: Partial<RawFlags> = {}): RawFlags => ({ suite: [], ...over });

describe('resolveOptions', () => {
  it('uses the documented defaults', () => {
    const o = resolveOptions(undefined, [], flags(), {});
    expect(o).toMatchObject({
      command: 'all',
      dir: null,
      pattern: null,
      budget: { memoryMb: 300, timeS: 30 },
      maxHeapMb: undefined,
      timeoutS: undefined,
      runs: 1,
      json: null,
      maxRegressionPct: 10,
    });
  });

  it('lets flags win over the config file', () => {
    const o = resolveOptions('all', [], flags({ memoryBudget: '200', dir: 'x' }), { memoryMb: 100, timeS: 5, dir: 'y', maxHeapMb: 'none' });
    expect(o.budget).toEqual({ memoryMb: 200, timeS: 5 });
    expect(o.dir).toBe('x');
    expect(o.maxHeapMb).toBeNull();
  });

  it('reads --max-heap none and a number', () => {
    expect(resolveOptions('all', [], flags({ maxHeap: 'none' }), {}).maxHeapMb).toBeNull();
    expect(resolveOptions('all', [], flags({ maxHeap: '48' }), {}).maxHeapMb).toBe(48);
  });

  it('takes --json with and without a file', () => {
    expect(resolveOptions('all', [], flags({ json: true }), {}).json).toBe(true);
    expect(resolveOptions('all', [], flags({ json: 'r.json' }), {}).json).toBe('r.json');
  });

  it.each([
    [{ maxHeap: 'abc' }, "--max-heap must be a positive whole number of MB (or none), got 'abc'."],
    [{ maxHeap: '-5' }, "--max-heap must be a positive whole number of MB (or none), got '-5'."],
    [{ maxHeap: '0' }, "--max-heap must be a positive whole number of MB (or none), got '0'."],
    [{ memoryBudget: '' }, "--memory-budget must be a positive number of MB, got ''."],
    [{ timeBudget: 'soon' }, "--time-budget must be a positive number of seconds, got 'soon'."],
    [{ timeout: '0' }, "--timeout must be a positive number of seconds, got '0'."],
    [{ runs: '1.5' }, "--runs must be a positive whole number, got '1.5'."],
    [{ maxRegression: '-1' }, "--max-regression must be a percentage of 0 or more, got '-1'."],
  ])('rejects bad numbers with one line naming the flag: %j', (bad, message) => {
    expect(() => resolveOptions('all', [], flags(bad), {})).toThrow(new UsageError(message));
  });

  it('rejects an unknown command and stray arguments, but takes report files for merge', () => {
    expect(() => resolveOptions('everything', [], flags(), {})).toThrow(/Unknown command 'everything'/);
    expect(() => resolveOptions('all', ['kb'], flags(), {})).toThrow(/--suite <name>/);
    expect(() => resolveOptions('merge', [], flags(), {})).toThrow(/merge needs one or more report files/);
    expect(resolveOptions('merge', ['a.json', 'b.json'], flags(), {}).reports).toEqual(['a.json', 'b.json']);
  });
});

describe('parsePositive', () => {
  it('accepts decimals unless a whole number is asked for', () => {
    expect(parsePositive('--time-budget', '0.5', 'seconds')).toBe(0.5);
    expect(() => parsePositive('--runs', '0.5', '', true)).toThrow(UsageError);
  });
});

describe('settingsFor', () => {
  it('sets no heap cap, guards the machine and times out at twice the time budget by default', () => {
    const o = resolveOptions('all', [], flags(), {});
    const settings = settingsFor('a', o);
    expect(settings).toEqual({
      budget: { memoryMb: 300, timeS: 30 },
      heapCapMb: null,
      killAboveMb: expect.any(Number),
      timeoutMs: 60_000,
      sources: { memoryMb: 'default', timeS: 'default', leakMb: 'none' },
    });
    // The memory this run may use (75% of the free memory or a container's limit), never under 512 MB.
    expect(settings.killAboveMb).toBeGreaterThanOrEqual(512);
    expect(settingsFor('a', resolveOptions('all', [], flags({ totalMemory: '2000' }), {})).killAboveMb).toBe(2000);
    expect(settingsFor('a', resolveOptions('all', [], flags({ totalMemory: '100' }), {})).killAboveMb).toBe(512);
  });

  it('caps the heap only where a cap was asked for (--max-heap or the config), never from a budget', () => {
    expect(settingsFor('a', resolveOptions('all', [], flags({ maxHeap: '200' }), {}))).toMatchObject({ heapCapMb: 200 });
    expect(settingsFor('a', resolveOptions('all', [], flags(), { maxHeapMb: 250 }))).toMatchObject({ heapCapMb: 250 });
    expect(settingsFor('a', resolveOptions('all', [], flags(), { memoryMb: 400 }))).toMatchObject({ heapCapMb: null });
  });

  it('refuses a live memory guard below a suite’s budget or heap cap, in one line', () => {
    expect(() => settingsFor('a', resolveOptions('all', [], flags({ killAbove: '10' }), {}))).toThrow(
      new UsageError("--kill-above 10 MB (or the config's killAboveMb) is below the memory budget (300 MB) of suite 'a': every run would be killed before it could be judged; give at least 300, or none."),
    );
    expect(() => settingsFor('a', resolveOptions('all', [], flags({ killAbove: '500', maxHeap: '800' }), {}))).toThrow(/below the heap cap \(800 MB\) of suite 'a'.*give at least 800/);
    expect(() => settingsFor('a', resolveOptions('all', [], flags(), { killAboveMb: 100, memoryMb: 200 }))).toThrow(/--kill-above 100 MB/);
    expect(settingsFor('a', resolveOptions('all', [], flags({ killAbove: '300' }), {})).killAboveMb).toBe(300);
  });

  it('sets the live memory guard from --kill-above or the config, or none', () => {
    expect(settingsFor('a', resolveOptions('all', [], flags({ killAbove: '900' }), {})).killAboveMb).toBe(900);
    expect(settingsFor('a', resolveOptions('all', [], flags({ killAbove: 'none' }), {})).killAboveMb).toBeNull();
    expect(settingsFor('a', resolveOptions('all', [], flags(), { killAboveMb: 'none' })).killAboveMb).toBeNull();
    expect(settingsFor('a', resolveOptions('all', [], flags({ totalMemory: '800' }), { memoryMb: 1000 })).killAboveMb).toBe(1000);
    expect(() => resolveOptions('all', [], flags({ killAbove: '0' }), {})).toThrow("--kill-above must be a positive number of MB (or none), got '0'.");
  });

  it('applies per-suite overrides', () => {
    const o = resolveOptions('all', [], flags({ totalMemory: '100' }), { budgets: { kb: { memoryMb: 200 } } });
    expect(settingsFor('kb', o)).toMatchObject({ budget: { memoryMb: 200, timeS: 30 }, heapCapMb: null, killAboveMb: 512, timeoutMs: 60_000 });
    expect(settingsFor('other', o).budget.memoryMb).toBe(300);
  });

  it('keeps an explicit --max-heap and --timeout for every suite', () => {
    const o = resolveOptions('all', [], flags({ maxHeap: '48', timeout: '5' }), { budgets: { kb: { memoryMb: 200 } } });
    expect(settingsFor('kb', o)).toMatchObject({ heapCapMb: 48, timeoutMs: 5000 });
  });
});

describe('budget precedence: flag, then docblock, then config file, then defaults', () => {
  const file = { memoryMb: 250, leakMb: 2, budgets: { kb: { memoryMb: 200, timeS: 12 } } };
  const docblock = { memoryMb: { value: 150, line: 3 }, leakMb: { value: 0.5, line: 5 } };

  it('takes a docblock over the config file, and says where each budget came from', () => {
    const o = resolveOptions('all', [], flags(), file);
    expect(settingsFor('kb', o, docblock)).toMatchObject({
      budget: { memoryMb: 150, timeS: 12, leakMb: 0.5 },
      heapCapMb: null,
      sources: { memoryMb: 'docblock, line 3', timeS: 'config budgets["kb"]', leakMb: 'docblock, line 5' },
    });
    expect(settingsFor('other', o).sources).toEqual({ memoryMb: 'config', timeS: 'default', leakMb: 'config' });
  });

  it('takes a flag over the docblock', () => {
    const o = resolveOptions('all', [], flags({ memoryBudget: '400', leakBudget: '1', perTest: true }), file);
    expect(settingsFor('kb', o, docblock)).toMatchObject({
      budget: { memoryMb: 400, timeS: 12, leakMb: 1 },
      sources: { memoryMb: '--memory-budget', timeS: 'config budgets["kb"]', leakMb: '--leak-budget' },
    });
  });
});

describe('compare, --env and --baseline', () => {
  it('reads each --env as a variable and its values', () => {
    const o = resolveOptions('compare', [], flags({ env: ['STRESS_MOCKS=heavy,light', 'N=1'] }), {});
    expect(o.env).toEqual([{ name: 'STRESS_MOCKS', values: ['heavy', 'light'] }, { name: 'N', values: ['1'] }]);
  });

  it('refuses a variable given twice, and a value given twice, in one line each', () => {
    expect(() => resolveOptions('compare', [], flags({ env: ['X=a,b', 'X=c,d'] }), {})).toThrow(new UsageError("--env X is given twice ('X=a,b' and 'X=c,d'); give its values in one --env: X=a,b,c,d."));
    expect(() => resolveOptions('compare', [], flags({ env: ['X=a,a'] }), {})).toThrow(new UsageError("--env X names the value 'a' twice, in 'X=a,a'; each value is one variant."));
    expect(() => resolveOptions('compare', [], flags({ env: ['X=,'] }), {})).toThrow(new UsageError("--env X names the value '' twice, in 'X=,'; each value is one variant."));
  });

  it('takes an empty value as a variant: the variable set, and empty', () => {
    const o = resolveOptions('compare', [], flags({ env: ['NODE_OPTIONS=--max-semi-space-size=16,'] }), {});
    expect(o.env).toEqual([{ name: 'NODE_OPTIONS', values: ['--max-semi-space-size=16', ''] }]);
  });

  it.each([['STRESS_MOCKS'], ['=a,b'], ['1X=a'], ['A B=a']])('rejects --env %s with one line', (bad) => {
    expect(() => resolveOptions('compare', [], flags({ env: [bad] }), {})).toThrow(new UsageError(`--env must be VAR=value1,value2 (a variable name and comma-separated values), got '${bad}'.`));
  });

  it('needs --env for compare, and names --env as ignored elsewhere', () => {
    expect(() => resolveOptions('compare', [], flags(), {})).toThrow(/compare needs --env VAR=a,b/);
    expect(resolveOptions('all', [], flags({ env: ['A=1'] }), {}).ignored).toEqual(['--env (only for compare)']);
  });

  it('takes several baselines and a floor, and refuses a command word swallowed by --baseline', () => {
    const o = resolveOptions('all', [], flags({ baseline: ['a.json', 'runs/'], noiseFloor: '2' }), {});
    expect([o.baseline, o.noiseFloorMb]).toEqual([['a.json', 'runs/'], 2]);
    expect(resolveOptions('all', [], flags(), {}).noiseFloorMb).toBe(5);
    expect(() => resolveOptions(undefined, [], flags({ baseline: ['a.json', 'all'] }), {})).toThrow(/--baseline took 'all' as a report/);
    expect(() => resolveOptions('all', [], flags({ baseline: ['a'], noiseFloor: '-1' }), {})).toThrow(/--noise-floor must be a number of MB/);
  });
});

describe('edges of the settings', () => {
  it('refuses a --json that swallowed the command word', () => {
    expect(() => resolveOptions(undefined, [], flags({ json: 'list' }), {})).toThrow(
      new UsageError("--json took 'list' as its file. Put the command first (stress-run list --json), or name a file."),
    );
  });

  it.each([
    [{ maxHeap: '0x10' }, "--max-heap must be a positive whole number of MB (or none), got '0x10'."],
    [{ memoryBudget: '0b11' }, "--memory-budget must be a positive number of MB, got '0b11'."],
    [{ maxHeap: '1e21' }, "--max-heap must be a positive whole number of MB (or none), got '1e21'."],
    [{ maxHeap: '1000000000000000000000' }, "--max-heap must be at most 1048576, got '1000000000000000000000'."],
    [{ timeBudget: '1e3' }, "--time-budget must be a positive number of seconds, got '1e3'."],
    [{ runs: '100000' }, "--runs must be at most 1000, got '100000'."],
    [{ pattern: '*'.repeat(70_000) }, '--pattern is 70000 characters; a pattern may hold at most 65536.'],
    [{ killAbove: 'x'.repeat(500) }, `--kill-above must be a positive number of MB (or none), got '${'x'.repeat(60)}… (500 characters)'.`],
  ])('refuses numbers that are not plain decimals or are past any sense, and cuts long echoes: %j', (over, message) => {
    expect(() => resolveOptions('all', [], flags(over as Partial<RawFlags>), {})).toThrow(message);
  });

  it('takes no cap from a tiny budget and keeps a huge timeout within what a timer can hold', () => {
    const o = resolveOptions('all', [], flags({ memoryBudget: '0.4', timeout: '3000000' }), {});
    expect(settingsFor('a', o)).toMatchObject({ heapCapMb: null, timeoutMs: 2 ** 31 - 1 });
  });
});

describe('flags that do nothing here', () => {
  it('are named, so they are not silently ignored', () => {
    expect(resolveOptions('all', [], flags({ shards: '3', durations: 'r.json', maxRegression: '5' }), {}).ignored).toEqual([
      '--shards (only for matrix; to run a shard use --shard i/n)',
      '--max-regression (only with --baseline)',
    ]);
    expect(resolveOptions('list', [], flags({ durations: 'r.json' }), {}).ignored).toEqual([
      '--durations (only for all, compare and matrix: it packs shards, orders and sizes --parallel, and its heap floors warn of tight caps)',
    ]);
    expect(resolveOptions('matrix', [], flags({ shards: '3' }), {}).ignored).toEqual([]);
    // compare runs through the same loop as all: --history orders and sizes it, --why-oom summarises its OOMs.
    expect(resolveOptions('compare', [], flags({ history: 'h.json', whyOom: true, env: ['A=1,2'] }), {}).ignored).toEqual([]);
    expect(resolveOptions('floor', [], flags({ whyOom: true }), {}).ignored).toEqual(['--why-oom (only for all and compare)']);
  });
});

describe('--parallel, --total-memory, --history, --quiet', () => {
  it('reads a number of suites or auto, and runs one after another without the flag', () => {
    expect(resolveOptions('all', [], flags(), {})).toMatchObject({ parallel: null, totalMemoryMb: null, quiet: false, durations: null });
    expect(resolveOptions('all', [], flags({ parallel: '3' }), {}).parallel).toBe(3);
    expect(resolveOptions('all', [], flags({ parallel: 'auto' }), {}).parallel).toBe('auto');
    expect(resolveOptions('all', [], flags({ parallel: '2', totalMemory: '600', quiet: true }), {})).toMatchObject({ totalMemoryMb: 600, quiet: true });
  });

  it.each([['0'], ['1.5'], ['two'], ['']])('refuses --parallel %p in one line', (value) => {
    expect(() => resolveOptions('all', [], flags({ parallel: value }), {})).toThrow(new UsageError(`--parallel must be a positive whole number of suites (or auto), got '${value}'.`));
  });

  it('refuses a total memory that is not a positive number', () => {
    expect(() => resolveOptions('all', [], flags({ parallel: '2', totalMemory: '-1' }), {})).toThrow(UsageError);
  });

  it('takes --history, with --durations as its older name, but not both', () => {
    expect(resolveOptions('all', [], flags({ history: 'h.json', parallel: '2' }), {}).durations).toBe('h.json');
    expect(resolveOptions('all', [], flags({ durations: 'd.json', shard: '1/2' }), {}).durations).toBe('d.json');
    expect(() => resolveOptions('all', [], flags({ history: 'h.json', durations: 'd.json' }), {})).toThrow('--durations is the older name of --history');
  });

  it('names --history and --total-memory when they do nothing', () => {
    expect(resolveOptions('list', [], flags({ history: 'h.json', totalMemory: '500' }), {}).ignored).toEqual([
      '--history (only for all, compare and matrix: it packs shards, orders and sizes --parallel, and its heap floors warn of tight caps)',
      '--total-memory (only with --parallel)',
    ]);
    expect(resolveOptions('all', [], flags({ history: 'h.json', totalMemory: '500', parallel: '2' }), {}).ignored).toEqual([]);
  });
});

describe('Jest arguments after --', () => {
  it('passes them through as given, from the command line or else the config file', () => {
    expect(resolveOptions('all', [], flags(), {}, ['--ci', '-t', 'login']).jestArgs).toEqual(['--ci', '-t', 'login']);
    expect(resolveOptions('all', [], flags(), { jestArgs: ['--selectProjects', 'web'] }).jestArgs).toEqual(['--selectProjects', 'web']);
    expect(resolveOptions('all', [], flags(), { jestArgs: ['--ci'] }, []).jestArgs).toEqual([]);
  });

  it.each([
    ['--runInBand', /--runInBand cannot be passed through: stress-run runs every suite alone/],
    ['-w=2', /-w=2 cannot be passed through: use --parallel/],
    ['--json', /use stress-run --json/],
    ['--shard=1/2', /use stress-run --shard i\/n/],
    ['--watch-all', /stress-run runs each suite once/],
  ])('refuses %s, a flag stress-run sets itself, in one line', (arg, message) => {
    expect(() => resolveOptions('all', [], flags(), {}, [arg])).toThrow(message);
  });

  it('refuses a Jest config given both ways', () => {
    expect(() => resolveOptions('all', [], flags({ jestConfig: 'a.js' }), {}, ['--config', 'b.js'])).toThrow(/given twice/);
  });

  describe('matrix --shards auto, --target-minutes and --format', () => {
    it('reads them', () => {
      const o = resolveOptions('matrix', [], flags({ shards: 'auto', targetMinutes: '10', history: 'h.json', format: 'list' }), {});
      expect([o.shards, o.targetMinutes, o.format, o.ignored]).toEqual(['auto', 10, 'list', []]);
      expect(resolveOptions('matrix', [], flags({ shards: '3' }), {}).format).toBe('github');
    });

    it.each([
      [{ shards: 'auto', history: 'h.json' }, '--shards auto needs --target-minutes <m>'],
      [{ shards: 'auto', targetMinutes: '10' }, '--shards auto needs --history <report.json>'],
      [{ format: 'list' }, '--format list prints one line of files per shard: give --shards <n|auto>.'],
      [{ shards: '3', format: 'yaml' }, "--format must be github or list, got 'yaml'."],
      [{ shards: 'auto', targetMinutes: '0', history: 'h.json' }, '--target-minutes must be a positive number of minutes'],
      [{ shards: 'many' }, "--shards must be a positive whole number of shards (or auto), got 'many'."],
    ])('refuses %p in one line', (given, message) => {
      expect(() => resolveOptions('matrix', [], flags(given), {})).toThrow(message);
    });

    it('warns of --target-minutes and --format where they do nothing', () => {
      expect(resolveOptions('matrix', [], flags({ shards: '2', targetMinutes: '5' }), {}).ignored).toEqual(['--target-minutes (only for matrix --shards auto)']);
      expect(resolveOptions('all', [], flags({ format: 'list' }), {}).ignored).toEqual(['--format (only for matrix)']);
    });
  });
});

describe('--isolation and --worker-memory-limit', () => {
  it('isolates each file by default, and takes pool and auto for all and compare', () => {
    expect(resolveOptions('all', [], flags(), {}).isolation).toBe('file');
    expect(resolveOptions('all', [], flags({ isolation: 'pool' }), {}).isolation).toBe('pool');
    expect(resolveOptions('compare', [], flags({ isolation: 'auto', env: ['A=1,2'] }), {}).isolation).toBe('auto');
    expect(resolveOptions('all', [], flags({ isolation: 'pool', workerMemoryLimit: '512' }), {}).workerMemoryLimitMb).toBe(512);
    expect(resolveOptions('all', [], flags(), {}).workerMemoryLimitMb).toBeNull();
  });

  it('floor always isolates, and says it ignores the flag', () => {
    const o = resolveOptions('floor', [], flags({ isolation: 'pool' }), {});
    expect(o.isolation).toBe('file');
    expect(o.ignored).toContain('--isolation (floor always runs each file alone)');
  });

  it('says --per-test and --why-oom do nothing for the files measured in a pool', () => {
    const { ignored } = resolveOptions('all', [], flags({ isolation: 'auto', perTest: true, whyOom: true }), {});
    expect(ignored).toEqual([
      '--per-test for the files measured in the pool (only in a process of their own: with --isolation file, or for the files --isolation auto runs again alone)',
      '--why-oom for the files measured in the pool (only in a process of their own: with --isolation file, or for the files --isolation auto runs again alone)',
    ]);
    expect(resolveOptions('all', [], flags({ perTest: true, whyOom: true }), {}).ignored).toEqual([]);
  });

  it('says --worker-memory-limit does nothing without a pool', () => {
    expect(resolveOptions('all', [], flags({ workerMemoryLimit: '512' }), {}).ignored).toContain('--worker-memory-limit (only with --isolation pool or auto)');
  });

  it.each([
    [{ isolation: 'threads' }, "--isolation must be one of file, pool, auto, got 'threads'."],
    [{ isolation: 'pool', workerMemoryLimit: '0' }, "--worker-memory-limit must be a positive number of MB, got '0'."],
    [{ isolation: 'pool', workerMemoryLimit: 'lots' }, "--worker-memory-limit must be a positive number of MB, got 'lots'."],
  ])('refuses %p in one line', (bad, message) => {
    expect(() => resolveOptions('all', [], flags(bad), {})).toThrow(new UsageError(message));
  });
});
