// Big modules compiled from a V8 code cache. Every suite child is a fresh Node process, so a ts-jest
// project parses TypeScript's 9 MB compiler in every one of them: about 0.3 s of CPU a suite, most of
// a small suite's cost (Jest's pool parses it once per worker). V8 can instead take the compiled
// code from a cache (vm.compileFunction's cachedData): measured on TypeScript 5.9, 0.49 s → 0.22 s
// of CPU, 16 MB less RSS (the parser's memory) and the same heap, so the heap floor of a suite is
// unchanged. Only files of at least CODE_CACHE_MIN_CHARS are cached: for Jest's own modules, a
// code cache saves about 2% and would cost a file read per module.
//
// The cache lives in the project's Jest cache folder (`jest --clearCache` removes it), one file per
// module and V8 flag set: V8 rejects data made under other flags (a different heap cap included),
// so the flags are part of the key, as are the file's path, size and modification time and Node's
// version. A file is written whole or not at all; a rejected one is removed and made again next time.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { writeFileAtomic } from '../base/write-file';

/** Modules smaller than this (in characters) are compiled as Node would. */
export const CODE_CACHE_MIN_CHARS = 1_000_000;
/** Cache files kept at most (about 2.3 MB each for TypeScript): the oldest are removed first. */
const MAX_FILES = 24;

const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** The cache file for `file` under `flags`; null when the file cannot be read. */
export function codeCacheFile(dir: string, file: string, flags: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return null;
  }
  const key = JSON.stringify([file, stat.size, stat.mtimeMs, process.version, process.arch, flags]);
  return path.join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.bin`);
}

/** The V8 flags this process runs under: its own and NODE_OPTIONS (which hold the heap cap). */
export function v8Flags(): string {
  return JSON.stringify([process.execArgv, process.env.NODE_OPTIONS ?? '']);
}

type Compile = (this: Module, content: string, filename: string, ...rest: unknown[]) => unknown;

/**
 * From now on, CommonJS modules of at least CODE_CACHE_MIN_CHARS in this process are compiled with
 * a code cache kept in `dir`. Everything else about loading them is Node's: the module gets Node's
 * own `require` for it.
 */
export function installCodeCache(dir: string): void {
  const proto = Module.prototype as unknown as { _compile: Compile };
  const nodeCompile = proto._compile;
  const flags = v8Flags();
  proto._compile = function compile(this: Module, content: string, filename: string, ...rest: unknown[]): unknown {
    // Newer Nodes pass a format: an ES module loaded through require() is left to Node.
    const commonJs = rest[0] === undefined || rest[0] === 'commonjs';
    const cacheFile = commonJs && content.length >= CODE_CACHE_MIN_CHARS && !mapsSource(content) ? codeCacheFile(dir, filename, flags) : null;
    if (cacheFile === null) return nodeCompile.call(this, content, filename, ...rest);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // not made yet
    }
    let fn: ((...args: unknown[]) => unknown) & { cachedData?: Buffer; cachedDataRejected?: boolean };
    try {
      fn = vm.compileFunction(content, WRAPPER_PARAMS, {
        filename,
        cachedData,
        produceCachedData: cachedData === undefined,
        // As Node compiles a module: import() inside it goes through Node's own loader.
        ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER as never } : {}),
      }) as typeof fn;
    } catch {
      // Not a CommonJS body (ES module syntax that a newer Node retries as a module, or an error):
      // Node's own loader decides, and reports it in its own words.
      return nodeCompile.call(this, content, filename, ...rest);
    }
    if (cachedData === undefined && fn.cachedData) save(dir, cacheFile, fn.cachedData);
    else if (fn.cachedDataRejected) drop(cacheFile);
    // Node's own require for this module, from a one-line module compiled the way Node does.
    const require = nodeCompile.call(this, 'return require;', filename) as NodeJS.Require;
    return fn.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
}

/** With --enable-source-maps, Node reads a module's source map as it compiles it: such a module is left to Node. */
function mapsSource(content: string): boolean {
  return (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true && content.includes('sourceMappingURL=');
}

/** Removes a cache file V8 rejected, so the next suite makes it again; one that cannot be removed stays. */
function drop(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // only a cache: V8 rejects it again next time, and the module still compiles
  }
}

/** Writes one cache file and keeps the folder to MAX_FILES; a cache that cannot be written is skipped. */
function save(dir: string, file: string, data: Buffer): void {
  try {
    writeFileAtomic(file, data);
    const files = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.bin'))
      .map((name) => ({ name, mtimeMs: fs.statSync(path.join(dir, name)).mtimeMs }));
    files.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const old of files.slice(MAX_FILES)) fs.rmSync(path.join(dir, old.name), { force: true });
  } catch {
    // only a cache: the next suite compiles the module again
  }
}
