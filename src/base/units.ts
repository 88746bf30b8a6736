// Units as budgets and reports speak them: megabytes of 1,048,576 bytes, seconds, and the article a
// number takes in a sentence.

/** A megabyte as budgets and --max-old-space-size mean it: 1,048,576 bytes. */
export const MB = 1024 * 1024;

/** Bytes as whole megabytes (MiB), the unit every budget is written in. */
export function toMb(bytes: number): number {
  return Math.round(bytes / MB);
}

/** Milliseconds as seconds with one decimal. */
export function toSeconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** The article a number takes when read aloud: `an` 8, 11, 18, 80–89, 800–899, 11,000 …; `a` otherwise. */
export function articleFor(n: number): 'a' | 'an' {
  const digits = String(Math.floor(Math.abs(n)));
  // Eight…, and eleven/eighteen where the leading group has two digits (11, 18 000, 11 000 000).
  return digits.startsWith('8') || (digits.length % 3 === 2 && /^1[18]/.test(digits)) ? 'an' : 'a';
}
