import type { createColors } from 'picocolors';
import { GROWTH_NOISE_BYTES, topRetainers } from '../forensics/leak';
import type { Leak, SuiteResult } from '../base/types';
import { MB, toSeconds } from '../base/units';
import { writeName } from './escape';

const TOP_RETAINERS = 3;

/** Bytes per test as MB with two decimals, or KB below a tenth of a MB: `+2.81 MB`, `+12 KB`. */
export function perTestSize(bytes: number): string {
  const sign = bytes < 0 ? '-' : '+';
  const abs = Math.abs(bytes);
  return abs >= MB / 10 ? `${sign}${(abs / MB).toFixed(2)} MB` : `${sign}${Math.round(abs / 1024)} KB`;
}

/** The leak fit in a few words: `probable leak: +2.81 MB/test, grew after 97% of tests`. */
export function leakWords(leak: Leak): string {
  const how = `${perTestSize(leak.slopeBytesPerTest)}/test, grew after ${Math.round(leak.growthShare * 100)}% of tests`;
  return leak.flagged ? `probable leak: ${how}` : `no leak: ${how}`;
}

/** --per-test lines under the table: each suite's leak fit and the tests that retained the most. */
export function perTestNotes(suites: SuiteResult[], c: ReturnType<typeof createColors>): string[] {
  const measured = suites.filter((r) => r.perTest !== undefined);
  if (!measured.length) return [];
  const lines = ['', c.bold('Heap left behind per test') + ` (settled by a full GC after each test; growth under ${GROWTH_NOISE_BYTES / 1024} KB is noise):`];
  for (const r of measured) {
    const fit = r.leak ? leakWords(r.leak) : `no fit (${r.perTest!.length} test${r.perTest!.length === 1 ? '' : 's'} measured)`;
    // The forced GCs are --per-test's cost, not the suite's: the time judged is without them.
    const gc = r.perTestGcMs ? `; the forced GCs took ${toSeconds(r.perTestGcMs)} s of its ${toSeconds(r.durationMs)} s, judged on ${toSeconds(r.judgedDurationMs ?? r.durationMs)} s` : '';
    lines.push(`  ${writeName(r.name)}: ${r.leak?.flagged ? c.yellow(fit) : fit}${gc}`);
    const top = topRetainers(r.perTest!, TOP_RETAINERS);
    if (top.length) lines.push(`    most retained: ${top.map((t) => `${perTestSize(t.retainedBytes)} "${writeName(t.name)}"`).join(', ')}`);
  }
  return lines;
}
