// uPlot's minified script and stylesheet, read from the installed package once per run, for the HTML
// report to inline (the page loads nothing from anywhere).
import * as fs from 'node:fs';
import type { HtmlAssets } from '../report/html';

let cached: HtmlAssets | null = null;

/** The assets renderHtml inlines. */
export function htmlAssets(): HtmlAssets {
  cached ??= {
    uplotJs: fs.readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: fs.readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return cached;
}
