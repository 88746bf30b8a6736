import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installLazyTransformers, loadAhead, shapeOf } from '../../../src/child/lazy-transformers';
import type { TransformEntry } from '../../../src/child/protocol';

import * as vm from 'node:vm';

// Node's own require (Jest hands tests a `module` of its own): the stand-in lives in Node's module cache.
const RealModule = (vm.runInThisContext('process') as NodeJS.Process & { mainModule: { constructor: { createRequire: (f: string) => NodeJS.Require } } }).mainModule.constructor;
const nodeRequire = RealModule.createRequire(__filename);
let dir: string;

/** A transformer module that records in loads.txt every time Node evaluates it. */
function writeTransformer(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `'use strict';\nrequire('fs').appendFileSync(${JSON.stringify(path.join(dir, 'loads.txt'))}, ${JSON.stringify(name + '\n')});\n${body}`);
  return file;
}
const loads = (): string[] => (fs.existsSync(path.join(dir, 'loads.txt')) ? fs.readFileSync(path.join(dir, 'loads.txt'), 'utf8').trim().split('\n').filter(Boolean) : []);
/** Probes the shape as discovery does, in a cache of its own, then forgets the module again. */
const probe = (entry: TransformEntry) => {
  const shape = shapeOf(entry, nodeRequire);
  delete nodeRequire.cache[entry[1]];
  fs.rmSync(path.join(dir, 'loads.txt'), { force: true });
  return shape;
};

const FACTORY = `exports.createTransformer = (o) => ({
  canInstrument: false,
  process(src) { return { code: src + o.suffix, self: this === undefined ? 'unbound' : 'bound' }; },
  getCacheKey(src) { return 'key:' + src + o.suffix; },
});`;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-transformers-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shapeOf', () => {
  test('records the factory, the methods Jest calls and canInstrument', () => {
    const file = writeTransformer('f.js', FACTORY);
    expect(probe(['x', file, { suffix: '!' }])).toEqual({ factory: true, methods: ['process', 'getCacheKey'], canInstrument: false });
  });

  test('a plain transformer module, and one behind an ES-module default', () => {
    const plain = writeTransformer('p.js', 'exports.processAsync = async (s) => ({ code: s });');
    const esm = writeTransformer('e.js', 'exports.__esModule = true; exports.default = { process: (s) => ({ code: s }), canInstrument: true };');
    expect(probe(['x', plain, {}])).toEqual({ factory: false, methods: ['processAsync'] });
    expect(probe(['x', esm, {}])).toEqual({ factory: false, methods: ['process'], canInstrument: true });
  });

  test('null where laziness could change what Jest does', () => {
    const asyncFactory = writeTransformer('a.js', 'exports.createTransformer = async () => ({ process: (s) => ({ code: s }) });');
    const throws = writeTransformer('t.js', 'throw new Error("broken");');
    const noProcess = writeTransformer('n.js', 'exports.getCacheKey = () => "k";');
    expect(probe(['x', asyncFactory, {}])).toBeNull();
    expect(probe(['x', throws, {}])).toBeNull();
    expect(probe(['x', noProcess, {}])).toBeNull();
    expect(probe(['x', path.join(dir, 'm.mjs'), {}])).toBeNull();
  });
});

describe('installLazyTransformers', () => {
  test('Jest gets a stand-in; the real transformer loads on the first call, with the same options', () => {
    const file = writeTransformer('f.js', FACTORY);
    const entries: TransformEntry[] = [['\\.js$', file, { suffix: '!' }]];
    const shapes = entries.map(probe);
    expect(installLazyTransformers(entries, shapes, nodeRequire)).toEqual([file]);
    try {
      const exported = nodeRequire(file) as { __esModule: boolean; default: { createTransformer: (o: unknown) => Record<string, unknown> } };
      expect(exported.__esModule).toBe(true);
      const t = exported.default.createTransformer({ suffix: '!' });
      expect(loads()).toEqual([]);
      expect(typeof t.process).toBe('function');
      expect(t.getCacheKey).toBeInstanceOf(Function);
      expect(t.processAsync).toBeUndefined();
      expect(t.canInstrument).toBe(false);
      expect((t.getCacheKey as (s: string) => string)('a')).toBe('key:a!');
      expect(loads()).toEqual(['f.js']);
      // A method called as a method reaches the real transformer as its `this`; called unbound, unbound.
      expect((t.process as (s: string) => unknown)('b')).toEqual({ code: 'b!', self: 'bound' });
      const unbound = t.process as (s: string) => unknown;
      expect(unbound.call(undefined, 'c')).toEqual({ code: 'c!', self: 'unbound' });
      expect(loads()).toEqual(['f.js']);
    } finally {
      delete nodeRequire.cache[file];
    }
  });

  test('options discovery never saw build the real transformer at once; an unknown shape is left alone', () => {
    const file = writeTransformer('f.js', FACTORY);
    const other = writeTransformer('o.js', FACTORY);
    const entries: TransformEntry[] = [
      ['\\.js$', file, { suffix: '!' }],
      ['\\.ts$', other, { suffix: '?' }],
    ];
    const shapes = [probe(entries[0]), null];
    expect(installLazyTransformers(entries, shapes, nodeRequire)).toEqual([file]);
    try {
      const t = (nodeRequire(file) as { default: { createTransformer: (o: unknown) => { process: (s: string) => { code: string } } } }).default.createTransformer({ suffix: '#' });
      expect(loads()).toEqual(['f.js']);
      expect(t.process('a').code).toBe('a#');
    } finally {
      delete nodeRequire.cache[file];
    }
  });

  test('a module already loaded is not replaced', () => {
    const file = writeTransformer('f.js', FACTORY);
    const entries: TransformEntry[] = [['\\.js$', file, { suffix: '!' }]];
    const shapes = entries.map(probe);
    nodeRequire(file);
    try {
      expect(installLazyTransformers(entries, shapes, nodeRequire)).toEqual([]);
    } finally {
      delete nodeRequire.cache[file];
    }
  });

  test('loadAhead loads the real transformer behind a stand-in once; Jest then gets it without another load', () => {
    const file = writeTransformer('f.js', FACTORY);
    const plain = writeTransformer('p.js', 'exports.process = (s) => ({ code: s });');
    const entries: TransformEntry[] = [['\\.js$', file, { suffix: '!' }]];
    const shapes = entries.map(probe);
    installLazyTransformers(entries, shapes, nodeRequire);
    try {
      loadAhead(file, nodeRequire);
      expect(loads()).toEqual(['f.js']);
      const t = (nodeRequire(file) as { createTransformer: (o: unknown) => { process: (s: string) => { code: string } } }).createTransformer({ suffix: '!' });
      expect(t.process('a').code).toBe('a!');
      loadAhead(file, nodeRequire);
      expect(loads()).toEqual(['f.js']);
      // A module with no stand-in is simply required.
      loadAhead(plain, nodeRequire);
      expect(loads()).toEqual(['f.js', 'p.js']);
    } finally {
      delete nodeRequire.cache[file];
      delete nodeRequire.cache[plain];
    }
  });
});
