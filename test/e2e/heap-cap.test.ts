// Whom the heap cap reaches. With no cap asked for there is none: the Jest process and what it
// spawns run under Node's own heap limit, as under plain Jest, and the memory budget is judged on the
// measured peak. With --max-heap, every process the suite starts inherits the cap, and one that runs
// out of heap under it is named in the row.
import * as path from 'node:path';
import { expectNoLeftovers, REPO, runCli, suiteOf } from './helpers';

afterEach(expectNoLeftovers);

const project = path.join(REPO, 'test/fixtures/spawns');
const MiB = 1024 * 1024;

test('with no flags, tests needing 360 MB of heap, in the Jest process or in a node process it spawns, pass as under plain Jest, and the memory verdict shows the tree’s peak', async () => {
  const run = await runCli(['all'], { cwd: project, jsonFile: true });
  for (const name of ['spawns-heavy-node', 'builds-heap']) {
    const suite = suiteOf(run.report, name);
    expect(suite.outcome).toBe('passed');
    expect(suite.tests.passed).toBe(1);
    expect(suite.heapCapMb).toBeNull();
    // The heap is counted: the tree went over the 300 MB budget, and the verdict says so.
    expect(suite.peakRssBytes).toBeGreaterThan(400 * MiB);
    expect(suite.budget.memoryExceeded).toBe(true);
    expect(run.stdout).toContain(`OVER MEMORY ${Math.round(suite.peakRssBytes / MiB)}/300 MB`);
  }
  expect(run.code).toBe(1);
}, 120_000);

test('with --max-heap 200, the spawned process inherits the cap, runs out of heap, and the row names it and the cap', async () => {
  const run = await runCli(['all', '-s', 'spawns-heavy-node', '--max-heap', '200'], { cwd: project, jsonFile: true });
  const [suite] = run.report!.suites;
  expect(suite.outcome).toBe('oom');
  expect(suite.heapCapMb).toBe(200);
  expect(suite.message).toMatch(/^A process the suite started ran out of heap under the 200 MB heap cap it inherited/);
  expect(suite.message).toContain('node -e');
  expect(suite.message).toContain('build-heap');
  expect(run.stdout).toContain('OOM at 200 MB heap');
  expect(run.code).toBe(1);
}, 120_000);
