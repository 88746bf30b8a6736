import { peakResetUnsupported } from '../../../src/measure/peak-reset';

describe('peakResetUnsupported', () => {
  it('says why not in a few words off Linux', () => {
    expect(peakResetUnsupported('darwin')).toBe('darwin has no per-process peak reset (Linux only)');
    expect(peakResetUnsupported('win32')).toBe('win32 has no per-process peak reset (Linux only)');
  });

  (process.platform === 'linux' ? it : it.skip)('is null on this Linux, where a process may write 5 to its clear_refs', () => {
    expect(peakResetUnsupported('linux')).toBeNull();
  });
});
