import { escapeControl } from '../../../src/report/escape';

describe('escapeControl', () => {
  it('shows control characters as escapes, so a name cannot restyle the terminal, set its title or fake a line', () => {
    expect(escapeControl('a\u001b]0;pwned\u0007b')).toBe('a\\x1b]0;pwned\\x07b');
    expect(escapeControl('one\ntwo\rthree\tfour\u009b')).toBe('one\\ntwo\\rthree\\tfour\\x9b');
  });

  it('in a message, drops colour and terminal sequences and keeps newlines', () => {
    expect(escapeControl('\u001b[31mred\u001b[39m')).toBe('\\x1b[31mred\\x1b[39m');
    expect(escapeControl('\u001b[31mred\u001b[39m \u001b]0;title\u0007', { lines: true })).toBe('red ');
    expect(escapeControl('first\n\u001b[2Jsecond\u0008', { lines: true })).toBe('first\nsecond\\x08');
  });

  it('leaves plain text, Unicode and emoji alone', () => {
    expect(escapeControl('kb-accuracy › finds ✓ 日本 🎉')).toBe('kb-accuracy › finds ✓ 日本 🎉');
  });
});
