import type { Deps, Io } from './io';
import type { Options } from '../config/options';
import { renderMatrix } from '../report/matrix';
import { findSuites, withWorkDir } from './find-suites';

/** `stress-run matrix`: a GitHub Actions strategy.matrix, one entry per suite or per shard. */
export function runMatrix(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, (workDir) => {
    const { all } = findSuites(options, io, deps, workDir);
    io.stdout.write(renderMatrix(all.map((s) => s.name), options.shards ?? undefined));
    return 0;
  });
}
