import { jestCommand, shellLine, shellQuote } from '../../../src/spawn/jest-command';
import { childEntry, LAUNCH_ENV, WORKER_ENV } from '../../../src/child/protocol';

const LAUNCHER_PATH = childEntry('launcher');
const WORKER_CHILD_PATH = childEntry('worker');
const PROBE_PATH = childEntry('probe');

const base = {
  file: '/p/suites/a b.stress.test.ts',
  jest: { jestPath: '/p/node_modules/jest/build/index.js', projectRoot: '/p', configPath: '/p/jest.config.js', bundledJest: false },
  outputFile: '/tmp/x/jest.json',
  heapCapMb: 48,
  probeDir: '/tmp/x/probe',
  nodePath: '/usr/bin/node',
  inheritedNodeOptions: undefined,
  runId: 'r1',
  workDir: '/tmp/x',
  target: { kind: 'cli' as const, jestArgs: ['--config', '/p/jest.config.js', '--coverage=false'], project: null },
};

describe('jestCommand', () => {
  it('starts the launcher in the project root, which runs exactly the one file in band with JSON results to a file', () => {
    const command = jestCommand(base);
    expect(command.argv).toEqual(['/usr/bin/node', LAUNCHER_PATH]);
    expect(command.cwd).toBe('/p');
    expect(JSON.parse(command.env[LAUNCH_ENV])).toEqual({
      jestPath: base.jest.jestPath,
      projectRoot: '/p',
      args: ['--runInBand', '--json', '--outputFile', '/tmp/x/jest.json', '--config', '/p/jest.config.js', '--coverage=false', '--runTestsByPath', '/p/suites/a b.stress.test.ts'],
    });
  });

  it("tells the launcher the project's code cache folder when the target names one", () => {
    const command = jestCommand({ ...base, target: { ...base.target, codeCacheDir: '/tmp/jest_x/stress-run-code-cache' } });
    expect(JSON.parse(command.env[LAUNCH_ENV]).codeCacheDir).toBe('/tmp/jest_x/stress-run-code-cache');
  });

  it('picks the Jest project by its displayName when the config has several', () => {
    const command = jestCommand({ ...base, target: { kind: 'cli', jestArgs: [], project: 'web' } });
    expect(JSON.parse(command.env[LAUNCH_ENV]).args).toEqual(['--runInBand', '--json', '--outputFile', '/tmp/x/jest.json', '--selectProjects', 'web', '--runTestsByPath', '/p/suites/a b.stress.test.ts']);
  });

  it("sends one file's coverage map to a temp folder with no threshold, never to the project's coverage folder", () => {
    const command = jestCommand({ ...base, target: { kind: 'cli', jestArgs: [], project: null, coverageDir: '/tmp/r/coverage/suite-3' } });
    const args = JSON.parse(command.env[LAUNCH_ENV]).args as string[];
    expect(args.slice(4, -2)).toEqual(['--coverageReporters', 'json', '--coverageDirectory', '/tmp/r/coverage/suite-3', '--coverageThreshold', '{}']);
    expect(args.slice(-2)).toEqual(['--runTestsByPath', '/p/suites/a b.stress.test.ts']);
  });

  it("runs a worker target through the single-use child, which reads discovery's configs", () => {
    const target = { kind: 'worker' as const, contextFile: '/tmp/r/jest-context.json', projectIndex: 1, coverageFile: null, extraSetupFiles: ['/hook.js'], verbose: false };
    const command = jestCommand({ ...base, target });
    expect(command.argv).toEqual(['/usr/bin/node', WORKER_CHILD_PATH]);
    expect(command.cwd).toBe('/p');
    expect(JSON.parse(command.env[WORKER_ENV])).toEqual({
      contextFile: '/tmp/r/jest-context.json',
      projectIndex: 1,
      testPath: '/p/suites/a b.stress.test.ts',
      outputFile: '/tmp/x/jest.json',
      coverageFile: null,
      extraSetupFiles: ['/hook.js'],
      verbose: false,
      ahead: [],
    });
    expect(command.env[LAUNCH_ENV]).toBeUndefined();
  });

  it('tells every worker child what to load before its file, a standby child (no file yet) or not', () => {
    const target = { kind: 'worker' as const, contextFile: '/tmp/r/jest-context.json', projectIndex: 0, coverageFile: null, extraSetupFiles: [], verbose: false, ahead: ['/p/node_modules/ts-jest/dist/index.js'] };
    expect(JSON.parse(jestCommand({ ...base, target, file: null }).env[WORKER_ENV]).ahead).toEqual(['/p/node_modules/ts-jest/dist/index.js']);
    expect(JSON.parse(jestCommand({ ...base, target }).env[WORKER_ENV]).ahead).toEqual(['/p/node_modules/ts-jest/dist/index.js']);
  });

  it('puts the heap cap and the probe in NODE_OPTIONS, after what was there', () => {
    const { env } = jestCommand({ ...base, inheritedNodeOptions: '--enable-source-maps' });
    const probe = /\s/.test(PROBE_PATH) ? `"${PROBE_PATH}"` : PROBE_PATH;
    expect(env.NODE_OPTIONS).toBe(`--enable-source-maps --max-old-space-size=48 --require ${probe}`);
    expect(env.STRESS_RUN_PROBE_DIR).toBe('/tmp/x/probe');
  });

  it('drops an inherited heap flag under a cap, so the cap shown is the cap in force', () => {
    const { env } = jestCommand({ ...base, probeDir: null, inheritedNodeOptions: '--max-old-space-size=4096 --trace-warnings --max_old_space_size=9' });
    expect(env.NODE_OPTIONS).toBe('--trace-warnings --max-old-space-size=48');
  });

  it('marks every process of the run with its id, and tells the child its temp folder', () => {
    const { env } = jestCommand(base);
    expect(env.STRESS_RUN_ID).toBe('r1');
    expect(env.STRESS_RUN_WORK_DIR).toBe('/tmp/x');
    expect(jestCommand({ ...base, workDir: null }).env.STRESS_RUN_WORK_DIR).toBeUndefined();
  });

  it('leaves out the cap for --max-heap none, and the probe without a probe folder', () => {
    const command = jestCommand({ ...base, heapCapMb: null, probeDir: null });
    expect(command.env.NODE_OPTIONS).toBe('');
    expect(command.env.STRESS_RUN_PROBE_DIR).toBeUndefined();
  });
});

describe('shellLine', () => {
  it('quotes only what a shell would misread, so the line can be pasted', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote("it's $(x)")).toBe(`'it'\\''s $(x)'`);
    expect(shellLine('/p q', { NODE_OPTIONS: '--max-old-space-size=48' }, ['node', 'a b.js'])).toBe(
      "cd '/p q' && NODE_OPTIONS=--max-old-space-size=48 node 'a b.js'",
    );
  });
});

describe('whom the heap cap reaches', () => {
  it('an asked-for cap: every process the suite starts inherits it through NODE_OPTIONS, in place of a heap size stress-run was given', () => {
    const command = jestCommand({ ...base, inheritedNodeOptions: '--max-old-space-size=4096 --enable-source-maps' });
    expect(command.env.NODE_OPTIONS).toContain('--max-old-space-size=48');
    expect(command.env.NODE_OPTIONS).not.toContain('4096');
    expect(command.env.NODE_OPTIONS).toContain('--enable-source-maps');
  });

  it('no cap asked for: the NODE_OPTIONS stress-run was given reach the suite as they reach plain Jest, a heap size among them', () => {
    const command = jestCommand({ ...base, heapCapMb: null, inheritedNodeOptions: '--max-old-space-size=4096 --experimental-vm-modules' });
    expect(command.env.NODE_OPTIONS).toContain('--max-old-space-size=4096 --experimental-vm-modules');
    expect(command.env.NODE_OPTIONS).toContain(PROBE_PATH);
  });
});
