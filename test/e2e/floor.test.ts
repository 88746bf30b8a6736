// stress-run floor: the heap floor of a suite with a known need, and that the cap its note gives to reproduce the OOM is one.
import { expectNoLeftovers, runCli, suiteOf, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

const HEAVY = ['--dir', 'test/fixtures/heavy'];

describe('floor on suites with a known heap need', () => {
  let nothing: CliResult;
  let held: CliResult;
  beforeAll(async () => {
    // Small ranges that straddle each floor keep the search short.
    nothing = await runCli(['floor', ...HEAVY, '-s', 'holds-nothing', '--min-heap', '8', '--max-heap', '32', '--verbose'], { jsonFile: true });
    held = await runCli(['floor', ...HEAVY, '-s', 'holds-60mb', '--min-heap', '50', '--max-heap', '100', '--verbose'], { jsonFile: true });
  });

  test('both floors are found, with every try listed and kept in the report', () => {
    for (const run of [nothing, held]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/│ *suite *│ *heap floor *│ *OOM at *│ *cap or budget *│ *headroom *│ *tries *│ *time s *│/);
      expect(run.stdout).toContain('1/1 heap floors found');
      const [s] = run.report!.suites;
      expect(run.report!.ok).toBe(true);
      expect(s.outcome).toBe('passed');
      expect(s.heapCapMb).toBe(s.heapFloorMb);
      expect(s.floorTries!.length).toBeGreaterThanOrEqual(3);
      for (const [i, t] of s.floorTries!.entries()) expect(run.stdout).toContain(`${s.name} try ${i + 1}: ${t.capMb} MB →`);
      // Near the floor a cap can go either way: one that passed once counts as passing.
      expect(s.floorTries!.some((t) => t.capMb === s.heapFloorMb && t.outcome === 'passed')).toBe(true);
    }
  });

  test('the floor of the suite that holds 60 MB is within 10% of the known one: Jest\'s own floor plus 60 MB', () => {
    const base = suiteOf(nothing.report, 'holds-nothing').heapFloorMb!;
    const floor = suiteOf(held.report, 'holds-60mb').heapFloorMb!;
    const known = base + 60;
    expect(Math.abs(floor - known)).toBeLessThanOrEqual(0.1 * known);
  });

  test('the cap the note under the table gives to reproduce the OOM ends in OOM', async () => {
    const s = suiteOf(held.report, 'holds-60mb');
    const failing = Number(/reproduce: stress-run --suite holds-60mb --max-heap (\d+)/.exec(held.stdout)?.[1]);
    // A cap that ran out of heap every time it was tried during the search, under the floor.
    expect(failing).toBeLessThan(s.heapFloorMb!);
    expect(s.floorTries!.filter((t) => t.capMb === failing).map((t) => t.outcome)).toContain('oom');
    const run = await runCli([...HEAVY, '-s', 'holds-60mb', '--max-heap', String(failing)], { jsonFile: true });
    expect(run.code).toBe(1);
    expect(suiteOf(run.report, 'holds-60mb').outcome).toBe('oom');
    expect(run.stdout).toContain(`OOM at ${failing} MB heap`);
  });
});

test('floor says why there is no floor when a suite fails for another reason than the heap', async () => {
  const run = await runCli(['floor', '--dir', 'test/fixtures/suites', '-s', 'fail', '--max-heap', '64'], { jsonFile: true });
  expect(run.code).toBe(1);
  const s = suiteOf(run.report, 'fail');
  expect(s.heapFloorMb).toBeNull();
  expect(s.floorTries).toHaveLength(1);
  expect(run.stdout).toContain('no heap floor');
  expect(run.stdout).toContain('not out of heap');
});

describe('compare --floor: the heap floor under each variant', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await runCli(['compare', ...HEAVY, '-s', 'holds-env', '--env', 'HOLD_MB=40,0', '--floor', '--min-heap', '8'], { jsonFile: true });
  });

  test('each variant has its own floor, 40 MB apart within 10%, beside its run', () => {
    expect(run.code).toBe(0);
    const [held, none] = run.report!.variants!.map((v) => v.suites[0]);
    expect(held.outcome).toBe('passed');
    expect(none.outcome).toBe('passed');
    expect(Math.abs(held.heapFloorMb! - none.heapFloorMb! - 40)).toBeLessThanOrEqual(0.1 * held.heapFloorMb!);
    expect(held.floorTries!.length).toBeGreaterThanOrEqual(3);
    const head = run.stdout.split('\n').find((l) => l.startsWith('│ suite'))!;
    expect(head).toContain('40 floor MB');
    expect(head).toContain('0 floor MB');
    const row = run.stdout.split('\n').find((l) => l.startsWith('│ holds-env'))!;
    expect(row).toContain(`│ ${String(held.heapFloorMb).padStart(11)} │`);
  });
});
