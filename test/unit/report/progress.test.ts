import { endLine, progressLines, startLine } from '../../../src/report/progress';
import { makeDeath, makeResult, MB } from '../../support/make-result';

describe('progressLines', () => {
  it('shows one line per running suite (elapsed time, RSS against budget) and a totals line', () => {
    const lines = progressLines(
      {
        queued: 3,
        finished: 4,
        failed: 1,
        totalMemoryMb: 600,
        running: [
          { name: 'kb-accuracy', startedAtMs: 1000, rssBytes: 142 * MB, budgetMb: 300 },
          { name: 'atomic', startedAtMs: 2500, rssBytes: 98 * MB, budgetMb: 250 },
        ],
      },
      4200,
      80,
    );
    expect(lines).toEqual([
      '  ▶ kb-accuracy   3.2 s    142/300 MB',
      '  ▶ atomic        1.7 s     98/250 MB',
      '2 running · 3 queued · 4 finished (1 not ok) · RSS 240/600 MB',
    ]);
  });

  it('cuts lines to the terminal width and shows the RSS alone without a total budget', () => {
    const lines = progressLines({ queued: 0, finished: 0, failed: 0, totalMemoryMb: null, running: [{ name: 'x'.repeat(60), startedAtMs: 0, rssBytes: 0, budgetMb: 300 }] }, 0, 30);
    expect(lines.every((l) => [...l].length <= 30)).toBe(true);
    expect(lines[0].endsWith('…')).toBe(true);
    expect(lines[1]).toBe('1 running · 0 queued · 0 fini…');
    expect(progressLines({ queued: 1, finished: 0, failed: 0, totalMemoryMb: null, running: [] }, 0, 80)).toEqual(['0 running · 1 queued · 0 finished · RSS 0 MB']);
  });
});

describe('plain lines', () => {
  it('say when a suite starts and how it ended', () => {
    expect(startLine('kb-accuracy')).toBe('▶ kb-accuracy\n');
    expect(endLine(makeResult({ peakRssBytes: 142 * MB, durationMs: 1234 }))).toBe('✓ kb-accuracy PASS · 142 MB · 1.2 s\n');
    expect(endLine(makeDeath('oom', { name: 'leak', heapCapMb: 48 }))).toMatch(/^✗ leak OOM at 48 MB heap · /);
  });
});
