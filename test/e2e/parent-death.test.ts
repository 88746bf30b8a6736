// stress-run killed with SIGKILL while a suite spins in a synchronous loop: the suite's event loop
// never turns, and still nothing of the run outlives stress-run by more than 3 s.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoLeftovers, markedProcesses, markedProcessesMatching, REPO, removeDir, startCli, SUITE_CHILD, tempDir, waitFor, type LiveProcess } from './helpers';

afterEach(expectNoLeftovers);

describe('stress-run killed with SIGKILL while its suite is in a 60 s synchronous loop', () => {
  let tmp: string;
  let aliveAfter3s: LiveProcess[];
  let signal: NodeJS.Signals | null;
  beforeAll(async () => {
    tmp = tempDir('busy-tmpdir');
    const cli = startCli(['--dir', path.join(REPO, 'test', 'fixtures', 'busy')], { env: { TMPDIR: tmp } });
    // A boolean, not a count: a count of 0 is a value, and waitFor would take it as done at once.
    await waitFor('the busy suite and its sleeping child to start', () => markedProcessesMatching(SUITE_CHILD).length > 0 && markedProcessesMatching('stress-run-fixture-sleeper').length > 0, 30_000);
    // Well into the loop.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    cli.child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    aliveAfter3s = markedProcesses();
    signal = (await cli.done).signal;
  }, 60_000);
  afterAll(() => removeDir(tmp));

  test('no process of the run is alive 3 s later', () => {
    expect(signal).toBe('SIGKILL');
    expect(aliveAfter3s).toEqual([]);
  });

  test('and no temp folder of the run is left', () => {
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('stress-run-'))).toEqual([]);
  });
});

describe('stress-run killed with SIGKILL during discovery, before any suite starts', () => {
  let tmp: string;
  let left: string[];
  beforeAll(async () => {
    tmp = tempDir('discovery-tmpdir');
    // The fixture's config takes 2 s to load: discovery is under way for all of that.
    const cli = startCli(['--dir', path.join(REPO, 'test', 'fixtures', 'slow-config')], { env: { TMPDIR: tmp } });
    await waitFor('the run’s temp folder', () => fs.readdirSync(tmp).some((name) => name.startsWith('stress-run-')), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    cli.child.kill('SIGKILL');
    await cli.done;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    left = fs.readdirSync(tmp).filter((name) => name.startsWith('stress-run-'));
  }, 60_000);
  afterAll(() => removeDir(tmp));

  test('leaves no temp folder of the run (the run watcher, started with the folder, removes it)', () => {
    expect(left).toEqual([]);
  });
});
