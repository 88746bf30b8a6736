// The report as one self-contained HTML page (--html, `stress-run html`): no network, every script
// and style inline. Charts are drawn in the browser by uPlot, whose minified script and stylesheet
// the caller reads from node_modules and hands in (`HtmlAssets`), so this renderer stays pure.
//
// What it shows: the table (sortable by name, peak and time); per suite, the tree's RSS and the heap
// (the heaviest Node process's, when there are several) against the budget, heap cap and --kill-above lines, each --runs run as a thin line, and
// a hover that names the test running at that moment; the schedule (a bar per slot, the summed RSS
// against --total-memory); --per-test's settled heap per test; compare's variants side by side;
// floor tries; and the baseline's figures.
//
// Size: samples are thinned for drawing (min and max per step, so every peak stays) and sent once
// as JSON; 100 suites stay well under 1 MB.
import type { BaselineComparison } from './baseline';
import type { RunReport, Sample, SuiteResult, Variant } from '../base/types';
import { MB, toMb, toSeconds } from '../base/units';
import { summedRss } from './summed-rss';
import { summaryLine } from './table';
import { isOk, verdictWithTest, wasRun } from './verdict';

/** uPlot's minified script (the IIFE build) and stylesheet. */
export interface HtmlAssets {
  uplotJs: string;
  uplotCss: string;
}

export interface HtmlExtras {
  /** The --baseline comparison, when the run had one. */
  baseline?: BaselineComparison | null;
}

/** The most points one line of a chart keeps (the thinning keeps each step's lowest and highest). */
export const MAX_POINTS = 160;
const SCHEDULE_POINTS = 400;
/** A --runs run is a thin line beside the suite's own: fewer points do. */
const RUN_POINTS = 60;

const mb1 = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

/** Samples thinned to at most `max` points: per step the lowest and the highest, in time order, first and last kept; every peak stays. */
export function thinSamples(samples: Sample[], max = MAX_POINTS): Sample[] {
  if (samples.length <= max) return samples;
  const steps = Math.floor(max / 2);
  const size = samples.length / steps;
  const kept: Sample[] = [];
  for (let k = 0; k < steps; k++) {
    const from = Math.floor(k * size);
    const to = Math.min(samples.length, Math.floor((k + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (samples[i].rssBytes < samples[lo].rssBytes) lo = i;
      if (samples[i].rssBytes > samples[hi].rssBytes) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) kept.push(samples[i]);
  }
  if (kept[0] !== samples[0]) kept.unshift(samples[0]);
  if (kept[kept.length - 1] !== samples[samples.length - 1]) kept.push(samples[samples.length - 1]);
  return kept;
}

/** What the page's script draws for one suite. */
interface SuiteData {
  name: string;
  budgetMb: number;
  heapCapMb: number | null;
  killAboveMb: number | null;
  t: number[];
  rss: number[];
  heap: Array<number | null>;
  /** Whether `heap` is the heaviest of several Node processes' own (else the only one's, or the sum). */
  heapOfHeaviest: boolean;
  /** [name, startMs, endMs | null] */
  tests: Array<[string, number, number | null]>;
  runs: Array<{ t: number[]; rss: number[] }>;
}

function suiteData(r: SuiteResult): SuiteData {
  const thin = thinSamples(r.samples);
  return {
    name: r.name,
    budgetMb: r.budget.memoryMb,
    heapCapMb: r.heapCapMb,
    killAboveMb: r.killAboveMb ?? null,
    t: thin.map((s) => s.tMs),
    rss: thin.map((s) => mb1(s.rssBytes)),
    heap: thin.map((s) => {
      const heap = s.processHeapUsedBytes !== undefined ? s.processHeapUsedBytes : s.heapUsedBytes;
      return heap === null ? null : mb1(heap);
    }),
    heapOfHeaviest: thin.some((s) => s.processHeapUsedBytes !== undefined),
    tests: (r.testMarks ?? []).map((m) => [m.name, m.startMs, m.endMs]),
    runs: (r.runs ?? []).map((run) => {
      const s = thinSamples(run.samples, RUN_POINTS);
      return { t: s.map((x) => x.tMs), rss: s.map((x) => mb1(x.rssBytes)) };
    }),
  };
}

/** The page. */
export function renderHtml(report: RunReport, assets: HtmlAssets, extras: HtmlExtras = {}): string {
  const summed = report.schedule && report.schedule.parallelism > 1 ? summedRss(report.suites, SCHEDULE_POINTS) : null;
  const data = {
    suites: report.suites.map(suiteData),
    schedule: summed ? { t: summed.tMs, rss: summed.bytes.map(mb1), totalMemoryMb: report.schedule!.totalMemoryMb } : null,
  };
  const failing = report.suites.filter((r) => !isOk(r)).length;
  const title = `stress-run: ${report.suites.length === 0 ? 'no suites ran' : failing ? `${failing} of ${report.suites.length} suites failed` : 'every suite within budget'}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from anywhere: the page is one file, for a CI artifact or an email.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title>`,
    `<style>${assets.uplotCss}</style>`,
    `<style>${PAGE_CSS}</style>`,
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    `<p class="summary">${esc(summaryLine(report))} · started ${esc(report.startedAt)}</p>`,
    suiteTable(report.suites),
    scheduleSection(report),
    variantsSection(report.variants),
    baselineSection(extras.baseline ?? null),
    '<h2>Suites</h2>',
    ...report.suites.map(suiteSection),
    `<script type="application/json" id="stress-run-data">${scriptJson(data)}</script>`,
    `<script>${assets.uplotJs}</script>`,
    `<script>${PAGE_JS}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function suiteTable(suites: SuiteResult[]): string {
  const rows = suites.map((r, i) => {
    const ok = isOk(r);
    const peak = wasRun(r) ? toMb(r.peakRssBytes) : -1;
    return (
      `<tr data-name="${esc(r.name)}" data-peak="${peak}" data-time="${r.durationMs}" class="${ok ? 'ok' : 'bad'}">` +
      `<td><a href="#suite-${i}">${esc(r.name)}</a></td>` +
      `<td class="num">${wasRun(r) ? `${peak} / ${r.budget.memoryMb}` : '-'}</td>` +
      `<td class="num">${r.heapCapMb === null ? 'none' : r.heapCapMb}</td>` +
      `<td class="num">${toSeconds(r.durationMs)} / ${r.budget.timeS}</td>` +
      `<td class="num">${tests(r)}</td>` +
      `<td>${esc(verdictWithTest(r))}</td></tr>`
    );
  });
  return [
    '<table id="suites" class="sortable"><thead><tr>',
    '<th><button data-sort="name">suite</button></th>',
    '<th><button data-sort="peak">peak RSS / budget MB</button></th>',
    '<th>heap cap MB</th>',
    '<th><button data-sort="time">time / budget s</button></th>',
    '<th>tests p/f/s</th><th>verdict</th>',
    '</tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

function tests(r: SuiteResult): string {
  const n = (v: number | null): string => (v === null ? '?' : String(v));
  return `${n(r.tests.passed)}/${n(r.tests.failed)}/${n(r.tests.skipped)}`;
}

function suiteSection(r: SuiteResult, i: number): string {
  const lines = [
    `<section class="suite" id="suite-${i}">`,
    `<h3>${esc(r.name)} <span class="${isOk(r) ? 'ok' : 'bad'}">${esc(verdictWithTest(r))}</span></h3>`,
    `<p class="file">${esc(r.file)} · peak ${toMb(r.peakRssBytes)} MB of ${r.budget.memoryMb} · ${toSeconds(r.durationMs)} s of ${r.budget.timeS}` +
      `${r.runs ? ` · figures are the median of ${r.runs.length} runs; the thick line is the run the result was taken from, a thin line each run` : ''}</p>`,
    `<div class="suite-chart" data-suite="${i}"></div>`,
    `<div class="hover" data-suite="${i}">hover the chart: the test running at that moment</div>`,
  ];
  if (r.perTest?.length) lines.push(perTestSvg(r));
  if (r.floorTries?.length) lines.push(floorTable(r));
  if (r.message && !isOk(r)) lines.push(`<details><summary>why</summary><pre>${esc(r.message)}</pre></details>`);
  lines.push('</section>');
  return lines.join('\n');
}

/** --per-test: the settled heap after each test, a bar each, the retained bytes in its tooltip. */
function perTestSvg(r: SuiteResult): string {
  const tests = r.perTest!;
  const height = 120;
  // At most 24 px a bar, at least 2: a long suite's tests still fit in 720 px.
  const w = Math.max(2, Math.min(24, 720 / tests.length));
  const width = Math.ceil(w * tests.length);
  const heaps = tests.map((t) => t.heapUsedBytes);
  const top = Math.max(...heaps, 1);
  // The settled heap moves by little against its size: the bars start under the lowest, so a slow
  // climb shows (the heading gives the range).
  const low = Math.max(0, Math.min(...heaps) - Math.max(top - Math.min(...heaps), top * 0.05) * 0.25);
  const bars = tests.map((t, i) => {
    const h = Math.max(1, ((t.heapUsedBytes - low) / Math.max(1, top - low)) * (height - 16));
    const tip = `${t.name}: settled heap ${mb1(t.heapUsedBytes)} MB, ${t.retainedBytes >= 0 ? '+' : ''}${mb1(t.retainedBytes)} MB retained`;
    return `<rect class="${t.retainedBytes > 0 ? 'grew' : 'freed'}" x="${(i * w).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${Math.max(1, w - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(tip)}</title></rect>`;
  });
  const leak = r.leak ? ` · ${r.leak.flagged ? 'probable leak' : 'no leak'}: ${mb1(r.leak.slopeBytesPerTest)} MB/test` : '';
  return [
    `<h4>Settled heap after each test (--per-test; bars from ${mb1(low)} to ${mb1(top)} MB; orange: grew, green: freed)${esc(leak)}</h4>`,
    `<svg class="per-test" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${bars.join('')}</svg>`,
  ].join('\n');
}

/** floor: every try, its cap and how it ended. */
function floorTable(r: SuiteResult): string {
  const tries = r.floorTries!;
  const top = Math.max(...tries.map((t) => t.capMb), 1);
  const rows = tries.map(
    (t, i) =>
      `<tr class="${t.outcome === 'passed' ? 'ok' : 'bad'}"><td class="num">${i + 1}</td><td class="num">${t.capMb}</td>` +
      `<td><span class="bar" style="width:${Math.round((t.capMb / top) * 200)}px"></span></td><td>${esc(t.outcome)}</td>` +
      `<td class="num">${toMb(t.peakRssBytes)}</td><td class="num">${toSeconds(t.durationMs)}</td></tr>`,
  );
  return [
    `<h4>Heap floor tries${r.heapFloorMb == null ? ': no floor found' : `: floor ${r.heapFloorMb} MB`}</h4>`,
    '<table class="tries"><thead><tr><th>try</th><th>cap MB</th><th></th><th>outcome</th><th>peak RSS MB</th><th>time s</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

/** The schedule of a run of suites at once: one row per slot, a bar per suite, then the summed RSS chart. */
function scheduleSection(report: RunReport): string {
  const s = report.schedule;
  if (!s) return '';
  const line = `<p>${s.parallelism === 1 ? 'one suite at a time' : `up to ${s.parallelism} suites at once`}` +
    `${s.totalMemoryMb === null ? '' : ` under --total-memory ${Math.round(s.totalMemoryMb)} MB`} · peak of the summed RSS ${toMb(s.peakConcurrentRssBytes)} MB · wall ${toSeconds(s.wallMs)} s for ${toSeconds(s.sumSuiteMs)} s of suites</p>`;
  if (s.parallelism <= 1) return `<h2>Schedule</h2>\n${line}`;
  const timed = report.suites.map((r, i) => ({ r, i })).filter(({ r }) => r.startedAtMs !== undefined && wasRun(r));
  const end = Math.max(1, ...timed.map(({ r }) => r.startedAtMs! + r.durationMs));
  // Each suite in the first slot free when it started: the slots the scheduler filled.
  const slots: Array<{ until: number; bars: string[] }> = [];
  for (const { r, i } of [...timed].sort((a, b) => a.r.startedAtMs! - b.r.startedAtMs!)) {
    const start = r.startedAtMs!;
    let slot = slots.find((x) => x.until <= start + 1);
    if (!slot) slots.push((slot = { until: 0, bars: [] }));
    slot.until = start + r.durationMs;
    const left = (start / end) * 100;
    const width = Math.max(0.3, (r.durationMs / end) * 100);
    slot.bars.push(
      `<a class="slot-bar ${isOk(r) ? 'ok' : 'bad'}" href="#suite-${i}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${esc(`${r.name}: ${toSeconds(start)}–${toSeconds(start + r.durationMs)} s, peak ${toMb(r.peakRssBytes)} MB`)}">${esc(r.name)}</a>`,
    );
  }
  return [
    '<h2>Schedule</h2>',
    line,
    '<div class="slots">',
    ...slots.map((x, n) => `<div class="slot"><span class="slot-name">slot ${n + 1}</span><div class="slot-track">${x.bars.join('')}</div></div>`),
    '</div>',
    '<div id="schedule-chart"></div>',
  ].join('\n');
}

/** compare: each suite under each variant, peak and time, against the first variant. */
function variantsSection(variants: Variant[] | undefined): string {
  if (!variants?.length) return '';
  const label = (v: Variant): string => Object.entries(v.env).map(([k, val]) => `${k}=${val}`).join(' ');
  const names = variants[0].suites.map((r) => r.name.replace(/ \[[^\]]*\]$/, ''));
  const top = Math.max(1, ...variants.flatMap((v) => v.suites.map((r) => r.peakRssBytes)));
  const rows = names.map((name, i) => {
    const first = variants[0].suites[i];
    const cells = variants.map((v) => {
      const r = v.suites[i];
      if (!r) return '<td>-</td>';
      const ratio = first && first.peakRssBytes > 0 && v !== variants[0] ? ` (×${(r.peakRssBytes / first.peakRssBytes).toFixed(2)})` : '';
      return `<td><span class="bar" style="width:${Math.round((r.peakRssBytes / top) * 160)}px"></span> ${toMb(r.peakRssBytes)} MB${ratio} · ${toSeconds(r.durationMs)} s</td>`;
    });
    return `<tr><td>${esc(name)}</td>${cells.join('')}</tr>`;
  });
  return [
    '<h2>Variants (compare)</h2>',
    `<table class="variants"><thead><tr><th>suite</th>${variants.map((v) => `<th>${esc(label(v))}</th>`).join('')}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

/** --baseline: each suite's peak and time against the saved reports. */
function baselineSection(cmp: BaselineComparison | null): string {
  if (!cmp) return '';
  const fig = (f: { peakRssBytes: number; durationMs: number } | null): string => (f ? `${toMb(f.peakRssBytes)} MB · ${toSeconds(f.durationMs)} s` : '-');
  const pct = (v: number | null): string => (v === null ? '' : ` (${v >= 0 ? '+' : ''}${v.toFixed(1)}%)`);
  const rows = cmp.suites.map(
    (s) =>
      `<tr class="${s.status === 'regressed' || s.status === 'missing' ? 'bad' : 'ok'}"><td>${esc(s.name)}</td><td>${esc(s.status)}</td>` +
      `<td class="num">${fig(s.baseline)}</td><td class="num">${fig(s.current)}</td>` +
      `<td class="num">${s.memoryDeltaBytes === null ? '' : `${s.memoryDeltaBytes >= 0 ? '+' : ''}${mb1(s.memoryDeltaBytes)} MB${pct(s.memoryDeltaPct)}`}</td><td>${esc(s.detail)}</td></tr>`,
  );
  return [
    `<h2>Against the baseline ${cmp.ok ? '' : '(regressed)'}</h2>`,
    '<table class="baseline"><thead><tr><th>suite</th><th>status</th><th>baseline</th><th>now</th><th>memory change</th><th>why</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// JSON inside a <script> element: `<` is written as \u003c so no text can close the element.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 1000px; padding: 0 1em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 1.6em; } h3 { font-size: 1.05em; margin-bottom: .2em; } h4 { font-size: .95em; font-weight: 600; }
table { border-collapse: collapse; margin: .5em 0; } th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer; padding: 0; } th button::after { content: ' ↕'; color: #999; }
.ok { color: #176f2c; } .bad { color: #b3261e; } tr.ok td, tr.bad td { color: inherit; } tr.bad td:last-child { color: #b3261e; }
.file, .summary { color: #555; margin-top: 0; }
.suite { border-top: 1px solid #eee; padding-top: .5em; }
.hover { font: 12px/1.4 ui-monospace, monospace; color: #333; min-height: 1.4em; }
.bar { display: inline-block; height: 10px; background: #6b8fd6; vertical-align: middle; }
.slots { margin: .5em 0; } .slot { display: flex; align-items: center; margin: 2px 0; } .slot-name { width: 4.5em; color: #555; font-size: 12px; }
.slot-track { position: relative; flex: 1; height: 20px; background: #f3f3f3; }
.slot-bar { position: absolute; top: 2px; height: 16px; font-size: 11px; overflow: hidden; white-space: nowrap; color: #fff; text-decoration: none; border-radius: 2px; padding: 0 2px; box-sizing: border-box; }
.slot-bar.ok { background: #4a8f5c; } .slot-bar.bad { background: #c0453b; }
svg.per-test rect.grew { fill: #d08b3b; } svg.per-test rect.freed { fill: #7aa57f; }
pre { white-space: pre-wrap; font-size: 12px; background: #f7f7f7; padding: .5em; }
`;

// The page's own script: the sortable table, a chart per suite with its hover, the schedule chart.
const PAGE_JS = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('stress-run-data').textContent);
  var charts = [];
  window.stressRun = { data: data, charts: charts };

  // The table: a click on a heading sorts by it; a second click reverses.
  var tbody = document.querySelector('#suites tbody');
  var order = {};
  document.querySelectorAll('#suites th button').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.getAttribute('data-sort');
      order[key] = -(order[key] || (key === 'name' ? -1 : 1));
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = a.getAttribute('data-' + key), y = b.getAttribute('data-' + key);
        var c = key === 'name' ? x.localeCompare(y) : Number(x) - Number(y);
        return c * order[key];
      });
      rows.forEach(function (row) { tbody.appendChild(row); });
    });
  });

  function testAt(suite, tMs) {
    var found = null;
    suite.tests.forEach(function (m) { if (tMs >= m[1] && (m[2] === null || tMs <= m[2])) found = m[0]; });
    return found;
  }
  function flat(xs, v) { return xs.map(function () { return v; }); }
  function width(el) { return Math.max(320, Math.min(960, el.clientWidth || 900)); }

  data.suites.forEach(function (suite, i) {
    var el = document.querySelector('.suite-chart[data-suite="' + i + '"]');
    var hover = document.querySelector('.hover[data-suite="' + i + '"]');
    if (!el) return;
    var x = suite.t.map(function (t) { return t / 1000; });
    var table = [x, suite.rss, suite.heap, flat(x, suite.budgetMb)];
    var series = [
      { label: 's' },
      { label: 'tree RSS MB', stroke: '#1f5fbf', fill: 'rgba(31,95,191,0.08)', width: 1.5 },
      { label: suite.heapOfHeaviest ? 'heap used MB (heaviest process)' : 'heap used MB', stroke: '#2b8a3e', spanGaps: true },
      { label: 'budget', stroke: '#c92a2a', dash: [6, 4] },
    ];
    if (suite.heapCapMb !== null) { table.push(flat(x, suite.heapCapMb)); series.push({ label: 'heap cap', stroke: '#7048e8', dash: [2, 4] }); }
    if (suite.killAboveMb !== null) { table.push(flat(x, suite.killAboveMb)); series.push({ label: '--kill-above', stroke: '#e8590c', dash: [10, 3, 2, 3] }); }
    var tables = [table];
    suite.runs.forEach(function (run, n) {
      tables.push([run.t.map(function (t) { return t / 1000; }), run.rss]);
      series.push({ label: 'run ' + (n + 1), stroke: 'rgba(31,95,191,0.35)', width: 1, spanGaps: true });
    });
    var aligned = table;
    if (tables.length > 1) {
      // The runs' own times joined in: each run's line has gaps where the others were sampled.
      aligned = uPlot.join(tables);
      for (var k = 1; k < series.length; k++) series[k].spanGaps = true;
      // The limit lines run across the whole chart.
      for (var f = 3; f < table.length; f++) aligned[f] = flat(aligned[0], table[f][0]);
    }
    series.forEach(function (x) { x.points = { show: false }; });
    var opts = {
      width: width(el), height: 240,
      scales: { x: { time: false } },
      axes: [{ label: 's' }, { label: 'MB' }],
      series: series,
      legend: { show: true },
      hooks: {
        setCursor: [function (u) {
          var idx = u.cursor.idx;
          if (idx == null) return;
          var tMs = u.data[0][idx] * 1000;
          var rss = u.data[1][idx], heap = u.data[2][idx];
          var test = testAt(suite, tMs);
          hover.textContent = (tMs / 1000).toFixed(2) + ' s · RSS ' + (rss == null ? '-' : rss + ' MB') +
            ' · heap ' + (heap == null ? '-' : heap + ' MB') + ' · test: ' + (test === null ? '(none running)' : test);
        }],
      },
    };
    charts.push(new uPlot(opts, aligned, el));
  });

  var s = data.schedule;
  var sel = document.getElementById('schedule-chart');
  if (s && sel) {
    var x = s.t.map(function (t) { return t / 1000; });
    var table = [x, s.rss];
    var series = [{ label: 's' }, { label: 'summed RSS MB', stroke: '#1f5fbf', fill: 'rgba(31,95,191,0.1)' }];
    // A total far above what the suites used (free memory on a big machine) would flatten their line: the text above gives it.
    var high = Math.max.apply(null, s.rss.concat([1]));
    if (s.totalMemoryMb !== null && s.totalMemoryMb <= 2 * high) { table.push(flat(x, Math.round(s.totalMemoryMb))); series.push({ label: '--total-memory', stroke: '#c92a2a', dash: [6, 4] }); }
    series.forEach(function (x) { x.points = { show: false }; });
    window.stressRun.schedule = new uPlot({ width: width(sel), height: 200, scales: { x: { time: false } }, axes: [{ label: 's' }, { label: 'MB' }], series: series }, table, sel);
  }
})();
`;
