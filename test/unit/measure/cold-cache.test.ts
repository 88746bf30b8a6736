import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformCacheOf, transformedSince } from '../../../src/measure/cold-cache';

describe('transformCacheOf', () => {
  it("names the cache of a resolved ProjectConfig, and none when the project keeps no cache", () => {
    expect(transformCacheOf({ cache: true, cacheDirectory: '/tmp/jest_x', id: 'abc' })).toEqual({ cacheDirectory: '/tmp/jest_x', configId: 'abc' });
    expect(transformCacheOf({ cache: false, cacheDirectory: '/tmp/jest_x', id: 'abc' })).toBeNull();
    expect(transformCacheOf({})).toBeNull();
  });
});

describe('transformedSince', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-unit-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const bucket = (name: string): string => {
    const folder = path.join(dir, name, 'ab');
    fs.mkdirSync(folder, { recursive: true });
    return folder;
  };
  const age = (folder: string, ms: number): void => {
    const t = new Date(Date.now() - ms);
    fs.utimesSync(folder, t, t);
  };

  it('is true when a file was written into one of the project’s cache buckets since the start', () => {
    const folder = bucket('jest-transform-cache-my-id-0123');
    age(folder, 60_000);
    age(path.dirname(folder), 60_000);
    const start = Date.now() - 1000;
    expect(transformedSince({ cacheDirectory: dir, configId: 'my/id' }, start)).toBe(false);
    fs.writeFileSync(path.join(folder, 'sum_abcdef'), 'transformed');
    expect(transformedSince({ cacheDirectory: dir, configId: 'my/id' }, start)).toBe(true);
  });

  it('ignores writes to the caches of other projects and to the haste map beside them', () => {
    const start = Date.now() - 1000;
    bucket('jest-transform-cache-other-0123');
    fs.writeFileSync(path.join(dir, 'haste-map-my-id-0123'), 'map');
    expect(transformedSince({ cacheDirectory: dir, configId: 'my-id' }, start)).toBe(false);
  });

  it('is true when a suite child wrote compiled code into the code cache beside it since the start', () => {
    const codeCache = path.join(dir, 'stress-run-code-cache');
    fs.mkdirSync(codeCache);
    age(codeCache, 60_000);
    const start = Date.now() - 1000;
    expect(transformedSince({ cacheDirectory: dir, configId: 'my-id' }, start)).toBe(false);
    fs.writeFileSync(path.join(codeCache, 'abc.bin'), 'code');
    expect(transformedSince({ cacheDirectory: dir, configId: 'my-id' }, start)).toBe(true);
  });

  it('sees a write into a bucket created after an earlier check listed the cache (listings are kept between checks)', () => {
    const folder = bucket('jest-transform-cache-my-id-0123');
    age(folder, 60_000);
    age(path.dirname(folder), 60_000);
    age(dir, 60_000);
    const cache = { cacheDirectory: dir, configId: 'my-id' };
    expect(transformedSince(cache, Date.now() - 1000)).toBe(false);
    // A new bucket: the transform folder's time changes, so the next check lists it again.
    const added = path.join(path.dirname(folder), 'cd');
    fs.mkdirSync(added);
    fs.writeFileSync(path.join(added, 'sum_1'), 'transformed');
    age(added, 60_000);
    age(path.dirname(folder), 30_000);
    expect(transformedSince(cache, Date.now() - 1000)).toBe(false);
    fs.writeFileSync(path.join(added, 'sum_2'), 'transformed');
    expect(transformedSince(cache, Date.now() - 1000)).toBe(true);
  });

  it('is false for a cache folder that does not exist', () => {
    expect(transformedSince({ cacheDirectory: path.join(dir, 'none'), configId: 'x' }, 0)).toBe(false);
  });
});
