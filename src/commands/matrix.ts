import type { Io } from '../cli/io';
import type { Options } from '../cli/options';
import { renderMatrix } from '../report/matrix';
import { findSuites } from './find-suites';

/** `stress-run matrix`: a GitHub Actions strategy.matrix, one entry per suite or per shard. */
export function runMatrix(options: Options, io: Io): number {
  const { all } = findSuites(options, io.cwd);
  io.stdout.write(renderMatrix(all.map((s) => s.name), options.shards ?? undefined));
  return 0;
}
