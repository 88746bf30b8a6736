// Whether this machine can reset a process's peak RSS, which a pool run needs to measure each file's
// peak inside a long-lived worker: Linux 4.0+ resets VmHWM when a process writes 5 to
// /proc/self/clear_refs (no privilege needed).
import * as fs from 'node:fs';

/** null when the peak can be reset here; else why not, in a few words. */
export function peakResetUnsupported(platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux') return `${platform} has no per-process peak reset (Linux only)`;
  try {
    // Resetting stress-run's own peak is harmless: nothing reads it.
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    return code === 'EINVAL' ? 'this kernel cannot reset the peak RSS (clear_refs 5 needs Linux 4.0+)' : `/proc/self/clear_refs cannot be written (${code})`;
  }
}
