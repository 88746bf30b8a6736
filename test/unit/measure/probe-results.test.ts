import { downsample, heapAt, heapTimeline, mergeMeasurements, parseFatalReport, parseProbeFile, type ProbeFile } from '../../../src/measure/probe-results';

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

  it('takes the heap of a process that ran out of heap from its fatal report, not its last sample from the start', () => {
    // It ran out of heap in one synchronous stretch: the probe's only sample is from its start.
    const probes = [{ pid: 7, start: { pid: 7, ppid: 1, command: 'node launcher', heapLimitBytes: 80 * MB }, heap: [{ t: 5000, heapUsed: 3.8 * MB }], exit: null }];
    const merged = mergeMeasurements(tree, probes, 5000, [{ pid: 7, heapUsedBytes: 79 * MB }]);
    expect(merged.processes.find((p) => p.pid === 7)!.heapUsedPeakBytes).toBe(79 * MB);
  });

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

  it('leaves out a child that ended before anything about it could be read, and names one the probe knew', () => {
    const short = {
      ...tree,
      processes: [...tree.processes, { pid: 10, ppid: 7, command: '', peakRssBytes: 0 }, { pid: 11, ppid: 7, command: '', peakRssBytes: 0 }],
    };
    const probes = [{ pid: 11, start: { pid: 11, ppid: 7, command: 'node -e 1', heapLimitBytes: 50 * MB }, heap: [], exit: null }];
    const merged = mergeMeasurements(short, probes, 0);
    expect(merged.processes.map((p) => [p.pid, p.command])).toEqual([
      [7, 'node launcher'],
      [8, 'sh -c x'],
      [11, 'node -e 1'],
    ]);
  });
});

describe('where the RSS goes', () => {
  const tree = { samples: [{ tMs: 0, rssBytes: 200 * MB }], processes: [{ pid: 7, ppid: 1, command: 'node launcher', peakRssBytes: 150 * MB }, { pid: 8, ppid: 7, command: 'node -e x', peakRssBytes: 60 * MB }] };
  const sample = (t: number, heapUsed: number, rss: number, external: number) => ({ t, heapUsed, rss, external, arrayBuffers: external / 2, nativeContexts: 2, detachedContexts: 0 });

  it('takes the heaviest process at its highest heap sample, and at its exit; heap + external + rest = RSS', () => {
    const probes = [
      { pid: 8, start: null, heap: [sample(1000, 90 * MB, 60 * MB, 0)], exit: null },
      {
        pid: 7,
        start: null,
        heap: [sample(1000, 20 * MB, 100 * MB, 5 * MB), sample(1100, 50 * MB, 140 * MB, 10 * MB), sample(1200, 30 * MB, 130 * MB, 10 * MB)],
        exit: { pid: 7, ppid: 1, command: 'node launcher', maxRssBytes: 150 * MB, heapLimitBytes: 300 * MB, heapUsedPeakBytes: 50 * MB, atExit: sample(1300, 25 * MB, 120 * MB, 8 * MB) },
      },
    ];
    const merged = mergeMeasurements(tree, probes, 1000);
    expect(merged.memoryAtHeapPeak).toEqual({ pid: 7, tMs: 100, rssBytes: 140 * MB, heapUsedBytes: 50 * MB, externalBytes: 10 * MB, arrayBuffersBytes: 5 * MB, restBytes: 80 * MB, nativeContexts: 2, detachedContexts: 0 });
    expect(merged.memoryAtExit).toMatchObject({ pid: 7, tMs: 300, heapUsedBytes: 25 * MB, restBytes: 87 * MB });
    for (const b of [merged.memoryAtHeapPeak!, merged.memoryAtExit!]) expect(b.heapUsedBytes + b.externalBytes + b.restBytes).toBe(b.rssBytes);
  });

  it('has no breakdown without probe samples that carry RSS, nor at exit for a process that died without exit handlers', () => {
    const probes = [{ pid: 7, start: null, heap: [{ t: 1000, heapUsed: 20 * MB }], exit: null }];
    const merged = mergeMeasurements(tree, probes, 1000);
    expect(merged.memoryAtHeapPeak).toBeNull();
    expect(merged.memoryAtExit).toBeNull();
    expect(mergeMeasurements(tree, [], 0).memoryAtHeapPeak).toBeNull();
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

describe('parseFatalReport', () => {
  const report = (header: object): string => JSON.stringify({ header, javascriptStack: {} });

  it('reads which process ran out of heap, and its command on one line with secrets masked', () => {
    const text = report({ trigger: 'OOMError', event: 'Allocation failed - JavaScript heap out of memory', processId: 42, commandLine: ['/usr/bin/node', '-e', 'const a = [];\nfill(a)', '--token=abc123'] });
    expect(parseFatalReport(text)).toEqual({ pid: 42, outOfHeap: true, command: '/usr/bin/node -e const a = []; fill(a) --token=***', heapUsedBytes: null });
  });

  it('reads the heap used at the moment of death', () => {
    const text = JSON.stringify({ header: { trigger: 'OOMError', processId: 42, commandLine: ['node'] }, javascriptHeap: { usedMemory: 51_875_160, memoryLimit: 102_760_448 } });
    expect(parseFatalReport(text)!.heapUsedBytes).toBe(51_875_160);
  });

  it('tells another fatal error from an OOM, cuts a long command in the middle, and skips what is not a report', () => {
    const long = report({ trigger: 'FatalError', event: 'something else', processId: 7, commandLine: ['node', 'x'.repeat(500), 'tail-word'] });
    const parsed = parseFatalReport(long)!;
    expect(parsed.outOfHeap).toBe(false);
    expect(parsed.command.length).toBeLessThan(160);
    expect(parsed.command).toMatch(/^node x+ … x+ tail-word$/);
    expect(parseFatalReport('{"header":')).toBeNull();
    expect(parseFatalReport('{}')).toBeNull();
  });
});

describe('the heaviest process heap over time', () => {
  const tree = {
    samples: [
      { tMs: 0, rssBytes: 50 * MB },
      { tMs: 100, rssBytes: 120 * MB },
    ],
    processes: [
      { pid: 7, ppid: 1, command: 'node worker', peakRssBytes: 100 * MB },
      { pid: 8, ppid: 7, command: 'node child', peakRssBytes: 20 * MB },
    ],
  };
  const probe = (pid: number, heapUsed: number): ProbeFile => ({ pid, start: null, heap: [{ t: 1000, heapUsed }, { t: 1100, heapUsed }], exit: null });

  it('is given beside the summed heap when several Node processes ran', () => {
    const merged = mergeMeasurements(tree, [probe(7, 40 * MB), probe(8, 5 * MB)], 1000);
    expect(merged.samples).toEqual([
      { tMs: 0, rssBytes: 50 * MB, heapUsedBytes: 45 * MB, processHeapUsedBytes: 40 * MB },
      { tMs: 100, rssBytes: 120 * MB, heapUsedBytes: 45 * MB, processHeapUsedBytes: 40 * MB },
    ]);
  });

  it('is left out when one Node process ran: its heap is the sum', () => {
    expect(mergeMeasurements(tree, [probe(7, 40 * MB)], 1000).samples.every((s) => !('processHeapUsedBytes' in s))).toBe(true);
  });
});
