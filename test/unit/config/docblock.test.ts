import { docblockBudgets } from '../../../src/config/docblock';
import { UsageError } from '../../../src/base/errors';

describe('docblockBudgets', () => {
  it('reads the budget pragmas of the file’s docblock, with the line each is on', () => {
    const source = ['/**', ' * Books slots under load.', ' * @jest-environment node', ' * @stress-memory 200', ' * @stress-time 12.5', ' * @stress-leak 0.5', ' */', "test('x', () => {});"].join('\n');
    expect(docblockBudgets(source, 'a.test.js')).toEqual({
      memoryMb: { value: 200, line: 4 },
      timeS: { value: 12.5, line: 5 },
      leakMb: { value: 0.5, line: 6 },
    });
  });

  it('reads nothing from a file without a docblock, or from a comment further down', () => {
    expect(docblockBudgets("test('x', () => {});\n/** @stress-memory 10 */\n", 'a.test.js')).toEqual({});
    expect(docblockBudgets('/** @jest-environment node */\n', 'a.test.js')).toEqual({});
  });

  it.each([
    ['/**\n * @stress-memory lots\n */', "a.test.js:2: @stress-memory must be a positive number of MB, got 'lots'."],
    ['/**\n * @stress-time 0\n */', "a.test.js:2: @stress-time must be a positive number of seconds, got '0'."],
    ['/**\n *\n * @stress-leak\n */', "a.test.js:3: @stress-leak must be a positive number of MB per test, got ''."],
    ['/**\n * @stress-memory 10\n * @stress-memory 20\n */', "a.test.js:2: @stress-memory must be a positive number of MB, got '10 20'."],
  ])('a bad value is one line naming the file and line: %j', (source, message) => {
    expect(() => docblockBudgets(source, 'a.test.js')).toThrow(new UsageError(message));
  });
});

describe('the number rule of the command line and the config file', () => {
  const block = (value: string): string => `/**\n * @stress-memory ${value}\n */\ntest('x', () => {});\n`;

  it.each(['1e9', '5000000', '0x10', '1e3', '-5', '0', 'Infinity'])('refuses @stress-memory %s, as --memory-budget does', (value) => {
    expect(() => docblockBudgets(block(value), 'a.test.js')).toThrow(/^a\.test\.js:2: @stress-memory must be /);
  });

  it('names the limit when the value is over it', () => {
    expect(() => docblockBudgets(block('5000000'), 'a.test.js')).toThrow("a.test.js:2: @stress-memory must be at most 1048576 MB, got '5000000'.");
  });

  it('takes a plain decimal within the limit', () => {
    expect(docblockBudgets(block('250.5'), 'a.test.js')).toEqual({ memoryMb: { value: 250.5, line: 2 } });
  });
});
