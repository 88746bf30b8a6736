#!/usr/bin/env node
// npm run bench: checks stress-run's speed, memory and accuracy targets by measuring side by side
// in one run on this machine. Prints every figure and ratio; exits 1 when a target is missed.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(ROOT, 'node_modules/jest/bin/jest.js');
const CLI = path.join(ROOT, 'bin/stress-run.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/suites');
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const MB = 1024 * 1024;
/** The project's own Jest bin when it has one (commander.js), else this repository's. */
const JEST_OF = (cwd) => {
  const own = path.join(cwd, 'node_modules/jest/bin/jest.js');
  return fs.existsSync(own) ? own : JEST;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (bytes) => (bytes / MB).toFixed(1);
const results = [];
const check = (label, ok, detail) => {
  results.push(ok);
  console.log(`  ${ok ? 'ok  ' : 'MISS'} ${label}: ${detail}`);
};

// Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux).
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
/** CPU ms used by this process's children that have been waited for (and theirs): cutime + cstime. */
function childrenCpuMs() {
  const fields = fs.readFileSync('/proc/self/stat', 'latin1').replace(/^.*\) /s, '').split(' ');
  // After the command's name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK;
}

/** Runs a command; resolves with wall ms, CPU ms of its whole process tree, exit code, and the highest VmHWM read from /proc while it ran. */
function measure(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'], ...options });
    let hwm = 0;
    const read = () => {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'latin1'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch {
        // gone
      }
    };
    const timer = setInterval(read, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - start, cpuMs: childrenCpuMs() - cpuBefore, code, ownPeakBytes: hwm });
    });
  });
}

/** The kernel's max RSS of a direct run, as /usr/bin/time -v reports it. */
function timeV(args, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', ...options });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`/usr/bin/time gave no figure: ${r.stderr.slice(-300)}`);
  return Number(m[1]) * 1024;
}

/**
 * The very child process stress-run starts for a fixture suite (launcher, Jest API, 300 MB cap, JSON
 * results, and the probe unless `probe` is false), run directly under /usr/bin/time instead.
 */
function directRun(file, probe = true) {
  const { jestCommand } = require(path.join(ROOT, 'dist/spawn/jest-command.js'));
  const { resolveJest } = require(path.join(ROOT, 'dist/discover/resolve-jest.js'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-bench-'));
  const command = jestCommand({
    file,
    jest: resolveJest(FIXTURES, null, ROOT),
    outputFile: path.join(work, 'jest.json'),
    heapCapMb: 300,
    probeDir: probe ? work : null,
    nodePath: process.execPath,
    inheritedNodeOptions: undefined,
  });
  try {
    return timeV(command.argv.slice(1), { cwd: command.cwd, env: { ...process.env, ...command.env } });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function stressRunReport(args) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-bench-')), 'r.json');
  spawnSync(process.execPath, [CLI, ...args, '--json', out], { cwd: ROOT, stdio: 'ignore' });
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return report;
}

async function overhead() {
  const files = fs
    .readdirSync(path.join(ROOT, 'stress-suites'))
    .filter((f) => f.endsWith('.stress.test.ts'))
    .map((f) => path.join('stress-suites', f));
  console.log(`\n1. Overhead on the ${files.length} stress suites, ${ROUNDS} rounds, the arms in rotating order`);
  // The heap cap itself costs time (V8 collects more often under a 300 MB old space), so stress-run's own
  // overhead is measured against plain Jest under the same cap, and without a cap on both sides.
  const capped = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=300`.trim() };
  const plainArm = (env) => async () => {
    let total = 0;
    for (const f of files) total += (await measure(process.execPath, [JEST, '--runInBand', f], { env })).ms;
    return { ms: total, ownPeakBytes: 0 };
  };
  const arms = {
    'plain jest, no cap': plainArm(process.env),
    'plain jest, 300 MB cap': plainArm(capped),
    'stress-run all --max-heap none': () => measure(process.execPath, [CLI, 'all', '--max-heap', 'none']),
    'stress-run all (default 300 MB cap)': () => measure(process.execPath, [CLI, 'all']),
  };
  const names = Object.keys(arms);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const ownPeaks = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const r = await arms[name]();
      times[name].push(r.ms);
      if (r.ownPeakBytes) ownPeaks.push(r.ownPeakBytes);
    }
  }
  for (const name of names) {
    console.log(`  ${name.padEnd(38)} median ${(median(times[name]) / 1000).toFixed(2)} s  [${times[name].map((m) => (m / 1000).toFixed(2)).join(', ')}]`);
  }
  const ratio = (a, b) => median(times[a]) / median(times[b]);
  const capRatio = ratio('stress-run all (default 300 MB cap)', 'plain jest, 300 MB cap');
  const bareRatio = ratio('stress-run all --max-heap none', 'plain jest, no cap');
  check('wall-time ratio, stress-run / plain jest, same 300 MB cap', capRatio <= 1.1, `${capRatio.toFixed(3)} (target ≤ 1.10)`);
  check('wall-time ratio, stress-run / plain jest, no cap on either', bareRatio <= 1.1, `${bareRatio.toFixed(3)} (target ≤ 1.10)`);
  const capCost = ratio('plain jest, 300 MB cap', 'plain jest, no cap');
  const all = ratio('stress-run all (default 300 MB cap)', 'plain jest, no cap');
  console.log(`  (the cap's own cost on plain jest: ${capCost.toFixed(3)}×; stress-run with its default cap against uncapped plain jest: ${all.toFixed(3)}×)`);
  check("stress-run's own peak RSS", Math.max(...ownPeaks) < 80 * MB, `${mb(Math.max(...ownPeaks))} MB (target < 80 MB)`);
}

function watcherCost() {
  console.log('\n2. Cost of watching a process tree (sampling every 50 ms, tree re-read every 250 ms, as stress-run does)');
  const { watchTree } = require(path.join(ROOT, 'dist/measure/tree-memory.js'));
  const holder = 'const {spawn}=require("child_process");spawn(process.execPath,["-e","setTimeout(()=>{},6000)"],{stdio:"ignore"});setTimeout(()=>{},6000)';
  const child = spawn(process.execPath, ['-e', holder], { stdio: 'ignore' });
  return new Promise((resolve) => {
    setTimeout(() => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const watch = watchTree(child.pid, { sampleMs: 50, treeMs: 250, startedAtMs: t0, now: () => performance.now() });
      setTimeout(() => {
        const tree = watch.stop();
        const cpu = process.cpuUsage(cpu0);
        const wallMs = performance.now() - t0;
        const pct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
        child.kill('SIGKILL');
        console.log(`  ${tree.samples.length} samples of a ${tree.processes.length}-process tree over ${(wallMs / 1000).toFixed(1)} s`);
        check('watcher CPU', pct <= 2, `${pct.toFixed(2)}% of one core (target ≤ 2%)`);
        resolve();
      }, 4000);
    }, 500);
  });
}

/** stress-run under /usr/bin/time: the kernel's max RSS of the largest process it reaped, and stress-run's own report of that run. */
function underTime(name) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-bench-')), 'r.json');
  const kernel = timeV([CLI, '--dir', FIXTURES, '-s', name, '--json', out]);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { kernel, ours: report.suites[0].peakRssBytes };
}

function accuracy() {
  console.log('\n3. Accuracy: stress-run\'s peak against the kernel\'s high-water mark of the same run (/usr/bin/time -v around it)');
  for (const name of ['big-buffer', 'pass']) {
    const diffs = [];
    for (let i = 0; i < ROUNDS + 2; i++) {
      const { kernel, ours } = underTime(name);
      diffs.push((ours - kernel) / kernel);
    }
    const worst = diffs.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    console.log(`  ${name}: differences ${diffs.map((d) => `${(d * 100).toFixed(2)}%`).join(', ')}`);
    check(`${name} peak vs kernel, worst of ${diffs.length} runs`, Math.abs(worst) <= 0.02, `${(worst * 100).toFixed(2)}% (target ±2%, every run)`);
  }

  console.log('\n   The same Jest child run directly, without stress-run (how much do runs of one command vary?)');
  const direct = [];
  const ours = [];
  for (let i = 0; i < ROUNDS + 2; i++) {
    direct.push(directRun(path.join(FIXTURES, 'pass.stress.test.js')));
    ours.push(stressRunReport(['--dir', FIXTURES, '-s', 'pass']).suites[0].peakRssBytes);
  }
  console.log(`  pass, direct: ${direct.map(mb).join(', ')} MB; under stress-run: ${ours.map(mb).join(', ')} MB; medians differ by ${(((median(ours) - median(direct)) / median(direct)) * 100).toFixed(2)}%`);
  const bare = [];
  const probed = [];
  for (let i = 0; i < ROUNDS + 2; i++) {
    bare.push(directRun(path.join(FIXTURES, 'pass.stress.test.js'), false));
    probed.push(directRun(path.join(FIXTURES, 'pass.stress.test.js'), true));
  }
  const probeCost = median(probed) - median(bare);
  const spread = (xs) => mb(Math.max(...xs) - Math.min(...xs));
  console.log(`  the probe's own memory, pass suite with vs without it: ${mb(probeCost)} MB (medians; runs spread over ${spread(bare)} and ${spread(probed)} MB)`);
  const plainJest = timeV([JEST, '--runInBand', '--config', path.join(FIXTURES, 'jest.config.js'), path.join(FIXTURES, 'pass.stress.test.js')]);
  console.log(`  (for reference: the plain \`jest\` bin on the pass suite, no cap: ${mb(plainJest)} MB)`);

  const report = stressRunReport(['--dir', FIXTURES, '-s', 'grandchild']);
  const suite = report.suites[0];
  const jestOnly = Math.max(...suite.processes.filter((p) => !p.command.includes(' -e ')).map((p) => p.peakRssBytes));
  const above = suite.peakRssBytes - jestOnly;
  console.log(`  grandchild: tree peak ${mb(suite.peakRssBytes)} MB, Jest process alone ${mb(jestOnly)} MB`);
  check('grandchild counted in the tree peak', above >= 150 * MB, `${mb(above)} MB above the Jest process (target ≥ 150 MB)`);
}

/** --per-test against a plain run of the five suites, arms alternated: wall time and summed peak RSS, as ratios. */
function perTestOverhead() {
  const rounds = Math.max(1, Math.min(ROUNDS, 3));
  console.log(`\n4. Overhead of --per-test on the stress suites, ${rounds} rounds, the arms alternated`);
  const arms = { plain: ['all'], 'per-test': ['all', '--per-test'] };
  const figures = { plain: { ms: [], peak: [] }, 'per-test': { ms: [], peak: [] } };
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 ? ['per-test', 'plain'] : ['plain', 'per-test']) {
      const start = performance.now();
      const report = stressRunReport(arms[name]);
      figures[name].ms.push(performance.now() - start);
      figures[name].peak.push(report.suites.reduce((sum, s) => sum + s.peakRssBytes, 0));
    }
  }
  for (const name of Object.keys(arms)) {
    console.log(`  ${name.padEnd(9)} median ${(median(figures[name].ms) / 1000).toFixed(2)} s, summed peak RSS ${mb(median(figures[name].peak))} MB`);
  }
  const timeRatio = median(figures['per-test'].ms) / median(figures.plain.ms);
  const memoryRatio = median(figures['per-test'].peak) / median(figures.plain.peak);
  console.log(`  --per-test / plain: time ×${timeRatio.toFixed(2)}, peak RSS ×${memoryRatio.toFixed(3)} (two full GCs after every test)`);
}

// ---------------------------------------------------------------------------------------------
// 4. Scheduling: plain Jest (its pool, in band, one file per process) against stress-run one after
// another and in parallel, on this repo's five suites and on generated 100-file projects.

const FILES = Number(process.env.BENCH_FILES || 100);

/** A throwaway project of `count` small test files (plain JS, or TypeScript through ts-jest), using this repo's node_modules. */
function generateProject(kind, count) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stress-run-bench-${kind}-`));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const ts = kind === 'ts';
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `bench-${kind}`, private: true }));
  const transform = ts ? `transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, module: 'commonjs', target: 'es2022', esModuleInterop: true } }] },` : '';
  fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = { testEnvironment: 'node', testMatch: ['**/tests/*.test.${ts ? 'ts' : 'js'}'], ${transform} };\n`);
  fs.mkdirSync(path.join(dir, 'tests'));
  for (let i = 0; i < count; i++) {
    const name = String(i).padStart(3, '0');
    const typed = ts ? ': number' : '';
    fs.writeFileSync(
      path.join(dir, 'tests', `f${name}.test.${ts ? 'ts' : 'js'}`),
      `const add = (a${typed}, b${typed})${typed} => a + b;\n` +
        `describe('file ${name}', () => {\n` +
        `  test('adds', () => expect(add(${i}, 1)).toBe(${i + 1}));\n` +
        `  test('sorts', () => expect([3, 1, 2].sort()).toEqual([1, 2, 3]));\n` +
        `  test('maps', async () => expect(await Promise.resolve(new Map([[${i}, 'x']]).get(${i}))).toBe('x'));\n` +
        `});\n`,
    );
  }
  return { dir, pattern: `tests/*.test.${ts ? 'ts' : 'js'}`, files: fs.readdirSync(path.join(dir, 'tests')).map((f) => path.join('tests', f)) };
}

/** A stress-run report written to a throwaway file by one arm's run; null when the run wrote none. */
function takeReport(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

// The arms run by default: Jest's pool, and stress-run's three isolations. BENCH_ARMS picks others
// by name or beginning ('jest --runInBand', and '× jest --runInBand' one process per file, the slowest).
// 'jest -w 2 --logHeapUsage' runs Node with --expose-gc, so that Jest's pool settles the heap with a
// full GC after every file and logs it, as a pool run of stress-run does: the same per-file figure, in Jest.
const DEFAULT_ARMS = ['jest', 'jest -w 2', 'jest -w 2 --logHeapUsage', 'stress-run all', 'stress-run all --isolation pool --parallel auto', 'stress-run all --isolation auto --parallel auto'];

/** A project's arms: wall ms and CPU ms of each, run in rotating order, `rounds` times; stress-run's arms keep their JSON reports. */
async function scheduleArms(label, project, rounds, results) {
  const { cwd, files, suiteArgs, jestArgs, cli = CLI } = project;
  const quiet = { cwd, env: { ...process.env, CI: '1' } };
  // Jest's CLI with `args`, under Node with `nodeFlags`.
  const jestUnder = (nodeFlags, ...args) => () => measure(process.execPath, [...nodeFlags, JEST_OF(cwd), ...jestArgs, ...args], quiet);
  const jest = (...args) => jestUnder([], ...args);
  // stress-run's arms write --json (the pool and auto figures are read from it); Jest's own args go after `--`.
  const stressRun = (...args) => async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-bench-')), 'r.json');
    const tail = jestArgs.length ? ['--', ...jestArgs] : [];
    const r = await measure(process.execPath, [cli, 'all', ...suiteArgs, '--quiet', ...args, '--json', out, ...tail], quiet);
    return { ...r, report: takeReport(out) };
  };
  const arms = {
    'jest': jest(),
    'jest -w 2': jest('-w', '2'),
    'jest -w 2 --logHeapUsage': jestUnder(['--expose-gc'], '-w', '2', '--logHeapUsage'),
    'jest --runInBand': jest('--runInBand'),
    [`${files.length} × jest --runInBand <file>`]: async () => {
      let ms = 0;
      let cpuMs = 0;
      for (const f of files) {
        const r = await measure(process.execPath, [JEST_OF(cwd), ...jestArgs, '--runInBand', f], quiet);
        ms += r.ms;
        cpuMs += r.cpuMs;
      }
      return { ms, cpuMs };
    },
    'stress-run all': stressRun(),
    'stress-run all --parallel auto': stressRun('--parallel', 'auto'),
    'stress-run all --isolation pool --parallel auto': stressRun('--isolation', 'pool', '--parallel', 'auto'),
    'stress-run all --isolation auto --parallel auto': stressRun('--isolation', 'auto', '--parallel', 'auto'),
  };
  const only = process.env.BENCH_ARMS ? process.env.BENCH_ARMS.split(',').map((a) => a.trim()) : null;
  const names = Object.keys(arms).filter((n) => (project.arms ? project.arms.includes(n) : only ? only.some((o) => n === o || n.startsWith(o) || n.includes(o)) : DEFAULT_ARMS.includes(n)));
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const reports = Object.fromEntries(names.map((n) => [n, []]));
  console.log(`\n   ${label}: ${names.length} arms × ${rounds} rounds, rotating order`);
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const r = await arms[name]();
      times[name].push(r.ms);
      cpu[name].push(r.cpuMs);
      if (r.report) reports[name].push(r.report);
      const confirmed = r.report?.isolation?.mode === 'auto' ? `, ${r.report.isolation.confirmed.length} confirmed alone` : '';
      console.log(`     round ${i + 1}: ${name} ${(r.ms / 1000).toFixed(2)} s, CPU ${(r.cpuMs / 1000).toFixed(2)} s${confirmed}${r.code ? ` (exit ${r.code})` : ''} · load ${os.loadavg()[0].toFixed(1)}`);
    }
  }
  const confirmed = Object.fromEntries(names.map((n) => [n, reports[n].filter((r) => r.isolation?.mode === 'auto').map((r) => r.isolation.confirmed.length)]));
  results.push({ label, names, times, cpu, confirmed, files: files.length });
  return { times, reports };
}

/**
 * The projects of sections 4 and 5: this repo's five suites, the generated 100-file plain-JS and
 * ts-jest projects (scripts/bench-projects.js), and commander.js from a clone prepared beforehand
 * (BENCH_COMMANDER=<path>: tj/commander.js at 8247364, its deps installed; the bench never fetches).
 * commander.js's config collects coverage, which a pool cannot share, so every arm there runs
 * with Jest's `--coverage=false`.
 */
function benchProjects() {
  const { generateProject, FILES } = require('./bench-projects');
  const wanted = (process.env.BENCH_PROJECTS || 'five,js,ts,commander').split(',').map((p) => p.trim());
  const projects = [];
  const testFiles = (dir, re) => fs.readdirSync(dir).filter((f) => re.test(f));
  if (wanted.includes('five')) {
    const files = testFiles(path.join(ROOT, 'stress-suites'), /\.stress\.test\.ts$/).map((f) => path.join('stress-suites', f));
    projects.push({ key: 'five', label: 'the five stress suites', cwd: ROOT, files, suiteArgs: [], jestArgs: [] });
  }
  for (const kind of ['js', 'ts']) {
    if (!wanted.includes(kind)) continue;
    const dir = generateProject(kind);
    const files = testFiles(path.join(dir, 'test'), /\.test\.[jt]s$/).map((f) => path.join('test', f));
    const label = `a generated project of ${FILES} small ${kind === 'ts' ? 'TypeScript files (ts-jest)' : 'plain JS files'}`;
    projects.push({ key: kind, label, cwd: dir, files, suiteArgs: ['--dir', '.', '--pattern', 'test/*.test.*'], jestArgs: [] });
  }
  if (wanted.includes('commander')) {
    const dir = process.env.BENCH_COMMANDER;
    if (!dir) {
      console.log('   commander.js: skipped (set BENCH_COMMANDER to a prepared clone of tj/commander.js at 8247364 with its deps installed)');
    } else if (!fs.existsSync(path.join(dir, 'node_modules/jest'))) {
      console.log(`   commander.js: skipped (${dir} has no node_modules/jest; install its deps first)`);
    } else {
      const files = testFiles(path.join(dir, 'tests'), /\.test\.[jt]s$/).map((f) => path.join('tests', f));
      projects.push({ key: 'commander', label: `commander.js at 8247364 (${files.length} files, Jest with --coverage=false)`, cwd: dir, files, suiteArgs: [], jestArgs: ['--coverage=false'] });
    }
  }
  return projects;
}

async function scheduling() {
  // Whole projects of 100 files are slow to run five ways: 3 rounds unless BENCH_ROUNDS says otherwise.
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS || 3));
  console.log(`\n4. Scheduling: Jest's own ways against stress-run's isolations (${os.availableParallelism()} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(', ')})`);
  const results = [];
  results.startLoad = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  const POOL = 'stress-run all --isolation pool --parallel auto';
  const AUTO = 'stress-run all --isolation auto --parallel auto';
  for (const project of benchProjects()) {
    const { times: t, reports } = await scheduleArms(project.label, project, rounds, results);
    const ratio = (a, b) => (t[a]?.length && t[b]?.length ? median(t[a]) / median(t[b]) : null);
    if (project.key === 'js') {
      const pool = ratio(POOL, 'jest -w 2');
      if (pool !== null) check(`${project.files.length} js files: --isolation pool / jest -w 2`, pool <= 1.3, `${pool.toFixed(2)} (target ≤ 1.3, goal 1.1)`);
      // The same per-file forced GC in Jest's own pool: what the per-file heap figures cost there.
      const gcPool = ratio('jest -w 2 --logHeapUsage', 'jest -w 2');
      if (gcPool !== null && pool !== null) console.log(`  ·    jest -w 2 with a full GC after every file (--expose-gc --logHeapUsage) / jest -w 2: ${gcPool.toFixed(2)}; --isolation pool / that: ${ratio(POOL, 'jest -w 2 --logHeapUsage').toFixed(2)}`);
      const auto = ratio(AUTO, 'jest -w 2');
      if (auto !== null) {
        const confirmed = reports[AUTO].map((r) => r.isolation?.confirmed.length ?? 0);
        check(`${project.files.length} js files: --isolation auto / jest -w 2`, auto <= 1.5, `${auto.toFixed(2)} (target ≤ 1.5 when no file is near its budget; ${confirmed.join(', ')} confirmed alone)`);
      }
    }
    if (reports['stress-run all']?.length && reports[POOL]?.length) poolAccuracy(project, reports['stress-run all'], reports[POOL], reports[AUTO] ?? []);
    // Written after every project, so that a bench stopped part way keeps what it measured.
    writeScheduleResults(results, rounds);
  }
}

// ---------------------------------------------------------------------------------------------
// 5. The pool's estimate against the file's own peak run alone, per file: estimate ÷ isolated peak.

/** Per file (by its path), the median over runs of peakRssBytes, with whether any isolated run spawned processes. */
function peaksByFile(reports) {
  const by = new Map();
  for (const report of reports) {
    for (const s of report.suites) {
      if (!by.has(s.file)) by.set(s.file, { peaks: [], spawns: false, row: s });
      const e = by.get(s.file);
      if (s.peakRssBytes > 0) e.peaks.push(s.peakRssBytes);
      if ((s.processes?.length ?? 0) > 1 || s.pool?.spawnedProcesses) e.spawns = true;
    }
  }
  return new Map([...by].filter(([, e]) => e.peaks.length).map(([f, e]) => [f, { peak: median(e.peaks), spawns: e.spawns, row: e.row }]));
}

/** Prints estimate ÷ isolated peak over the files (single-process and spawning files apart); returns the figures. */
function poolAccuracy(project, fileReports, poolReports, autoReports = []) {
  const alone = peaksByFile(fileReports);
  const pooled = peaksByFile(poolReports.map((r) => ({ suites: r.suites.filter((s) => s.measuredIn === 'pool') })));
  const confirmedInAuto = new Set(autoReports.flatMap((r) => r.suites.filter((s) => s.measuredIn === 'file').map((s) => s.file)));
  const groups = { 'single-process': [], 'spawn processes': [] };
  for (const [file, a] of alone) {
    const p = pooled.get(file);
    if (!p) continue;
    // A file spawns processes when its isolated run's tree had more than one process.
    groups[a.spawns ? 'spawn processes' : 'single-process'].push({ file, ratio: p.peak / a.peak, alone: a.peak, estimate: p.peak });
  }
  console.log(`\n   estimate ÷ isolated peak, ${project.label} (${fileReports.length} isolated and ${poolReports.length} pool run${poolReports.length === 1 ? '' : 's'}; per file the median of each):`);
  const out = {};
  for (const [name, rows] of Object.entries(groups)) {
    if (!rows.length) {
      console.log(`     ${name}: no files`);
      continue;
    }
    const r = rows.map((x) => x.ratio).sort((a, b) => a - b);
    const within = (f) => rows.filter((x) => Math.abs(x.ratio - 1) <= f).length;
    const w5 = within(0.05);
    const w10 = within(0.1);
    out[name] = { files: rows.length, min: r[0], median: median(r), max: r[r.length - 1], within5: w5, within10: w10 };
    console.log(`     ${name}: ${rows.length} files · min ${r[0].toFixed(3)} · median ${median(r).toFixed(3)} · max ${r[r.length - 1].toFixed(3)} · within 5%: ${w5} (${((w5 / rows.length) * 100).toFixed(0)}%) · within 10%: ${w10} (${((w10 / rows.length) * 100).toFixed(0)}%)`);
    const off = rows.filter((x) => Math.abs(x.ratio - 1) > 0.1).sort((a, b) => Math.abs(b.ratio - 1) - Math.abs(a.ratio - 1));
    for (const x of off.slice(0, 8)) {
      const conf = autoReports.length ? (confirmedInAuto.has(x.file) ? ', confirmed alone in auto' : ', NOT confirmed in auto') : '';
      console.log(`       off by more than 10%: ${x.file} ~${mb(x.estimate)} MB estimated, ${mb(x.alone)} MB alone (${x.ratio.toFixed(3)}${conf})`);
    }
    if (name === 'single-process' && project.key === 'commander') {
      check('commander.js single-process files: estimate within 10% of the isolated peak', w10 / rows.length >= 0.95, `${w10}/${rows.length} (${((w10 / rows.length) * 100).toFixed(1)}%; target ≥ 95%)`);
    }
    if (name === 'spawn processes' && project.key === 'commander' && autoReports.length) {
      const bad = off.filter((x) => !confirmedInAuto.has(x.file));
      check('commander.js files that spawn processes: within 10% or confirmed alone in auto', bad.length === 0, `${rows.length - bad.length}/${rows.length}`);
    }
  }
  // The pool's worker growth and the files that left the most behind (first pool run).
  const iso = poolReports[0]?.isolation;
  if (iso?.history) {
    const growth = iso.history.map((h, i) => {
      const steps = Array.isArray(h) ? h : h.files ?? h.history ?? [];
      if (!steps.length) return `worker ${i + 1}: no files`;
      const heaps = steps.map((x) => x.heapAfterGcBytes);
      const rss = steps.map((x) => x.rssBytes);
      return `worker ${h.worker ?? i + 1}: heap ${mb(h.baselineHeapBytes ?? heaps[0])} → max ${mb(Math.max(...heaps))} MB, RSS ${mb(h.baselineRssBytes ?? rss[0])} → max ${mb(Math.max(...rss))} MB over ${steps.length} files`;
    });
    console.log(`     pool workers: ${growth.join('; ')}`);
    const left = poolReports[0].suites.filter((s) => (s.leftInWorkerBytes ?? 0) > 0).sort((a, b) => b.leftInWorkerBytes - a.leftInWorkerBytes).slice(0, 5);
    console.log(`     left the most behind: ${left.map((s) => `${s.file} ${mb(s.leftInWorkerBytes)} MB`).join(', ') || 'none'}`);
  }
  return out;
}

/** Jest's own pool's heap after each file (`--logHeapUsage`, which forces a GC first), the largest per run: how far Jest's workers grow. */
async function jestPoolGrowth(project) {
  const r = spawnSync(process.execPath, ['--expose-gc', JEST_OF(project.cwd), ...project.jestArgs, '-w', '2', '--logHeapUsage'], { cwd: project.cwd, encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 64 * MB });
  const heaps = [...`${r.stdout}${r.stderr}`.matchAll(/\((\d+) MB heap size\)/g)].map((m) => Number(m[1]));
  if (!heaps.length) return console.log('     jest -w 2 --logHeapUsage: no heap figures');
  console.log(`     jest -w 2 --logHeapUsage (Jest's own pool, heap after each file): ${heaps.length} files, min ${Math.min(...heaps)} MB, median ${median(heaps)} MB, max ${Math.max(...heaps)} MB`);
}

/** BENCH_ONLY=accuracy-pool: each project once per round alone (--isolation file) and in the pool (--isolation pool --parallel auto). */
async function accuracyPool() {
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS || 1));
  console.log(`\n5. The pool's estimate against the isolated peak, ${rounds} round${rounds === 1 ? '' : 's'} (load ${os.loadavg().map((l) => l.toFixed(1)).join(', ')})`);
  for (const project of benchProjects()) {
    const arms = ['stress-run all', 'stress-run all --isolation pool --parallel auto'];
    const { reports } = await scheduleArms(project.label, { ...project, arms }, rounds, []);
    poolAccuracy(project, reports[arms[0]], reports[arms[1]]);
    if (project.key === 'commander') await jestPoolGrowth(project);
  }
}

/** bench/results.md: the machine, then per project each arm's median and its ratio to plain jest and to stress-run all. */
function writeScheduleResults(results, rounds) {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  const lines = [
    '# Scheduling benchmark',
    '',
    `Written by \`npm run bench\` (section 4) on ${new Date().toISOString().slice(0, 10)}: ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ` +
      `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${rounds} round${rounds === 1 ? '' : 's'} (arms alternated in rotating order; each figure is the median), ` +
      `load average ${results.startLoad ? `at the start ${results.startLoad}, ` : ''}at the end ${load} (other work shared the machine: the arms alternate so that it weighs on each alike).`,
    rounds < 3 ? '\n**Fewer than 3 rounds: a check that the bench runs, not a measurement.**' : '',
  ];
  for (const { label, names, times, cpu, confirmed } of results) {
    const m = (name) => (times[name]?.length ? median(times[name]) : null);
    const jest = m('jest');
    const jest2 = m('jest -w 2');
    const seq = m('stress-run all');
    lines.push('', `## ${label}`, '', '| arm | median s | runs s | × plain jest | × jest -w 2 | × stress-run all | CPU s (median) | cores busy | confirmed alone |', '| :--- | ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const name of names) {
      const value = m(name);
      const ratio = (base) => (base && value ? `${(value / base).toFixed(2)}×` : '-');
      const cpuMs = cpu[name]?.length ? median(cpu[name]) : null;
      const busy = cpuMs !== null && value ? (cpuMs / value).toFixed(2) : '-';
      lines.push(`| \`${name}\` | ${(value / 1000).toFixed(2)} | ${times[name].map((t) => (t / 1000).toFixed(2)).join(', ')} | ${ratio(jest)} | ${ratio(jest2)} | ${ratio(seq)} | ${cpuMs === null ? '-' : (cpuMs / 1000).toFixed(2)} | ${busy} | ${confirmed?.[name]?.length ? confirmed[name].join(', ') : '-'} |`);
    }
  }
  const file = path.join(ROOT, 'bench', 'results.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = lines.join('\n') + '\n';
  fs.writeFileSync(file, text);
  // docs/cost.md shows the same tables, between its bench markers.
  const readme = path.join(ROOT, 'docs', 'cost.md');
  const start = '<!-- bench:scheduling -->';
  const end = '<!-- /bench:scheduling -->';
  const current = fs.readFileSync(readme, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from >= 0 && to > from) {
    const body = text.replace(/^# .*\n\n/, '').replace(/^## /gm, '#### ');
    fs.writeFileSync(readme, current.slice(0, from + start.length) + '\n' + body + current.slice(to));
  }
  console.log(`  written to ${path.relative(ROOT, file)} and docs/cost.md`);
}

/** A real heap snapshot near the heap limit: the leak fixture under a 32 MB cap (about 100 MB on disk), or BENCH_SNAPSHOT. */
function benchSnapshot() {
  if (process.env.BENCH_SNAPSHOT) return { file: path.resolve(process.env.BENCH_SNAPSHOT), cleanup: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-bench-snapshot-'));
  spawnSync(process.execPath, [JEST, '--runInBand', '--config', path.join(ROOT, 'test/fixtures/heavy/jest.config.js'), path.join(ROOT, 'test/fixtures/heavy/leaks-bookings.stress.test.js')], {
    cwd: path.join(ROOT, 'test/fixtures/heavy'),
    env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=32 --heapsnapshot-near-heap-limit=1 --diagnostic-dir=${dir}` },
    stdio: 'ignore',
  });
  const name = fs.readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
  if (!name) throw new Error('the leak fixture wrote no heap snapshot');
  return { file: path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// The other ways to read a snapshot, run only with BENCH_PARSERS=1 (they take seconds and GBs).
const PARSER_ARMS = {
  '@vscode/v8-heap-parser (whole file as bytes, WASM graph)': [
    '-e',
    "const {decode_bytes}=require('@vscode/v8-heap-parser');const g=decode_bytes(require('fs').readFileSync(process.argv[1]));" +
      "const top=g.get_class_groups(0,1e6,true).map(c=>({name:c.name(),self:Number(c.self_size)})).sort((a,b)=>b.self-a.self)[0];console.log(top.name)",
  ],
  'stream-json (token stream, numbers counted only)': [
    '--input-type=module',
    '-e',
    "import {parser} from 'stream-json';import fs from 'node:fs';let n=0;const p=fs.createReadStream(process.argv[1]).pipe(parser.asStream({packValues:true,streamValues:false}));" +
      "p.on('data',(t)=>{if(t.name==='numberValue')n++});p.on('end',()=>console.log(n))",
  ],
};

async function snapshotSummary() {
  console.log('\n4. OOM forensics: summarising a real heap snapshot in its own process (the one-pass reader stress-run uses)');
  const { childEntry } = require(path.join(ROOT, 'dist/child/protocol.js'));
  const { file, cleanup } = benchSnapshot();
  try {
    const size = fs.statSync(file).size;
    const reader = [];
    for (let i = 0; i < 3; i++) {
      reader.push(await measure(process.execPath, ['--max-old-space-size=256', childEntry('summariser'), file]));
    }
    const peak = Math.max(...reader.map((r) => r.ownPeakBytes));
    console.log(`  snapshot ${mb(size)} MB on disk; one-pass reader: median ${(median(reader.map((r) => r.ms)) / 1000).toFixed(2)} s, peak RSS ${mb(peak)} MB`);
    check('summariser peak RSS against the snapshot size', peak < 2 * size, `${(peak / size).toFixed(2)}× (target < 2×)`);
    if (process.env.BENCH_PARSERS !== '1') {
      console.log('  (BENCH_PARSERS=1 also measures @vscode/v8-heap-parser and stream-json on the same file)');
      return;
    }
    for (const [name, args] of Object.entries(PARSER_ARMS)) {
      const r = await measure(process.execPath, [...args, file]);
      console.log(`  ${name.padEnd(58)} ${(r.ms / 1000).toFixed(2)} s, peak RSS ${mb(r.ownPeakBytes)} MB (${(r.ownPeakBytes / size).toFixed(2)}× the file)${r.code ? ` exit ${r.code}` : ''}`);
    }
  } finally {
    cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// real: plain Jest against `stress-run all` (no stress-run flags) on public projects already cloned and installed
// (npm ci, then `npm i -D stress-run-<version>.tgz`) under BENCH_REAL_DIR; this section fetches and
// installs nothing. Opt-in only: BENCH_ONLY=real. docs/real-projects.md has the clones, commits and figures.
//   BENCH_REAL_DIR       the folder holding the clones, one sub-folder per project (required)
//   BENCH_REAL_PROJECTS  which sub-folders, comma-separated (default: every one with stress-run installed)
//   BENCH_ROUNDS         rounds (default 3); the arms alternate, the first arm flipping each round; figures are medians
//   BENCH_REAL_WARMUP=0  no untimed plain jest run first (by default one fills the transform cache both arms share)
// A project's commands come from REAL_COMMANDS below when its folder has that name, else `npx jest` and
// `npx stress-run all`; `<dir>/.bench-real.json` ({ "jest": "...", "stressRun": "...", "env": {} }) overrides both.
// An arm runs under `/usr/bin/time -f '%e %U %S'` in `sh -c`, so its CPU is the whole waited-for tree's; each arm's
// latest output is kept in <tmpdir>/stress-run-bench-real-<project>-<arm>.log.

/** Plain Jest as each project's own test script runs it (without --coverage: stress-run's no-flag run collects none), and the same file restriction and Node flags (NODE_OPTIONS) for both arms. */
const REAL_COMMANDS = {
  'class-validator': { jest: 'npx jest --verbose' },
  // kcd-scripts test adds --watch outside CI: CI=true, as its CI runs it, for both arms.
  'dom-testing-library': { jest: 'npx kcd-scripts test', env: { CI: 'true' } },
  // Its CI sets TZ and LANG; without them 38 of its tests fail, the same ones under both arms.
  luxon: { jest: 'npx jest', env: { TZ: 'America/New_York', LANG: 'en_US.utf8' } },
  'apollo-client': {
    // Its test script at 2a6232489 (the last commit before devEngines asked for Node >= 23.6): node --expose-gc jest --config ./config/jest.config.js; src/cache only.
    jest: 'node --expose-gc ./node_modules/jest/bin/jest.js --config ./config/jest.config.js src/cache',
    stressRun: 'npx stress-run all --jest-config ./config/jest.config.js --dir src/cache',
  },
  'apollo-server': { jest: 'npx jest --verbose' },
  webpack: {
    // test:unit: jest-cli under --expose-gc --max-old-space-size=4096 --experimental-vm-modules, the unit tests only.
    jest: 'node --expose-gc --max-old-space-size=4096 --experimental-vm-modules --trace-deprecation node_modules/jest-cli/bin/jest --workerIdleMemoryLimit=512MB --logHeapUsage --testMatch "<rootDir>/test/*.unittest.js"',
    // The same --experimental-vm-modules for stress-run's suites (NODE_OPTIONS reach them untouched when no heap cap is asked).
    stressRun: 'NODE_OPTIONS="$NODE_OPTIONS --experimental-vm-modules" npx stress-run all --pattern "test/*.unittest.js"',
  },
  'class-transformer': { jest: 'npx jest --verbose' },
  // The whole suite takes over 4 minutes under plain jest on a loaded 2-core machine, so both arms run the
  // top-level __tests__ files from a to h (Jest's path pattern is case-insensitive: ArraySeq … hash, 14 files).
  'immutable-js': { jest: "npx jest '__tests__/[a-h][A-Za-z]*\\.ts$'", stressRun: "npx stress-run all --pattern '__tests__/[a-hA-H]*.ts'" },
  // Its test script runs Jest under --experimental-vm-modules (ESM tests through ts-jest): both arms get it.
  'request.js': {
    jest: 'NODE_OPTIONS="$NODE_OPTIONS --experimental-vm-modules" npx jest',
    stressRun: 'NODE_OPTIONS="$NODE_OPTIONS --experimental-vm-modules" npx stress-run all',
  },
  'commander.js': { jest: 'npx jest' },
};

/** Jest's "Tests:" line, or stress-run's summary line: { suites, total, passed, failed, skipped }. */
function parseCounts(text) {
  const sr = /(\d+)\/(\d+) suites passed within budget · (\d+) tests? \((\d+) passed, (\d+) failed, (\d+) skipped/.exec(text);
  if (sr) return { suites: Number(sr[2]), total: Number(sr[3]), passed: Number(sr[4]), failed: Number(sr[5]), skipped: Number(sr[6]) };
  const tests = /^Tests:\s+(.*)$/m.exec(text);
  if (!tests) return null;
  const n = (line, word) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  const suites = /^Test Suites:\s+(.*)$/m.exec(text);
  return {
    suites: suites ? n(suites[1], 'total') : null,
    total: n(tests[1], 'total'),
    passed: n(tests[1], 'passed'),
    failed: n(tests[1], 'failed'),
    skipped: n(tests[1], 'skipped') + n(tests[1], 'todo'),
  };
}

/** Runs `command` in `cwd` under /usr/bin/time; resolves with wall and CPU seconds, the exit code and the counts. */
function timedShell(command, cwd, env) {
  return new Promise((resolve) => {
    const timeFile = path.join(os.tmpdir(), `stress-run-bench-real-${process.pid}-${Date.now()}.time`);
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, 'sh', '-c', command], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const [wall, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      fs.rmSync(timeFile, { force: true });
      resolve({ wall, cpu: user + sys, code, counts: parseCounts(out.replace(/\x1b\[[0-9;]*m/g, '')), tail: out.slice(-2000), out });
    });
  });
}

async function realProjects() {
  const dir = process.env.BENCH_REAL_DIR;
  if (!dir || !fs.existsSync(dir)) {
    console.log('\nreal: set BENCH_REAL_DIR to a folder of cloned, installed projects (see docs/real-projects.md); skipped');
    return;
  }
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS || 3));
  const names = process.env.BENCH_REAL_PROJECTS
    ? process.env.BENCH_REAL_PROJECTS.split(',').map((p) => p.trim())
    : fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'node_modules', 'stress-run')));
  console.log(`\nreal: plain jest against stress-run all on ${names.length} installed project(s) in ${dir}, ${rounds} round(s), the arms alternated`);
  const rows = [];
  for (const name of names) {
    const cwd = path.join(dir, name);
    const own = path.join(cwd, '.bench-real.json');
    const spec = { jest: 'npx jest', stressRun: 'npx stress-run all', env: {}, ...REAL_COMMANDS[name], ...(fs.existsSync(own) ? JSON.parse(fs.readFileSync(own, 'utf8')) : {}) };
    const arms = { 'plain jest': spec.jest, 'stress-run all': spec.stressRun };
    const runs = { 'plain jest': [], 'stress-run all': [] };
    const commit = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, encoding: 'utf8' }).stdout.trim();
    console.log(`\n   ${name} (${commit})\n     plain jest:     ${spec.jest}\n     stress-run all: ${spec.stressRun}`);
    if (process.env.BENCH_REAL_WARMUP !== '0') {
      // One untimed plain run first fills Jest's transform cache, which both arms share, so neither pays a cold cache.
      const w = await timedShell(spec.jest, cwd, spec.env);
      console.log(`     warm-up (untimed): plain jest ${w.wall.toFixed(1)} s, exit ${w.code}`);
    }
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 ? ['stress-run all', 'plain jest'] : ['plain jest', 'stress-run all'];
      for (const arm of order) {
        const r = await timedShell(arms[arm], cwd, spec.env);
        runs[arm].push(r);
        // The whole output of each arm's latest run, to find which tests differ (the check below compares counts only).
        fs.writeFileSync(path.join(os.tmpdir(), `stress-run-bench-real-${name}-${arm.replace(/ /g, '-')}.log`), r.out);
        const c = r.counts;
        console.log(
          `     round ${i + 1}: ${arm.padEnd(14)} ${r.wall.toFixed(1)} s wall, ${r.cpu.toFixed(1)} s CPU, exit ${r.code}, ` +
            (c ? `${c.suites ?? '?'} files, ${c.total} tests (${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped)` : 'no test counts found:\n' + r.tail),
        );
      }
    }
    const m = (arm, key) => median(runs[arm].map((r) => r[key]));
    const [pj, sr] = ['plain jest', 'stress-run all'].map((a) => runs[a][runs[a].length - 1].counts);
    const same = pj && sr && pj.total === sr.total && pj.passed === sr.passed && pj.failed === sr.failed && pj.skipped === sr.skipped;
    check(`${name}: the same tests pass, fail and are skipped under stress-run all as under plain jest`, Boolean(same), `${JSON.stringify(pj)} / ${JSON.stringify(sr)}`);
    rows.push({ name, commit, pj, sr, wall: [m('plain jest', 'wall'), m('stress-run all', 'wall')], cpu: [m('plain jest', 'cpu'), m('stress-run all', 'cpu')] });
  }
  console.log('\n   | project | commit | files | tests plain / stress-run | wall s plain / stress-run (×) | CPU s plain / stress-run (×) |');
  console.log('   |---|---|---:|---|---|---|');
  for (const r of rows) {
    const t = (c) => (c ? `${c.passed}/${c.failed}/${c.skipped}` : '?');
    console.log(
      `   | ${r.name} | ${r.commit} | ${r.sr?.suites ?? r.pj?.suites ?? '?'} | ${t(r.pj)} / ${t(r.sr)} | ` +
        `${r.wall[0].toFixed(1)} / ${r.wall[1].toFixed(1)} (${(r.wall[1] / r.wall[0]).toFixed(2)}×) | ${r.cpu[0].toFixed(1)} / ${r.cpu[1].toFixed(1)} (${(r.cpu[1] / r.cpu[0]).toFixed(2)}×) |`,
    );
  }
  console.log(`   (${os.availableParallelism()} cores, load average now ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}; medians of ${rounds})`);
}

async function mainBench() {
  if (!fs.existsSync(path.join(ROOT, 'dist/index.js'))) {
    console.error('bench: build first (npm run build)');
    process.exit(2);
  }
  console.log(`stress-run bench · node ${process.version} · ${os.cpus().length} cores · ${new Date().toISOString()}`);
  // BENCH_ONLY=overhead,watcher,accuracy,scheduling,accuracy-pool,pertest,snapshot,children picks sections (accuracy-pool is not run by default: scheduling prints the same figures from its own runs); BENCH_ROUNDS, BENCH_PROJECTS (five,js,ts),
  // BENCH_ARMS (arm names or their beginnings) and BENCH_FILES (files per generated project) narrow section 4.
  // BENCH_ONLY=real (never by default) runs plain jest against stress-run all on installed clones under BENCH_REAL_DIR.
  const only = (process.env.BENCH_ONLY || 'overhead,watcher,accuracy,scheduling,pertest,snapshot,children').split(',').map((s) => s.trim());
  if (only.includes('overhead')) await overhead();
  if (only.includes('watcher')) await watcherCost();
  if (only.includes('accuracy')) accuracy();
  if (only.includes('scheduling')) await scheduling();
  if (only.includes('accuracy-pool')) await accuracyPool();
  if (only.includes('pertest')) perTestOverhead();
  if (only.includes('snapshot')) await snapshotSummary();
  if (only.includes('children')) await require('./bench-children').perFileCost();
  if (only.includes('real')) await realProjects();
  const missed = results.filter((ok) => !ok).length;
  console.log(`\n${results.length - missed}/${results.length} targets met`);
  process.exitCode = missed ? 1 : 0;
}

mainBench();
