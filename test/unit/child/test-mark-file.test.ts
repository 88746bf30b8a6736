import { markOfMessage } from '../../../src/child/test-mark-file';

// jest-worker's messageParent sends [PARENT_MESSAGE_CUSTOM, [event, args]]; jest-circus's args are [testPath, info].
const message = (event: string, info: object): unknown => [3, [event, ['/p/a.test.js', info]]];

describe('markOfMessage', () => {
  it('takes a test start and end from Jest’s test-case events, by the test’s full name', () => {
    expect(markOfMessage(message('test-case-start', { fullName: 'bookings third leaks', title: 'leaks' }), 5)).toEqual({ start: 'bookings third leaks', atMs: 5 });
    expect(markOfMessage(message('test-case-result', { fullName: 'bookings third leaks', status: 'passed' }), 9)).toEqual({ end: 'bookings third leaks', atMs: 9 });
  });

  it('ignores every other message', () => {
    expect(markOfMessage(message('test-file-start', { fullName: 'x' }), 1)).toBeNull();
    expect(markOfMessage([3, ['test-case-start', []]], 1)).toBeNull();
    expect(markOfMessage('hello', 1)).toBeNull();
    expect(markOfMessage(null, 1)).toBeNull();
  });
});
