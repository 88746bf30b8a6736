import { stripVTControlCharacters } from 'node:util';
import type { SuiteResult } from '../base/types';

// C0 and C1 control characters and DEL: each can move the cursor, start an escape sequence (CSI, OSC),
// rewrite a line (CR) or start a line of its own (LF), which a file name or test title must never do.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Where a name is written. `terminal` is also a CI log (stdout, stderr, with or without
 * GITHUB_ACTIONS) and the text inside a Markdown code block; `junit` is an XML value before the
 * JUnit writer escapes XML's own markup, as it does for every value.
 */
export type NameTarget = 'terminal' | 'ci' | 'markdown' | 'html' | 'junit';

/**
 * The one way a name that came from the project (a suite's name, a file's path, a test's title, a
 * variable's value) is written, wherever stress-run writes it: on one line, every control character
 * shown as an escape (`\x1b`, `\r`, `\n` …), so nothing can restyle a terminal, set its title, rewrite
 * a line or start one (a CI log obeys `::command::` only at the start of a line); then escaped for
 * where it goes: a Markdown table cell or HTML text.
 */
export function writeName(name: string, target: NameTarget = 'terminal'): string {
  const line = escapeLine(name);
  switch (target) {
    case 'markdown':
      return line.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
    case 'html':
      return line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    default:
      return line;
  }
}

/** Every name a suite's message may quote: its name, its file, and each test's title and describe blocks. */
export function namesOf(r: Pick<SuiteResult, 'name' | 'file'> & { testCases?: SuiteResult['testCases'] }): string[] {
  return [r.name, r.file, ...(r.testCases ?? []).flatMap((t) => [t.title, ...t.ancestors])];
}

/**
 * Text that came from a suite (a file name, a test title, a failure message), safe to print where
 * people or CI read it: every control character is shown as an escape (`\x1b`, `\n` …), so nothing
 * can restyle the terminal, set its title or fake a line. With `lines` (a message), newlines are kept
 * and colour and other terminal sequences, which Jest's messages carry, are dropped first; each of
 * `names` the message quotes (a test title with a newline in it) is written as writeName writes it,
 * on one line, so a title cannot start a line of the message.
 */
export function escapeControl(text: string, options: { lines?: boolean; names?: string[] } = {}): string {
  if (!options.lines) return escapeLine(text);
  let quoted = text;
  for (const name of new Set(options.names ?? [])) {
    // Jest quotes a title as it is, or with its terminal sequences dropped.
    for (const as of new Set([name, stripVTControlCharacters(name)])) {
      // Only a name with text of its own: a bare `\n` would match every line break of the message.
      if (HAS_CONTROL.test(as) && as.replace(CONTROL, '').trim().length >= 2) quoted = quoted.split(as).join(writeName(name));
    }
  }
  return stripVTControlCharacters(quoted).split(/\r?\n/).map(escapeLine).join('\n');
}

function escapeLine(line: string): string {
  return line.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
