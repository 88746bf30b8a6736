// Live progress on a real terminal (util-linux `script` gives the run a pseudo-terminal).
import { spawnSync } from 'node:child_process';
import { BIN, cliEnv, expectNoLeftovers, FIXTURES_ARG, REPO } from './helpers';

afterEach(expectNoLeftovers);

test('a terminal that reports 0 columns still shows live progress, drawn 80 columns wide', () => {
  // Some CI terminals and `script` recordings report 0 columns (here 0 rows too: `script` without a
  // terminal of its own). CI is unset (cliEnv), so progress is live.
  const command = `stty cols 0; ${process.execPath} ${BIN} --dir ${FIXTURES_ARG} -s hold-a`;
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO, env: cliEnv({ TERM: 'xterm' }), encoding: 'utf8', timeout: 100_000 });
  const screen = run.stdout;
  const table = screen.indexOf('suites passed within budget');
  expect(table).toBeGreaterThan(0);
  const before = screen.slice(0, table);
  expect(before).toMatch(/1 running · 0 queued · 0 finished · RSS \d+ MB/);
  expect(before).toMatch(/▶ hold-a +[\d.]+ s +\d+\/300 MB/);
}, 120_000);
