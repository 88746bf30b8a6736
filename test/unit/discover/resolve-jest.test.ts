import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveJest } from '../../../src/discover/resolve-jest';
import { UsageError } from '../../../src/base/errors';

describe('resolveJest', () => {
  let dir: string;
  beforeEach(() => {
    // Outside this repository: no node_modules above it holds a Jest.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-resolve-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"no-jest"}');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('uses the project’s own Jest when it has one', () => {
    fs.mkdirSync(path.join(dir, 'node_modules', 'jest'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'jest', 'package.json'), '{"name":"jest","version":"29.7.0","main":"index.js"}');
    fs.writeFileSync(path.join(dir, 'node_modules', 'jest', 'index.js'), '');
    const setup = resolveJest(dir, null, dir, [], () => null);
    expect(setup.jestPath).toBe(fs.realpathSync(path.join(dir, 'node_modules', 'jest', 'index.js')));
    expect(setup.bundledJest).toBe(false);
  });

  it('falls back to the Jest installed beside stress-run when the project has none', () => {
    const setup = resolveJest(dir, null, dir, [], () => '/elsewhere/node_modules/jest/build/index.js');
    expect(setup).toMatchObject({ jestPath: '/elsewhere/node_modules/jest/build/index.js', bundledJest: true });
  });

  it('says in one line to install Jest when neither the project nor stress-run has one', () => {
    let error: unknown;
    try {
      resolveJest(dir, null, dir, [], () => null);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('npm i -D jest');
    expect(message).toContain(dir);
  });
});
