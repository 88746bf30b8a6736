// Whether Jest transformed files during a run: a cache miss writes the transformed file into the
// project's transform cache (<cacheDirectory>/jest-transform-cache-<config id>-<hash>/<2 chars>/…),
// and every write there (a temp file renamed into place) changes the folder's modification time.
// Reading the folders' times is cheap (a few hundred stat calls), unlike hashing the files. The
// code cache's folder (child/code-cache) is read the same way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeCacheDirOf, type ContextProject, type TransformEntry } from '../child/protocol';

/** A project's transform cache, as its resolved ProjectConfig names it. */
export interface TransformCache {
  cacheDirectory: string;
  /** The ProjectConfig's `id`, which names its transform cache folder. */
  configId: string;
}

/** The transform cache of a resolved Jest ProjectConfig, or null when it keeps none. */
export function transformCacheOf(config: Record<string, unknown>): TransformCache | null {
  if (config.cache === false || typeof config.cacheDirectory !== 'string' || typeof config.id !== 'string') return null;
  return { cacheDirectory: config.cacheDirectory, configId: config.id };
}

/**
 * The transformers of a project that are never warm: the discovery child saw their getCacheKey give
 * two keys for one file (see TransformerShape.neverWarm). Every run through them transforms every
 * file again, so a cold cache there is the transformer's doing, and --warmup cannot change it.
 */
export function neverWarmTransformers(project: Pick<ContextProject, 'config' | 'transformers'>): string[] {
  const entries = (project.config.transform as TransformEntry[] | undefined) ?? [];
  return [...new Set(entries.filter((_, i) => project.transformers?.[i]?.neverWarm).map(([, file]) => file))];
}

/**
 * True when Jest wrote into the project's transform cache at or after `sinceEpochMs`, or a suite
 * child wrote (or dropped) compiled code in the code cache beside it: that child parsed TypeScript
 * from source, and its RSS reads higher for it.
 */
export function transformedSince(cache: TransformCache, sinceEpochMs: number): boolean {
  if (modifiedMs(codeCacheDirOf(cache)!) >= sinceEpochMs) return true;
  // As Jest names the folder: the id with non-word characters made dashes, then a hash.
  const prefix = `jest-transform-cache-${cache.configId.replace(/\W/g, '-')}-`;
  for (const base of listing(cache.cacheDirectory).names.filter((name) => name.startsWith(prefix))) {
    const folder = path.join(cache.cacheDirectory, base);
    // The folder's own time (read for its listing) changes when a bucket is added; a bucket's when a file is written into it.
    const { mtimeMs, names } = listing(folder);
    if (mtimeMs >= sinceEpochMs || names.some((bucket) => modifiedMs(path.join(folder, bucket)) >= sinceEpochMs)) return true;
  }
  return false;
}

// A folder's listing, kept while its modification time stays the one it had when listed: an entry
// added or removed changes it. Kept only when that time was over a second old at the listing, since
// the kernel stamps folders with a coarse clock: an entry added in the same tick as a listing would
// not change the time the listing saw. A pool run checks after every file (256 buckets a project).
const listings = new Map<string, { mtimeMs: number; names: string[] }>();
const SETTLED_MS = 1000;

/** A folder's modification time and entries (none when it cannot be read). */
function listing(dir: string): { mtimeMs: number; names: string[] } {
  const mtimeMs = modifiedMs(dir);
  const known = listings.get(dir);
  if (known && known.mtimeMs === mtimeMs) return known;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { mtimeMs, names: [] };
  }
  if (mtimeMs < Date.now() - SETTLED_MS) listings.set(dir, { mtimeMs, names });
  else listings.delete(dir);
  return { mtimeMs, names };
}

function modifiedMs(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}
