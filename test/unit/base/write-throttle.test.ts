import { throttleWrites } from '../../../src/base/write-throttle';

describe('throttleWrites', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes at once while writes are small, and holds big ones back by their size', () => {
    let clock = 0;
    const writes: number[] = [];
    let size = 100;
    const throttled = throttleWrites(() => (writes.push(clock), size), () => clock, 1000);
    throttled.request();
    clock = 10;
    size = 2_000_000; // the next write is big: 2 s of the writing budget
    throttled.request(); // the last one was 100 bytes: no wait
    expect(writes).toEqual([0, 10]);

    clock = 20;
    throttled.request();
    clock = 30;
    throttled.request();
    expect(writes).toEqual([0, 10]);
    // The held-back write happens once, when the wait is over, with the state of that moment.
    clock = 2010;
    jest.advanceTimersByTime(1990);
    expect(writes).toEqual([0, 10, 2010]);
  });

  it('drops a held-back write on cancel', () => {
    let clock = 0;
    const writes: number[] = [];
    const throttled = throttleWrites(() => (writes.push(clock), 5_000_000), () => clock);
    throttled.request();
    throttled.request();
    throttled.cancel();
    jest.advanceTimersByTime(10_000);
    expect(writes).toEqual([0]);
  });
});
