import { drawnSize } from '../../../src/report/progress-writer';

describe('drawnSize', () => {
  // Some CI terminals and `script` recordings report a terminal of 0 columns (and 0 rows): log-update
  // would wrap every line to nothing and draw no rows, so nothing showed until the table.
  it('falls back to 80 columns and 24 rows where the terminal reports 0 or nothing', () => {
    expect(drawnSize({ columns: 0, rows: 0 })).toEqual({ columns: 80, rows: 24 });
    expect(drawnSize({})).toEqual({ columns: 80, rows: 24 });
  });

  it('keeps a real size', () => {
    expect(drawnSize({ columns: 150, rows: 40 })).toEqual({ columns: 150, rows: 40 });
  });
});
