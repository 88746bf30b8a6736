import type { LaunchSpec } from './launcher';

/** What one suite's child process is started with. */
export interface JestCommand {
  launch: LaunchSpec;
  /** Environment additions for the child (NODE_OPTIONS with the heap cap and probe). */
  env: Record<string, string>;
}

/** Quotes one NODE_OPTIONS argument when it holds spaces or quotes (Node's own rule). */
function quoteNodeOption(value: string): string {
  return /[\s"\\]/.test(value) ? `"${value.replace(/(["\\])/g, '\\$1')}"` : value;
}

/** Builds the Jest arguments and environment for running one test file in band. */
export function jestCommand(input: {
  file: string;
  jestPath: string;
  projectRoot: string;
  configPath: string | null;
  outputFile: string;
  heapCapMb: number | null;
  probePath: string;
  probeDir: string;
  inheritedNodeOptions: string | undefined;
}): JestCommand {
  const args = ['--runInBand', '--ci', '--json', '--outputFile', input.outputFile];
  if (input.configPath !== null) args.push('--config', input.configPath);
  args.push('--runTestsByPath', input.file);

  // The cap and the probe go through NODE_OPTIONS, not node flags: Jest and anything the suite
  // spawns inherit them, and no process.execArgv the suite may inspect is changed.
  const nodeOptions = [input.inheritedNodeOptions?.trim() ?? ''];
  if (input.heapCapMb !== null) nodeOptions.push(`--max-old-space-size=${input.heapCapMb}`);
  nodeOptions.push(`--require ${quoteNodeOption(input.probePath)}`);

  return {
    launch: { jestPath: input.jestPath, args, projectRoot: input.projectRoot },
    env: {
      NODE_OPTIONS: nodeOptions.filter(Boolean).join(' '),
      STRESS_RUN_PROBE_DIR: input.probeDir,
    },
  };
}

/** Quotes a word for a POSIX shell, only when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The child's exact command line as a shell line a person can paste: cd, environment, argv. */
export function shellLine(cwd: string, env: Record<string, string>, argv: string[]): string {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return ['cd', shellQuote(cwd), '&&', ...assignments, ...argv.map(shellQuote)].join(' ');
}
