// npm run bench, section "per-file cost": what one suite's process costs, against plain `jest` as a
// user runs it, on this repo's five suites and on generated 100-file projects (scripts/bench-projects.js).
// Run it alone with BENCH_ONLY=children. Every figure is the median of BENCH_ROUNDS (default 3) runs,
// the arms alternated in rotating order; wall time and CPU time (user + sys of the whole tree, from
// /usr/bin/time) side by side: on a shared machine the CPU time is the steadier of the two.
//   BENCH_PROJECTS=suites,js,tsjest,ts   which projects (default: suites,js,tsjest)
//   BENCH_NO_STANDBY_ARM=1   adds `--no-standby` on the generated projects too (always on the five suites)
//   BENCH_BASE_CLI=<path/to/bin/stress-run.js>   adds an arm with another build (e.g. before a change)
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { generateProject, FILES } = require('./bench-projects');

const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(ROOT, 'node_modules/jest/bin/jest.js');
const CLI = path.join(ROOT, 'bin/stress-run.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs a command under /usr/bin/time: wall and CPU seconds (the CPU of every process it waited for). */
function timed(args, cwd, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '@@%e %U %S', process.execPath, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
    child.on('exit', (code) => {
      const m = /@@([\d.]+) ([\d.]+) ([\d.]+)/.exec(err);
      if (!m) return reject(new Error(`no timing: ${err.slice(-500)}`));
      resolve({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), code });
    });
  });
}

async function compare(title, arms, cwd, files) {
  console.log(`\n  ${title} (${files} files, ${ROUNDS} rounds, arms alternated)`);
  const names = Object.keys(arms);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const r = await timed(arms[name].args, cwd, arms[name].env);
      runs[name].push(r);
      if (process.env.BENCH_VERBOSE) console.log(`    · ${name}: ${r.wall.toFixed(1)} s wall, ${r.cpu.toFixed(1)} s CPU, exit ${r.code}`);
    }
  }
  const base = names[0];
  const med = (name, key) => median(runs[name].map((r) => r[key]));
  for (const name of names) {
    const wall = med(name, 'wall');
    const cpu = med(name, 'cpu');
    console.log(
      `    ${name.padEnd(44)} wall ${wall.toFixed(1).padStart(6)} s (${(wall / med(base, 'wall')).toFixed(2)}×, ${((wall / files) * 1000).toFixed(0)} ms/file)` +
        `  CPU ${cpu.toFixed(1).padStart(6)} s (${(cpu / med(base, 'cpu')).toFixed(2)}×, ${((cpu / files) * 1000).toFixed(0)} ms/file)` +
        `  [wall ${runs[name].map((r) => r.wall.toFixed(1)).join(', ')}]`,
    );
  }
  return runs;
}

/** The arms for one project: plain jest first (the base of every ratio), then stress-run's. */
function arms(noStandbyArm) {
  const a = {
    'plain jest (as a user runs it)': { args: [JEST] },
    'stress-run all': { args: [CLI, 'all'] },
  };
  if (noStandbyArm) a['stress-run all --no-standby'] = { args: [CLI, 'all', '--no-standby'] };
  if (process.env.BENCH_BASE_CLI) a['stress-run all (BENCH_BASE_CLI)'] = { args: [process.env.BENCH_BASE_CLI, 'all'] };
  return a;
}

/** The heap cap's own cost, and what --heap-growing-percent=300 (set by the probe under a cap) gives back. */
async function heapCap() {
  const files = fs.readdirSync(path.join(ROOT, 'stress-suites')).filter((f) => f.endsWith('.stress.test.ts')).length;
  const jest = (...flags) => ({ args: [...flags, JEST, '--runInBand'] });
  await compare(
    'The heap cap on plain `jest --runInBand` over the five suites',
    {
      'no cap': jest(),
      '--max-old-space-size=300': jest('--max-old-space-size=300'),
      '--max-old-space-size=300 --heap-growing-percent=300': jest('--max-old-space-size=300', '--heap-growing-percent=300'),
    },
    ROOT,
    files,
  );
}

async function perFileCost() {
  const which = (process.env.BENCH_PROJECTS || 'suites,js,tsjest').split(',');
  console.log('\nPer-file cost: stress-run (every file in its own process, one after another) against plain jest');
  if (which.includes('suites')) {
    const files = fs.readdirSync(path.join(ROOT, 'stress-suites')).filter((f) => f.endsWith('.stress.test.ts')).length;
    await compare("This repo's five stress suites (ts-jest)", arms(true), ROOT, files);
    await breakdown(ROOT, "Where a file's time goes (the five suites)");
    await heapCap();
  }
  for (const kind of ['js', 'tsjest', 'ts']) {
    if (!which.includes(kind)) continue;
    const dir = generateProject(kind);
    // Warm Jest's caches (haste map, transforms) once, as a user's second run would find them.
    await timed([JEST], dir);
    const label = { js: 'plain JavaScript', tsjest: 'ts-jest configured, 99 JavaScript files and 1 TypeScript', ts: 'ts-jest, every file TypeScript' }[kind];
    await compare(`Generated project: ${label}`, arms(process.env.BENCH_NO_STANDBY_ARM === '1'), dir, FILES);
    await breakdown(dir, `Where a file's time goes (${kind})`);
  }
}

/**
 * Where a suite child's time goes: each child writes its phase ends (STRESS_RUN_TIMING), stress-run's
 * report gives each suite's time; medians over the files of one run, with and without standby.
 */
async function breakdown(dir, label) {
  const os = require('node:os');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-bench-'));
  try {
    for (const standby of [false, true]) {
      const timing = path.join(work, `timing-${standby}.jsonl`);
      const report = path.join(work, `report-${standby}.json`);
      const env = { ...process.env, STRESS_RUN_TIMING: timing };
      await timed([CLI, 'all', '--json', report, ...(standby ? [] : ['--no-standby'])], dir, env);
      const lines = fs.readFileSync(timing, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const suites = JSON.parse(fs.readFileSync(report, 'utf8')).suites;
      const span = (a, b, i) => median(lines.filter((l) => l[a] && l[b]).map((l) => l[b][i] - l[a][i]));
      const from0 = (b, i) => median(lines.map((l) => l[b][i]));
      const suiteMs = median(suites.map((x) => x.durationMs));
      const row = (name, wall, cpu) => console.log(`      ${name.padEnd(58)} ${String(Math.round(wall)).padStart(5)} ms wall ${cpu === null ? '' : `${String(Math.round(cpu)).padStart(5)} ms CPU`}`);
      console.log(`\n    ${label}, ${standby ? 'with standby children (default)' : '--no-standby'}: medians over ${lines.length} files`);
      row('Node start, probe, stress-run child module (to "started")', from0('started', 0), from0('started', 1));
      row("loading Jest's test worker, results module (to \"loaded\")", span('started', 'loaded', 0), span('started', 'loaded', 1));
      row("testWorker.setup: resolvers, module map (to \"setup\")", span('loaded', 'setup', 0), span('loaded', 'setup', 1));
      if (standby) row('(standby: waiting for the hand-over, not counted)', span('setup', 'handed', 0), null);
      const start = standby ? 'handed' : 'setup';
      row('the file: environment, runtime, transforms, circus, tests (to "ran")', span(start, 'ran', 0), span(start, 'ran', 1));
      row('results written (to "written")', span('ran', 'written', 0), span('ran', 'written', 1));
      const inside = standby ? span('handed', 'written', 0) : from0('written', 0);
      row("the suite's time in the report (spawn or hand-over to exit)", suiteMs, null);
      row('  of which exit and reaping after "written"', suiteMs - inside, null);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { perFileCost, heapCap, breakdown, compare, arms };

if (require.main === module) perFileCost();
