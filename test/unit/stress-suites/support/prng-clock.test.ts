// Seeded randomness and the injected clock: the suites' only sources of variation.
import { createFakeClock } from '../../../../stress-suites/support/clock';
import { createRng, mulberry32 } from '../../../../stress-suites/support/prng';

test('mulberry32 is a pure function of its seed', () => {
  const a = mulberry32(123);
  const b = mulberry32(123);
  const xs = Array.from({ length: 5 }, () => a());
  expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
  expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  expect(mulberry32(124)()).not.toBe(xs[0]);
});

test('rng helpers stay in range and shuffle without losing items', () => {
  const rng = createRng(7);
  const ints = Array.from({ length: 1000 }, () => rng.between(3, 5));
  expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
  const items = Array.from({ length: 50 }, (_, i) => i);
  const shuffled = rng.shuffle(items);
  expect(shuffled).not.toEqual(items);
  expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
  expect(() => rng.pick([])).toThrow('pick from an empty list');
});

test('the fake clock only moves when told, and never backwards', () => {
  const clock = createFakeClock('2025-01-01T00:00:00.000Z');
  clock.advance(90_000);
  expect(clock.iso()).toBe('2025-01-01T00:01:30.000Z');
  expect(() => clock.advance(-1)).toThrow();
  clock.set('2025-06-01T12:00:00.000Z');
  expect(clock.now()).toBe(Date.parse('2025-06-01T12:00:00.000Z'));
  clock.reset();
  expect(clock.iso()).toBe('2025-01-01T00:00:00.000Z');
});
