// What a standby child may load ahead for the file it will be handed: modules Jest is sure to load
// for that file in the worker's own (outer) context, where Node's module cache keeps them, exactly as
// a pool worker keeps them from one file to the next. Loading them while the previous suite runs takes
// them off the suite's critical path. A child started for its file loads the same list before the file
// too (as Jest's own worker loads its transformers first): loaded in the middle of the file instead,
// the same modules left the suite's peak ~2 MB lower (babel-jest, the fixture's `pass`), so a suite's
// figures depended on whether it ran in a standby child.

const NODE_MODULES = /[\\/]node_modules[\\/]/;
// An ES module is imported by Jest asynchronously, through its own loader: left to Jest.
const ES_MODULE = /\.m[jt]s$/;

/**
 * The modules to load ahead for `file` in a project with `config` (a resolved ProjectConfig), given
 * the file's `source` (null when unread):
 * - the transformer Jest will pick for the file itself (the first `transform` pattern that matches,
 *   unless `transformIgnorePatterns` excludes it): ts-jest's TypeScript is most of a suite's start;
 * - the test environment and the test runner, when they are packages (a project's own environment
 *   file may need transforming, which only Jest can do), the file does not choose its own
 *   environment in its docblock, and `env` does not make Jest use jest-jasmine2.
 */
export function modulesAhead(config: Record<string, unknown>, file: string, source: string | null, env: NodeJS.ProcessEnv = {}): string[] {
  const ahead: string[] = [];
  const transform = (config.transform as Array<[string, string, unknown]> | undefined) ?? [];
  const ignore = (config.transformIgnorePatterns as string[] | undefined) ?? [];
  if (!ignore.some((pattern) => matches(pattern, file))) {
    const entry = transform.find(([pattern]) => matches(pattern, file));
    if (entry && !ES_MODULE.test(entry[1])) ahead.push(entry[1]);
  }
  const environment = config.testEnvironment;
  const ownEnvironment = source === null || /@jest-environment\b/.test(source);
  if (typeof environment === 'string' && !ownEnvironment && NODE_MODULES.test(environment) && !ES_MODULE.test(environment)) ahead.push(environment);
  // JEST_JASMINE=1 makes Jest run jest-jasmine2 instead of the configured runner.
  const runner = env.JEST_JASMINE === '1' ? null : config.testRunner;
  if (typeof runner === 'string' && NODE_MODULES.test(runner) && !ES_MODULE.test(runner)) ahead.push(runner);
  return ahead;
}

/** A pattern of Jest's config tested as Jest tests it; one that is not a valid expression matches nothing. */
function matches(pattern: string, file: string): boolean {
  try {
    return new RegExp(pattern).test(file);
  } catch {
    return false;
  }
}
