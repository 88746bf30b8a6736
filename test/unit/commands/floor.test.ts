// `stress-run floor` driven through main() with a fake runner: each suite has a made-up heap need.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { RunReport, SuiteRun } from '../../../src/base/types';
import { heapNeedHarness } from '../../support/heap-need-harness';

const NEEDS: Record<string, number> = { pass: 46, fail: 120 };

const harness = (argv: string[], outcomeAt: (suite: string, capMb: number) => SuiteRun['outcome']) =>
  heapNeedHarness(argv, (plan) => ({ outcome: outcomeAt(plan.suite.name, plan.heapCapMb!), peakMb: plan.heapCapMb! + 60 }));

const byNeed = (suite: string, capMb: number): SuiteRun['outcome'] => (capMb >= NEEDS[suite] ? 'passed' : 'oom');
const dir = ['--dir', 'test/fixtures/suites'];

describe('stress-run floor', () => {
  it('bisects each suite in fresh runs between its cap and --min-heap, and reports floor, OOM cap and headroom', async () => {
    const h = harness(['floor', ...dir, '-s', 'pass', '--max-heap', '200', '--json'], byNeed);
    expect(await main(h.io, h.deps)).toBe(0);
    const caps = h.plans.map((p) => p.heapCapMb);
    expect(caps.slice(0, 2)).toEqual([200, 16]);
    expect(h.plans.every((p) => p.onOutput === null)).toBe(true);
    const report = JSON.parse(h.out().slice(h.out().indexOf('{'))) as RunReport;
    const [s] = report.suites;
    expect(s.heapFloorMb).toBeGreaterThanOrEqual(46);
    expect(s.heapFloorMb! - 46).toBeLessThanOrEqual(2);
    expect(s.heapCapMb).toBe(s.heapFloorMb);
    expect(s.floorTries!.map((t) => t.capMb)).toEqual(caps);
    expect(report.ok).toBe(true);
  });

  it('prints the table with the way to reproduce the OOM, and every try with --verbose', async () => {
    const h = harness(['floor', ...dir, '-s', 'pass', '--max-heap', '100', '--verbose'], byNeed);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.out()).toMatch(/pass try 1: 100 MB → passed · peak 160 MB · 0\.5 s/);
    expect(h.out()).toMatch(/pass try 2: 16 MB → out of heap/);
    expect(h.out()).toContain('│ pass  │      46 MB │  43 MB │        100 MB │    2.17× │     8 │    4.0 │');
    // Two steps (3 MB each) under the floor, the highest cap that ran out of heap: 37 MB, not the 43 MB on the edge.
    expect(h.out()).toContain(
      'pass: passes at 46 MB, runs out of heap at 43 MB · reproduce: stress-run --suite pass --max-heap 37 ' +
        '(not 43: that close to the floor a run can go either way; 37 MB ran out of heap every time it was tried)',
    );
  });

  it('says each try on stderr as it goes (cap, outcome, peak, time), without --verbose, and leaves stdout to the table', async () => {
    const h = harness(['floor', ...dir, '-s', 'pass', '--max-heap', '100'], byNeed);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.err()).toMatch(/^pass try 1: 100 MB → passed · peak 160 MB · 0\.5 s$/m);
    expect(h.err()).toMatch(/^pass try 2: 16 MB → out of heap · peak 76 MB · 0\.5 s$/m);
    expect(h.err().match(/^pass try \d+:/gm)).toHaveLength(h.plans.length);
    expect(h.out()).not.toContain('try 1:');
  });

  it('says nothing of the tries with --quiet', async () => {
    const h = harness(['floor', ...dir, '-s', 'pass', '--max-heap', '100', '--quiet'], byNeed);
    expect(await main(h.io, h.deps)).toBe(0);
    expect(h.err()).not.toContain('try 1:');
  });

  it('exits 1 and says why when a suite has no floor within reach', async () => {
    const h = harness(['floor', ...dir, '-s', 'fail', '--max-heap', '10'], byNeed);
    expect(await main(h.io, h.deps)).toBe(1);
    expect(h.plans.map((p) => p.heapCapMb)).toEqual([10, 20, 40, 80]);
    expect(h.out()).toContain('no heap floor: it runs out of heap even at 80 MB');
  });

  it('writes the HTML page with every try, with --html', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-floor-html-'));
    try {
      const h = harness(['floor', ...dir, '-s', 'pass', '--max-heap', '100', '--html', path.join(out, 'floor.html')], byNeed);
      expect(await main(h.io, h.deps)).toBe(0);
      const page = fs.readFileSync(path.join(out, 'floor.html'), 'utf8');
      expect(page).toContain('Heap floor tries: floor 46 MB');
      expect(page.match(/<table class="tries">[\s\S]*?<\/table>/)![0].match(/<tr class=/g)).toHaveLength(h.plans.length);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('warns that --min-heap does nothing outside floor and compare --floor', async () => {
    const h = harness(['list', ...dir, '--min-heap', '20'], byNeed);
    let err = '';
    h.io.stderr = { write: (t: string) => (err += t) };
    expect(await main(h.io, h.deps)).toBe(0);
    expect(err).toContain('ignoring --min-heap (only for floor and compare --floor)');
  });
});

describe('a floor report as the history of all', () => {
  it('warns under the table about a suite whose cap is within 20% of its floor', async () => {
    const dirPath = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-floor-'));
    const floors = path.join(dirPath, 'floors.json');
    try {
      const found = harness(['floor', ...dir, '-s', 'pass', '--max-heap', '200', '--json', floors], byNeed);
      expect(await main(found.io, found.deps)).toBe(0);
      const floor = (JSON.parse(fs.readFileSync(floors, 'utf8')) as RunReport).suites[0].heapFloorMb!;

      const tight = harness(['all', ...dir, '-s', 'pass', '--max-heap', String(floor + 2), '--durations', floors], byNeed);
      expect(await main(tight.io, tight.deps)).toBe(0);
      expect(tight.out()).toMatch(new RegExp(`warning: pass: its heap cap of ${floor + 2} MB is only 1\\.\\d\\d× its heap floor of ${floor} MB \\(.*floors\\.json\\)`));

      const roomy = harness(['all', ...dir, '-s', 'pass', '--max-heap', '200', '--durations', floors], byNeed);
      expect(await main(roomy.io, roomy.deps)).toBe(0);
      expect(roomy.out()).not.toContain('warning');
    } finally {
      fs.rmSync(dirPath, { recursive: true, force: true });
    }
  });
});
