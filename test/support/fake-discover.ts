import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiscoverRequest, JestContext } from '../../src/discover/jest-context';

const FIXTURES = path.resolve(__dirname, '../fixtures/suites');

/** Stands in for the project's Jest: the fixture folder's test files, one project, as its config would list them. */
export function fakeDiscover(request: DiscoverRequest): JestContext {
  const testPaths = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.stress.test.js'))
    .map((f) => path.join(FIXTURES, f));
  const root = request.jest.projectRoot;
  const project = { displayName: null, rootDir: root, configFile: null, testPaths, workerBlocker: null, config: {}, moduleMap: null };
  return { file: path.join(request.workDir, 'jest-context.json'), context: { jestVersion: '30.0.0', testWorkerPath: '/w.js', testResultPath: '/r.js', globalConfig: {}, projects: [project], configuredProjects: 1 } };
}
