// A transformer that is never warm: its getCacheKey differs between two calls on the same file
// (seen in a real project: getCacheKey returning Date.now()). Discovery records it in the
// transformer's shape; the table names it, and does not suggest --warmup for it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shapeOf } from '../../../src/child/lazy-transformers';
import { neverWarmTransformers } from '../../../src/measure/cold-cache';
import { tableNotes } from '../../../src/report/table-notes';
import { makeReport, makeResult } from '../../support/make-result';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'never-warm-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, body: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
};

describe('shapeOf: a getCacheKey that differs between two calls on one file', () => {
  test('Date.now() as the key: never warm', () => {
    const file = write('clock.js', 'module.exports = { process: (s) => ({ code: s }), getCacheKey: () => String(Date.now()) };');
    expect(shapeOf(['x', file, {}], require)).toEqual({ factory: false, methods: ['process', 'getCacheKey'], neverWarm: true });
  });

  test('a key from the file, its content and the options (and one that reads the config): warm', () => {
    const file = write('stable.js', `const crypto = require('crypto');
module.exports = { process: (s) => ({ code: s }), getCacheKey: (src, p, o) => crypto.createHash('sha1').update(src + p + o.configString + JSON.stringify(o.transformerConfig)).digest('hex') };`);
    expect(shapeOf(['x', file, { a: 1 }], require, { rootDir: dir })).toEqual({ factory: false, methods: ['process', 'getCacheKey'] });
  });

  test('a getCacheKey that throws on the options discovery gives says nothing', () => {
    const file = write('throws.js', 'module.exports = { process: (s) => ({ code: s }), getCacheKey: (s, p, o) => o.config.missing.deep };');
    expect(shapeOf(['x', file, {}], require)).toEqual({ factory: false, methods: ['process', 'getCacheKey'] });
  });
});

describe('the notes under the table', () => {
  test('name the never-warm transformer and do not suggest --warmup for its suites', () => {
    const transformers = neverWarmTransformers({ config: { transform: [['\\.js$', '/p/clock.js', {}], ['\\.ts$', '/p/ts.js', {}]] }, transformers: [{ factory: false, methods: ['process'], neverWarm: true }, { factory: false, methods: ['process'] }] });
    expect(transformers).toEqual(['/p/clock.js']);
    const notes = tableNotes(makeReport([makeResult({ name: 'a', coldCache: true, neverWarmTransformers: ['clock.js'] })])).join('\n');
    expect(notes).toContain('never warm: the transformer clock.js gives a new cache key for the same file on every call (its getCacheKey)');
    expect(notes).not.toMatch(/--warmup fills/);
  });

  test('a suite cold for another reason still gets the --warmup line', () => {
    const notes = tableNotes(makeReport([makeResult({ name: 'a', coldCache: true, neverWarmTransformers: ['clock.js'] }), makeResult({ name: 'b', coldCache: true })])).join('\n');
    expect(notes).toMatch(/cold cache: .* during b, .*--warmup fills the caches/);
  });
});
