import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, validateConfig } from '../../../src/config/config';
import { UsageError } from '../../../src/errors';

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
});
