// Screenshots an HTML report in headless Chromium, hovering the middle of one suite's chart so the
// hover line names the test running then: how docs/html-report.png is made.
//   node bin/stress-run.js all --parallel 2 --html /tmp/report.html
//   node scripts/html-screenshot.js /tmp/report.html docs/html-report.png [suite index, default 0]
const path = require('node:path');
const { chromium } = require('playwright-core');

async function main() {
  const [file, out, suite = '0'] = process.argv.slice(2);
  if (!file || !out) throw new Error('usage: node scripts/html-screenshot.js <report.html> <out.png> [suite index]');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1040, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(`file://${path.resolve(file)}`);
    await page.waitForFunction(() => globalThis.stressRun && globalThis.stressRun.charts.length > 0);
    const i = Number(suite);
    await page.locator('.suite-chart').nth(i).scrollIntoViewIfNeeded();
    const at = await page.evaluate((i) => {
      const u = globalThis.stressRun.charts[i];
      const box = u.over.getBoundingClientRect();
      return { x: box.left + box.width * 0.9, y: box.top + box.height / 2 };
    }, i);
    await page.mouse.move(at.x, at.y);
    await page.evaluate(() => globalThis.scrollTo(0, 0));
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
