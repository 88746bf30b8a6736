/** How output looks, decided once per run. */
export interface OutputStyle {
  color: boolean;
  /** Live progress lines on stderr (only for a person at a terminal). */
  progress: boolean;
}

/** Decides colour and progress from the environment: FORCE_COLOR, NO_COLOR, TERM=dumb, and whether the streams are terminals. */
export function outputStyle(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean, stderrIsTTY: boolean): OutputStyle {
  const progress = stderrIsTTY && env.CI === undefined;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return { color: true, progress };
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { color: false, progress };
  if (env.FORCE_COLOR !== undefined || env.TERM === 'dumb') return { color: false, progress };
  return { color: stdoutIsTTY, progress };
}
