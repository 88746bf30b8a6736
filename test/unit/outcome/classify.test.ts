import { classify, type Ending } from '../../../src/outcome/classify';
import type { JestJson } from '../../../src/outcome/jest-results';

const jestJson = (over: Partial<JestJson> = {}): JestJson => ({
  success: true,
  numPassedTests: 3,
  numFailedTests: 0,
  numPendingTests: 1,
  numTodoTests: 1,
  numTotalTests: 5,
  numRuntimeErrorTestSuites: 0,
  testResults: [{ message: '', assertionResults: [] }],
  ...over,
});

const ending = (over: Partial<Ending> = {}): Ending => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  interrupted: false,
  overLimitMb: null,
  stderrTail: '',
  jest: jestJson(),
  heapCapMb: 64,
  timeoutMs: 60_000,
  ...over,
});

const V8_OOM_TEXT = `<--- Last few GCs --->
[123:0x5]     812 ms: Mark-Compact 60.1 (66.2) -> 59.9 (66.4) MB
FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
 1: 0xb8d0a3 node::Abort() [node]`;

describe('classify', () => {
  it('passes a clean Jest run and counts skipped and todo together', () => {
    expect(classify(ending())).toEqual({
      outcome: 'passed',
      tests: { passed: 3, failed: 0, skipped: 2, total: 5 },
      message: null,
    });
  });

  it('fails on failing assertions and names the failing tests', () => {
    const json = jestJson({
      success: false,
      numFailedTests: 1,
      testResults: [
        {
          message: '\u001b[1m● sum › adds\u001b[22m\n\n    Expected: 5\n    Received: 4',
          assertionResults: [
            { ancestorTitles: ['sum'], title: 'adds', status: 'failed', failureMessages: ['x'] },
            { ancestorTitles: [], title: 'ok', status: 'passed', failureMessages: [] },
          ],
        },
      ],
    });
    const result = classify(ending({ exitCode: 1, jest: json }));
    expect(result.outcome).toBe('failed');
    expect(result.tests.failed).toBe(1);
    expect(result.message).toContain('✕ sum › adds');
    expect(result.message).toContain('Received: 4');
    expect(result.message).not.toContain('\u001b[');
  });

  it('fails a suite error such as a syntax error, with zero counts from Jest', () => {
    const json = jestJson({
      success: false,
      numPassedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      numTotalTests: 0,
      numRuntimeErrorTestSuites: 1,
      testResults: [{ message: 'SyntaxError: Unexpected token', assertionResults: [] }],
    });
    const result = classify(ending({ exitCode: 1, jest: json }));
    expect(result).toMatchObject({ outcome: 'failed', tests: { passed: 0, failed: 0, total: 0 } });
    expect(result.message).toContain('SyntaxError');
  });

  describe('a file Jest cannot load as CommonJS (ES module syntax)', () => {
    const suiteError = (text: string): JestJson =>
      jestJson({ success: false, numPassedTests: 0, numPendingTests: 0, numTodoTests: 0, numTotalTests: 0, numRuntimeErrorTestSuites: 1, testResults: [{ message: text, assertionResults: [] }] });
    it.each([
      "● Test suite failed to run\n\n    Jest encountered an unexpected token\n\n    SyntaxError: Cannot use import statement outside a module",
      "● Test suite failed to run\n\n    SyntaxError: Unexpected token 'export'",
      '● Test suite failed to run\n\n    Must use import to load ES Module: /p/a.test.js',
      '● Test suite failed to run\n\n    Error [ERR_REQUIRE_ESM]: require() of ES Module /p/node_modules/x/index.js not supported.',
    ])('gets Jest’s advice about --experimental-vm-modules, never heap advice: %s', (text) => {
      const result = classify(ending({ exitCode: 1, jest: suiteError(text) }));
      expect(result.outcome).toBe('failed');
      expect(result.message).toContain(text.split('\n').pop()!.trim());
      expect(result.message).toMatch(/\nHint: .*NODE_OPTIONS=--experimental-vm-modules/);
      expect(result.message).toContain('https://jestjs.io/docs/ecmascript-modules');
      expect(result.message).not.toMatch(/heap/i);
    });

    it('keeps the hint after a long failure text is cut', () => {
      const long = ['SyntaxError: Cannot use import statement outside a module', ...Array.from({ length: 30 }, (_, i) => `    at frame ${i}`)].join('\n');
      expect(classify(ending({ exitCode: 1, jest: suiteError(long) })).message).toMatch(/more lines\)\nHint: /);
    });

    it('gives no hint to an ordinary failure', () => {
      expect(classify(ending({ exitCode: 1, jest: suiteError('SyntaxError: Unexpected token (3:1)') })).message).not.toContain('Hint:');
    });
  });

  it('calls a run whose spawned process ran out of heap under the inherited cap an OOM, naming the process and the cap', () => {
    const failing = jestJson({ success: false, numPassedTests: 0, numFailedTests: 1, testResults: [{ message: 'expected 0, got 134', assertionResults: [] }] });
    const result = classify(ending({ exitCode: 1, jest: failing, heapCapMb: 200, spawnedOom: { command: '/usr/bin/node -e build() build-heap' } }));
    expect(result.outcome).toBe('oom');
    expect(result.message).toContain('A process the suite started ran out of heap under the 200 MB heap cap it inherited (--max-old-space-size=200 in NODE_OPTIONS): /usr/bin/node -e build() build-heap');
  });

  it('calls a SIGABRT with V8 heap text an OOM and shows the cap in force', () => {
    const result = classify(ending({ exitCode: null, signal: 'SIGABRT', jest: null, stderrTail: V8_OOM_TEXT }));
    expect(result.outcome).toBe('oom');
    expect(result.tests).toEqual({ passed: null, failed: null, skipped: null, total: null });
    expect(result.message).toContain('64 MB heap cap');
    expect(result.message).toContain('JavaScript heap out of memory');
  });

  it('reads the cap with the right article: a 64 MB cap, an 80 MB cap', () => {
    expect(classify(ending({ exitCode: null, signal: 'SIGABRT', jest: null, stderrTail: V8_OOM_TEXT })).message).toContain('under a 64 MB heap cap');
    expect(classify(ending({ exitCode: null, signal: 'SIGABRT', jest: null, stderrTail: V8_OOM_TEXT, heapCapMb: 80 })).message).toContain('under an 80 MB heap cap');
  });

  it('also recognises exit code 134 as the abort of an OOM, and says when there was no cap', () => {
    const result = classify(ending({ exitCode: 134, jest: null, stderrTail: V8_OOM_TEXT, heapCapMb: null }));
    expect(result.outcome).toBe('oom');
    expect(result.message).toContain('no heap cap');
  });

  it('does not call a plain SIGABRT without V8 text an OOM', () => {
    expect(classify(ending({ exitCode: null, signal: 'SIGABRT', jest: null })).outcome).toBe('crashed');
  });

  it('tells an outside SIGKILL (kernel OOM killer) from our own timeout', () => {
    expect(classify(ending({ exitCode: null, signal: 'SIGKILL', jest: null })).outcome).toBe('killed');
    const timeout = classify(ending({ exitCode: null, signal: 'SIGKILL', jest: null, timedOut: true, timeoutMs: 60_000 }));
    expect(timeout.outcome).toBe('timeout');
    expect(timeout.message).toContain('60 s');
    expect(classify(ending({ timedOut: true, timeoutMs: 20 })).message).toContain('the 0.02 s timeout');
  });

  it('tells the live memory guard\'s kill from an outside SIGKILL and from a V8 OOM', () => {
    const guarded = classify(ending({ exitCode: null, signal: 'SIGKILL', jest: null, overLimitMb: 600, stderrTail: 'FATAL ERROR: JavaScript heap out of memory' }));
    expect(guarded.outcome).toBe('memory-killed');
    expect(guarded.message).toContain('600 MB');
    expect(guarded.message).toContain('--kill-above');
  });

  it('reports an interrupt before anything else', () => {
    expect(classify(ending({ signal: 'SIGTERM', timedOut: true, interrupted: true })).outcome).toBe('interrupted');
  });

  it('names the signal of a crash and keeps the last lines of stderr', () => {
    const result = classify(ending({ exitCode: null, signal: 'SIGSEGV', jest: null, stderrTail: 'noise\nsegfault here\n' }));
    expect(result.outcome).toBe('crashed');
    expect(result.message).toContain('SIGSEGV');
    expect(result.message).toContain('segfault here');
  });

  it('calls an exit without results a crash, with the exit code', () => {
    const result = classify(ending({ exitCode: 3, jest: null, stderrTail: 'Error: cannot find module x' }));
    expect(result.outcome).toBe('crashed');
    expect(result.message).toContain('code 3');
    expect(result.message).toContain('cannot find module x');
  });

  it('explains a file Jest would not run (outside its testMatch) instead of calling it passed', () => {
    const json = jestJson({ numPassedTests: 0, numPendingTests: 0, numTodoTests: 0, numTotalTests: 0, testResults: [] });
    const result = classify(ending({ exitCode: 1, jest: json }));
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('testMatch');
  });

  it('fails a run whose tests passed but whose process still exited non-zero', () => {
    const result = classify(ending({ exitCode: 1 }));
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('code 1');
  });
});
