// Lazy transformers for the suite child. Jest loads every configured transformer in every fresh
// process (`ScriptTransformer.loadTransformers`), even one no file of the suite needs: ts-jest pulls
// in TypeScript, about half a second, in a process whose files are all plain JavaScript. Jest's pool
// pays that once per worker; a process per file pays it per file.
//
// The discovery child records once what each transformer looks like to Jest (`shapeOf`): whether its
// module is a factory, which of the methods Jest calls it has, and its `canInstrument`. The suite
// child then puts a stand-in with exactly that shape in Node's module cache under the transformer's
// own path (`installLazyTransformers`), so Jest's `require` of it is free. The first call Jest makes
// (`getCacheKey`, `process`, `processAsync` …) loads the real transformer, built with the same
// options, and from then on every call goes to it. The project's config is untouched: Jest's cache
// keys, its transform cache and what the transformer is handed are the same as without the stand-in.
import * as fs from 'node:fs';
import Module from 'node:module';
import type { TransformEntry, TransformerShape } from './protocol';

/** The methods Jest's ScriptTransformer may call on a transformer (the rest of it Jest never reads). */
const METHODS = ['process', 'processAsync', 'getCacheKey', 'getCacheKeyAsync'] as const;


type Loose = Record<string, unknown>;

/** As jest-util's requireOrImportModule hands a CommonJS module to Jest. */
function interop(exported: unknown): Loose {
  const m = exported as Loose | null;
  return (m && m.__esModule ? m.default : m) as Loose;
}

/**
 * The shape of the transformer of one `transform` entry, loaded with `load` (a require from the
 * project's Jest). Null when laziness cannot keep Jest's behaviour: an ES module transformer (Jest
 * imports it asynchronously), an asynchronous factory, or one that fails to load (Jest then reports
 * the error itself, in the suite).
 */
export function shapeOf(entry: TransformEntry, load: (path: string) => unknown, config: Record<string, unknown> = {}): TransformerShape | null {
  const [, file, options] = entry;
  if (/\.m[jt]s$/.test(file)) return null;
  try {
    const mod = interop(load(file));
    if (mod == null) return null;
    const factory = typeof mod.createTransformer === 'function';
    const transformer = factory ? ((mod.createTransformer as (o: unknown) => unknown)(options) as Loose) : mod;
    if (transformer == null || typeof (transformer as { then?: unknown }).then === 'function') return null;
    const methods = METHODS.filter((m) => typeof transformer[m] === 'function');
    if (!methods.includes('process') && !methods.includes('processAsync')) return null;
    const shape: TransformerShape = { factory, methods };
    if (typeof transformer.canInstrument === 'boolean') shape.canInstrument = transformer.canInstrument;
    else if (transformer.canInstrument !== undefined) return null;
    if (neverWarm(transformer, file, options, config)) shape.neverWarm = true;
    return shape;
  } catch {
    return null;
  }
}

/**
 * True when the transformer's getCacheKey gives two different keys for one file (its own, as Jest
 * would hand it: content, path, options), a few milliseconds apart. A key that changes between two
 * calls changes on every run: Jest's transform cache never hits. A getCacheKey that throws on these
 * options, or returns a promise, says nothing (false).
 */
function neverWarm(transformer: Loose, file: string, transformerConfig: unknown, config: Record<string, unknown>): boolean {
  if (typeof transformer.getCacheKey !== 'function') return false;
  try {
    const source = fs.readFileSync(file, 'utf8');
    const options = {
      config,
      configString: JSON.stringify(config),
      instrument: false,
      cacheFS: new Map<string, string>(),
      transformerConfig,
      supportsDynamicImport: false,
      supportsExportNamespaceFrom: false,
      supportsStaticESM: false,
      supportsTopLevelAwait: false,
    };
    const key = (): unknown => (transformer.getCacheKey as (...a: unknown[]) => unknown).call(transformer, source, file, options);
    const first = key();
    // A key made of the clock must see it move between the two calls.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    const second = key();
    return typeof first === 'string' && typeof second === 'string' && first !== second;
  } catch {
    return false;
  }
}

/** A transformer with `shape` whose every method loads the real one (`real()`) on first use and calls it. */
export function lazyTransformer(shape: TransformerShape, real: () => Loose): Loose {
  const stand: Loose = {};
  for (const name of shape.methods) {
    stand[name] = function (this: unknown, ...args: unknown[]): unknown {
      const target = real();
      // Jest calls some methods unbound (`const process = t.processAsync ?? t.process`): keep that.
      return (target[name] as (...a: unknown[]) => unknown).apply(this === stand ? target : this, args);
    };
  }
  if (shape.canInstrument !== undefined) stand.canInstrument = shape.canInstrument;
  return stand;
}

/** The loader of each module stood in for, by resolved path: a standby child loads the real one ahead (loadAhead). */
const realLoaders = new Map<string, () => unknown>();

/**
 * Loads the module at `file` now, in this process's module cache, as Jest would load it later: for a
 * transformer stood in for, the real transformer (Jest's later calls then go straight to it).
 */
export function loadAhead(file: string, req: NodeJS.Require): void {
  const key = req.resolve(file);
  const real = realLoaders.get(key);
  if (real) real();
  else req(key);
}

/** Options compared as Jest's config carries them (plain JSON). */
const sameOptions = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Puts a lazy stand-in in Node's module cache for each transformer module of `entries` whose shape
 * is known (shapes[i] for entries[i]) and that is not loaded yet. Returns the paths stood in for.
 */
export function installLazyTransformers(entries: TransformEntry[], shapes: Array<TransformerShape | null>, req: NodeJS.Require): string[] {
  const byFile = new Map<string, Array<{ options: unknown; shape: TransformerShape | null }>>();
  entries.forEach(([, file, options], i) => byFile.set(file, [...(byFile.get(file) ?? []), { options, shape: shapes[i] ?? null }]));
  const installed: string[] = [];
  for (const [file, uses] of byFile) {
    if (uses.some((u) => u.shape === null)) continue;
    const factory = uses[0].shape!.factory;
    if (uses.some((u) => u.shape!.factory !== factory)) continue;
    let key: string;
    try {
      key = req.resolve(file);
    } catch {
      continue;
    }
    if (req.cache[key]) continue;
    let loaded: Loose | null = null;
    const realModule = (): Loose => {
      if (loaded === null) {
        delete req.cache[key];
        loaded = interop(req(key));
      }
      return loaded;
    };
    realLoaders.set(key, realModule);
    let exported: Loose;
    if (factory) {
      exported = {
        createTransformer(options: unknown): Loose {
          const use = uses.find((u) => sameOptions(u.options, options));
          let made: Loose | null = null;
          const real = (): Loose => (made ??= (realModule().createTransformer as (o: unknown) => Loose)(options));
          // Options the discovery never saw: no shape to stand in with, so build the real one now.
          return use ? lazyTransformer(use.shape!, real) : real();
        },
      };
    } else {
      exported = lazyTransformer(uses[0].shape!, realModule);
    }
    const stand = new Module(key);
    stand.filename = key;
    // Jest takes `default` of an ES-module-shaped export (jest-util's interop): the stand-in, either way.
    stand.exports = { ...exported, __esModule: true, default: exported };
    stand.loaded = true;
    req.cache[key] = stand;
    installed.push(key);
  }
  return installed;
}
