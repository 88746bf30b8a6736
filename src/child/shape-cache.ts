// Transformer shapes remembered between runs. Recording a transformer's shape means loading it, and
// ts-jest pulls in TypeScript: about 0.4 s of every run's discovery, before any suite can start. A
// shape only changes with the transformer's code or its options, so it is kept in the project's Jest
// cache folder under a key of the module's path, size, modification time, package version and the
// entry's options, and loaded again only when one of them changes. Only shapes that were recorded
// are kept: a transformer that could not be loaded (not installed yet, say) is tried again next run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../base/write-file';
import { shapeOf } from './lazy-transformers';
import type { TransformEntry, TransformerShape } from './protocol';

export const SHAPE_CACHE_FILE = 'stress-run-transformers.json';
/** Which fields a shape records: shapes recorded before a field was added are recorded again (2: neverWarm). */
const SHAPE_VERSION = 2;
/** Entries kept at most: one per transformer version and options seen, the oldest dropped first. */
const MAX_ENTRIES = 200;

/** What a shape is valid for; null when the module's file cannot be read (its shape is then never kept). */
export function shapeKey([, file, options]: TransformEntry): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return null;
  }
  return JSON.stringify([SHAPE_VERSION, file, stat.size, stat.mtimeMs, packageVersion(file), options ?? null]);
}

/** The version in the nearest package.json above `file` (a transformer's own package), or null. */
function packageVersion(file: string): string | null {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
      if (typeof version === 'string') return version;
    } catch {
      // no package.json here, or one without a version: look further up
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** The cache file's entries; an unreadable or malformed file counts as empty (it is only a cache). */
function readCache(file: string): Record<string, TransformerShape> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, TransformerShape>) : {};
  } catch {
    return {};
  }
}

/** Writes the cache whole or not at all (a second run may read it at any moment); a cache that cannot be written is skipped. */
function writeCache(file: string, entries: Record<string, TransformerShape>): void {
  try {
    writeFileAtomic(file, JSON.stringify(entries));
  } catch {
    // only a cache: the next run loads the transformer again
  }
}

/** The shape of each entry (see shapeOf), from the cache in `cacheDirectory` where it is valid, else by loading the transformer with `load`. */
export function cachedShapes(entries: TransformEntry[], cacheDirectory: string, load: (file: string) => unknown, config: Record<string, unknown> = {}): Array<TransformerShape | null> {
  const file = path.join(cacheDirectory, SHAPE_CACHE_FILE);
  const cache = entries.length ? readCache(file) : {};
  let changed = false;
  const shapes = entries.map((entry) => {
    const key = shapeKey(entry);
    if (key !== null && Object.hasOwn(cache, key)) return cache[key];
    const shape = shapeOf(entry, load, config);
    if (key !== null && shape !== null) {
      cache[key] = shape;
      changed = true;
    }
    return shape;
  });
  if (changed) {
    const keys = Object.keys(cache);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete cache[old];
    writeCache(file, cache);
  }
  return shapes;
}
