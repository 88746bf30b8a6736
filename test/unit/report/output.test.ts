import { outputStyle } from '../../../src/report/output-style';

describe('outputStyle', () => {
  it('colours a terminal and not a pipe', () => {
    expect(outputStyle({}, true, true)).toEqual({ color: true, progress: true });
    expect(outputStyle({}, false, false)).toEqual({ color: false, progress: false });
  });

  it('honours NO_COLOR, TERM=dumb and FORCE_COLOR (which wins)', () => {
    expect(outputStyle({ NO_COLOR: '1' }, true, true).color).toBe(false);
    expect(outputStyle({ TERM: 'dumb' }, true, true).color).toBe(false);
    expect(outputStyle({ FORCE_COLOR: '1', NO_COLOR: '1' }, false, false).color).toBe(true);
    expect(outputStyle({ FORCE_COLOR: '0' }, true, true).color).toBe(false);
    expect(outputStyle({ FORCE_COLOR: '', NO_COLOR: '1' }, true, true).color).toBe(false);
    expect(outputStyle({ FORCE_COLOR: '', NO_COLOR: '' }, true, true).color).toBe(true);
  });

  it('shows no live progress in CI', () => {
    expect(outputStyle({ CI: 'true' }, true, true).progress).toBe(false);
  });
});
