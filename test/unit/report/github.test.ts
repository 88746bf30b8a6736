import { githubAnnotations } from '../../../src/report/github';
import { MB, makeDeath, makeReport, makeResult } from '../../support/make-result';

// Undoes GitHub's workflow-command escaping, as the runner does.
const unescape = (text: string): string => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

// Splits `::error file=…,title=…::message` into its properties and message.
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+) ([^:]*)::(.*)$/s.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const properties = Object.fromEntries(
    match[2].split(',').map((pair) => {
      const [key, value] = pair.split('=');
      return [key, unescape(value)];
    }),
  );
  return { command: match[1], properties, message: unescape(match[3]) };
}

describe('githubAnnotations', () => {
  it('writes one error per suite that is not ok, on its test file, and nothing for passing suites', () => {
    const report = makeReport([
      makeResult({ name: 'fine' }),
      makeDeath('oom', { name: 'redaction', file: 'stress-suites/redaction.stress.test.ts', heapCapMb: 48, message: 'FATAL ERROR: JavaScript heap out of memory' }),
      makeResult({
        name: 'tenancy',
        file: 'stress-suites/tenancy.stress.test.ts',
        peakRssBytes: 312 * MB,
        budget: { memoryMb: 300, timeS: 30, memoryExceeded: true, timeExceeded: false },
      }),
    ]);
    const lines = githubAnnotations(report);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('::error file=stress-suites/redaction.stress.test.ts,title=redaction%3A OOM at 48 MB heap::FATAL ERROR: JavaScript heap out of memory');
    expect(parseCommand(lines[1])).toEqual({
      command: 'error',
      properties: { file: 'stress-suites/tenancy.stress.test.ts', title: 'tenancy: OVER MEMORY 312/300 MB' },
      message: 'OVER MEMORY 312/300 MB',
    });
  });

  it('escapes %, CR and LF in the message and also : and , in properties, so each annotation stays one line', () => {
    const report = makeReport([
      makeResult({
        name: 'odd, name: 100%',
        file: 'suites/a,b:c.stress.test.ts',
        outcome: 'failed',
        tests: { passed: 0, failed: 2, skipped: 0, total: 2 },
        message: '\u001b[31m● first\u001b[39m\r\nsecond: 50% done, ok',
      }),
    ]);
    const [line] = githubAnnotations(report);
    expect(line).not.toMatch(/[\r\n]/);
    expect(line).toBe('::error file=suites/a%2Cb%3Ac.stress.test.ts,title=odd%2C name%3A 100%25%3A FAIL 2 tests::● first%0Asecond: 50%25 done, ok');
    expect(parseCommand(line)).toEqual({
      command: 'error',
      properties: { file: 'suites/a,b:c.stress.test.ts', title: 'odd, name: 100%: FAIL 2 tests' },
      message: '● first\nsecond: 50% done, ok',
    });
  });

  it('shows control characters in names and messages as escapes, so no title can print a command or restyle the log', () => {
    const [line] = githubAnnotations(makeReport([makeResult({ name: 'x\u001b]0;t\u0007', outcome: 'failed', message: '\u0008::warning::pwned' })]));
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(parseCommand(line).message).toBe('\\x08::warning::pwned');
  });

  it('returns no lines when every suite is ok', () => {
    expect(githubAnnotations(makeReport([makeResult(), makeResult({ name: 'other' })]))).toEqual([]);
  });
});
