// stress-run/sequencer in a project's own Jest config: `jest --shard i/n` split by stress-run's
// history (longest first onto the least-loaded shard), and Jest's default split without one.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeReport, makeResult } from '../support/make-result';
import { REPO, removeDir, tempDir } from './helpers';

describe('stress-run/sequencer', () => {
  let project: string;
  beforeAll(() => {
    project = tempDir('sequencer');
    // The project as a user has it: stress-run and jest in its node_modules, named by package.
    fs.mkdirSync(path.join(project, 'node_modules'));
    fs.symlinkSync(REPO, path.join(project, 'node_modules', 'stress-run'));
    fs.symlinkSync(path.join(REPO, 'node_modules', 'jest'), path.join(project, 'node_modules', 'jest'));
    fs.writeFileSync(path.join(project, 'package.json'), '{"name":"sequenced"}\n');
    fs.writeFileSync(path.join(project, 'jest.config.js'), "module.exports = { testEnvironment: 'node', testSequencer: 'stress-run/sequencer' };\n");
    for (const name of ['a', 'b', 'c', 'd', 'e']) fs.writeFileSync(path.join(project, `${name}.test.js`), `test('${name}', () => {});\n`);
    const times: Record<string, number> = { a: 50_000, b: 10_000, c: 30_000, d: 20_000 };
    const report = makeReport(Object.entries(times).map(([name, durationMs]) => makeResult({ name, file: `${name}.test.js`, durationMs })));
    fs.writeFileSync(path.join(project, 'history.json'), JSON.stringify(report));
  });
  afterAll(() => removeDir(project));

  /** The files `jest --shard i/n` ran, in the order it ran them. */
  function shardOf(shard: string, env: Record<string, string> = {}): string[] {
    const run = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--shard', shard, '--json', '--runInBand'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, STRESS_RUN_HISTORY: '', ...env },
    });
    expect(run.status).toBe(0);
    return (JSON.parse(run.stdout) as { testResults: Array<{ name: string }> }).testResults.map((t) => path.basename(t.name, '.test.js'));
  }

  test('with STRESS_RUN_HISTORY, jest --shard splits by time: 70 s and 65 s (e counts as the median known, 25 s)', () => {
    const env = { STRESS_RUN_HISTORY: 'history.json' };
    expect(shardOf('1/2', env).sort()).toEqual(['a', 'd']);
    expect(shardOf('2/2', env).sort()).toEqual(['b', 'c', 'e']);
  });

  test("without it, Jest's own split: every file once over the shards", () => {
    expect([...shardOf('1/2'), ...shardOf('2/2')].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
