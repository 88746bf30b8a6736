// compare --env: which variants run, and under which environment each runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, FIXTURES, removeDir, runCli, tempDir } from './helpers';

afterEach(expectNoLeftovers);

let dir: string;
let log: string;
beforeAll(() => {
  dir = tempDir('compare-env');
  log = path.join(dir, 'seen.log');
  fs.copyFileSync(path.join(FIXTURES, 'jest.config.js'), path.join(dir, 'jest.config.js'));
  // Each run writes down what it saw of X: set or not, and its value.
  fs.writeFileSync(
    path.join(dir, 'seen.stress.test.js'),
    "test('records X', () => { require('fs').appendFileSync(process.env.SEEN_LOG, JSON.stringify('X' in process.env ? process.env.X : null) + '\\n'); });\n",
  );
});
afterAll(() => removeDir(dir));
beforeEach(() => fs.rmSync(log, { force: true }));

const seen = (): unknown[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown) : []);
const compare = (...env: string[]) => runCli(['compare', '--dir', dir, ...env.flatMap((e) => ['--env', e])], { env: { SEEN_LOG: log, X: 'inherited' } });

test('an empty value is a variant: the variable set, and empty (as the docs’ NODE_OPTIONS=--max-semi-space-size=16, needs)', async () => {
  const run = await compare('X=a,');
  expect(run.stderr).not.toMatch(/--env must be/);
  expect(run.code).toBe(0);
  expect(seen()).toEqual(['a', '']);
  expect(run.stdout).toContain('Variants: a = X=a · (empty) = X=');
});

test.each([
  [['X=a,b', 'X=c,d'], "stress-run: --env X is given twice ('X=a,b' and 'X=c,d'); give its values in one --env: X=a,b,c,d."],
  [['X=a,a'], "stress-run: --env X names the value 'a' twice, in 'X=a,a'; each value is one variant."],
])('--env %j is refused before any suite runs: one line, exit 2', async (env, line) => {
  const run = await compare(...env);
  expect({ code: run.code, stdout: run.stdout, stderr: run.stderr.trim().split('\n') }).toEqual({ code: 2, stdout: '', stderr: [line] });
  expect(seen()).toEqual([]);
});
