// Memory is measured for the whole process tree: a big allocation shows, and a grandchild's counts.
import { expectNoLeftovers, MiB, runFixtures, suiteArgs, suiteOf, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

describe('memory of big-buffer and grandchild', () => {
  let run: CliResult;
  beforeAll(async () => {
    // A generous budget and cap: these suites pass, only their measurements are under test.
    run = await runFixtures([...suiteArgs('big-buffer', 'grandchild'), '--memory-budget', '1024']);
  });

  test('both pass', () => {
    expect(run.code).toBe(0);
    expect(run.report!.suites.map((s) => s.outcome)).toEqual(['passed', 'passed']);
  });

  test('big-buffer: a 200 MB buffer shows in the peak', () => {
    const s = suiteOf(run.report, 'big-buffer');
    expect(s.peakRssBytes).toBeGreaterThanOrEqual(200 * MiB);
    expect(s.peakRssBytes).toBeLessThan(1024 * MiB);
  });

  test('big-buffer: where the RSS goes shows the buffer outside the heap, and the parts add up to the RSS of that moment', () => {
    const s = suiteOf(run.report, 'big-buffer');
    const b = s.memoryAtHeapPeak ?? s.memoryAtExit;
    expect(b).toBeTruthy();
    expect(b!.externalBytes).toBeGreaterThanOrEqual(200 * MiB);
    expect(b!.arrayBuffersBytes).toBeGreaterThanOrEqual(200 * MiB);
    expect(b!.heapUsedBytes).toBeLessThan(100 * MiB);
    expect(Math.abs(b!.heapUsedBytes + b!.externalBytes + b!.restBytes - b!.rssBytes)).toBeLessThanOrEqual(0.02 * b!.rssBytes);
    // The same process's kernel high-water mark can only be higher than its RSS at one moment.
    const process = s.processes.find((p) => p.pid === b!.pid);
    expect(b!.rssBytes).toBeLessThanOrEqual(process!.peakRssBytes);
    expect(b!.nativeContexts).toBeGreaterThanOrEqual(2);
  });

  test('grandchild: its own process is listed, and the tree peak counts its 150 MB', () => {
    const s = suiteOf(run.report, 'grandchild');
    expect(s.processes.length).toBeGreaterThanOrEqual(2);
    const grandchild = s.processes.find((p) => / -e /.test(p.command));
    expect(grandchild).toBeDefined();
    expect(grandchild!.peakRssBytes).toBeGreaterThanOrEqual(150 * MiB);
    const others = s.processes.filter((p) => p !== grandchild);
    const largestOther = Math.max(...others.map((p) => p.peakRssBytes));
    expect(s.peakRssBytes - largestOther).toBeGreaterThanOrEqual(150 * MiB);
  });

  test.each(['big-buffer', 'grandchild'])('%s: a non-empty timeline with increasing times', (name) => {
    const { samples, peakRssBytes } = suiteOf(run.report, name);
    expect(samples.length).toBeGreaterThan(0);
    for (let i = 1; i < samples.length; i++) expect(samples[i].tMs).toBeGreaterThan(samples[i - 1].tMs);
    for (const sample of samples) {
      expect(sample.rssBytes).toBeGreaterThan(0);
      expect(sample.rssBytes).toBeLessThanOrEqual(peakRssBytes);
    }
  });
});
