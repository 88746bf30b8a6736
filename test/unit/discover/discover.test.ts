import { jestReason } from '../../../src/discover/jest-context';
import * as path from 'node:path';
import type { ContextFile } from '../../../src/child/protocol';
import { selectSuites, suiteName, suitesFromContext } from '../../../src/discover/discover';
import { UsageError } from '../../../src/base/errors';


describe('suiteName', () => {
  it.each([
    ['kb-accuracy.stress.test.ts', 'kb-accuracy'],
    ['api/login.test.js', 'api/login'],
    ['deep/a.spec.tsx', 'deep/a'],
    ['b.stress.test.mjs', 'b'],
    ['plain.cjs', 'plain'],
    [['win', 'x.test.ts'].join(path.sep), 'win/x'],
  ])('%s → %s', (file, name) => {
    expect(suiteName(file)).toBe(name);
  });
});

// A discovery result as the project's Jest gives it: projects with their test files.
function context(projects: Array<{ displayName?: string; testPaths: string[]; rootDir?: string; configFile?: string | null }>): ContextFile {
  return {
    jestVersion: '30.0.0',
    testWorkerPath: '/jest-runner/build/testWorker.js',
    testResultPath: '/test-result/index.js',
    globalConfig: {},
    configuredProjects: projects.length,
    projects: projects.map((p) => ({ displayName: p.displayName ?? null, rootDir: p.rootDir ?? '/p', configFile: p.configFile ?? null, testPaths: p.testPaths, workerBlocker: null, config: {}, moduleMap: null })),
  };
}

describe('suitesFromContext', () => {
  const root = { projectRoot: '/p', dir: null, pattern: null };

  it('makes one suite per file Jest runs, named relative to the project root without the test suffix, sorted', () => {
    const suites = suitesFromContext(context([{ testPaths: ['/p/test/b.test.js', '/p/src/a.spec.ts'] }]), root);
    expect(suites).toEqual([
      { name: 'src/a', file: '/p/src/a.spec.ts', project: { index: 0, name: null } },
      { name: 'test/b', file: '/p/test/b.test.js', project: { index: 0, name: null } },
    ]);
  });

  it('names suites relative to --dir and keeps only the files under it that match --pattern', () => {
    const found = context([{ testPaths: ['/p/suites/kb.stress.test.ts', '/p/suites/deep/x.stress.test.ts', '/p/suites/helper.test.ts', '/p/other/y.stress.test.ts'] }]);
    expect(suitesFromContext(found, { projectRoot: '/p', dir: '/p/suites', pattern: '**/*.stress.test.ts' }).map((s) => s.name)).toEqual(['deep/x', 'kb']);
  });

  it('gives a file that two projects run one suite per project, named after each displayName', () => {
    const suites = suitesFromContext(context([{ displayName: 'web', testPaths: ['/p/a.test.js'] }, { displayName: 'node', testPaths: ['/p/a.test.js'] }]), root);
    expect(suites.map((s) => [s.name, s.project])).toEqual([
      ['node:a', { index: 1, name: 'node' }],
      ['web:a', { index: 0, name: 'web' }],
    ]);
  });

  it('names a project without a displayName by its folder relative to the root, else by its config file, never by a number', () => {
    const suites = suitesFromContext(
      context([
        { rootDir: '/p/packages/api', configFile: '/p/packages/api/jest.config.js', testPaths: ['/p/packages/api/ping.test.js'] },
        { rootDir: '/p', configFile: '/p/jest.tools.config.js', testPaths: ['/p/tools/build.test.js'] },
        { displayName: 'web', rootDir: '/p/packages/web', configFile: null, testPaths: ['/p/packages/web/ping.test.js'] },
      ]),
      root,
    );
    expect(suites.map((s) => [s.name, s.project])).toEqual([
      ['jest.tools.config.js:tools/build', { index: 1, name: 'jest.tools.config.js' }],
      ['packages/api:packages/api/ping', { index: 0, name: 'packages/api' }],
      ['web:packages/web/ping', { index: 2, name: 'web' }],
    ]);
  });

  it('names an inline project in the root folder after the config file that holds it', () => {
    const suites = suitesFromContext(context([{ configFile: '/p/jest.config.js', testPaths: ['/p/a.test.js'] }, { displayName: 'web', testPaths: ['/p/b.test.js'] }]), root);
    expect(suites.map((s) => s.name)).toEqual(['jest.config.js:a', 'web:b']);
  });

  it('explains a project with no tests, and filters that leave none', () => {
    expect(() => suitesFromContext(context([{ testPaths: [] }]), root)).toThrow(/Jest finds no test files in \/p/);
    expect(() => suitesFromContext(context([{ testPaths: ['/p/a.test.js'] }]), { ...root, pattern: '**/*.nothing' })).toThrow(
      new UsageError('None of the 1 test files Jest would run matches **/*.nothing. Check --dir and --pattern.'),
    );
  });

  it('refuses two files that would give the same suite name', () => {
    expect(() => suitesFromContext(context([{ testPaths: ['/p/a.stress.test.js', '/p/a.stress.test.ts'] }]), root)).toThrow(/Two files give the suite name 'a'/);
  });
});

describe('selectSuites', () => {
  const all = [
    { name: 'a', file: '/a', project: { index: 0, name: null } },
    { name: 'b', file: '/b', project: { index: 0, name: null } },
    { name: 'c', file: '/c', project: { index: 0, name: null } },
  ];

  it('keeps all when no names are given, else the named ones in the given order, once each', () => {
    expect(selectSuites(all, [])).toBe(all);
    expect(selectSuites(all, ['c', 'a', 'c']).map((s) => s.name)).toEqual(['c', 'a']);
  });

  it('lists the known suites when a name is unknown', () => {
    expect(() => selectSuites(all, ['a', 'zz'])).toThrow(new UsageError("Unknown suite 'zz'. Known suites: a, b, c."));
  });
});


describe('jestReason', () => {
  it('keeps the sentence under a heading such as Validation Error', () => {
    const said = '\u001b[31m\u001b[1m● Validation Error\u001b[22m:\n\n  Module /nonexistent/setup.js in the setupFiles option was not found.\n         <rootDir> is: /p\n\n  Configuration Documentation:\n  https://jestjs.io/docs/configuration\n';
    expect(jestReason(said)).toBe('● Validation Error: Module /nonexistent/setup.js in the setupFiles option was not found.');
  });

  it('gives a plain first line as it is, and null for nothing', () => {
    expect(jestReason('\n  Error: Cannot find module x\n    at y')).toBe('Error: Cannot find module x');
    expect(jestReason('  \n')).toBeNull();
  });
});
