// --html: the page of a real run, opened in headless Chromium (the system's, /usr/bin/chromium, driven
// by playwright-core) with every network request refused: no console error, one chart per suite, a
// hover that names the test running then, and a screenshot in .test-results/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expectNoLeftovers, REPO, removeDir, runCli, runFixtures, suiteArgs, tempDir, type CliResult } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const SHOT = path.join(REPO, '.test-results', 'html-report.png');

afterEach(expectNoLeftovers);

describe('--html of a run of three suites, one dying in its third test', () => {
  let run: CliResult;
  let dir: string;
  let page: Page;
  let browser: Browser;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: this test draws the HTML report in headless Chromium. Install it with \`apt-get install -y chromium\` (.ci/run does).`);
    }
    dir = tempDir('html');
    run = await runFixtures([...suiteArgs('pass', 'oom-third', 'hold-a'), '--max-heap', '64', '--parallel', '2', '--html', path.join(dir, 'report.html')]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const context = await browser.newContext({ offline: true, viewport: { width: 1100, height: 900 } });
    // Only the page itself may load: anything else it asked for would show here.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${path.join(dir, 'report.html')}`);
    await page.waitForFunction(() => (globalThis as unknown as { stressRun?: { charts: unknown[] } }).stressRun?.charts.length === 3);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) removeDir(dir);
  });

  test('loads with no console error and no request beyond the file', () => {
    expect(run.code).toBe(1);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  test('draws one chart per suite, and the schedule', async () => {
    expect(await page.locator('.suite-chart .uplot').count()).toBe(run.report!.suites.length);
    expect(await page.locator('#schedule-chart .uplot').count()).toBe(1);
    expect(await page.locator('.slot-bar').count()).toBe(3);
  });

  test('hovering a point names the test running then', async () => {
    const i = run.report!.suites.findIndex((s) => s.name === 'oom-third');
    const third = run.report!.suites[i].testMarks!.find((m) => m.name === 'bookings third leaks')!;
    const chart = page.locator('.suite-chart').nth(i);
    await chart.scrollIntoViewIfNeeded();
    // A drawn point inside the third test, and where it is in the viewport (the page's own script runs this).
    const at = await page.evaluate(
      ({ i, from }) => {
        interface Chart { data: number[][]; valToPos(v: number, scale: string): number; over: { getBoundingClientRect(): { left: number; top: number; height: number } } }
        const u = (globalThis as unknown as { stressRun: { charts: Chart[] } }).stressRun.charts[i];
        const xs = u.data[0];
        const idx = xs.findIndex((x) => x * 1000 > from + 60);
        const box = u.over.getBoundingClientRect();
        return { x: box.left + u.valToPos(xs[idx], 'x'), y: box.top + box.height / 2 };
      },
      { i, from: third.startMs },
    );
    await page.mouse.move(at.x, at.y);
    const hover = page.locator(`.hover[data-suite="${i}"]`);
    await hover.filter({ hasText: 'test: ' }).waitFor();
    expect(await hover.textContent()).toContain('test: bookings third leaks');
    fs.mkdirSync(path.dirname(SHOT), { recursive: true });
    await page.screenshot({ path: SHOT, fullPage: true });
    expect(fs.statSync(SHOT).size).toBeGreaterThan(10_000);
  });

  test('stress-run html draws the saved JSON report as the same page', async () => {
    const saved = path.join(dir, 'saved.json');
    fs.writeFileSync(saved, JSON.stringify(run.report));
    const drawn = await runCli(['html', saved, '--html', path.join(dir, 'saved.html')]);
    expect(drawn.code).toBe(0);
    expect(drawn.stderr).toBe('');
    const page = fs.readFileSync(path.join(dir, 'saved.html'), 'utf8');
    expect(page.match(/class="suite-chart"/g)).toHaveLength(3);
    expect(page).toContain('bookings third leaks');
    // without --html, the page goes to stdout
    const piped = await runCli(['html', saved]);
    expect(piped.code).toBe(0);
    expect(piped.stdout.startsWith('<!doctype html>')).toBe(true);
  });

  test('a report of 100 suites of ten minutes each makes a page under 1 MB that opens in under 2 s', async () => {
    // The real run's suites, each made a ten-minute suite (12,000 samples) and copied to 100.
    const long = (i: number): { tMs: number; rssBytes: number; heapUsedBytes: number | null } => ({ tMs: i * 50, rssBytes: Math.round((100 + 50 * Math.sin(i / 7)) * 1024 * 1024), heapUsedBytes: null });
    const suites = Array.from({ length: 100 }, (_, i) => {
      const like = run.report!.suites[i % run.report!.suites.length];
      return { ...like, name: `area-${i}/${like.name}`, samples: Array.from({ length: 12_000 }, (_, k) => long(k)), startedAtMs: i * 1000, durationMs: 600_000 };
    });
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, JSON.stringify({ ...run.report, suites }));
    const drawn = await runCli(['html', big, '--html', path.join(dir, 'big.html')]);
    expect(drawn.code).toBe(0);
    expect(fs.statSync(path.join(dir, 'big.html')).size).toBeLessThan(1024 * 1024);
    const opened = await browser.newPage();
    const startedAt = Date.now();
    await opened.goto(`file://${path.join(dir, 'big.html')}`);
    await opened.waitForFunction(() => (globalThis as unknown as { stressRun?: { charts: unknown[] } }).stressRun?.charts.length === 100);
    const openMs = Date.now() - startedAt;
    await opened.close();
    expect(openMs).toBeLessThan(2000);
  });

  test('sorts the table by peak when its heading is clicked', async () => {
    await page.locator('#suites th button[data-sort="peak"]').click();
    const peaks = await page.locator('#suites tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-peak'))));
    expect(peaks).toEqual([...peaks].sort((a, b) => b - a));
  });
});
