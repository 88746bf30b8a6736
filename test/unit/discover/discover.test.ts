import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverSuites, selectSuites, suiteName } from '../../../src/discover/discover';
import { UsageError } from '../../../src/errors';

const FIXTURES = path.resolve(__dirname, '../../fixtures/suites');

describe('suiteName', () => {
  it.each([
    ['kb-accuracy.stress.test.ts', 'kb-accuracy'],
    ['api/login.test.js', 'api/login'],
    ['deep/a.spec.tsx', 'deep/a'],
    ['b.stress.test.mjs', 'b'],
    ['plain.cjs', 'plain'],
    [['win', 'x.test.ts'].join(path.sep), 'win/x'],
  ])('%s → %s', (file, name) => {
    expect(suiteName(file)).toBe(name);
  });
});

describe('discoverSuites', () => {
  it('finds the fixture suites by the default pattern, sorted by name, with absolute files', () => {
    const suites = discoverSuites(FIXTURES, '**/*.stress.test.{ts,tsx,js,mjs,cjs}');
    const names = suites.map((s) => s.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['pass', 'fail', 'oom', 'hang']));
    expect(suites.find((s) => s.name === 'pass')?.file).toBe(path.join(FIXTURES, 'pass.stress.test.js'));
    expect(names).not.toContain('jest.config');
  });

  it('explains a missing folder, a file given as folder, and a pattern that matches nothing', () => {
    expect(() => discoverSuites(path.join(FIXTURES, 'nope'), '**/*.js')).toThrow(new UsageError(`Suite folder not found: ${path.join(FIXTURES, 'nope')}. Pass an existing folder to --dir.`));
    expect(() => discoverSuites(path.join(FIXTURES, 'pass.stress.test.js'), '**/*.js')).toThrow(/must be a folder/);
    expect(() => discoverSuites(FIXTURES, '**/*.nothing')).toThrow(`No suites in ${FIXTURES} match **/*.nothing. Check --dir and --pattern.`);
  });
});

describe('selectSuites', () => {
  const all = [
    { name: 'a', file: '/a' },
    { name: 'b', file: '/b' },
    { name: 'c', file: '/c' },
  ];

  it('keeps all when no names are given, else the named ones in the given order, once each', () => {
    expect(selectSuites(all, [])).toBe(all);
    expect(selectSuites(all, ['c', 'a', 'c']).map((s) => s.name)).toEqual(['c', 'a']);
  });

  it('lists the known suites when a name is unknown', () => {
    expect(() => selectSuites(all, ['a', 'zz'])).toThrow(new UsageError("Unknown suite 'zz'. Known suites: a, b, c."));
  });
});

describe('discoverSuites on names that clash', () => {
  it('refuses two files that would give the same suite name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-clash-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.stress.test.js'), '');
      fs.writeFileSync(path.join(dir, 'a.stress.test.ts'), '');
      expect(() => discoverSuites(dir, '*.stress.test.*')).toThrow(/Two files give the suite name 'a'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
