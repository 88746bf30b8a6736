import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorCode, UsageError } from '../errors';

/**
 * Checks, before any suite runs, that the temp folder each suite's run folder goes in can hold a file:
 * a full or unusable TMPDIR is one line naming it, not an internal error or every suite crashing.
 */
export function checkTempFolder(): void {
  const tmp = os.tmpdir();
  let dir: string | null = null;
  try {
    dir = fs.mkdtempSync(path.join(tmp, 'stress-run-'));
    fs.writeFileSync(path.join(dir, 'check'), 'x'.repeat(64 * 1024));
  } catch (error) {
    throw new UsageError(`The temp folder ${tmp} cannot hold stress-run's run folders (${errorCode(error)}). Set TMPDIR to a writable folder with free space.`);
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
