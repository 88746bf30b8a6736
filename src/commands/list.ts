import type { Deps, Io } from './io';
import type { Options } from '../config/options';
import { writeName } from '../report/escape';
import { findSuites, relativeFile, withWorkDir } from './find-suites';

/** `stress-run list`: what the project's Jest would run, one `name<TAB>file` line per suite. */
export function runList(options: Options, io: Io, deps: Deps): Promise<number> {
  return withWorkDir(io.env, (workDir) => {
    const { all } = findSuites(options, io, deps, workDir);
    for (const s of all) io.stdout.write(`${writeName(s.name)}\t${writeName(relativeFile(io.cwd, s))}\n`);
    return 0;
  });
}
