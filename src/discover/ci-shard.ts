// `--shard auto`: this machine's shard, read from the variables its CI sets for a parallel job.
import { LIMITS } from '../config/config';
import { UsageError } from '../base/errors';
import { parseShard, type Shard } from './shard';

/** One CI's pair of variables: where the index and the total are, and what the first index is. */
export interface CiProvider {
  name: string;
  index: string;
  /** null: the CI sets no total (Kubernetes): it comes from `--shard auto/<n>` or `totalFallback`. */
  total: string | null;
  /** The index of the first shard: 1 (GitLab) or 0 (the others). */
  base: 0 | 1;
  /** A variable the user may set for the total when the CI sets none. */
  totalFallback?: string;
}

/**
 * The providers, in the order they are tried: the first whose index variable is set wins. Names and
 * bases as each CI documents them (docs/ci.md lists the sources).
 */
export const CI_PROVIDERS: readonly CiProvider[] = [
  { name: 'GitLab', index: 'CI_NODE_INDEX', total: 'CI_NODE_TOTAL', base: 1 },
  { name: 'CircleCI', index: 'CIRCLE_NODE_INDEX', total: 'CIRCLE_NODE_TOTAL', base: 0 },
  { name: 'Buildkite', index: 'BUILDKITE_PARALLEL_JOB', total: 'BUILDKITE_PARALLEL_JOB_COUNT', base: 0 },
  { name: 'Bazel', index: 'TEST_SHARD_INDEX', total: 'TEST_TOTAL_SHARDS', base: 0 },
  { name: 'Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX', total: null, base: 0, totalFallback: 'JOB_COMPLETIONS' },
];

/** A shard worked out from the environment: which CI said so, and (Bazel) the file to touch to say sharding is supported. */
export interface ResolvedShard extends Shard {
  /** The CI whose variables gave it; null for an explicit i/n. */
  provider: string | null;
  /** Bazel's TEST_SHARD_STATUS_FILE, when set: a runner that shards touches it. */
  statusFile: string | null;
}

/** Any --shard value: `i/n` as given, `auto` or `auto/<n>` from the environment. */
export function resolveShard(text: string, env: Record<string, string | undefined>): ResolvedShard {
  return isAutoShard(text) ? resolveAutoShard(text, env) : { ...parseShard(text), provider: null, statusFile: null };
}

/** Whether a --shard value asks for the CI's variables: `auto` or `auto/<n>`. */
export function isAutoShard(text: string): boolean {
  return /^\s*auto\s*(\/.*)?$/.test(text);
}

/**
 * `--shard auto` or `--shard auto/<n>` read against the environment: the first provider whose index
 * variable is set gives the shard, 1-based as `--shard i/n` is. `auto/<n>` gives the total where the
 * CI sets none (Kubernetes), and must agree with the CI's where it does. Anything missing or out of
 * range is a one-line error naming the variables.
 */
export function resolveAutoShard(text: string, env: Record<string, string | undefined>): ResolvedShard {
  const match = /^\s*auto\s*(?:\/\s*(\S*)\s*)?$/.exec(text);
  if (!match) throw new UsageError(`--shard must be i/n (such as 1/3), auto or auto/<n>, got '${text.trim()}'.`);
  const given = match[1] === undefined ? null : wholeNumber(`--shard auto/${match[1]}`, match[1]);
  const provider = CI_PROVIDERS.find((p) => present(env[p.index]));
  if (!provider) {
    const looked = CI_PROVIDERS.map((p) => `${p.name} (${[p.index, p.total ?? p.totalFallback].filter(Boolean).join('/')})`).join(', ');
    throw new UsageError(`--shard auto: no CI shard variables are set; looked for ${looked}. Use --shard i/n outside those CIs.`);
  }
  const rawIndex = wholeNumber(provider.index, env[provider.index]!);
  const totalVar = provider.total ?? provider.totalFallback ?? null;
  const ciTotal = totalVar !== null && present(env[totalVar]) ? wholeNumber(totalVar, env[totalVar]!) : null;
  if (ciTotal !== null && given !== null && ciTotal !== given) {
    throw new UsageError(`--shard auto/${given}: ${totalVar} says ${ciTotal} shards (${provider.name}); drop the /${given} or make them agree.`);
  }
  const count = ciTotal ?? given;
  if (count === null) {
    throw new UsageError(`--shard auto: ${provider.index} is set (${provider.name}) but not the number of shards: set ${totalVar} or use --shard auto/<n>.`);
  }
  if (count < 1) throw new UsageError(`--shard auto: ${totalVar ?? '--shard auto/<n>'} must be at least 1, got ${count}.`);
  if (count > LIMITS.shards) throw new UsageError(`--shard auto: at most ${LIMITS.shards} shards, ${totalVar ?? '--shard auto/<n>'} says ${count}.`);
  const index = rawIndex - provider.base + 1;
  if (index < 1 || index > count) {
    const last = count - 1 + provider.base;
    throw new UsageError(`--shard auto: ${provider.index}=${rawIndex} is out of range for ${count} shards (${provider.name} counts from ${provider.base}: ${provider.base} to ${last}).`);
  }
  const statusFile = provider.name === 'Bazel' && present(env.TEST_SHARD_STATUS_FILE) ? env.TEST_SHARD_STATUS_FILE! : null;
  return { index, count, provider: provider.name, statusFile };
}

function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function wholeNumber(name: string, text: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new UsageError(`--shard auto: ${name} must be a whole number, got '${text.slice(0, 40)}'.`);
  return Number(text);
}
