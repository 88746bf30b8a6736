import { stripVTControlCharacters } from 'node:util';

// C0 and C1 control characters and DEL: each can move the cursor, start an escape sequence (CSI, OSC),
// rewrite a line (CR) or start a line of its own (LF), which a file name or test title must never do.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text that came from a suite (a file name, a test title, a failure message), safe to print where
 * people or CI read it: every control character is shown as an escape (`\x1b`, `\n` …), so nothing
 * can restyle the terminal, set its title or fake a line. With `lines` (a message), newlines are kept
 * and colour and other terminal sequences, which Jest's messages carry, are dropped first.
 */
export function escapeControl(text: string, options: { lines?: boolean } = {}): string {
  if (!options.lines) return escapeLine(text);
  return stripVTControlCharacters(text).split(/\r?\n/).map(escapeLine).join('\n');
}

function escapeLine(line: string): string {
  return line.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
