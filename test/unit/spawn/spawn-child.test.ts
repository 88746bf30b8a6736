import { childCommand, standbyKey } from '../../../src/spawn/spawn-child';
import { WORKER_ENV } from '../../../src/child/protocol';

const worker = { kind: 'worker' as const, contextFile: '/tmp/r/jest-context.json', projectIndex: 0, coverageFile: null, extraSetupFiles: [], verbose: false };
const plan = (file: string, over: Record<string, unknown> = {}) => ({
  suite: { name: file, file, project: { index: 0, name: null } },
  jest: { jestPath: '/p/node_modules/jest/build/index.js', projectRoot: '/p', configPath: null, bundledJest: false },
  target: worker,
  heapCapMb: 300 as number | null,
  sampleMs: 50,
  treeMs: 250,
  onOutput: null,
  onCommand: null,
  perTest: false,
  env: {} as Record<string, string>,
  ...over,
});

describe('standbyKey', () => {
  test('two suites of the same project under the same cap can use the same standby child', () => {
    expect(standbyKey(plan('/p/a.test.js'))).toBe(standbyKey(plan('/p/b.test.js')));
  });

  test('another cap or another project needs another child', () => {
    expect(standbyKey(plan('/p/a.test.js', { heapCapMb: 64 }))).not.toBe(standbyKey(plan('/p/a.test.js')));
    expect(standbyKey(plan('/p/a.test.js', { target: { ...worker, projectIndex: 1 } }))).not.toBe(standbyKey(plan('/p/a.test.js')));
    expect(standbyKey(plan('/p/a.test.js', { env: { STRESS_MOCKS: 'heavy' } }))).not.toBe(standbyKey(plan('/p/a.test.js')));
    expect(standbyKey(plan('/p/a.test.js', { perTest: true }))).not.toBe(standbyKey(plan('/p/a.test.js')));
  });

  test('a child that loaded one transformer ahead does not stand in for a file that needs another', () => {
    const ts = { ...worker, ahead: ['/p/node_modules/ts-jest/dist/index.js'] };
    const js = { ...worker, ahead: ['/p/node_modules/babel-jest/build/index.js'] };
    expect(standbyKey(plan('/p/a.test.ts', { target: ts }))).toBe(standbyKey(plan('/p/b.test.ts', { target: ts })));
    expect(standbyKey(plan('/p/a.test.ts', { target: ts }))).not.toBe(standbyKey(plan('/p/c.test.js', { target: js })));
  });

  test('no standby for a suite run through the Jest CLI', () => {
    expect(standbyKey(plan('/p/a.test.js', { target: { kind: 'cli', jestArgs: [], project: null } }))).toBeNull();
  });
});

test('a standby child is told no file: it is handed one later', () => {
  const command = childCommand(plan('/p/a.test.js'), { outputFile: '/tmp/x/jest.json', probeDir: '/tmp/x/probe', perTestFile: null, testMarksFile: '', runId: '', workDir: '' }, true);
  expect(JSON.parse(command.env[WORKER_ENV]).testPath).toBe('');
  expect(command.env.NODE_OPTIONS).toContain('--max-old-space-size=300');
  expect(command.env.STRESS_RUN_PROBE_DIR).toBe('/tmp/x/probe');
});
