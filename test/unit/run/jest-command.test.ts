import { jestCommand, shellLine, shellQuote } from '../../../src/run/jest-command';

const base = {
  file: '/p/suites/a b.stress.test.ts',
  jestPath: '/p/node_modules/jest/build/index.js',
  projectRoot: '/p',
  configPath: '/p/jest.config.js',
  outputFile: '/tmp/x/jest.json',
  heapCapMb: 48,
  probePath: '/opt/stress run/probe.js',
  probeDir: '/tmp/x/probe',
  inheritedNodeOptions: undefined,
};

describe('jestCommand', () => {
  it('runs exactly the one file in band with JSON results to a file', () => {
    const { launch } = jestCommand(base);
    expect(launch).toEqual({
      jestPath: base.jestPath,
      projectRoot: '/p',
      args: ['--runInBand', '--ci', '--json', '--outputFile', '/tmp/x/jest.json', '--config', '/p/jest.config.js', '--runTestsByPath', '/p/suites/a b.stress.test.ts'],
    });
  });

  it('puts the heap cap and the probe in NODE_OPTIONS, quoting a path with spaces, after what was there', () => {
    const { env } = jestCommand({ ...base, inheritedNodeOptions: '--enable-source-maps' });
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps --max-old-space-size=48 --require "/opt/stress run/probe.js"');
    expect(env.STRESS_RUN_PROBE_DIR).toBe('/tmp/x/probe');
  });

  it('leaves out the cap for --max-heap none and --config when Jest finds its own', () => {
    const { env, launch } = jestCommand({ ...base, heapCapMb: null, configPath: null, probePath: '/opt/probe.js' });
    expect(env.NODE_OPTIONS).toBe('--require /opt/probe.js');
    expect(launch.args).not.toContain('--config');
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
