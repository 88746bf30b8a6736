// Jest config for the stress suites in stress-suites/ (what `stress-run all` runs).
// ts-jest in transpile-only mode (isolatedModules in tsconfig.json): about half the memory of
// type-checking per suite; `npm test` type-checks the suites with `tsc --noEmit` instead.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/stress-suites'],
  testMatch: ['**/*.stress.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
};
