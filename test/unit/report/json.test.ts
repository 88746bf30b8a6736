import { renderJson } from '../../../src/report/json';
import { makeDeath, makeReport, makeResult } from './make-result';

describe('renderJson', () => {
  it('writes exactly what JSON.stringify with two-space indentation writes, with or without suites', () => {
    const report = makeReport(
      [makeResult({ name: 'a', message: 'line one\nline two "quoted"' }), makeDeath('oom', { name: 'b' })],
      { schedule: { parallelism: 2, totalMemoryMb: null, peakConcurrentRssBytes: 1, wallMs: 2, sumSuiteMs: 3 } },
    );
    expect(renderJson(report)).toBe(JSON.stringify(report, null, 2) + '\n');
    expect(renderJson(makeReport([]))).toBe(JSON.stringify(makeReport([]), null, 2) + '\n');
  });

  it('renders a finished suite once, however often the report around it is rewritten', () => {
    const finished = makeResult({ name: 'done' });
    const spy = jest.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 5; i++) renderJson(makeReport([finished, makeDeath('interrupted', { name: `pending-${i}` })]));
      const suiteRenders = spy.mock.calls.filter(([value]) => value === finished);
      expect(suiteRenders).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});
