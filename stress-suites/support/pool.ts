// The per-file pool: each suite calls createPool() once at the top of its file. The fakes are
// created once (Jest gives every test file its own module registry, so a pool never outlives its
// file), and before every test the pool resets their state and call records, rewinds the clock and
// reseeds the random generator from the test's name. Nothing one test does is visible to the next.
// The mock mode (support/mock-mode.ts) decides whether fixtures come from plain generators or from
// a freshly built jest.fn() graph.

import { CLINIC_SCHEMA } from '../clinic/schema';
import { createFakeClock, type FakeClock } from './clock';
import { createFakeDataClient, type FakeDataClient } from './data-client';
import { heavyClients, heavyFixtures, lightFixtures, MOCK_MODE, type Fixtures, type MockMode } from './mock-mode';
import { createRng, deriveSeed, type Rng } from './prng';
import { createFakeVoiceClient, type FakeVoiceClient } from './voice-client';

export interface StressPool {
  readonly mode: MockMode;
  readonly db: FakeDataClient;
  readonly voice: FakeVoiceClient;
  readonly clock: FakeClock;
  readonly fixtures: Fixtures;
  /** Seeded from the pool's seed and the current test's name. */
  readonly rng: Rng;
  /** How many times the pool has been reset (once per test when it registers its hook). */
  readonly resets: number;
  /** Clear every fake and reseed; `label` (the test name) picks the random sequence. */
  reset(label?: string): void;
}

export interface PoolOptions {
  seed: number;
  mode?: MockMode;
  /** Register `beforeEach(reset)`; on by default. */
  hooks?: boolean;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createPool(options: PoolOptions): StressPool {
  const mode = options.mode ?? MOCK_MODE;
  const clock = createFakeClock();
  const baseDb = createFakeDataClient(CLINIC_SCHEMA);
  const baseVoice = createFakeVoiceClient({ clock });
  let db: FakeDataClient = baseDb;
  let voice: FakeVoiceClient = baseVoice;
  let fixtures: Fixtures = lightFixtures(options.seed);
  let rng = createRng(options.seed);
  let resets = 0;

  const pool: StressPool = {
    mode,
    get db() {
      return db;
    },
    get voice() {
      return voice;
    },
    clock,
    get fixtures() {
      return fixtures;
    },
    get rng() {
      return rng;
    },
    get resets() {
      return resets;
    },
    reset(label = '') {
      baseDb.reset();
      baseVoice.reset();
      clock.reset();
      rng = createRng(deriveSeed(options.seed, hash(label)));
      resets++;
      if (mode === 'heavy') {
        fixtures = heavyFixtures(options.seed);
        ({ db, voice } = heavyClients(baseDb, baseVoice));
      }
    },
  };

  if (options.hooks ?? true) {
    beforeEach(() => pool.reset(expect.getState().currentTestName ?? ''));
  }
  return pool;
}
