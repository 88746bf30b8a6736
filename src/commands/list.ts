import type { Io } from '../cli/io';
import type { Options } from '../cli/options';
import { escapeControl } from '../report/escape';
import { findSuites, relativeFile } from './find-suites';

/** `stress-run list`: the discovered suites, one `name<TAB>file` line each. */
export function runList(options: Options, io: Io): number {
  const { all } = findSuites(options, io.cwd);
  for (const s of all) io.stdout.write(`${escapeControl(s.name)}\t${escapeControl(relativeFile(io.cwd, s))}\n`);
  return 0;
}
