import { modulesAhead } from '../../../src/spawn/modules-ahead';

const TS_JEST = '/p/node_modules/ts-jest/dist/index.js';
const BABEL_JEST = '/p/node_modules/babel-jest/build/index.js';
const NODE_ENV = '/p/node_modules/jest-environment-node/build/index.js';
const CIRCUS = '/p/node_modules/jest-circus/build/runner.js';

/** A resolved ProjectConfig as discovery hands it on, with what modulesAhead reads. */
const config = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  transform: [
    ['^.+\\.tsx?$', TS_JEST, {}],
    ['^.+\\.[jt]sx?$', BABEL_JEST, {}],
  ],
  transformIgnorePatterns: ['/node_modules/', '\\.pnp\\.[^\\/]+$'],
  testEnvironment: NODE_ENV,
  testRunner: CIRCUS,
  ...over,
});

describe('modulesAhead', () => {
  test('the first transformer whose pattern matches the file, then the environment and the runner', () => {
    expect(modulesAhead(config(), '/p/src/a.test.ts', 'test("x", () => {});')).toEqual([TS_JEST, NODE_ENV, CIRCUS]);
    expect(modulesAhead(config(), '/p/src/a.test.js', 'test("x", () => {});')).toEqual([BABEL_JEST, NODE_ENV, CIRCUS]);
  });

  test('no transformer for a file Jest does not transform', () => {
    expect(modulesAhead(config(), '/p/node_modules/pkg/a.test.js', '')).toEqual([NODE_ENV, CIRCUS]);
    expect(modulesAhead(config(), '/p/src/a.test.mjs', '')).toEqual([NODE_ENV, CIRCUS]);
    expect(modulesAhead(config({ transform: [] }), '/p/src/a.test.js', '')).toEqual([NODE_ENV, CIRCUS]);
  });

  test('nothing Jest would load differently: an ES module transformer, a docblock environment, a project file, jasmine', () => {
    expect(modulesAhead(config({ transform: [['\\.ts$', '/p/transform.mjs', {}]] }), '/p/a.test.ts', '')).toEqual([NODE_ENV, CIRCUS]);
    expect(modulesAhead(config(), '/p/a.test.ts', '/**\n * @jest-environment jsdom\n */')).toEqual([TS_JEST, CIRCUS]);
    expect(modulesAhead(config(), '/p/a.test.ts', null)).toEqual([TS_JEST, CIRCUS]);
    expect(modulesAhead(config({ testEnvironment: '/p/test/env.ts' }), '/p/a.test.ts', '')).toEqual([TS_JEST, CIRCUS]);
    expect(modulesAhead(config(), '/p/a.test.ts', '', { JEST_JASMINE: '1' })).toEqual([TS_JEST, NODE_ENV]);
  });

  test('a pattern that is not a valid expression matches nothing', () => {
    expect(modulesAhead(config({ transform: [['(', TS_JEST, {}]], transformIgnorePatterns: ['['] }), '/p/a.test.ts', '')).toEqual([NODE_ENV, CIRCUS]);
  });
});
