import { renderJunit } from '../../../src/report/junit';
import { makeDeath, makeReport, makeResult } from '../../support/make-result';

describe('renderJunit, rewritten after every suite', () => {
  it('gives the same XML for the same report, whether its suites were rendered before or not', () => {
    const suites = [makeResult({ name: 'a' }), makeDeath('oom', { name: 'b' })];
    const first = renderJunit(makeReport(suites));
    expect(renderJunit(makeReport(suites))).toBe(first);
    expect(renderJunit(makeReport(suites.map((s) => ({ ...s }))))).toBe(first);
  });
});
