import { MAX_POINTS, renderHtml, thinSamples } from '../../../src/report/html';
import type { Sample } from '../../../src/base/types';
import { MB, makeDeath, makeReport, makeResult } from '../../support/make-result';

const ASSETS = { uplotJs: '/* uplot */', uplotCss: '/* css */' };

const wave = (n: number): Sample[] => Array.from({ length: n }, (_, i) => ({ tMs: i * 50, rssBytes: Math.round((100 + 50 * Math.sin(i / 7) + (i === 1234 ? 400 : 0)) * MB), heapUsedBytes: i % 2 ? null : 30 * MB }));

/** The JSON the page's script draws. */
function dataOf(html: string): { suites: Array<{ name: string; t: number[]; rss: number[]; tests: unknown[] }> } {
  const m = /<script type="application\/json" id="stress-run-data">([\s\S]*?)<\/script>/.exec(html)!;
  return JSON.parse(m[1]) as ReturnType<typeof dataOf>;
}

describe('thinSamples', () => {
  test('keeps a short timeline whole, thins a long one to at most MAX_POINTS, keeping every peak, the first and the last', () => {
    expect(thinSamples(wave(100))).toHaveLength(100);
    const long = wave(5000);
    const thin = thinSamples(long);
    expect(thin.length).toBeLessThanOrEqual(MAX_POINTS + 2);
    expect(Math.max(...thin.map((s) => s.rssBytes))).toBe(Math.max(...long.map((s) => s.rssBytes)));
    expect(thin[0]).toBe(long[0]);
    expect(thin[thin.length - 1]).toBe(long[long.length - 1]);
    expect(thin.map((s) => s.tMs)).toEqual([...thin.map((s) => s.tMs)].sort((a, b) => a - b));
  });
});

describe('renderHtml', () => {
  test('one self-contained page: the assets inline, nothing loaded from anywhere', () => {
    const html = renderHtml(makeReport([makeResult({ samples: wave(10) })]), ASSETS);
    expect(html).toContain('<style>/* css */</style>');
    expect(html).toContain('<script>/* uplot */</script>');
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
  });

  test('a hostile suite name cannot close the data script or inject markup', () => {
    const name = '</script><script>alert(1)</script> <b>x</b>';
    const html = renderHtml(makeReport([makeResult({ name, samples: wave(3), testMarks: [{ name: '</script>', startMs: 0, endMs: 10 }] })]), ASSETS);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>x</b>');
    expect(dataOf(html).suites[0].name).toBe(name);
  });

  test('100 suites of 10 minutes each, 50 tests each, stay under 1 MB with uPlot inlined', () => {
    const uplotSized = { uplotJs: 'x'.repeat(52_000), uplotCss: 'x'.repeat(2_000) };
    const suites = Array.from({ length: 100 }, (_, i) =>
      makeResult({
        name: `area-${i}/suite-with-a-longish-name-${i}`,
        samples: wave(12_000),
        startedAtMs: i * 1000,
        testMarks: Array.from({ length: 50 }, (_, k) => ({ name: `describe block ${k} does a thing with a long title`, startMs: k * 100, endMs: k * 100 + 90 })),
        runs: [makeResult({ samples: wave(12_000) }), makeResult({ samples: wave(12_000) })],
      }),
    );
    const html = renderHtml(makeReport(suites, { schedule: { parallelism: 4, totalMemoryMb: 2000, peakConcurrentRssBytes: 900 * MB, wallMs: 700_000, sumSuiteMs: 2_000_000 } }), uplotSized);
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
    const data = dataOf(html);
    expect(data.suites).toHaveLength(100);
    // every peak survives the thinning
    expect(Math.max(...data.suites[0].rss)).toBe(Math.round((Math.max(...wave(12_000).map((s) => s.rssBytes)) / MB) * 10) / 10);
  });

  test('shows per-test heap, floor tries, variants and the baseline when the report has them', () => {
    const r = makeResult({
      name: 'kb',
      perTest: [{ name: 'a', retainedBytes: MB, heapUsedBytes: 20 * MB, nativeContexts: 2 }, { name: 'b', retainedBytes: -MB, heapUsedBytes: 19 * MB, nativeContexts: 2 }],
      leak: { slopeBytesPerTest: 0, growthShare: 0.5, flagged: false },
      floorTries: [{ capMb: 64, outcome: 'passed', peakRssBytes: 90 * MB, durationMs: 900 }, { capMb: 32, outcome: 'oom', peakRssBytes: 70 * MB, durationMs: 800 }],
      heapFloorMb: 48,
    });
    const report = makeReport([r, makeDeath('oom', { name: 'kb [V=2]' })], { variants: [{ env: { V: '1' }, suites: [r] }, { env: { V: '2' }, suites: [makeDeath('oom', { name: 'kb [V=2]' })] }] });
    const baseline = { maxRegressionPct: 10, noiseFloorMb: 5, ok: true, suites: [{ name: 'kb', status: 'ok' as const, rule: 'percent' as const, detail: 'within 10%', baseline: { peakRssBytes: 95 * MB, durationMs: 1000 }, current: { peakRssBytes: 100 * MB, durationMs: 2000 }, memoryDeltaBytes: 5 * MB, memoryDeltaPct: 5.3, timeDeltaMs: 1000, timeDeltaPct: 100 }] };
    const html = renderHtml(report, ASSETS, { baseline: baseline as never });
    expect(html).toContain('Settled heap after each test');
    expect(html.match(/<rect /g)).toHaveLength(2);
    expect(html).toContain('Heap floor tries: floor 48 MB');
    expect(html).toContain('<th>V=1</th><th>V=2</th>');
    expect(html).toContain('Against the baseline');
    expect(html).toContain('+5 MB (+5.3%)');
  });
});
