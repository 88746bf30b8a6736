// The Markdown summary's Mermaid charts, parsed by the mermaid package's own parser (in a process of
// its own with a DOM: see test/support/mermaid-parse.mjs for why).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { renderMarkdown } from '../../../src/report/markdown';
import { concurrentChart, peakChart } from '../../../src/report/mermaid';
import type { Sample } from '../../../src/base/types';
import { MB, makeDeath, makeReport, makeResult } from '../../support/make-result';

const PARSER = path.join(__dirname, '..', '..', 'support', 'mermaid-parse.mjs');

function mermaidParse(diagrams: string[]): Array<{ ok: boolean; diagramType?: string; error?: string }> {
  const run = spawnSync(process.execPath, [PARSER], { input: JSON.stringify(diagrams), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`mermaid-parse failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Array<{ ok: boolean; diagramType?: string; error?: string }>;
}

/** The bodies of the ```mermaid blocks of a Markdown text. */
function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
}

const ramp = (peakMb: number, ms: number): Sample[] =>
  Array.from({ length: Math.floor(ms / 50) + 1 }, (_, i) => ({ tMs: i * 50, rssBytes: Math.round((peakMb * MB * (i + 1)) / (Math.floor(ms / 50) + 1)), heapUsedBytes: null }));

const sequential = makeReport([
  makeResult({ name: 'kb-accuracy', peakRssBytes: 142 * MB }),
  makeResult({ name: 'odd "name" `x` | <b>', peakRssBytes: 320 * MB, budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false } }),
  makeDeath('oom', { name: 'api/login', peakRssBytes: 90 * MB }),
  makeDeath('interrupted', { name: 'never', durationMs: 0, peakRssBytes: 0 }),
]);
const parallel = makeReport(
  [
    makeResult({ name: 'a', startedAtMs: 0, durationMs: 1000, samples: ramp(100, 1000), peakRssBytes: 100 * MB }),
    makeResult({ name: 'b', startedAtMs: 200, durationMs: 1500, samples: ramp(150, 1500), peakRssBytes: 150 * MB }),
    makeResult({ name: 'c', startedAtMs: 1100, durationMs: 500, samples: ramp(80, 500), peakRssBytes: 80 * MB }),
  ],
  { schedule: { parallelism: 2, totalMemoryMb: 400, peakConcurrentRssBytes: 250 * MB, wallMs: 1700, sumSuiteMs: 3000 } },
);

test("every Mermaid chart of the summary parses with mermaid's own parser, and the text table stays", () => {
  const seqBlocks = mermaidBlocks(renderMarkdown(sequential));
  const parBlocks = mermaidBlocks(renderMarkdown(parallel));
  expect(seqBlocks).toHaveLength(1);
  expect(parBlocks).toHaveLength(2);
  // One process for all (loading mermaid takes seconds); the last, broken, chart shows the parser does reject one.
  const results = mermaidParse([...seqBlocks, ...parBlocks, 'xychart-beta\n  x-axis [a\n  bar [1']);
  const broken = results.pop()!;
  expect(results).toEqual(results.map(() => ({ ok: true, diagramType: 'xychart' })));
  expect(broken.ok).toBe(false);
  const md = renderMarkdown(sequential);
  expect(md).toContain('| suite | tests p/f/s | peak RSS MB |');
  expect(md).toMatch(/```text\nkb-accuracy/);
}, 60_000);

test('the peak chart: one bar per suite at its peak, a line at its budget, names made safe', () => {
  const chart = peakChart(sequential.suites);
  expect(chart).toContain(`x-axis ["kb-accuracy", "odd 'name' 'x' | <b>", "api/login", "never"]`);
  expect(chart).toContain('bar [142, 320, 90, 0]');
  expect(chart).toContain('line [300, 300, 300, 300]');
  expect(chart).toMatch(/y-axis "MB" 0 --> 3[5-9]\d/);
});

test('the summed RSS over time keeps every peak and shows --total-memory', () => {
  const chart = concurrentChart(parallel)!;
  const [sums, total] = [...chart.matchAll(/line \[([^\]]*)\]/g)].map((m) => m[1].split(', ').map(Number));
  // a peaks at 100 just before b reaches 80 of its 150; b alone reaches 150 later; c overlaps b's end
  expect(Math.max(...sums)).toBeGreaterThanOrEqual(150);
  expect(Math.max(...sums)).toBeLessThanOrEqual(250);
  expect(total.every((v) => v === 400)).toBe(true);
  expect(chart).toContain('x-axis "time (s)" 0 --> 1.7');
  // a total far above the suites' use is named in the title, not drawn flat at the top
  const roomy = concurrentChart({ ...parallel, schedule: { ...parallel.schedule!, totalMemoryMb: 17191 } })!;
  expect(roomy.match(/line \[/g)).toHaveLength(1);
  expect(roomy).toContain('(--total-memory 17191 MB)');
  // a run of one suite at a time has no such chart
  expect(mermaidBlocks(renderMarkdown(sequential)).some((b) => b.includes('time (s)'))).toBe(false);
});
