// Suite names in a multi-project Jest config whose projects have no displayName.
import * as path from 'node:path';
import { expectNoLeftovers, REPO, runCli } from './helpers';

afterEach(expectNoLeftovers);

test('projects without a displayName are named by their folder, or by their config file in the root folder, never by a number', async () => {
  const project = path.join(REPO, 'test/fixtures/projects/unnamed');
  const listed = await runCli(['list'], { cwd: project });
  expect(listed.stdout).toBe(
    [
      'jest.tools.config.js:tools/build\ttools/build.test.js',
      'packages/api:packages/api/ping\tpackages/api/ping.test.js',
      'packages/web:packages/web/ping\tpackages/web/ping.test.js',
      '',
    ].join('\n'),
  );
  const run = await runCli(['all'], { cwd: project, jsonFile: true });
  expect(run.code).toBe(0);
  expect(run.report!.suites.map((s) => [s.name, s.project, s.outcome])).toEqual([
    ['jest.tools.config.js:tools/build', 'jest.tools.config.js', 'passed'],
    ['packages/api:packages/api/ping', 'packages/api', 'passed'],
    ['packages/web:packages/web/ping', 'packages/web', 'passed'],
  ]);
  expect(run.stdout).not.toMatch(/project-\d/);
}, 120_000);
