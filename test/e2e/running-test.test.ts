// The test a suite died in is named: in the table's note, the JSON (runningTest) and the JUnit failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expectNoLeftovers, removeDir, runCli, runFixtures, suiteArgs, suiteOf, tempDir, type CliResult } from './helpers';

afterEach(expectNoLeftovers);

describe('a suite that runs out of heap in its third test, under --max-heap 64', () => {
  let run: CliResult;
  let junit: string;
  beforeAll(async () => {
    const dir = tempDir('running-test');
    try {
      run = await runFixtures([...suiteArgs('oom-third'), '--max-heap', '64', '--junit', path.join(dir, 'junit.xml')]);
      junit = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    } finally {
      removeDir(dir);
    }
  });

  test('the JSON names the running test, and marks when each test ran', () => {
    expect(run.code).toBe(1);
    const s = suiteOf(run.report, 'oom-third');
    expect(s.outcome).toBe('oom');
    expect(s.runningTest).toBe('bookings third leaks');
    expect(s.testMarks!.map((m) => m.name)).toEqual(['bookings first', 'bookings second', 'bookings third leaks']);
    const [first, second, third] = s.testMarks!;
    expect(first.endMs).not.toBeNull();
    expect(second.endMs! - second.startMs).toBeGreaterThanOrEqual(15);
    expect(third.endMs).toBeNull();
    // The marks share the samples' clock: ms since the suite's start, within its run.
    expect(first.startMs).toBeLessThanOrEqual(second.startMs);
    expect(second.endMs!).toBeLessThanOrEqual(third.startMs);
    expect(third.startMs).toBeLessThanOrEqual(s.durationMs);
  });

  test('the note under the table names it', () => {
    expect(run.stdout).toMatch(/oom-third \(.*\): OOM at 64 MB heap in test "bookings third leaks"/);
  });

  test('the JUnit error names it', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit) as {
      testsuites: { testsuite: { testcase: Array<{ name: string; error?: { message: string; '#text': string } }> } };
    };
    const cases = [parsed.testsuites.testsuite.testcase].flat();
    const died = cases.find((c) => c.error);
    expect(died!.error!.message).toBe('OOM at 64 MB heap in test "bookings third leaks"');
    expect(died!.error!['#text']).toContain('running test: bookings third leaks');
  });
});

describe('a project without Jest globals (injectGlobals: false)', () => {
  test('still names the test its suite died in, and its passing tests still pass', async () => {
    const dir = tempDir('no-globals');
    try {
      fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node', injectGlobals: false, testMatch: ['**/*.stress.test.js'] };\n");
      fs.writeFileSync(path.join(dir, 'passes.stress.test.js'), "const { test, expect } = require('@jest/globals');\ntest('adds', () => expect(1 + 1).toBe(2));\n");
      fs.writeFileSync(
        path.join(dir, 'dies.stress.test.js'),
        "const { describe, test, expect } = require('@jest/globals');\n" +
          "describe('no globals', () => {\n  test('first', () => expect(1).toBe(1));\n" +
          "  test('second leaks', () => { const kept = []; for (;;) kept.push({ id: kept.length, text: 'x'.repeat(64) + kept.length }); });\n});\n",
      );
      const run = await runCli(['all', '--max-heap', '64'], { cwd: dir, jsonFile: true });
      expect(suiteOf(run.report, 'passes').outcome).toBe('passed');
      expect(suiteOf(run.report, 'passes').testMarks!.map((m) => m.name)).toEqual(['adds']);
      expect(suiteOf(run.report, 'dies').runningTest).toBe('no globals second leaks');
    } finally {
      removeDir(dir);
    }
  });
});

describe('a project run through Jest’s CLI (it has a globalSetup)', () => {
  test('names the test its suite died in too, from the setup file the CLI run appends', async () => {
    const dir = tempDir('cli-marks');
    try {
      fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node', globalSetup: '<rootDir>/global-setup.js', testMatch: ['**/*.stress.test.js'] };\n");
      fs.writeFileSync(path.join(dir, 'global-setup.js'), 'module.exports = async () => {};\n');
      fs.writeFileSync(
        path.join(dir, 'dies.stress.test.js'),
        "describe('through the CLI', () => {\n  test('first', () => expect(1).toBe(1));\n" +
          "  test('second leaks', () => { const kept = []; for (;;) kept.push({ id: kept.length, text: 'x'.repeat(64) + kept.length }); });\n});\n",
      );
      const run = await runCli(['all', '--max-heap', '64', '--debug'], { cwd: dir, jsonFile: true });
      expect(run.stderr).toContain('child/launcher.js');
      const dies = suiteOf(run.report, 'dies');
      expect(dies.outcome).toBe('oom');
      expect(dies.runningTest).toBe('through the CLI second leaks');
    } finally {
      removeDir(dir);
    }
  });
});
