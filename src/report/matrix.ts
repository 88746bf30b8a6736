import { UsageError } from '../base/errors';

/**
 * A GitHub Actions `strategy.matrix` as one line of JSON: `{"include":[{"suite":"kb-accuracy"},…]}`, or with
 * `shards` `{"include":[{"shard":"1/3"},…]}`. There are never more shards than suites, so no job runs empty.
 */
export function renderMatrix(suiteNames: string[], shards?: number): string {
  if (shards === undefined) return JSON.stringify({ include: suiteNames.map((suite) => ({ suite })) }) + '\n';
  if (!Number.isInteger(shards) || shards < 1) throw new UsageError(`--shards must be a positive whole number, got '${shards}'.`);
  const count = Math.min(shards, Math.max(1, suiteNames.length));
  return JSON.stringify({ include: Array.from({ length: count }, (_, i) => ({ shard: `${i + 1}/${count}` })) }) + '\n';
}

/**
 * One line per shard, its files separated by spaces; a file holding a space, a quote or a shell
 * character is single-quoted, so `sed -n 2p plan.txt | xargs npx jest` (or a shell) reads it whole.
 */
export function renderShardList(shards: string[][]): string {
  return shards.map((files) => files.map(quoteFile).join(' ') + '\n').join('');
}

function quoteFile(file: string): string {
  return /^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
}
