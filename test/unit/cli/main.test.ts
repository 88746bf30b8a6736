import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { RunPlan } from '../../../src/spawn/run-plan';
import type { RunReport, SuiteRun } from '../../../src/base/types';
import { type FakeCli, fakeCli, passedRun } from '../../support/fake-cli';

const FIXTURES = path.resolve(__dirname, '../../fixtures/suites');
const MB = 1024 * 1024;

/** A fake process and a fake runner standing in for Jest: each suite name maps to the run it gets. */
function harness(argv: string[], runs: Record<string, Partial<SuiteRun>> = {}, onRun?: (plan: RunPlan, abort: AbortSignal) => Promise<void>): FakeCli {
  return fakeCli(argv, async (plan, abort) => {
    await onRun?.(plan, abort);
    if (abort.aborted) return passedRun({ outcome: 'interrupted', tests: { passed: null, failed: null, skipped: null, total: null } });
    return passedRun(runs[plan.suite.name]);
  });
}

const dirArgs = ['--dir', path.relative(path.resolve(__dirname, '../../..'), FIXTURES)];

describe('main', () => {
  it('runs the chosen suites with their settings and exits 0 when all pass within budget', async () => {
    const h = harness(['--suite', 'pass', '--suite', 'fail', ...dirArgs, '--max-heap', '64', '--timeout', '5']);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.plans.map((p) => [p.suite.name, p.heapCapMb, p.timeoutMs, p.onOutput])).toEqual([
      ['pass', 64, 5000, null],
      ['fail', 64, 5000, null],
    ]);
    expect(h.plans[0].jest.projectRoot).toBe(FIXTURES);
    expect(h.out()).toContain('2/2 suites passed within budget');
    // Without a terminal, progress is one plain line as a suite starts and one as it ends.
    expect(h.err()).toBe('▶ pass\n✓ pass PASS · 90 MB · 0.4 s\n▶ fail\n✓ fail PASS · 90 MB · 0.4 s\n');
  });

  it('with --parallel runs the longest suites of --history first and says how it scheduled them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-main-'));
    const history = path.join(dir, 'history.json');
    const first = harness(['-s', 'pass', '-s', 'fail', '-s', 'hang', ...dirArgs, '--json', '--quiet'], { hang: { durationMs: 3000 }, fail: { durationMs: 2000 } });
    try {
      expect(await main(first.io, first.deps)).toBe(0);
      fs.writeFileSync(history, first.out());
      const h = harness(['-s', 'pass', '-s', 'fail', '-s', 'hang', ...dirArgs, '--parallel', '2', '--total-memory', '1000', '--history', history, '--json', '--quiet']);
      expect(await main(h.io, h.deps)).toBe(0);
      expect(h.plans.map((p) => p.suite.name)).toEqual(['hang', 'fail', 'pass']);
      const report = JSON.parse(h.out()) as RunReport;
      expect(report.suites.map((s) => s.name)).toEqual(['pass', 'fail', 'hang']);
      expect(report.schedule).toMatchObject({ parallelism: 2, totalMemoryMb: 1000, sumSuiteMs: 1200 });
      expect(report.suites.every((s) => typeof s.startedAtMs === 'number')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows no progress with --quiet', async () => {
    const h = harness(['--suite', 'pass', ...dirArgs, '--quiet']);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.err()).toBe('');
  });

  it('exits 1 when a suite fails or goes over budget, and says why under the table', async () => {
    const h = harness(['-s', 'pass', '-s', 'oom', ...dirArgs, '--memory-budget', '100', '--max-heap', '100'], {
      pass: { peakRssBytes: 120 * MB },
      oom: { outcome: 'oom', message: 'V8 ran out of heap' },
    });
    expect(await main(h.io, h.deps)).toBe(1);
    expect(h.out()).toContain('OVER MEMORY 120/100 MB');
    expect(h.out()).toContain('OOM at 100 MB heap');
    expect(h.out()).toContain('V8 ran out of heap');
  });

  it('with --warmup, runs the selected files once through Jest before the first suite, and not otherwise', async () => {
    const h = harness(['-s', 'pass', '-s', 'fail', ...dirArgs, '--warmup']);
    let runsBeforeWarmup = -1;
    h.deps.warmup = async (request) => {
      runsBeforeWarmup = h.plans.length;
      h.warmups.push(request);
    };
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.warmups.map((w) => w.files.map((f) => path.basename(f)))).toEqual([['pass.stress.test.js', 'fail.stress.test.js']]);
    // And how each suite's child is started, in start order, for the code cache's warm-up under the suites' own flags.
    expect(h.warmups[0].children.map((c) => [c.suite.name, c.heapCapMb])).toEqual([
      ['pass', null],
      ['fail', null],
    ]);
    expect(runsBeforeWarmup).toBe(0);
    expect(h.err()).toContain('warming up: 2 files');
    const cold = harness(['-s', 'pass', ...dirArgs]);
    await main(cold.io, cold.deps);
    expect(cold.warmups).toEqual([]);
  });

  it('puts only JSON on stdout with --json, and the table on stderr', async () => {
    const h = harness(['-s', 'pass', ...dirArgs, '--json']);
    expect(await main(h.io, h.deps)).toBe(0);
    const report = JSON.parse(h.out()) as RunReport;
    expect(report).toMatchObject({ schemaVersion: 1, startedAt: '2026-01-01T00:00:00.100Z', ok: true, budgets: { memoryMb: 300, timeS: 30 } });
    expect(report.suites[0]).toMatchObject({ name: 'pass', file: 'test/fixtures/suites/pass.stress.test.js', outcome: 'passed', heapCapMb: null });
    expect(h.err()).toContain('1/1 suites passed');
  });

  it('writes the JSON report before and after every suite, so a killed run keeps what finished and never claims ok', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-main-'));
    const file = path.join(dir, 'report.json');
    const seen: Array<[string[], boolean]> = [];
    const h = harness(['-s', 'pass', '-s', 'fail', ...dirArgs, '--json', file], {}, async () => {
      const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport;
      seen.push([r.suites.map((s) => `${s.name}:${s.outcome}`), r.ok]);
    });
    try {
      expect(await main(h.io, h.deps)).toBe(0);
      expect(seen).toEqual([
        [['pass:interrupted', 'fail:interrupted'], false],
        [['pass:passed', 'fail:interrupted'], false],
      ]);
      expect((JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport).suites).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs every suite --runs times and judges the medians', async () => {
    const h = harness(['-s', 'pass', ...dirArgs, '--runs', '3', '--json']);
    const sizes = [100, 140, 120];
    h.deps.runSuite = async (plan) => {
      h.plans.push(plan);
      return passedRun({ peakRssBytes: sizes[h.plans.length - 1] * MB });
    };
    expect(await main(h.io, h.deps)).toBe(0);
    const report = JSON.parse(h.out()) as RunReport;
    expect(report.suites[0].peakRssBytes).toBe(120 * MB);
    expect(report.suites[0].runs).toHaveLength(3);
    expect(h.plans).toHaveLength(3);
  });

  it('on SIGINT stops the running suite, marks the rest interrupted, and exits 130', async () => {
    const h = harness(['-s', 'pass', '-s', 'hang', '-s', 'fail', ...dirArgs, '--json'], {}, async (plan, abort) => {
      if (plan.suite.name === 'hang') {
        h.signal('SIGINT');
        expect(abort.aborted).toBe(true);
      }
    });
    expect(await main(h.io, h.deps)).toBe(130);
    const report = JSON.parse(h.out()) as RunReport;
    expect(report.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['pass', 'passed'],
      ['hang', 'interrupted'],
      ['fail', 'interrupted'],
    ]);
    expect(h.plans.map((p) => p.suite.name)).toEqual(['pass', 'hang']);
  });

  it('cuts the kill grace short on a second signal', async () => {
    const hurried: boolean[] = [];
    const h = harness(['-s', 'hang', ...dirArgs], {}, async (plan) => {
      h.signal('SIGINT');
      hurried.push(plan.hurry.aborted);
      h.signal('SIGINT');
      hurried.push(plan.hurry.aborted);
    });
    expect(await main(h.io, h.deps)).toBe(130);
    expect(hurried).toEqual([false, true]);
    expect(h.err()).toContain('again, killing');
  });

  it('exits 143 on SIGTERM', async () => {
    const h = harness(['-s', 'pass', ...dirArgs], {}, async () => h.signal('SIGTERM'));
    expect(await main(h.io, h.deps)).toBe(143);
  });

  it.each([
    [['-s', 'nope', ...dirArgs], /^stress-run: Unknown suite 'nope'\. Known suites: .*pass.*\n$/],
    [['--max-heap', 'abc', ...dirArgs], /^stress-run: --max-heap must be a positive whole number of MB \(or none\), got 'abc'\.\n$/],
    [['--dir', 'no/such/dir'], /^stress-run: Suite folder not found: .*no\/such\/dir\. Pass an existing folder to --dir\.\n$/],
    [['--frobnicate'], /^stress-run: unknown option '--frobnicate'\n$/],
    [['-s', 'pass', ...dirArgs, '--jest-config', 'missing.config.js'], /^stress-run: Jest config not found: missing\.config\.js\. Pass an existing file to --jest-config\.\n$/],
    [['--config', 'missing.json', ...dirArgs], /^stress-run: Cannot read config missing\.json: ENOENT\.\n$/],
  ])('exits 2 with one line for bad input: %j', async (argv, message) => {
    const h = harness(argv);
    expect(await main(h.io, h.deps)).toBe(2);
    expect(h.err()).toMatch(message);
    expect(h.out()).toBe('');
    expect(h.plans).toHaveLength(0);
  });

  it('with a bare --json, puts even an error in its own flags on stdout as JSON', async () => {
    const h = harness(['--json', '--max-heap', 'abc', ...dirArgs]);
    expect(await main(h.io, h.deps)).toBe(2);
    expect(JSON.parse(h.out())).toEqual({ error: "--max-heap must be a positive whole number of MB (or none), got 'abc'." });
  });

  it('lists the suites with their files', async () => {
    const h = harness(['list', ...dirArgs]);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.out()).toContain('pass\ttest/fixtures/suites/pass.stress.test.js\n');
  });

  it('prints help that explains every command and exits 0', async () => {
    const h = harness(['--help']);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.out()).toMatchSnapshot();
  });

  it('prints its version', async () => {
    const h = harness(['--version']);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.out()).toBe('9.9.9\n');
  });
});

describe('main: help per command', () => {
  const COMMANDS = ['all', 'list', 'matrix', 'merge', 'compare', 'floor', 'html', 'budgets'] as const;
  /** The long flags a help text lists under Options. */
  const flagsIn = (help: string): string[] => {
    const options = help.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
    return [...options.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
  };
  const helpOf = async (argv: string[]): Promise<string> => {
    const h = harness(argv);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.err()).toBe('');
    expect(h.plans).toHaveLength(0);
    return h.out();
  };

  // [command, flags its help lists, flags it does not]
  const CASES: Array<[(typeof COMMANDS)[number], string[], string[]]> = [
    ['all', ['--suite', '--max-heap', '--shard', '--history', '--durations', '--baseline', '--warmup', '--why-oom', '--parallel', '--no-standby', '--isolation', '--worker-memory-limit'], ['--shards', '--env', '--floor', '--min-heap']],
    ['list', ['--dir', '--pattern', '--jest-config', '--config', '--debug'], ['--suite', '--max-heap', '--json', '--shards', '--shard']],
    ['matrix', ['--dir', '--pattern', '--shards'], ['--shard', '--suite', '--json', '--max-heap']],
    ['merge', ['--json', '--junit', '--markdown', '--trace', '--baseline', '--max-regression', '--noise-floor'], ['--dir', '--suite', '--max-heap', '--shards', '--runs']],
    ['compare', ['--env', '--floor', '--min-heap', '--suite', '--runs', '--parallel', '--json'], ['--shard', '--shards', '--baseline', '--why-oom', '--warmup', '--history']],
    ['floor', ['--suite', '--min-heap', '--max-heap', '--memory-budget', '--json', '--verbose', '--html'], ['--shards', '--shard', '--parallel', '--runs', '--env', '--why-oom', '--kill-above', '--isolation', '--worker-memory-limit']],
    ['html', ['--html', '--debug'], ['--suite', '--json', '--max-heap', '--dir', '--runs']],
    ['budgets', ['--headroom', '--config', '--debug'], ['--suite', '--json', '--max-heap', '--dir', '--runs']],
  ];

  it.each(CASES)('`stress-run %s --help` exits 0 and lists the flags that command takes', async (command, takes, not) => {
    const help = await helpOf([command, '--help']);
    expect(help).toMatch(new RegExp(`^Usage: stress-run ${command} \\[options\\]`));
    const listed = flagsIn(help);
    expect(listed).toEqual(expect.arrayContaining([...takes, '--help']));
    for (const flag of not) expect(listed).not.toContain(flag);
    expect(await helpOf([command, '-h'])).toBe(help);
    expect(help).toMatchSnapshot();
  });

  it('documents every flag in the help of some command, and the top-level help lists none but --version and --help', async () => {
    const top = flagsIn(await helpOf(['--help']));
    expect(top).toEqual(['--version', '--help']);
    const documented = new Set([...top, ...(await Promise.all(COMMANDS.map((c) => helpOf([c, '--help'])))).flatMap(flagsIn)]);
    const every = ['--suite', '--dir', '--pattern', '--jest-config', '--config', '--max-heap', '--kill-above', '--memory-budget', '--time-budget', '--timeout', '--runs', '--json',
      '--junit', '--markdown', '--bmf', '--trace', '--html', '--parallel', '--total-memory', '--history', '--shard', '--durations', '--shards', '--target-minutes', '--format', '--baseline', '--max-regression', '--warmup', '--headroom', '--noise-floor',
      '--per-test', '--leak-budget', '--env', '--floor', '--min-heap', '--why-oom', '--verbose', '--quiet', '--debug', '--no-standby', '--isolation', '--worker-memory-limit', '--version', '--help'];
    expect([...documented].sort()).toEqual([...every].sort());
  });

  it('lists each command with one line in the top-level help, and no flag but --version and --help', async () => {
    const help = await helpOf(['--help']);
    const commands = help.split('\nCommands:\n')[1].split('\n\n')[0].split('\n');
    expect(commands.map((line) => line.trim().split(' ')[0])).toEqual([...COMMANDS]);
    expect(commands.every((line) => /^ {2}\S.*\s{2,}\S/.test(line))).toBe(true);
    expect(help).toContain('stress-run <command> --help');
  });

  it('still takes a flag a command ignores, and says so, wherever it stands', async () => {
    for (const argv of [['list', ...dirArgs, '--shards', '2'], ['--shards', '2', 'list', ...dirArgs]]) {
      const h = harness(argv);
      expect(await main(h.io, h.deps)).toBe(0);
      expect(h.err()).toBe('stress-run: warning: ignoring --shards (only for matrix; to run a shard use --shard i/n).\n');
      expect(h.out()).toContain('pass\ttest/fixtures/suites/pass.stress.test.js\n');
    }
  });

  it.each([
    [['list', '--sharts', '2'], "stress-run: unknown option '--sharts' (Did you mean --shards?)\n"],
    [['floor', '--envv', 'A=1'], "stress-run: unknown option '--envv' (Did you mean --env?)\n"],
    [['--suit', 'x'], "stress-run: unknown option '--suit' (Did you mean --suite?)\n"],
    [['help'], "stress-run: Unknown command 'help'. Commands: all, list, matrix, merge, compare, floor, html, budgets (run 'stress-run --help').\n"],
    [['list', 'extra'], "stress-run: Unexpected argument 'extra'. To pick suites, use --suite <name>.\n"],
    [['merge'], 'stress-run: merge needs one or more report files: stress-run merge a.json b.json\n'],
    [['html'], 'stress-run: html needs one or more JSON reports: stress-run html report.json --html report.html\n'],
  ])('keeps its one-line errors, and matches a mistyped flag against every flag whichever command is named: %j', async (argv, message) => {
    const h = harness(argv);
    expect(await main(h.io, h.deps)).toBe(2);
    expect(h.err()).toBe(message);
    expect(h.out()).toBe('');
  });
});

describe('main: CI at scale', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-ci-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  let written = 0;
  const runToFile = async (argv: string[], runs: Record<string, Partial<SuiteRun>> = {}): Promise<{ code: number; report: RunReport; h: FakeCli }> => {
    const file = path.join(dir, `r${written++}.json`);
    const h = harness([...argv, ...dirArgs, '--json', file], runs);
    const code = await main(h.io, h.deps);
    return { code, report: JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport, h };
  };

  it('prints a strategy.matrix of the suites, or of shards', async () => {
    const h = harness(['matrix', ...dirArgs, '--shards', '3']);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(JSON.parse(h.out())).toEqual({ include: [{ shard: '1/3' }, { shard: '2/3' }, { shard: '3/3' }] });
  });

  it('splits the selected suites over shards without losing or repeating one, and merges them back', async () => {
    const picked = ['-s', 'pass', '-s', 'fail', '-s', 'loud', '-s', 'oom'];
    const shards = await Promise.all([1, 2, 3].map((i) => runToFile([...picked, '--shard', `${i}/3`])));
    const names = shards.flatMap((s) => s.report.suites.map((r) => r.name));
    expect(names.sort()).toEqual(['fail', 'loud', 'oom', 'pass']);
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const merged = harness(['merge', ...files, '--json']);
    expect(await main(merged.io, merged.deps)).toBe(0);
    expect((JSON.parse(merged.out()) as RunReport).suites.map((s) => s.name)).toEqual(['fail', 'loud', 'oom', 'pass']);
  });

  it('with --shard auto takes each machine\'s shard from the CI\'s variables: every suite once over the four', async () => {
    const picked = ['-s', 'pass', '-s', 'fail', '-s', 'loud', '-s', 'oom', '-s', 'hang'];
    for (const env of [(i: number) => ({ CI_NODE_INDEX: String(i), CI_NODE_TOTAL: '4' }), (i: number) => ({ CIRCLE_NODE_INDEX: String(i - 1), CIRCLE_NODE_TOTAL: '4' })]) {
      const names: string[] = [];
      for (const i of [1, 2, 3, 4]) {
        const h = harness([...picked, ...dirArgs, '--shard', 'auto', '--json', '--quiet']);
        h.io.env = env(i);
        expect(await main(h.io, h.deps)).toBe(0);
        const explicit = harness([...picked, ...dirArgs, '--shard', `${i}/4`, '--json', '--quiet']);
        expect(await main(explicit.io, explicit.deps)).toBe(0);
        const mine = (JSON.parse(h.out()) as RunReport).suites.map((r) => r.name);
        expect(mine).toEqual((JSON.parse(explicit.out()) as RunReport).suites.map((r) => r.name));
        names.push(...mine);
      }
      expect(names.sort()).toEqual(['fail', 'hang', 'loud', 'oom', 'pass']);
    }
  });

  it('refuses --shard auto outside a CI in one line naming the variables, before asking Jest anything', async () => {
    const h = harness(['-s', 'pass', ...dirArgs, '--shard', 'auto']);
    h.deps.discover = () => {
      throw new Error('discovery ran');
    };
    expect(await main(h.io, h.deps)).toBe(2);
    expect(h.err()).toMatch(/^stress-run: --shard auto: no CI shard variables are set; looked for GitLab \(CI_NODE_INDEX\/CI_NODE_TOTAL\), CircleCI .*JOB_COMPLETION_INDEX.*\n$/);
    expect(h.err().split('\n')).toHaveLength(2);
  });

  it("touches Bazel's TEST_SHARD_STATUS_FILE, so Bazel knows the runner shards", async () => {
    const status = path.join(dir, 'shard-status');
    const h = harness(['-s', 'pass', ...dirArgs, '--shard', 'auto', '--quiet']);
    h.io.env = { TEST_SHARD_INDEX: '0', TEST_TOTAL_SHARDS: '1', TEST_SHARD_STATUS_FILE: status };
    expect(await main(h.io, h.deps)).toBe(0);
    expect(fs.existsSync(status)).toBe(true);
  });

  it('with --history packs the shards by time and memory: each machine derives the same plan, and two heavy suites go apart', async () => {
    const picked = ['-s', 'fail', '-s', 'hold-a', '-s', 'hold-b', '-s', 'pass'];
    const figures = {
      fail: { durationMs: 10_000, peakRssBytes: 600 * MB, outcome: 'passed' as const },
      'hold-b': { durationMs: 10_000, peakRssBytes: 600 * MB },
      'hold-a': { durationMs: 10_000, peakRssBytes: 100 * MB },
      pass: { durationMs: 10_000, peakRssBytes: 100 * MB },
    };
    const { report } = await runToFile(picked, figures);
    const history = path.join(dir, 'history.json');
    fs.writeFileSync(history, JSON.stringify(report));
    const shards: string[][] = [];
    for (const i of [1, 2]) {
      const h = harness([...picked, ...dirArgs, '--shard', `${i}/2`, '--history', history, '--parallel', '2', '--total-memory', '1000', '--json', '--quiet']);
      expect(await main(h.io, h.deps)).toBe(0);
      shards.push((JSON.parse(h.out()) as RunReport).suites.map((r) => r.name));
    }
    expect(shards.flat().sort()).toEqual(['fail', 'hold-a', 'hold-b', 'pass']);
    // Dealt by time alone (all 10 s, then by name), fail and hold-b would share a machine and could not run at once.
    expect(shards.find((s) => s.includes('fail'))).not.toContain('hold-b');
  });

  it('says when the shard plan cannot use --parallel auto or the default --total-memory', async () => {
    const { report } = await runToFile(['-s', 'pass', '-s', 'fail']);
    const history = path.join(dir, 'history.json');
    fs.writeFileSync(history, JSON.stringify(report));
    const h = harness(['-s', 'pass', '-s', 'fail', ...dirArgs, '--shard', '1/2', '--history', history, '--parallel', 'auto', '--quiet']);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.err()).toContain('stress-run: warning: the shard plan cannot use --parallel auto (planned as 1 slot a machine) or the default --total-memory (planned without a memory limit)');
  });

  it('matrix --format list prints each shard\'s files: the very share all --shard i/n runs, with and without --history', async () => {
    const picked = ['fail', 'hold-a', 'hold-b', 'pass', 'loud'];
    const figures = {
      fail: { durationMs: 30_000, peakRssBytes: 600 * MB },
      'hold-b': { durationMs: 10_000, peakRssBytes: 600 * MB },
      'hold-a': { durationMs: 20_000, peakRssBytes: 100 * MB },
      pass: { durationMs: 5_000, peakRssBytes: 100 * MB },
      loud: { durationMs: 5_000, peakRssBytes: 100 * MB },
    };
    const { report } = await runToFile(picked.flatMap((n) => ['-s', n]), figures);
    const history = path.join(dir, 'history.json');
    fs.writeFileSync(history, JSON.stringify(report));
    const fileOf = new Map(report.suites.map((r) => [r.name, r.file]));
    const pattern = ['--pattern', '{fail,hold-a,hold-b,pass,loud}.stress.test.js'];
    for (const extra of [[], ['--history', history, '--parallel', '2', '--total-memory', '1000']]) {
      const m = harness(['matrix', ...dirArgs, ...pattern, '--shards', '2', '--format', 'list', ...extra]);
      expect(await main(m.io, m.deps)).toBe(0);
      const lines = m.out().trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      for (const i of [1, 2]) {
        const h = harness([...dirArgs, ...pattern, '--shard', `${i}/2`, '--json', '--quiet', ...extra]);
        expect(await main(h.io, h.deps)).toBe(0);
        const files = (JSON.parse(h.out()) as RunReport).suites.map((r) => fileOf.get(r.name));
        expect(lines[i - 1].split(' ')).toEqual(files);
      }
    }
  });

  it('matrix --shards auto picks the fewest shards whose longest is expected under --target-minutes', async () => {
    const picked = ['fail', 'hold-a', 'hold-b', 'pass'];
    const { report } = await runToFile(picked.flatMap((n) => ['-s', n]), Object.fromEntries(picked.map((n) => [n, { durationMs: 60_000, peakRssBytes: 100 * MB }])));
    const history = path.join(dir, 'history.json');
    fs.writeFileSync(history, JSON.stringify(report));
    const pattern = ['--pattern', '{fail,hold-a,hold-b,pass}.stress.test.js'];
    // Four one-minute suites, two at a time: 2 min on one machine, 1 min on two.
    const cases: Array<[string, number]> = [['2.5', 1], ['1.5', 2]];
    for (const [minutes, count] of cases) {
      const h = harness(['matrix', ...dirArgs, ...pattern, '--shards', 'auto', '--target-minutes', minutes, '--history', history, '--parallel', '2', '--total-memory', '1000']);
      expect(await main(h.io, h.deps)).toBe(0);
      expect((JSON.parse(h.out()) as { include: unknown[] }).include).toHaveLength(count);
    }
    const h = harness(['matrix', ...dirArgs, ...pattern, '--shards', 'auto', '--target-minutes', '0.5', '--history', history, '--parallel', '2', '--total-memory', '1000']);
    await main(h.io, h.deps);
    expect(h.err()).toBe('stress-run: warning: no shard count brings the longest shard under 0.5 min; 2 shards come closest, the longest expected to take 1.0 min.\n');
  });

  it('writes --bmf beside the other reports, for all and for merge', async () => {
    const bmf = path.join(dir, 'run.bmf.json');
    const { report } = await runToFile(['-s', 'pass', '--runs', '2', '--bmf', bmf], { pass: { peakRssBytes: 120 * MB, durationMs: 900 } });
    expect(JSON.parse(fs.readFileSync(bmf, 'utf8'))).toEqual({ pass: { 'peak-rss': { value: 120 * MB, lower_value: 120 * MB, upper_value: 120 * MB }, duration: { value: 900, lower_value: 900, upper_value: 900 } } });
    const saved = path.join(dir, 'saved.json');
    fs.writeFileSync(saved, JSON.stringify(report));
    const merged = harness(['merge', saved, '--bmf', '-']);
    expect(await main(merged.io, merged.deps)).toBe(0);
    expect(Object.keys(JSON.parse(merged.out()) as object)).toEqual(['pass']);
  });

  it('refuses an empty shard with a line that names the fix', async () => {
    const h = harness(['-s', 'pass', '--shard', '2/2', ...dirArgs]);
    expect(await main(h.io, h.deps)).toBe(2);
    expect(h.err()).toBe('stress-run: Shard 2/2 is empty: 1 suite cannot fill 2 shards. Use fewer shards (stress-run matrix --shards n never makes an empty one).\n');
  });

  it('fails against a baseline when memory grows past --max-regression, and not below it', async () => {
    const { report } = await runToFile(['-s', 'pass'], { pass: { peakRssBytes: 100 * MB } });
    const baseline = path.join(dir, 'baseline.json');
    fs.writeFileSync(baseline, JSON.stringify(report));
    const grown = harness(['-s', 'pass', ...dirArgs, '--baseline', baseline], { pass: { peakRssBytes: 115 * MB } });
    expect(await main(grown.io, grown.deps)).toBe(1);
    expect(grown.out()).toMatch(/REGRESSED/);
    const within = harness(['-s', 'pass', ...dirArgs, '--baseline', baseline, '--max-regression', '20'], { pass: { peakRssBytes: 115 * MB } });
    expect(await main(within.io, within.deps)).toBe(0);
  });

  it('counts a baseline suite that no longer exists as missing, but not one this run did not select', async () => {
    const { report } = await runToFile(['-s', 'pass', '-s', 'fail']);
    const baseline = path.join(dir, 'baseline.json');
    fs.writeFileSync(baseline, JSON.stringify({ ...report, suites: [...report.suites, { ...report.suites[0], name: 'deleted-suite' }] }));
    const h = harness(['-s', 'pass', ...dirArgs, '--baseline', baseline]);
    expect(await main(h.io, h.deps)).toBe(1);
    expect(h.out()).toMatch(/deleted-suite.*MISSING/);
    expect(h.out()).not.toMatch(/fail .*MISSING/);
  });

  it('writes JUnit and Markdown, appends to the GitHub step summary and annotates failing suites on Actions', async () => {
    const summary = path.join(dir, 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const h = harness(['-s', 'pass', '-s', 'oom', ...dirArgs, '--junit', path.join(dir, 'j.xml'), '--markdown', path.join(dir, 'm.md')], {
      oom: { outcome: 'oom', message: 'V8 ran out of heap', tests: { passed: null, failed: null, skipped: null, total: null } },
    });
    h.io.env = { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' };
    expect(await main(h.io, h.deps)).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'j.xml'), 'utf8')).toContain('<testsuite name="oom"');
    expect(fs.readFileSync(path.join(dir, 'm.md'), 'utf8')).toContain('| oom |');
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/^# earlier step\n[\s\S]*\| oom \|/);
    expect(h.out()).toMatch(/^::error file=test\/fixtures\/suites\/oom\.stress\.test\.js,.*V8 ran out of heap/m);
  });

  it('refuses, before running anything, a report file that cannot be written', async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const h = harness(['-s', 'pass', ...dirArgs, '--junit', path.join(blocker, 'junit.xml')]);
    expect(await main(h.io, h.deps)).toBe(2);
    expect(h.err()).toMatch(/^stress-run: Cannot write --junit file .*a-file\/junit\.xml: (ENOTDIR|EEXIST)\. Pass a path in a writable folder\.\n$/);
    expect(h.plans).toHaveLength(0);
  });

  it('explains a report file that cannot be read', async () => {
    const h = harness(['merge', path.join(dir, 'nope.json')]);
    expect(await main(h.io, h.deps)).toBe(2);
    expect(h.err()).toMatch(/^stress-run: Cannot read report .*nope\.json: ENOENT\.\n$/);
  });
});

describe('main: --isolation pool and auto', () => {
  const report = (h: FakeCli): RunReport => JSON.parse(h.out()) as RunReport;

  it('pool: every file through the pool, each row an estimate (~), the leak named under the table', async () => {
    const h = harness(['-s', 'pass', '-s', 'fail', '-s', 'hold-a', ...dirArgs, '--isolation', 'pool', '--quiet'], { 'hold-a': { leftInWorkerBytes: 30 * MB } });
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.plans.map((p) => p.suite.name)).toEqual(['pass', 'fail', 'hold-a']);
    expect(h.out()).toMatch(/│ pass +│ +3\/0\/0 │ +~90 │/);
    expect(h.out()).toContain('left the most behind in their worker: hold-a 30.0 MB (100% of its worker\'s growth)');
    expect(h.out()).toContain('~ an estimate: the file ran in a pool worker');
  });

  it('pool: the JSON marks each row measuredIn pool and carries each worker’s history', async () => {
    const h = harness(['-s', 'pass', '-s', 'fail', ...dirArgs, '--isolation', 'pool', '--quiet', '--json']);
    await main(h.io, h.deps);
    const r = report(h);
    expect(r.suites.map((s) => s.measuredIn)).toEqual(['pool', 'pool']);
    expect(r.isolation).toMatchObject({ mode: 'pool', workers: 1, confirmed: [] });
    expect(r.isolation!.history[0].files).toHaveLength(2);
  });

  it('auto: the files near a budget run again alone, and only those; their rows are exact', async () => {
    const h = harness(['-s', 'pass', '-s', 'fail', '-s', 'hold-a', ...dirArgs, '--isolation', 'auto', '--quiet', '--json'], { 'hold-a': { peakRssBytes: 260 * MB } });
    expect(await main(h.io, h.deps)).toBe(0);
    // Three through the pool, then hold-a alone.
    expect(h.plans.map((p) => p.suite.name)).toEqual(['pass', 'fail', 'hold-a', 'hold-a']);
    const r = report(h);
    expect(r.suites.map((s) => [s.name, s.measuredIn])).toEqual([['pass', 'pool'], ['fail', 'pool'], ['hold-a', 'file']]);
    expect(r.isolation!.confirmed).toEqual([{ name: 'hold-a', why: 'its estimate, ~260 MB, is over 80% of its 300 MB memory budget' }]);
  });
});

describe('main: --isolation pool with --history', () => {
  it('hands the files out longest first by the history’s times, files without one after', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-main-'));
    const history = path.join(dir, 'history.json');
    const first = harness(['-s', 'pass', '-s', 'fail', ...dirArgs, '--json', '--quiet'], { fail: { durationMs: 3000 }, pass: { durationMs: 1000 } });
    await main(first.io, first.deps);
    fs.writeFileSync(history, first.out());
    try {
      const h = harness(['-s', 'hold-a', '-s', 'pass', '-s', 'fail', ...dirArgs, '--isolation', 'pool', '--history', history, '--quiet']);
      await main(h.io, h.deps);
      expect(h.plans.map((p) => p.suite.name)).toEqual(['fail', 'pass', 'hold-a']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('main: compare --isolation auto', () => {
  it('runs again alone only the variant whose estimate is near its budget, and the report on disk holds every row meanwhile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-main-'));
    const file = path.join(dir, 'report.json');
    const onDisk: RunReport[] = [];
    const h = fakeCli(['compare', '--env', 'X=a,b', '-s', 'pass', '-s', 'hold-a', ...dirArgs, '--isolation', 'auto', '--quiet', '--json', file], async (plan) => {
      if (fs.existsSync(file)) onDisk.push(JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport);
      return passedRun(plan.suite.name === 'hold-a' && plan.env.X === 'a' ? { peakRssBytes: 260 * MB } : {});
    });
    try {
      expect(await main(h.io, h.deps)).toBe(0);
      const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport;
      expect(r.isolation!.confirmed).toEqual([{ name: 'hold-a X=a', why: 'its estimate, ~260 MB, is over 80% of its 300 MB memory budget' }]);
      expect(r.variants!.map((v) => v.suites.map((s) => [s.name, s.measuredIn]))).toEqual([
        [['pass', 'pool'], ['hold-a', 'file']],
        [['pass', 'pool'], ['hold-a', 'pool']],
      ]);
      // While hold-a ran alone, the file on disk had all four rows, the pool's figures where no exact one was in.
      const during = onDisk[onDisk.length - 1];
      expect(during.suites.map((s) => s.measuredIn)).toEqual(['pool', 'pool', 'pool', 'pool']);
      expect(during.isolation!.confirmed).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
