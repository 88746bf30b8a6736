// stress-run floor says what it does as it goes, and its figures are the heaviest process's own.
import { expectNoLeftovers, runCli, suiteOf } from './helpers';

afterEach(expectNoLeftovers);

const MiB = 1024 * 1024;

test('floor puts a line per try on stderr, and each try’s heap peak is the suite’s true one, also for a try that ran out of heap', async () => {
  const run = await runCli(['floor', '--dir', 'test/fixtures/heavy', '-s', 'holds-60mb', '--min-heap', '50', '--max-heap', '100'], { jsonFile: true });
  expect(run.code).toBe(0);
  const s = suiteOf(run.report, 'holds-60mb');
  const tries = s.floorTries!;
  expect(tries.length).toBeGreaterThanOrEqual(3);
  expect(tries.some((t) => t.outcome === 'oom')).toBe(true);
  for (const [i, t] of tries.entries()) {
    expect(run.stderr).toMatch(new RegExp(`^holds-60mb try ${i + 1}: ${t.capMb} MB → (passed|out of heap) · peak \\d+ MB · [\\d.]+ s$`, 'm'));
    // It holds 60 MB: a try that passed used at least that, one that ran out of heap died at its cap.
    expect(t.heapUsedPeakBytes).toBeGreaterThanOrEqual((t.outcome === 'oom' ? 0.9 * t.capMb : 60) * MiB);
  }
  // Without --verbose, the tries stay off stdout, which holds the table.
  expect(run.stdout).not.toMatch(/try \d+:/);
}, 180_000);
