import { warmupArgs } from '../../../src/spawn/warmup';

describe('warmupArgs', () => {
  it("runs exactly the selected files once, with the run's Jest arguments, writing no snapshot and no coverage report", () => {
    const args = warmupArgs(['--config', '/p/jest.config.js', '--coverage'], ['/p/a.test.js', '/p/b.test.js', '/p/a.test.js']);
    expect(args).toEqual([
      '--config',
      '/p/jest.config.js',
      '--coverage',
      '--ci',
      '--coverageReporters',
      'none',
      '--coverageThreshold',
      '{}',
      '--runTestsByPath',
      '/p/a.test.js',
      '/p/b.test.js',
    ]);
  });

  it('does not repeat a flag the user passed through already', () => {
    expect(warmupArgs(['--ci'], ['/p/a.test.js']).filter((a) => a === '--ci')).toHaveLength(1);
  });
});
