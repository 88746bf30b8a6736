import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, validateConfig } from '../../../src/config/config';
import { UsageError } from '../../../src/base/errors';

describe('validateConfig', () => {
  it('accepts every known key', () => {
    const config = {
      dir: 'suites',
      pattern: '**/*.test.js',
      jestConfig: 'jest.config.js',
      memoryMb: 200,
      timeS: 10,
      timeoutS: 30,
      maxHeapMb: 'none',
      runs: 3,
      budgets: { 'kb-accuracy': { memoryMb: 150, timeS: 5 } },
    };
    expect(validateConfig(config, 'x.json')).toEqual(config);
  });

  it.each([
    [{ memroyMb: 1 }, 'x.json: unknown key "memroyMb". Known keys:'],
    [{ memoryMb: '300 MB' }, 'x.json: "memoryMb" must be a positive number, got "300 MB".'],
    [{ timeS: -1 }, 'x.json: "timeS" must be a positive number, got -1.'],
    [{ runs: 2.5 }, 'x.json: "runs" must be a whole number, got 2.5.'],
    [{ maxHeapMb: 'lots' }, 'x.json: "maxHeapMb" must be a positive whole number of MB or "none", got "lots".'],
    [{ maxHeapMb: 64.5 }, 'x.json: "maxHeapMb" must be a positive whole number of MB or "none", got 64.5.'],
    [{ dir: '' }, 'x.json: "dir" must be a non-empty string.'],
    [{ budgets: [] }, 'x.json: "budgets" must be an object'],
    [{ budgets: { kb: { memoryMb: 0 } } }, 'x.json: "budgets.kb.memoryMb" must be a positive number, got 0.'],
    [{ budgets: { kb: { memory: 10 } } }, 'x.json: unknown key "budgets.kb.memory". Known keys: memoryMb, timeS, leakMb.'],
    [[1, 2], 'x.json: the config must be a JSON object.'],
  ])('names the bad key in one line: %j', (config, message) => {
    expect(() => validateConfig(config, 'x.json')).toThrow(UsageError);
    expect(() => validateConfig(config, 'x.json')).toThrow(message);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is empty when the project has no config', () => {
    expect(loadConfig(dir, null)).toEqual({ config: {}, source: null });
  });

  it('prefers stress-run.config.json over package.json "stressRun"', () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ stressRun: { memoryMb: 1 } }));
    expect(loadConfig(dir, null)).toEqual({ config: { memoryMb: 1 }, source: 'package.json' });
    fs.writeFileSync(path.join(dir, 'stress-run.config.json'), JSON.stringify({ memoryMb: 2 }));
    expect(loadConfig(dir, null)).toEqual({ config: { memoryMb: 2 }, source: 'stress-run.config.json' });
  });

  it('ignores a package.json without "stressRun"', () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
    expect(loadConfig(dir, null).source).toBeNull();
  });

  it('gives one line for invalid JSON and for a missing explicit file', () => {
    fs.writeFileSync(path.join(dir, 'stress-run.config.json'), '{ "memoryMb": ');
    expect(() => loadConfig(dir, null)).toThrow(/^stress-run.config.json is not valid JSON: /);
    expect(() => loadConfig(dir, 'nope.json')).toThrow('Cannot read config nope.json: ENOENT.');
  });

  it('accepts a UTF-8 byte order mark, and refuses a file too big to be a config in one line', () => {
    fs.writeFileSync(path.join(dir, 'stress-run.config.json'), '\uFEFF{ "memoryMb": 5 }');
    expect(loadConfig(dir, null).config).toEqual({ memoryMb: 5 });
    fs.writeFileSync(path.join(dir, 'big.json'), `{"pattern": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    expect(() => loadConfig(dir, 'big.json')).toThrow('big.json is 2.0 MB; a config file is a few lines of JSON (at most 1 MB).');
  });

  it('cuts a huge key or value in its message, and refuses numbers past any sense', () => {
    const key = 'k'.repeat(10_000);
    expect(() => validateConfig({ [key]: 1 }, 'x.json')).toThrow(`x.json: unknown key "${'k'.repeat(60)}… (10000 characters)". Known keys:`);
    expect(() => validateConfig({ memoryMb: 1e21 }, 'x.json')).toThrow('x.json: "memoryMb" must be at most 1048576, got 1e+21.');
    expect(() => validateConfig({ budgets: { a: { timeS: 1e300 } } }, 'x.json')).toThrow('"budgets.a.timeS" must be at most 100000000');
    expect(() => validateConfig({ pattern: '*'.repeat(70_000) }, 'x.json')).toThrow('"pattern" is 70000 characters');
  });
});
