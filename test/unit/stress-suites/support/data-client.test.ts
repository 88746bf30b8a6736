// The in-memory data client the stress suites run on: query surface, unique constraints, statement
// atomicity, and real interleaving between concurrent callers.
import { createFakeDataClient } from '../../../../stress-suites/support/data-client';

const schema = [
  { name: 'slots', idPrefix: 'sl', unique: [['clinic_id', 'starts_at']] },
  { name: 'claims', idPrefix: 'cl', unique: [['slot_id']] },
  { name: 'log', idPrefix: 'lg' },
];

type Slot = { id: string; clinic_id: string; starts_at: string; status: string; holder: string | null };

function client() {
  return createFakeDataClient(schema);
}

async function seedSlot(db: ReturnType<typeof client>): Promise<Slot> {
  const { data } = await db.from<Slot>('slots').insert({ clinic_id: 'c1', starts_at: '09:00', status: 'open', holder: null }).select().single();
  return data!;
}

describe('query surface', () => {
  test('insert, select with filters, order and range, update and delete return { data, error }', async () => {
    const db = client();
    const inserted = await db.from('slots').insert([
      { clinic_id: 'c1', starts_at: '10:00' },
      { clinic_id: 'c1', starts_at: '09:00' },
      { clinic_id: 'c2', starts_at: '09:00' },
    ]).select('id, starts_at');
    expect(inserted).toMatchObject({ error: null, status: 201, data: [{ id: 'sl_00000001', starts_at: '10:00' }, { id: 'sl_00000002' }, { id: 'sl_00000003' }] });
    expect(Object.keys(inserted.data![0])).toEqual(['id', 'starts_at']);

    const c1 = await db.from('slots').select('*', { count: 'exact' }).eq('clinic_id', 'c1').order('starts_at').range(0, 0);
    expect(c1).toMatchObject({ error: null, count: 2, data: [{ id: 'sl_00000002' }] });

    const updated = await db.from('slots').update({ starts_at: '11:00' }).eq('id', 'sl_00000001').select();
    expect(updated.data).toEqual([{ id: 'sl_00000001', clinic_id: 'c1', starts_at: '11:00' }]);

    const deleted = await db.from('slots').delete().in('clinic_id', ['c2']).select('id');
    expect(deleted.data).toEqual([{ id: 'sl_00000003' }]);
    expect(db.count('slots')).toBe(2);
  });

  test('single() wants exactly one row; maybeSingle() allows none', async () => {
    const db = client();
    await seedSlot(db);
    expect((await db.from('slots').select().eq('id', 'nope').single()).error?.code).toBe('PGRST116');
    expect(await db.from('slots').select().eq('id', 'nope').maybeSingle()).toMatchObject({ data: null, error: null });
  });

  test('comparisons with NULL are never true, `is` tests for it', async () => {
    const db = client();
    await db.from('log').insert([{ note: null }, { note: 'x' }]);
    expect((await db.from('log').select().eq('note', null)).data).toEqual([]);
    expect((await db.from('log').select().neq('note', 'x')).data).toEqual([]);
    expect((await db.from('log').select('id').is('note', null)).data).toEqual([{ id: 'lg_00000001' }]);
  });

  test('rows handed out are copies: changing them does not change the table', async () => {
    const db = client();
    const slot = await seedSlot(db);
    slot.status = 'hacked';
    expect((await db.from<Slot>('slots').select().eq('id', slot.id).single()).data!.status).toBe('open');
  });

  test('an unknown table is an error, not an exception', async () => {
    expect((await client().from('nope').select()).error?.code).toBe('42P01');
  });
});

describe('unique constraints', () => {
  test('a duplicate returns 23505 and changes nothing; NULLs never collide', async () => {
    const db = client();
    await db.from('claims').insert({ slot_id: 's1' });
    const dup = await db.from('claims').insert({ slot_id: 's1' }).select();
    expect(dup).toMatchObject({ data: null, status: 409, error: { code: '23505', message: 'duplicate key value violates unique constraint "claims_slot_id_key"' } });
    expect((await db.from('claims').insert([{ slot_id: null }, { slot_id: null }])).error).toBeNull();
    expect(db.count('claims')).toBe(3);
  });

  test('a multi-row insert with one duplicate writes none of its rows', async () => {
    const db = client();
    const r = await db.from('claims').insert([{ slot_id: 'a' }, { slot_id: 'b' }, { slot_id: 'a' }]);
    expect(r.error?.code).toBe('23505');
    expect(db.count('claims')).toBe(0);
  });

  test('an update into a taken key is refused; freeing a key lets another row take it', async () => {
    const db = client();
    await db.from('claims').insert([{ slot_id: 'a' }, { slot_id: 'b' }]);
    expect((await db.from('claims').update({ slot_id: 'a' }).eq('id', 'cl_00000002')).error?.code).toBe('23505');
    await db.from('claims').update({ slot_id: null }).eq('id', 'cl_00000001');
    expect((await db.from('claims').update({ slot_id: 'a' }).eq('id', 'cl_00000002')).error).toBeNull();
  });

  test('an id given twice is a primary-key violation', async () => {
    const db = client();
    await db.from('log').insert({ id: 'x' });
    expect((await db.from('log').insert({ id: 'x' })).error?.message).toContain('log_pkey');
  });
});

describe('concurrency', () => {
  test('statements of concurrent callers interleave: a read-then-write claim double-books', async () => {
    const db = client();
    const slot = await seedSlot(db);
    const naiveClaim = async (caller: string): Promise<boolean> => {
      const { data } = await db.from<Slot>('slots').select().eq('id', slot.id).single();
      if (data!.status !== 'open') return false;
      await db.from<Slot>('slots').update({ status: 'taken', holder: caller }).eq('id', slot.id);
      return true;
    };
    const wins = (await Promise.all(Array.from({ length: 100 }, (_, i) => naiveClaim(`c${i}`)))).filter(Boolean);
    expect(wins.length).toBe(100);
  });

  test('a conditional update is a compare-and-set: exactly one of 100 concurrent claims changes the row', async () => {
    const db = client();
    const slot = await seedSlot(db);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => db.from<Slot>('slots').update({ status: 'taken', holder: `c${i}` }).eq('id', slot.id).eq('status', 'open').select()),
    );
    const winners = results.filter((r) => r.data!.length === 1);
    expect(winners).toHaveLength(1);
    expect((await db.from<Slot>('slots').select().eq('id', slot.id).single()).data!.holder).toBe(winners[0].data![0].holder);
  });

  test('a unique constraint admits exactly one of 200 concurrent inserts; the rest get 23505', async () => {
    const db = client();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => db.from('claims').insert({ slot_id: 's', by: i })));
    expect(results.filter((r) => r.error === null)).toHaveLength(1);
    expect(results.filter((r) => r.error?.code === '23505')).toHaveLength(199);
  });

  test('a statement runs on a later turn of the event loop, never synchronously', async () => {
    const db = client();
    const pending = db.from('log').insert({ note: 'x' }).then((r) => r.status);
    const countRightAway = db.count('log');
    const microtasksLater = await Promise.resolve().then(() => db.count('log'));
    expect([countRightAway, microtasksLater, await pending, db.count('log')]).toEqual([0, 0, 201, 1]);
  });
});

describe('call records and reset', () => {
  test('statements are counted per table and kind; reset clears rows, sequences and counts', async () => {
    const db = client();
    await seedSlot(db);
    await db.from('claims').insert({ slot_id: 'a' });
    await db.from('claims').insert({ slot_id: 'a' });
    await db.from('slots').select();
    expect(db.calls).toEqual({ statements: 4, errors: 1, byTable: { slots: { select: 1, insert: 1, update: 0, delete: 0 }, claims: { select: 0, insert: 2, update: 0, delete: 0 } } });

    db.reset();
    expect(db.calls).toEqual({ statements: 0, errors: 0, byTable: {} });
    expect([db.count('slots'), db.count('claims')]).toEqual([0, 0]);
    expect((await seedSlot(db)).id).toBe('sl_00000001');
    expect((await db.from('claims').insert({ slot_id: 'a' })).error).toBeNull();
  });
});
