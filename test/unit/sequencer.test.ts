import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import StressRunSequencer, { historyDurations, longestFirst, type SequencedTest, timedShard } from '../../src/sequencer';
import { makeReport, makeResult } from '../support/make-result';

const ROOT = '/project';
const test = (file: string): SequencedTest => ({ path: path.join(ROOT, file), context: { config: { rootDir: ROOT } } });
const TESTS = ['a.test.js', 'b.test.js', 'c.test.js', 'd.test.js', 'e.test.js'].map(test);
const TIMES = new Map([
  ['/project/a.test.js', 50_000],
  ['/project/b.test.js', 10_000],
  ['/project/c.test.js', 30_000],
  ['/project/d.test.js', 20_000],
]);
const files = (tests: SequencedTest[]): string[] => tests.map((t) => path.basename(t.path));

describe('timedShard', () => {
  it('splits by time, longest first onto the least-loaded shard, every file once', () => {
    const shards = [1, 2].map((shardIndex) => files(timedShard(TESTS, { shardIndex, shardCount: 2 }, TIMES)));
    // a (50) | c (30), then e (the median known, 25) onto c's, d (20) onto a's, b (10) onto the lighter: 70 | 65.
    expect(shards).toEqual([['a.test.js', 'd.test.js'], ['b.test.js', 'c.test.js', 'e.test.js']]);
  });

  it('gives the same split wherever the project is checked out', () => {
    const elsewhere = TESTS.map((t) => ({ path: t.path.replace(ROOT, '/ci/build/7'), context: { config: { rootDir: '/ci/build/7' } } }));
    const times = new Map([...TIMES].map(([p, ms]) => [p.replace(ROOT, '/ci/build/7'), ms]));
    expect(files(timedShard(elsewhere, { shardIndex: 2, shardCount: 3 }, times))).toEqual(files(timedShard(TESTS, { shardIndex: 2, shardCount: 3 }, TIMES)));
  });
});

describe('longestFirst', () => {
  it('orders by the report\'s time, the unknown last', () => {
    expect(files(longestFirst(TESTS, TIMES))).toEqual(['a.test.js', 'c.test.js', 'd.test.js', 'b.test.js', 'e.test.js']);
  });
});

describe('historyDurations and the sequencer Jest loads', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-sequencer-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env.STRESS_RUN_HISTORY;
  });

  it('reads each file\'s time from a stress-run report, by absolute path', () => {
    const report = makeReport([makeResult({ name: 'a', file: 'a.test.js', durationMs: 50_000 }), makeResult({ name: 'c', file: 'sub/c.test.js', durationMs: 30_000 })]);
    fs.writeFileSync(path.join(dir, 'h.json'), JSON.stringify(report));
    expect(historyDurations({ STRESS_RUN_HISTORY: 'h.json' }, dir)).toEqual(new Map([[path.join(dir, 'a.test.js'), 50_000], [path.join(dir, 'sub/c.test.js'), 30_000]]));
  });

  it('is null without the variable, and null with a warning for a file it cannot read', () => {
    expect(historyDurations({}, dir)).toBeNull();
    const warnings: string[] = [];
    expect(historyDurations({ STRESS_RUN_HISTORY: 'missing.json' }, dir, (w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/^stress-run\/sequencer: STRESS_RUN_HISTORY=missing\.json cannot be read .*Jest's default order and shards apply\.$/)]);
  });

  it("falls back to Jest's default shards and order without a history", async () => {
    const sequencer = new StressRunSequencer({ contexts: [], globalConfig: {} });
    const tests = TESTS.map((t) => ({ ...t, context: { config: { rootDir: ROOT, cache: false } } }));
    const shards = await Promise.all([1, 2].map((shardIndex) => sequencer.shard(tests, { shardIndex, shardCount: 2 })));
    expect(shards.flat().map((t) => t.path).sort()).toEqual(tests.map((t) => t.path).sort());
    expect(shards.map((s) => s.length).sort()).toEqual([2, 3]);
  });

  it('splits and orders by the report when STRESS_RUN_HISTORY names one', async () => {
    const report = makeReport([...TIMES].map(([p, ms]) => makeResult({ name: path.basename(p), file: path.relative(process.cwd(), p), durationMs: ms })));
    fs.writeFileSync(path.join(dir, 'h.json'), JSON.stringify(report));
    process.env.STRESS_RUN_HISTORY = path.join(dir, 'h.json');
    const sequencer = new StressRunSequencer({ contexts: [], globalConfig: {} });
    expect(files(await sequencer.shard(TESTS, { shardIndex: 2, shardCount: 2 }))).toEqual(['b.test.js', 'c.test.js', 'e.test.js']);
    expect(files(await sequencer.sort(TESTS))).toEqual(['a.test.js', 'c.test.js', 'd.test.js', 'b.test.js', 'e.test.js']);
  });
});
