// A transformer that is never warm (getCacheKey returning Date.now()): every run is cold, --warmup
// included, and the table names the transformer instead of suggesting --warmup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, REPO, removeDir, runCli, suiteOf, tempDir } from './helpers';

afterEach(expectNoLeftovers);

let dir: string;
let cache: string;
beforeAll(() => {
  dir = tempDir('never-warm');
  cache = tempDir('never-warm-cache');
  fs.cpSync(path.join(REPO, 'test/fixtures/never-warm'), dir, { recursive: true });
});
afterAll(() => {
  removeDir(dir);
  removeDir(cache);
});

test('cold even after --warmup; the note names the transformer and does not suggest --warmup', async () => {
  const run = await runCli(['all', '--warmup', '--', '--cacheDirectory', cache], { cwd: dir, jsonFile: true });
  expect(run.code).toBe(0);
  const s = suiteOf(run.report, 'adds');
  expect(s.coldCache).toBe(true);
  expect(s.neverWarmTransformers).toEqual(['clock-key-transformer.js']);
  expect(run.stdout).toMatch(/never warm: the transformer clock-key-transformer\.js gives a new cache key for the same file on every call/);
  expect(run.stdout).not.toMatch(/--warmup fills the caches/);
});
