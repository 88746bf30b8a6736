// The published package in a project of its own: Jest is a peer dependency, so the project's Jest 29
// is the one Jest there and the one stress-run runs; nothing is built on install (dist ships).
// Slow (npm pack, two npm installs from the registry): it has a long timeout.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunReport } from '../../src/base/types';
import { cliEnv, expectNoLeftovers, REPO, removeDir, tempDir } from './helpers';

afterEach(expectNoLeftovers);

const INSTALL_MS = 400_000;

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const run = spawnSync(command, args, { cwd, env: cliEnv({ npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }), encoding: 'utf8', timeout: INSTALL_MS });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  return run;
}

test('npm pack, then npm i -D into a project with Jest 29: one Jest, and stress-run all runs it', () => {
  const work = tempDir('pack');
  try {
    const packed = sh('npm', ['pack', '--silent', '--pack-destination', work], REPO).stdout.trim().split('\n').pop()!;
    const tarball = path.join(work, packed);
    expect(fs.existsSync(tarball)).toBe(true);

    const project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'uses-jest-29', version: '1.0.0', private: true, scripts: { test: 'jest' }, devDependencies: { jest: '^29.7.0' } }, null, 2),
    );
    fs.writeFileSync(path.join(project, 'sum.test.js'), "test('adds', () => expect(1 + 2).toBe(3));\n");
    sh('npm', ['install'], project);
    expect(fs.existsSync(path.join(project, 'package-lock.json'))).toBe(true);

    const lockOf = (): Record<string, { version?: string }> => (JSON.parse(fs.readFileSync(path.join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> }).packages;
    const before = lockOf();
    const installed = sh('npm', ['i', '-D', tarball], project);
    // No install script: nothing is built, and npm has nothing to warn about.
    expect(installed.stderr).not.toMatch(/install-scripts.*stress-run/);
    // The project's locked packages stay as they were: the change is stress-run's own entries only.
    const after = lockOf();
    const changed = Object.keys(before).filter((key) => key !== '' && after[key]?.version !== before[key].version);
    expect(changed).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'stress-run', 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string>; dependencies?: Record<string, string> };
    expect(manifest.peerDependencies).toEqual({ jest: '>=26' });
    expect(manifest.dependencies?.jest).toBeUndefined();
    expect(fs.existsSync(path.join(project, 'node_modules', 'stress-run', 'dist', 'index.js'))).toBe(true);

    // One Jest in the tree: the project's 29, which stress-run's peer dependency shares.
    const listed = sh('npm', ['ls', 'jest'], project).stdout;
    const versions = new Set([...listed.matchAll(/\bjest@(\S+)/g)].map((m) => m[1]));
    expect([...versions]).toHaveLength(1);
    expect([...versions][0]).toMatch(/^29\./);
    expect(fs.existsSync(path.join(project, 'node_modules', 'stress-run', 'node_modules', 'jest'))).toBe(false);

    const run = spawnSync('npx', ['stress-run', 'all', '--debug', '--json', 'report.json'], { cwd: project, env: cliEnv(), encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    const jestPath = /jest (\S+)/.exec(run.stderr.split('\n').find((l) => l.startsWith('stress-run: project '))!)![1];
    expect(jestPath.startsWith(path.join(fs.realpathSync(project), 'node_modules', 'jest'))).toBe(true);
    expect(run.stderr).not.toContain('stress-run’s own');
    const jestVersion = (JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'jest', 'package.json'), 'utf8')) as { version: string }).version;
    expect(jestVersion).toMatch(/^29\./);
    const report = JSON.parse(fs.readFileSync(path.join(project, 'report.json'), 'utf8')) as RunReport;
    expect(report.suites.map((s) => [s.name, s.outcome, s.tests.passed])).toEqual([['sum', 'passed', 1]]);
  } finally {
    removeDir(work);
  }
}, 1_000_000);
