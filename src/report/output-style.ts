/** How output looks, decided once per run. */
export interface OutputStyle {
  color: boolean;
  /** Live progress lines on stderr (only for a person at a terminal). */
  progress: boolean;
}

/** Decides colour and progress from the environment: FORCE_COLOR, NO_COLOR, TERM=dumb, and whether the streams are terminals. */
export function outputStyle(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean, stderrIsTTY: boolean): OutputStyle {
  const progress = stderrIsTTY && env.CI === undefined;
  // Both variables count only when set to a non-empty value (no-color.org, force-color.org).
  const force = env.FORCE_COLOR || undefined;
  if (force !== undefined) return { color: force !== '0' && force !== 'false', progress };
  if (env.NO_COLOR || env.TERM === 'dumb') return { color: false, progress };
  return { color: stdoutIsTTY, progress };
}
