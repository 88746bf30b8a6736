import { commonFailure } from '../../../src/report/common-failure';
import { makeReport, makeResult } from '../../support/make-result';
import { renderTable } from '../../../src/report/table';

const NONE = { passed: 0, failed: 0, skipped: 0, total: 0 };
const suiteError = (name: string, message: string, durationMs = 1200) =>
  makeResult({ name, file: `src/${name}.test.js`, outcome: 'failed', tests: NONE, testCases: [], durationMs, message });
const esm = (file: string): string =>
  `● Test suite failed to run\n\n    Jest encountered an unexpected token\n\n    Details:\n\n    /p/src/${file}.test.js:1\n    import { sum } from './sum.js';\n    ^^^^^^\n\n    SyntaxError: Cannot use import statement outside a module`;

describe('commonFailure', () => {
  it('says once when every suite failed the same way before any test ran, with the ESM hint', () => {
    const note = commonFailure([suiteError('a', esm('a')), suiteError('b', esm('b')), suiteError('c', esm('c'))]);
    expect(note).toBe(
      'Every suite failed the same way before any test ran: Jest encountered an unexpected token\n' +
        '  Hint: the files are ES modules: run them as the project’s test script does, e.g. NODE_OPTIONS=--experimental-vm-modules stress-run all, or give Jest a transform for them.',
    );
  });

  it('treats paths and positions as the same error', () => {
    const syntax = (file: string, at: string): string => `● Test suite failed to run\n\n    SyntaxError: /p/src/${file}.test.ts: Unexpected token, expected "," (${at})`;
    const note = commonFailure([suiteError('a', syntax('a', '3:18')), suiteError('b', syntax('b', '10:2'))]);
    expect(note).toContain('Every suite failed the same way before any test ran: SyntaxError: /p/src/a.test.ts');
    expect(note).toContain('Hint: Jest could not parse the files');
  });

  it('has no hint for an error it does not know, but still says it once', () => {
    const note = commonFailure([suiteError('a', 'boom: the database is down'), suiteError('b', 'boom: the database is down')]);
    expect(note).toBe('Every suite failed the same way before any test ran: boom: the database is down');
  });

  it('gives a single suite the hint when its failure is a known one, and says nothing otherwise', () => {
    expect(commonFailure([suiteError('a', esm('a'))])).toMatch(/^The only suite failed before any test ran: Jest encountered an unexpected token\n  Hint: the files are ES modules/);
    expect(commonFailure([suiteError('a', 'boom: the database is down')])).toBeNull();
  });

  it('says nothing when the errors differ, a test ran, a suite passed, or it took long', () => {
    expect(commonFailure([suiteError('a', 'one thing'), suiteError('b', 'another thing')])).toBeNull();
    expect(commonFailure([suiteError('a', esm('a')), makeResult({ name: 'b' })])).toBeNull();
    expect(commonFailure([suiteError('a', esm('a')), { ...suiteError('b', esm('b')), tests: { passed: 1, failed: 0, skipped: 0, total: 1 } }])).toBeNull();
    expect(commonFailure([suiteError('a', esm('a')), suiteError('b', esm('b'), 40_000)])).toBeNull();
  });

  it('shows the note under the table and the full error of the first suite only', () => {
    const text = renderTable(makeReport([suiteError('a', esm('a')), suiteError('b', esm('b'))]), { color: false });
    expect(text).toContain('Every suite failed the same way before any test ran');
    expect(text.match(/Cannot use import statement outside a module/g)).toHaveLength(1);
    expect(text).toContain('a (src/a.test.js): FAIL suite error');
    expect(text).not.toContain('b (src/b.test.js)');
  });

  it('puts the hint on a line of its own under the note, not an escaped \\n', () => {
    const lines = renderTable(makeReport([suiteError('a', esm('a')), suiteError('b', esm('b'))]), { color: false }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('Every suite failed the same way before any test ran: Jest encountered an unexpected token'));
    expect(lines[at]).toBe('Every suite failed the same way before any test ran: Jest encountered an unexpected token');
    expect(lines[at + 1]).toMatch(/^ {2}Hint: the files are ES modules/);
  });
});
