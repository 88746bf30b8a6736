import { CI_PROVIDERS, isAutoShard, resolveAutoShard, resolveShard } from '../../../src/discover/ci-shard';
import { UsageError } from '../../../src/base/errors';

describe('resolveAutoShard', () => {
  it.each([
    ['GitLab, 1-based', { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '4' }, 1, 4],
    ['GitLab, the last of 4', { CI_NODE_INDEX: '4', CI_NODE_TOTAL: '4' }, 4, 4],
    ['CircleCI, 0-based', { CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '4' }, 1, 4],
    ['CircleCI, the last of 4', { CIRCLE_NODE_INDEX: '3', CIRCLE_NODE_TOTAL: '4' }, 4, 4],
    ['Buildkite, 0-based', { BUILDKITE_PARALLEL_JOB: '2', BUILDKITE_PARALLEL_JOB_COUNT: '3' }, 3, 3],
    ['Bazel, 0-based', { TEST_SHARD_INDEX: '0', TEST_TOTAL_SHARDS: '2' }, 1, 2],
    ['Kubernetes, total from JOB_COMPLETIONS', { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '5' }, 2, 5],
  ])('%s', (_, env, index, count) => {
    expect(resolveAutoShard('auto', env)).toMatchObject({ index, count });
  });

  it('names the CI it read', () => {
    expect(resolveAutoShard('auto', { CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '2' }).provider).toBe('CircleCI');
  });

  it('takes the Kubernetes total from auto/<n>', () => {
    expect(resolveAutoShard('auto/3', { JOB_COMPLETION_INDEX: '2' })).toMatchObject({ index: 3, count: 3, provider: 'Kubernetes Indexed Job' });
  });

  it('accepts auto/<n> that agrees with the CI total, and refuses one that does not', () => {
    expect(resolveAutoShard('auto/4', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' })).toMatchObject({ index: 2, count: 4 });
    expect(() => resolveAutoShard('auto/3', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' })).toThrow('--shard auto/3: CI_NODE_TOTAL says 4 shards (GitLab)');
  });

  it('fails in one line naming every variable it looked for when none is set', () => {
    let message = '';
    try {
      resolveAutoShard('auto', { PATH: '/usr/bin', CI: 'true' });
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    for (const p of CI_PROVIDERS) expect(message).toContain(p.index);
    for (const name of ['CI_NODE_TOTAL', 'CIRCLE_NODE_TOTAL', 'BUILDKITE_PARALLEL_JOB_COUNT', 'TEST_TOTAL_SHARDS', 'JOB_COMPLETIONS']) expect(message).toContain(name);
  });

  it('needs a total for Kubernetes', () => {
    expect(() => resolveAutoShard('auto', { JOB_COMPLETION_INDEX: '0' })).toThrow(/JOB_COMPLETION_INDEX is set .* set JOB_COMPLETIONS or use --shard auto\/<n>/);
  });

  it('ignores an empty variable (GitLab sets CI_NODE_TOTAL=1 on a job that is not parallel, without CI_NODE_INDEX)', () => {
    expect(() => resolveAutoShard('auto', { CI_NODE_TOTAL: '1', CIRCLE_NODE_INDEX: '' })).toThrow(/no CI shard variables/);
  });

  it.each([
    [{ CI_NODE_INDEX: '0', CI_NODE_TOTAL: '4' }, 'CI_NODE_INDEX=0 is out of range for 4 shards (GitLab counts from 1: 1 to 4)'],
    [{ CI_NODE_INDEX: '5', CI_NODE_TOTAL: '4' }, 'CI_NODE_INDEX=5 is out of range'],
    [{ CIRCLE_NODE_INDEX: '4', CIRCLE_NODE_TOTAL: '4' }, 'CIRCLE_NODE_INDEX=4 is out of range for 4 shards (CircleCI counts from 0: 0 to 3)'],
    [{ CIRCLE_NODE_INDEX: 'x', CIRCLE_NODE_TOTAL: '4' }, 'CIRCLE_NODE_INDEX must be a whole number'],
    [{ BUILDKITE_PARALLEL_JOB: '0', BUILDKITE_PARALLEL_JOB_COUNT: '-1' }, 'BUILDKITE_PARALLEL_JOB_COUNT must be a whole number'],
    [{ TEST_SHARD_INDEX: '0', TEST_TOTAL_SHARDS: '0' }, 'TEST_TOTAL_SHARDS must be at least 1'],
    [{ TEST_SHARD_INDEX: '0', TEST_TOTAL_SHARDS: '5000' }, 'at most 1000 shards'],
  ])('refuses %p', (env, message) => {
    expect(() => resolveAutoShard('auto', env)).toThrow(message);
  });

  it('tries the providers in order: GitLab before CircleCI', () => {
    expect(resolveAutoShard('auto', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '2', CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '2' })).toMatchObject({ index: 2, provider: 'GitLab' });
  });

  it("hands back Bazel's status file, which a runner that shards must touch", () => {
    expect(resolveAutoShard('auto', { TEST_SHARD_INDEX: '1', TEST_TOTAL_SHARDS: '2', TEST_SHARD_STATUS_FILE: '/tmp/x/status' }).statusFile).toBe('/tmp/x/status');
    expect(resolveAutoShard('auto', { TEST_SHARD_INDEX: '1', TEST_TOTAL_SHARDS: '2' }).statusFile).toBeNull();
    expect(resolveAutoShard('auto', { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2', TEST_SHARD_STATUS_FILE: '/tmp/x/status' }).statusFile).toBeNull();
  });
});

describe('resolveShard', () => {
  it('reads i/n as before, and auto from the environment', () => {
    expect(resolveShard('2/3', {})).toEqual({ index: 2, count: 3, provider: null, statusFile: null });
    expect(resolveShard('auto', { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '3' })).toMatchObject({ index: 3, count: 3 });
    expect(() => resolveShard('auto/x', { JOB_COMPLETION_INDEX: '0' })).toThrow('must be a whole number');
    expect(() => resolveShard('bogus', {})).toThrow(/i\/n/);
  });

  it('knows auto from i/n', () => {
    expect(isAutoShard('auto')).toBe(true);
    expect(isAutoShard(' auto/4 ')).toBe(true);
    expect(isAutoShard('1/4')).toBe(false);
    expect(isAutoShard('automatic')).toBe(false);
  });
});
