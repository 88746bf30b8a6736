import Ajv from 'ajv';
import { renderBmf } from '../../../src/report/bmf';
import { makeDeath, makeReport, makeResult } from '../../support/make-result';

const MB = 1024 * 1024;

// Bencher's published JSON schema of BMF (https://bencher.dev/bmf.json), as its reference page gives it.
const BMF_SCHEMA = {
  type: 'object',
  patternProperties: {
    '.+': {
      type: 'object',
      patternProperties: {
        '.+': {
          type: 'object',
          properties: { value: { type: 'number' }, lower_value: { type: 'number' }, upper_value: { type: 'number' } },
          required: ['value'],
        },
      },
    },
  },
};

describe('renderBmf', () => {
  it('gives each suite its peak RSS in bytes and its duration in ms, valid against the BMF schema', () => {
    const text = renderBmf(makeReport([makeResult({ name: 'a', peakRssBytes: 142 * MB, durationMs: 2500 }), makeResult({ name: 'api/login', peakRssBytes: 90 * MB, durationMs: 800 })]));
    const bmf = JSON.parse(text) as unknown;
    expect(new Ajv().validate(BMF_SCHEMA, bmf)).toBe(true);
    expect(bmf).toEqual({
      a: { 'peak-rss': { value: 142 * MB }, duration: { value: 2500 } },
      'api/login': { 'peak-rss': { value: 90 * MB }, duration: { value: 800 } },
    });
  });

  it('with --runs, the lowest and highest run as lower_value and upper_value around the median', () => {
    const run = (mb: number, ms: number) => ({ ...makeResult(), peakRssBytes: mb * MB, durationMs: ms });
    const result = makeResult({ name: 'a', peakRssBytes: 100 * MB, durationMs: 2000, runs: [run(98, 2100), run(100, 1900), run(107, 2000), { ...run(1, 10), outcome: 'interrupted' }] });
    expect(JSON.parse(renderBmf(makeReport([result])))).toEqual({
      a: { 'peak-rss': { value: 100 * MB, lower_value: 98 * MB, upper_value: 107 * MB }, duration: { value: 2000, lower_value: 1900, upper_value: 2100 } },
    });
  });

  it('leaves out a suite interrupted before its end, and keeps one that died (its peak is a finding)', () => {
    const bmf = JSON.parse(renderBmf(makeReport([makeDeath('interrupted', { name: 'x' }), makeDeath('oom', { name: 'y', peakRssBytes: 300 * MB }), makeResult({ name: 'web:z', project: 'web' })]))) as Record<string, unknown>;
    expect(Object.keys(bmf)).toEqual(['y', 'web:z']);
  });
});
