// A test file that is an ES module, run without --experimental-vm-modules: its row says what Jest
// says to do about it, never anything about the heap.
import * as path from 'node:path';
import { expectNoLeftovers, REPO, runCli } from './helpers';

afterEach(expectNoLeftovers);

test('a suite that fails as an ES module gets the --experimental-vm-modules advice in its row’s note, and no heap advice', async () => {
  const project = path.join(REPO, 'test/fixtures/projects/esm-export');
  const run = await runCli(['all'], { cwd: project, jsonFile: true });
  expect(run.code).toBe(1);
  const [esm, plain] = run.report!.suites;
  expect([esm.name, esm.outcome, plain.name, plain.outcome]).toEqual(['exports', 'failed', 'plain', 'passed']);
  expect(esm.message).toMatch(/Must use import to load ES Module|Cannot use import statement outside a module|Unexpected token 'export'/);
  expect(esm.message).toContain('Hint: this is an ES module, which Jest runs only when Node has --experimental-vm-modules');
  expect(esm.message).toContain('NODE_OPTIONS=--experimental-vm-modules');
  expect(esm.message).not.toMatch(/heap/i);
  // The row's note under the table: from the suite's heading to the end of its block.
  const block = run.stdout.slice(run.stdout.indexOf('exports (exports.test.js): FAIL suite error'));
  expect(block).toContain('Hint: this is an ES module');
  expect(block).not.toMatch(/heap/i);
}, 120_000);
