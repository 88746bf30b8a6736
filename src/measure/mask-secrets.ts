// Secrets passed on a command line (a token flag, an Authorization header, an API key in an env-style
// assignment, a password in a URL) must not land in reports that CI keeps and shares.
const MASK = '***';

const RULES: Array<[RegExp, string]> = [
  // A GitHub token standing alone (an argument, in a URL, in a list): its prefix says what it is.
  // Classic ghp_/gho_/ghu_/ghs_/ghr_ (36 characters after the prefix) and fine-grained github_pat_.
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/g, `$1${MASK}`],
  // scheme://user:password@host
  [/(\b[a-z][\w+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, `$1${MASK}@`],
  // Authorization: Bearer abc / authorization=abc
  [/(\bauthorization\s*[:=]\s*)(?:(bearer|basic|token)\s+)?\S+/gi, (`$1$2 ${MASK}`)],
  // NAME_KEY=…, GITHUB_TOKEN=…, DB_PASSWORD=…
  [/(\b[\w.-]*(?:key|token|secret|password|passwd|pwd|credentials?))=\S+/gi, `$1=${MASK}`],
  // --token abc, -p=…, --api-key=…, --password abc
  [/(\s--?[\w.-]*(?:key|token|secret|password|passwd|credentials?|auth))(\s+|=)(?!-)\S+/gi, `$1$2${MASK}`],
];

/** A command line with the values of anything that looks like a secret replaced by ***. */
export function maskSecrets(command: string): string {
  let masked = command;
  for (const [pattern, replacement] of RULES) masked = masked.replace(pattern, replacement);
  return masked.replace(/ {2,}\*\*\*/g, ` ${MASK}`);
}
