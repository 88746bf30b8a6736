// The per-file pool: fakes created once, reset before every test, so nothing leaks between tests.
import { createPool } from '../../../../stress-suites/support/pool';
import { heavyGraphCount, HEAVY_PATIENTS, lightFixtures, mockModeFrom } from '../../../../stress-suites/support/mock-mode';

const pool = createPool({ seed: 42, mode: 'light' });
const seen: Record<string, unknown> = {};

async function dirty(): Promise<void> {
  await pool.db.from('clinics').insert({ name: 'left behind' });
  const assistant = await pool.voice.assistants.create({ name: 'a' });
  const call = await pool.voice.calls.create({ assistantId: assistant.id, customer: { number: '+14155550100' } });
  pool.voice.webhooks.subscribe(() => 'handled');
  await pool.voice.simulate.answer(call.id);
  pool.clock.advance(3_600_000);
}

describe('between tests (these run in order)', () => {
  test('a test leaves rows, calls, webhooks, deliveries and a moved clock behind', async () => {
    seen.db = pool.db;
    seen.voice = pool.voice;
    seen.rngFirst = pool.rng.next();
    await dirty();
    expect(pool.db.count('clinics')).toBe(1);
    expect(pool.voice.deliveries).toHaveLength(1);
  });

  test('the next test starts from nothing, on the same fake objects', async () => {
    expect(pool.db).toBe(seen.db);
    expect(pool.voice).toBe(seen.voice);
    expect(pool.db.count('clinics')).toBe(0);
    expect(pool.db.calls.statements).toBe(0);
    expect(pool.voice.requests).toEqual([]);
    expect(pool.voice.deliveries).toEqual([]);
    expect(await pool.voice.calls.list()).toEqual([]);
    expect(pool.clock.iso()).toBe('2025-03-03T08:00:00.000Z');
    // The webhook subscribed last test is gone: answering a call delivers to no one.
    const assistant = await pool.voice.assistants.create({ name: 'b' });
    const call = await pool.voice.calls.create({ assistantId: assistant.id, customer: { number: '+14155550100' } });
    await pool.voice.simulate.answer(call.id);
    expect(pool.voice.deliveries).toEqual([]);
    // Ids start over too.
    expect(assistant.id).toBe('asst_00000001');
  });

  test('the random sequence depends on the test name, not on what ran before', () => {
    const again = createPool({ seed: 42, mode: 'light', hooks: false });
    again.reset('between tests (these run in order) a test leaves rows, calls, webhooks, deliveries and a moved clock behind');
    expect(again.rng.next()).toBe(seen.rngFirst);
    expect(pool.rng.next()).not.toBe(seen.rngFirst);
  });
});

describe('reset() itself', () => {
  test('clears every fake and counts resets', async () => {
    const p = createPool({ seed: 1, mode: 'light', hooks: false });
    p.reset('a');
    await p.db.from('patients').insert({ clinic_id: 'c', first_name: 'x' });
    p.clock.advance(1000);
    p.reset('b');
    expect([p.db.count('patients'), p.db.calls.statements, p.clock.now(), p.resets]).toEqual([0, 0, Date.parse('2025-03-03T08:00:00.000Z'), 2]);
  });
});

describe('heavy mode', () => {
  test('builds a fresh jest.fn() graph on every reset, serving the same data as light mode', async () => {
    const heavy = createPool({ seed: 9, mode: 'heavy', hooks: false });
    const before = heavyGraphCount();
    heavy.reset('x');
    const firstFixtures = heavy.fixtures;
    heavy.reset('y');

    expect(heavyGraphCount()).toBe(before + 2);
    expect(heavy.fixtures).not.toBe(firstFixtures);
    const light = lightFixtures(9);
    expect([0, 7, HEAVY_PATIENTS - 1, HEAVY_PATIENTS + 3].map((i) => heavy.fixtures.patient(i))).toEqual([0, 7, HEAVY_PATIENTS - 1, HEAVY_PATIENTS + 3].map((i) => light.patient(i)));
    expect(await heavy.fixtures.lookupPatient(5)).toEqual(light.patient(5));
    expect(heavy.fixtures.kbClinic('summit')).toEqual(light.kbClinic('summit'));
  });

  test('its clients are recording mocks around the same fakes, reset like them', async () => {
    const heavy = createPool({ seed: 9, mode: 'heavy', hooks: false });
    heavy.reset('x');
    await heavy.db.from('clinics').insert({ name: 'n' });
    expect(jest.isMockFunction(heavy.db.from)).toBe(true);
    expect((heavy.db.from as jest.Mock).mock.calls).toEqual([['clinics']]);
    expect(heavy.db.count('clinics')).toBe(1);
    heavy.reset('y');
    expect(heavy.db.count('clinics')).toBe(0);
    expect((heavy.db.from as jest.Mock).mock.calls).toEqual([]);
  });
});

describe('STRESS_MOCKS', () => {
  test('is light unless it says heavy, and anything else is an error', () => {
    expect([undefined, '', 'light', 'heavy'].map(mockModeFrom)).toEqual(['light', 'light', 'light', 'heavy']);
    expect(() => mockModeFrom('Heavy')).toThrow('STRESS_MOCKS must be "light" or "heavy", not "Heavy"');
  });
});
