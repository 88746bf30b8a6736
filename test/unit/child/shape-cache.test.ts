import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { cachedShapes, SHAPE_CACHE_FILE } from '../../../src/child/shape-cache';
import type { TransformEntry } from '../../../src/child/protocol';

// Node's own require (Jest hands tests a `module` of its own), so the transformer really loads.
const RealModule = (vm.runInThisContext('process') as NodeJS.Process & { mainModule: { constructor: { createRequire: (f: string) => NodeJS.Require } } }).mainModule.constructor;
const nodeRequire = RealModule.createRequire(__filename);

let dir: string;
let cacheDir: string;
let loaded: string[];
/** Loads a transformer as discovery does, noting each load and forgetting the module afterwards. */
const load = (file: string): unknown => {
  loaded.push(path.basename(file));
  delete nodeRequire.cache[file];
  const mod = nodeRequire(file) as unknown;
  delete nodeRequire.cache[file];
  return mod;
};

const FACTORY = `exports.createTransformer = () => ({ process: (s) => ({ code: s }), getCacheKey: () => 'k', canInstrument: true });`;

function writeTransformer(name: string, body: string, version = '1.0.0'): string {
  const pkg = path.join(dir, name);
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name, version }));
  fs.writeFileSync(path.join(pkg, 'index.js'), body);
  return path.join(pkg, 'index.js');
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shape-cache-'));
  cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(cacheDir);
  loaded = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cachedShapes', () => {
  test('loads a transformer once: the next run reads its shape from the Jest cache folder', () => {
    const entry: TransformEntry = ['\\.ts$', writeTransformer('tj', FACTORY), { tsconfig: 'a.json' }];
    const first = cachedShapes([entry], cacheDir, load);
    const second = cachedShapes([entry], cacheDir, load);
    expect(first).toEqual([{ factory: true, methods: ['process', 'getCacheKey'], canInstrument: true }]);
    expect(second).toEqual(first);
    expect(loaded).toEqual(['index.js']);
    expect(fs.existsSync(path.join(cacheDir, SHAPE_CACHE_FILE))).toBe(true);
  });

  test('other options, a new version or a changed file load it again', () => {
    const file = writeTransformer('tj', FACTORY);
    cachedShapes([['x', file, { a: 1 }]], cacheDir, load);
    cachedShapes([['x', file, { a: 2 }]], cacheDir, load);
    expect(loaded).toHaveLength(2);

    fs.writeFileSync(path.join(dir, 'tj', 'package.json'), JSON.stringify({ name: 'tj', version: '2.0.0' }));
    cachedShapes([['x', file, { a: 1 }]], cacheDir, load);
    expect(loaded).toHaveLength(3);

    fs.writeFileSync(file, FACTORY.replace("getCacheKey: () => 'k', ", ''));
    const changed = cachedShapes([['x', file, { a: 1 }]], cacheDir, load);
    expect(loaded).toHaveLength(4);
    expect(changed[0]?.methods).toEqual(['process']);
  });

  test('a transformer that cannot load is not remembered: it is tried again next run', () => {
    const file = writeTransformer('broken', 'throw new Error("not built yet");');
    expect(cachedShapes([['x', file, {}]], cacheDir, load)).toEqual([null]);
    expect(cachedShapes([['x', file, {}]], cacheDir, load)).toEqual([null]);
    expect(loaded).toHaveLength(2);
    expect(fs.existsSync(path.join(cacheDir, SHAPE_CACHE_FILE))).toBe(false);
  });

  test('a damaged cache file is ignored and written anew; an unwritable folder only costs the load', () => {
    const entry: TransformEntry = ['x', writeTransformer('tj', FACTORY), {}];
    fs.writeFileSync(path.join(cacheDir, SHAPE_CACHE_FILE), '{"half');
    expect(cachedShapes([entry], cacheDir, load)[0]?.factory).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(cacheDir, SHAPE_CACHE_FILE), 'utf8'))).toEqual(expect.any(Object));
    // A cache folder that cannot be made: a path through a regular file.
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    expect(cachedShapes([entry], path.join(dir, 'a-file', 'folder'), load)[0]?.factory).toBe(true);
    expect(fs.readdirSync(cacheDir)).toEqual([SHAPE_CACHE_FILE]);
  });
});
