import { parseShard, selectShard } from '../../../src/discover/shard';
import { renderMatrix, renderShardList } from '../../../src/report/matrix';

describe('renderMatrix', () => {
  it('lists one matrix entry per suite, as one line of JSON', () => {
    const out = renderMatrix(['kb-accuracy', 'api/login', 'odd "name"']);
    expect(out.trimEnd()).not.toContain('\n');
    expect(JSON.parse(out)).toEqual({ include: [{ suite: 'kb-accuracy' }, { suite: 'api/login' }, { suite: 'odd "name"' }] });
  });

  it('lists one entry per shard with --shards, each one a valid --shard value', () => {
    const out = renderMatrix(['a', 'b', 'c', 'd'], 3);
    expect(out).toBe('{"include":[{"shard":"1/3"},{"shard":"2/3"},{"shard":"3/3"}]}\n');
    const entries = (JSON.parse(out) as { include: Array<{ shard: string }> }).include;
    const suites = ['a', 'b', 'c', 'd'].map((name) => ({ name }));
    const covered = entries.flatMap((e) => selectShard(suites, parseShard(e.shard)).map((s) => s.name));
    expect(covered.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never makes more shards than suites, so no job runs empty', () => {
    expect(JSON.parse(renderMatrix(['a', 'b'], 5))).toEqual({ include: [{ shard: '1/2' }, { shard: '2/2' }] });
    expect(JSON.parse(renderMatrix([], 3))).toEqual({ include: [{ shard: '1/1' }] });
  });

  it('refuses a shard count that is not a positive whole number', () => {
    expect(() => renderMatrix(['a'], 0)).toThrow("--shards must be a positive whole number, got '0'.");
    expect(() => renderMatrix(['a'], 1.5)).toThrow('--shards must be a positive whole number');
  });
});

describe('renderShardList', () => {
  it('prints one line per shard, its files separated by spaces, quoting a file a shell or xargs would split', () => {
    expect(renderShardList([['a.test.js', 'dir/b.test.js'], ["odd name $(x) 'q'.test.js"]])).toBe("a.test.js dir/b.test.js\n'odd name $(x) '\\''q'\\''.test.js'\n");
  });
});
