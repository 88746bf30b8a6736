import { downsample, heapAt, heapTimeline, mergeMeasurements, parseProbeFile } from '../../../src/run/probe-results';

const MB = 1024 * 1024;

describe('parseProbeFile', () => {
  it('reads the start record, heap samples and exit record, skipping a line cut short', () => {
    const text = [
      JSON.stringify({ start: true, pid: 7, ppid: 1, command: 'node jest', heapLimitBytes: 100 * MB }),
      JSON.stringify({ t: 1000, heapUsed: 10 * MB }),
      JSON.stringify({ t: 1100, heapUsed: 12 * MB }),
      JSON.stringify({ exit: true, pid: 7, ppid: 1, command: 'node jest', maxRssBytes: 90 * MB, heapLimitBytes: 100 * MB, heapUsedPeakBytes: 13 * MB }),
      '{"t":1200,"heapU',
    ].join('\n');
    const file = parseProbeFile(7, text);
    expect(file.start?.heapLimitBytes).toBe(100 * MB);
    expect(file.heap).toEqual([
      { t: 1000, heapUsed: 10 * MB },
      { t: 1100, heapUsed: 12 * MB },
    ]);
    expect(file.exit?.maxRssBytes).toBe(90 * MB);
  });
});

describe('heapAt', () => {
  const probes = [
    { pid: 1, start: null, exit: null, heap: [{ t: 1000, heapUsed: 10 }, { t: 1100, heapUsed: 20 }] },
    { pid: 2, start: null, exit: null, heap: [{ t: 1050, heapUsed: 5 }] },
  ];

  it('sums the latest sample of each process at that moment', () => {
    expect(heapAt(probes, 1060)).toBe(15);
    expect(heapAt(probes, 1150)).toBe(25);
  });

  it('is unknown before any sample, and drops processes whose samples went stale', () => {
    expect(heapAt(probes, 900)).toBeNull();
    expect(heapAt(probes, 1100 + 5000)).toBeNull();
  });
});

describe('mergeMeasurements', () => {
  const tree = {
    samples: [
      { tMs: 0, rssBytes: 50 * MB },
      { tMs: 100, rssBytes: 120 * MB },
    ],
    processes: [
      { pid: 7, ppid: 1, command: 'node launcher', peakRssBytes: 100 * MB },
      { pid: 8, ppid: 7, command: 'sh -c x', peakRssBytes: 20 * MB },
    ],
  };

  it('lifts a process peak to the kernel high-water mark the probe saw at exit, and the tree peak with it', () => {
    const probes = [
      {
        pid: 7,
        start: { pid: 7, ppid: 1, command: 'node launcher', heapLimitBytes: 300 * MB },
        heap: [{ t: 5000, heapUsed: 40 * MB }],
        exit: { pid: 7, ppid: 1, command: 'node launcher', maxRssBytes: 180 * MB, heapLimitBytes: 300 * MB, heapUsedPeakBytes: 60 * MB },
      },
    ];
    const merged = mergeMeasurements(tree, probes, 5000);
    expect(merged.peakRssBytes).toBe(180 * MB);
    expect(merged.processes).toEqual([
      { pid: 7, ppid: 1, command: 'node launcher', peakRssBytes: 180 * MB, heapLimitBytes: 300 * MB, heapUsedPeakBytes: 60 * MB },
      { pid: 8, ppid: 7, command: 'sh -c x', peakRssBytes: 20 * MB, heapLimitBytes: null, heapUsedPeakBytes: null },
    ]);
    expect(merged.samples).toEqual([
      { tMs: 0, rssBytes: 50 * MB, heapUsedBytes: 40 * MB },
      { tMs: 100, rssBytes: 120 * MB, heapUsedBytes: 40 * MB },
    ]);
  });

  it('adds a process only the probe saw (too short-lived to sample), with its start record', () => {
    const probes = [{ pid: 9, start: { pid: 9, ppid: 7, command: 'node -e 1', heapLimitBytes: 50 * MB }, heap: [], exit: null }];
    const merged = mergeMeasurements(tree, probes, 0);
    expect(merged.processes.find((p) => p.pid === 9)).toMatchObject({ ppid: 7, command: 'node -e 1', heapLimitBytes: 50 * MB });
    expect(merged.peakRssBytes).toBe(120 * MB);
  });
});

describe('heapTimeline and downsample (long runs)', () => {
  it('gives what heapAt gives at each time, in one pass', () => {
    const probes = [parseProbeFile(1, [1000, 1100, 1200, 3000].map((t, i) => JSON.stringify({ t, heapUsed: (i + 1) * 10 })).join('\n'))];
    const times = [900, 1000, 1150, 2500, 3000];
    expect(heapTimeline(probes, times)).toEqual(times.map((t) => heapAt(probes, t)));
  });

  it('keeps at most the cap of samples, and keeps the peak', () => {
    const samples = Array.from({ length: 100_000 }, (_, i) => ({ tMs: i * 50, rssBytes: i === 77_777 ? 999 : i % 100 }));
    const kept = downsample(samples, 2000);
    expect(kept).toHaveLength(2000);
    expect(Math.max(...kept.map((s) => s.rssBytes))).toBe(999);
    expect(kept.map((s) => s.tMs)).toEqual([...kept.map((s) => s.tMs)].sort((a, b) => a - b));
    expect(downsample(samples.slice(0, 10), 2000)).toHaveLength(10);
  });
});
