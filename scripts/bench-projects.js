// Generated benchmark projects: 100 small test files (BENCH_FILES to change it), written into a temporary folder (never committed).
//   js     plain JavaScript, Jest's defaults (babel-jest for every file)
//   tsjest ts-jest configured for TypeScript, as in many real projects: 99 JavaScript test files and
//          one TypeScript one (so ts-jest is configured for every file, used by one)
//   ts     every test file TypeScript, through ts-jest
// Each project links stress-run's node_modules, so the project's own Jest (and ts-jest) is found.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const FILES = Number(process.env.BENCH_FILES || 100);

const source = (i) => `exports.f${i} = (xs) => xs.map((x) => x * ${i + 1}).reduce((a, b) => a + b, 0);\n`;
const jsTest = (i) => `const { f${i} } = require('../src/m${i}');

describe('m${i}', () => {
  test('sums', () => expect(f${i}([1, 2, 3])).toBe(${6 * (i + 1)}));
  test('empty', () => expect(f${i}([])).toBe(0));
  test('objects', () => expect({ a: [f${i}([1])] }).toEqual({ a: [${i + 1}] }));
});
`;
const tsTest = (i) => `import { f${i} } from '../src/m${i}';

describe('m${i}', () => {
  const cases: Array<[number[], number]> = [[[1, 2, 3], ${6 * (i + 1)}], [[], 0]];
  test.each(cases)('sums %p', (xs: number[], want: number) => expect(f${i}(xs)).toBe(want));
  test('objects', () => expect({ a: [f${i}([1])] }).toEqual({ a: [${i + 1}] }));
});
`;

const CONFIGS = {
  js: `module.exports = { testEnvironment: 'node' };\n`,
  tsjest: `module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', target: 'es2022', isolatedModules: true, esModuleInterop: true } }],
    '^.+\\\\.jsx?$': 'babel-jest',
  },
};
`,
};
CONFIGS.ts = CONFIGS.tsjest;

/** Writes (or reuses) the project of this kind; returns its folder. */
function generateProject(kind, base = path.join(os.tmpdir(), 'stress-run-bench-projects')) {
  const dir = path.join(base, `${kind}-${FILES}`);
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'test'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `bench-${kind}`, private: true }, null, 2));
  fs.writeFileSync(path.join(dir, 'jest.config.js'), CONFIGS[kind]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (let i = 0; i < FILES; i++) {
    const ts = kind === 'ts' || (kind === 'tsjest' && i === 0);
    fs.writeFileSync(path.join(dir, 'src', `m${i}.${ts ? 'ts' : 'js'}`), ts ? source(i).replace(`exports.f${i} = (xs) =>`, `export const f${i} = (xs: number[]): number =>`) : source(i));
    fs.writeFileSync(path.join(dir, 'test', `m${i}.test.${ts ? 'ts' : 'js'}`), ts ? tsTest(i) : jsTest(i));
  }
  fs.writeFileSync(marker, '');
  return dir;
}

module.exports = { generateProject, FILES };

if (require.main === module) {
  for (const kind of process.argv.slice(2)) console.log(generateProject(kind));
}
