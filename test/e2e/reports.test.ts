// The CI reports of a run with every kind of ending: JUnit that a real XML parser accepts, Markdown, the
// GitHub step summary and annotations, and a merge of shard reports that keeps the exit-code rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RunReport } from '../../src/base/types';
import { expectNoLeftovers, ODD_NAME, removeDir, runCli, runFixtures, suiteArgs, tempDir, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

const NAMES = ['pass', 'fail', 'oom', 'segfault', 'hang', ODD_NAME];

describe('reports of a run with every kind of ending', () => {
  let dir: string;
  let run: CliResult;
  beforeAll(async () => {
    dir = tempDir('reports');
    fs.writeFileSync(path.join(dir, 'summary.md'), '');
    run = await runFixtures(
      [...suiteArgs(...NAMES), '--max-heap', '64', '--timeout', '6', '--junit', path.join(dir, 'junit.xml'), '--markdown', path.join(dir, 'summary-file.md')],
      { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') } },
    );
  });
  afterAll(() => removeDir(dir));

  test('exits 1 with every ending classified', () => {
    expect(run.code).toBe(1);
    expect(run.report!.suites.map((s) => [s.name, s.outcome])).toEqual([
      ['pass', 'passed'],
      ['fail', 'failed'],
      ['oom', 'oom'],
      ['segfault', 'crashed'],
      ['hang', 'timeout'],
      [ODD_NAME, 'passed'],
    ]);
  });

  test('JUnit: well-formed XML, one testsuite per suite, deaths and failures as failing cases', () => {
    const xml = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml);
    const suites = doc.testsuites.testsuite as Array<{ name: string; tests: string; failures: string; errors: string; testcase: unknown[] }>;
    expect(suites.map((s) => s.name)).toEqual(NAMES);
    const byName = Object.fromEntries(suites.map((s) => [s.name, s]));
    expect(byName.pass).toMatchObject({ tests: '3', failures: '0', errors: '0' });
    expect(byName.fail).toMatchObject({ tests: '5', failures: '2' });
    for (const died of ['oom', 'segfault', 'hang']) {
      expect(Number(byName[died].failures) + Number(byName[died].errors)).toBeGreaterThanOrEqual(1);
    }
    expect(xml).toContain(ODD_NAME.replace(/&/g, '&amp;').replace(/'/g, '&apos;'));
  });

  test('Markdown: the same table and a memory chart, in the file and appended to the step summary', () => {
    const file = fs.readFileSync(path.join(dir, 'summary-file.md'), 'utf8');
    const summary = fs.readFileSync(path.join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain(file.trim());
    expect(file).toMatch(/\| oom \| \?\/\?\/\? \|/);
    expect(file).toContain('OOM at 64 MB heap');
    expect(file).toMatch(/█/);
  });

  test('GitHub annotations name each failing suite file', () => {
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(4);
    expect(annotations.join('\n')).toContain('file=test/fixtures/suites/oom.stress.test.js');
  });

  test('merging the report with one of its own suites is refused in one line', async () => {
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, JSON.stringify(run.report));
    const merged = await runCli(['merge', file, file]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/^stress-run: Suite 'fail' is in more than one report[^\n]*\n$/);
  });

  test('a merge keeps the exit-code rule: a failing suite in any shard fails the whole', async () => {
    const passing = path.join(dir, 'passing.json');
    const failing = path.join(dir, 'failing.json');
    const only = (names: string[]): RunReport => ({ ...run.report!, suites: run.report!.suites.filter((s) => names.includes(s.name)) });
    fs.writeFileSync(passing, JSON.stringify({ ...only(['pass']), ok: true }));
    fs.writeFileSync(failing, JSON.stringify({ ...only(['oom']), ok: false }));
    expect((await runCli(['merge', passing])).code).toBe(0);
    const merged = await runCli(['merge', passing, failing, '--json']);
    expect(merged.code).toBe(1);
    expect(merged.report!.suites.map((s) => s.name)).toEqual(['oom', 'pass']);
  });
});
