import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_CACHE_MIN_CHARS, codeCacheFile, installCodeCache } from '../../../src/child/code-cache';
import { codeCacheDirOf } from '../../../src/child/protocol';

type Compile = (this: Module, content: string, filename: string) => unknown;
const proto = Module.prototype as unknown as { _compile: Compile };

describe('codeCacheDirOf', () => {
  it("is a folder beside the project's Jest caches, and none when the project keeps no cache", () => {
    expect(codeCacheDirOf({ cache: true, cacheDirectory: '/tmp/jest_x' })).toBe('/tmp/jest_x/stress-run-code-cache');
    expect(codeCacheDirOf({ cache: false, cacheDirectory: '/tmp/jest_x' })).toBeNull();
    expect(codeCacheDirOf({})).toBeNull();
  });
});

describe('codeCacheFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-unit-code-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names one file per module version and V8 flag set, and none for a module it cannot read', () => {
    const file = path.join(dir, 'big.js');
    fs.writeFileSync(file, 'module.exports = 1;');
    const first = codeCacheFile(dir, file, '--max-old-space-size=300');
    expect(first).toMatch(new RegExp(`^${dir}/[0-9a-f]{32}\\.bin$`));
    expect(codeCacheFile(dir, file, '--max-old-space-size=300')).toBe(first);
    // V8 rejects data made under other flags: a different heap cap needs its own file.
    expect(codeCacheFile(dir, file, '--max-old-space-size=48')).not.toBe(first);
    fs.writeFileSync(file, 'module.exports = 22;');
    expect(codeCacheFile(dir, file, '--max-old-space-size=300')).not.toBe(first);
    expect(codeCacheFile(dir, path.join(dir, 'missing.js'), '')).toBeNull();
  });
});

describe('installCodeCache', () => {
  let dir: string;
  let nodeCompile: Compile;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-unit-code-'));
    nodeCompile = proto._compile;
  });
  afterEach(() => {
    proto._compile = nodeCompile;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A module of at least CODE_CACHE_MIN_CHARS that uses everything Node gives a CommonJS module. */
  const bigModule = (): string => {
    fs.writeFileSync(path.join(dir, 'sibling.js'), 'module.exports = "sibling";');
    const file = path.join(dir, 'big.js');
    const padding = `// ${'x'.repeat(CODE_CACHE_MIN_CHARS)}\n`;
    fs.writeFileSync(
      file,
      `${padding}const p = require('node:path');\n` +
        `module.exports = { self: this === exports, sibling: require('./sibling'), resolved: require.resolve('./sibling'),` +
        ` paths: typeof require.resolve.paths, cache: require.cache === require('node:module')._cache,` +
        ` file: __filename, dir: __dirname, base: p.basename(__filename), line: new Error('here').stack.split('\\n')[1] };\n`,
    );
    return file;
  };
  const load = (file: string): Record<string, unknown> => {
    const mod = new Module(file);
    mod.filename = file;
    (mod as unknown as { paths: string[] }).paths = (Module as unknown as { _nodeModulePaths: (d: string) => string[] })._nodeModulePaths(path.dirname(file));
    (mod as unknown as { load: (f: string) => void }).load(file);
    return mod.exports as Record<string, unknown>;
  };
  const cacheFiles = (): string[] => (fs.existsSync(path.join(dir, 'cache')) ? fs.readdirSync(path.join(dir, 'cache')) : []);

  it('loads a big module as Node would, and keeps its compiled code for the next process', () => {
    const file = bigModule();
    const plain = load(file);
    installCodeCache(path.join(dir, 'cache'));
    const cached = load(file);
    expect(cached).toEqual(plain);
    expect(cached).toMatchObject({ self: true, sibling: 'sibling', resolved: path.join(dir, 'sibling.js'), paths: 'function', cache: true, file, dir, base: 'big.js' });
    // Stack traces still name the module's own file and line.
    expect(String(cached.line)).toContain(`${file}:3:`);
    expect(cacheFiles()).toHaveLength(1);
  });

  it('reuses a cache file V8 accepts and removes one it rejects, and the module loads either way', () => {
    const file = bigModule();
    installCodeCache(path.join(dir, 'cache'));
    load(file);
    const [name] = cacheFiles();
    const cacheFile = path.join(dir, 'cache', name);
    const written = fs.statSync(cacheFile).mtimeMs;
    expect(load(file)).toMatchObject({ sibling: 'sibling' });
    expect(fs.statSync(cacheFile).mtimeMs).toBe(written);

    fs.writeFileSync(cacheFile, Buffer.from('not V8 code cache data'));
    expect(load(file)).toMatchObject({ sibling: 'sibling' });
    expect(cacheFiles()).toEqual([]);
  });

  it('leaves a big file that is not a CommonJS body to Node, which loads or refuses it as it would', () => {
    const file = path.join(dir, 'esm.js');
    fs.writeFileSync(file, `// ${'x'.repeat(CODE_CACHE_MIN_CHARS)}\nexport const answer = 42;\n`);
    // Node 20.19 and later load ES module syntax through require(); older ones refuse it.
    const outcome = (): unknown => {
      try {
        return { answer: load(file).answer };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    const plain = outcome();
    installCodeCache(path.join(dir, 'cache'));
    expect(outcome()).toEqual(plain);
    expect(cacheFiles()).toEqual([]);
  });

  it('leaves small modules to Node', () => {
    fs.writeFileSync(path.join(dir, 'small.js'), 'module.exports = __filename;');
    installCodeCache(path.join(dir, 'cache'));
    expect(load(path.join(dir, 'small.js'))).toBe(path.join(dir, 'small.js'));
    expect(cacheFiles()).toEqual([]);
  });

  it('skips a cache folder it cannot write and still loads the module', () => {
    const file = bigModule();
    fs.writeFileSync(path.join(dir, 'cache'), 'a file where the folder should be');
    installCodeCache(path.join(dir, 'cache'));
    expect(load(file)).toMatchObject({ sibling: 'sibling' });
  });
});
