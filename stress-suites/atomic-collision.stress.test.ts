// Atomic slot claims: many callers race for the same slot through Promise.all and the database's
// unique constraint picks exactly one winner; everyone else gets a typed slot_taken result, never
// an exception. The data client really interleaves statements, so a non-atomic claim would lose.

import { CHANNELS, type BookResult, type BookingRow, type Channel, type MoveResult } from './clinic/booking';
import { DataAccessError, NotFoundError } from './clinic/errors';
import { createPool } from './support/pool';
import { seedClinic, type ClinicWorld } from './support/world';

const pool = createPool({ seed: 0xa70c1c });

type Won = Extract<BookResult, { ok: true }>;
const won = (results: readonly BookResult[]): Won[] => results.filter((r): r is Won => r.ok);
const taken = (results: readonly BookResult[]) => results.filter((r) => !r.ok && r.reason === 'slot_taken');

/** `n` callers claim `slotId` at once, spread over channels and the clinic's patients. */
function stampede(w: ClinicWorld, slotId: string, n: number, tag = 'c'): Promise<BookResult[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      w.desk.book({
        slotId,
        patientId: w.patients[i % w.patients.length].id,
        channel: CHANNELS[i % CHANNELS.length],
        ref: `${tag}-${i}`,
      }),
    ),
  );
}

async function liveOn(w: ClinicWorld, slotId: string): Promise<BookingRow[]> {
  return (await w.desk.liveBookings()).filter((b) => b.active_slot_id === slotId);
}

describe('one slot, many callers', () => {
  test.each([2, 10, 50, 100, 300])('%i concurrent claims: exactly one booking, the rest slot_taken', async (n) => {
    const w = await seedClinic(pool, { patients: 25 });
    const slot = w.slots[3];
    const results = await stampede(w, slot.id, n);

    expect(won(results)).toHaveLength(1);
    expect(taken(results)).toHaveLength(n - 1);
    const live = await liveOn(w, slot.id);
    expect(live.map((b) => b.id)).toEqual([won(results)[0].booking.id]);
    expect(pool.db.count('bookings')).toBe(1);
  });

  test('the winner keeps the channel it came from, in the booking and in its history', async () => {
    const w = await seedClinic(pool, { patients: 9 });
    const results = await stampede(w, w.slots[0].id, 90);
    const [winner] = won(results);
    const index = results.indexOf(winner);
    const channel: Channel = CHANNELS[index % CHANNELS.length];

    expect(winner.booking.channel).toBe(channel);
    expect(await w.desk.history(winner.booking.id)).toEqual([
      { action: 'booked', channel, slotId: w.slots[0].id, previousSlotId: null, ref: `c-${index}`, at: pool.clock.iso() },
    ]);
  });

  test('losing is a plain result naming the slot: nothing throws, and it survives a JSON round trip', async () => {
    const w = await seedClinic(pool);
    const settled = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => w.desk.book({ slotId: w.slots[5].id, patientId: w.patients[0].id, channel: 'sms', ref: `m${i}` })));

    expect(settled.every((s) => s.status === 'fulfilled')).toBe(true);
    const losers = settled.flatMap((s) => (s.status === 'fulfilled' && !s.value.ok ? [s.value] : []));
    expect(losers).toHaveLength(59);
    const shapes = new Set(losers.map((l) => JSON.stringify(JSON.parse(JSON.stringify(l)))));
    expect([...shapes]).toEqual([JSON.stringify({ ok: false, reason: 'slot_taken', slotId: w.slots[5].id })]);
  });

  test('a read-then-write claim against the same client double-books: the contention is real', async () => {
    const w = await seedClinic(pool);
    const slot = w.slots[2];
    // What the unique constraint protects against: check for a live booking, then insert one,
    // without anything in the database tying the two together (a table without the constraint).
    const naive = async (caller: number): Promise<boolean> => {
      const { data } = await pool.db.from('booking_events').select('id').eq('slot_id', slot.id).eq('action', 'naive-claim');
      if (data!.length > 0) return false;
      await pool.db.from('booking_events').insert({ clinic_id: w.clinicId, slot_id: slot.id, action: 'naive-claim', ref: `n${caller}` });
      return true;
    };
    const naiveWins = (await Promise.all(Array.from({ length: 30 }, (_, i) => naive(i)))).filter(Boolean).length;
    const atomicWins = won(await stampede(w, slot.id, 30)).length;

    expect(naiveWins).toBe(30);
    expect(atomicWins).toBe(1);
  });

  test('claims for a slot that has already started are all slot_in_past, and nothing is written', async () => {
    const w = await seedClinic(pool);
    pool.clock.set(w.slots[4].starts_at);
    const results = await stampede(w, w.slots[4].id, 60);

    expect(results.every((r) => !r.ok && r.reason === 'slot_in_past')).toBe(true);
    expect(pool.db.count('bookings')).toBe(0);
    expect(pool.db.count('booking_events')).toBe(0);
  });

  test('claims for a slot that does not exist reject with NotFoundError, every one of them', async () => {
    const w = await seedClinic(pool);
    const settled = await Promise.allSettled(Array.from({ length: 40 }, () => w.desk.book({ slotId: 'sl_99999999', patientId: w.patients[0].id, channel: 'web', ref: 'x' })));

    expect(settled.map((s) => s.status === 'rejected' && s.reason instanceof NotFoundError)).toEqual(Array(40).fill(true));
    expect(pool.db.count('bookings')).toBe(0);
  });
});

describe('many slots at once', () => {
  test('80 callers over 10 slots in shuffled order: every slot booked exactly once', async () => {
    const w = await seedClinic(pool, { practitioners: 2, patients: 30 });
    const slots = w.slots.slice(0, 10);
    const attempts = pool.rng.shuffle(slots.flatMap((s) => Array.from({ length: 8 }, (_, k) => ({ slot: s.id, k }))));
    const results = await Promise.all(
      attempts.map((a, i) => w.desk.book({ slotId: a.slot, patientId: w.patients[i % 30].id, channel: CHANNELS[a.k % 3], ref: `r${i}` })),
    );

    const winners = won(results);
    expect(winners).toHaveLength(10);
    expect(new Set(winners.map((r) => r.booking.slot_id))).toEqual(new Set(slots.map((s) => s.id)));
    expect(taken(results)).toHaveLength(70);
  });

  test('every loser names a slot that has exactly one live booking', async () => {
    const w = await seedClinic(pool, { patients: 12 });
    const slots = w.slots.slice(0, 15);
    const results = await Promise.all(pool.rng.shuffle(slots.flatMap((s) => [s, s, s, s])).map((s, i) => w.desk.book({ slotId: s.id, patientId: w.patients[i % 12].id, channel: 'voice', ref: `v${i}` })));
    const live = await w.desk.liveBookings();
    const perSlot = new Map<string, number>();
    for (const b of live) perSlot.set(b.active_slot_id!, (perSlot.get(b.active_slot_id!) ?? 0) + 1);

    const liveOnNamedSlot = results.map((r) => perSlot.get(r.ok ? r.booking.slot_id : r.slotId));
    expect(new Set(liveOnNamedSlot)).toEqual(new Set([1]));
    expect(live).toHaveLength(15);
  });

  test('open slots afterwards are exactly the slots nobody claimed', async () => {
    const w = await seedClinic(pool, { practitioners: 3, patients: 10 });
    const claimed = pool.rng.shuffle(w.slots).slice(0, 25);
    await Promise.all(claimed.flatMap((s, i) => [0, 1, 2].map((k) => w.desk.book({ slotId: s.id, patientId: w.patients[(i + k) % 10].id, channel: CHANNELS[k], ref: `o${i}-${k}` }))));
    const open = await w.desk.openSlots();
    const claimedIds = new Set(claimed.map((s) => s.id));

    expect(open.map((s) => s.id).sort()).toEqual(w.slots.filter((s) => !claimedIds.has(s.id)).map((s) => s.id).sort());
  });

  test('48 claims over 12 slots complete with 12 bookings and 12 booked events', async () => {
    const w = await seedClinic(pool, { practitioners: 5, minutes: 30, patients: 50 });
    const slots = w.slots.slice(0, 12);
    const results = await Promise.all(Array.from({ length: 48 }, (_, i) => w.desk.book({ slotId: slots[(i * 37) % 12].id, patientId: w.patients[i % 50].id, channel: CHANNELS[i % 3], ref: `t${i}` })));

    expect(won(results)).toHaveLength(12);
    expect(pool.db.count('bookings')).toBe(12);
    expect(pool.db.count('booking_events')).toBe(12);
  });
});

describe('cancel and move under contention', () => {
  test('60 concurrent cancels of one booking: one cancels, 59 are told it is already cancelled', async () => {
    const w = await seedClinic(pool);
    const booked = await w.desk.book({ slotId: w.slots[1].id, patientId: w.patients[0].id, channel: 'web', ref: 's1' });
    if (!booked.ok) throw new Error('setup booking failed');
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => w.desk.cancel({ bookingId: booked.booking.id, channel: CHANNELS[i % 3], ref: `x${i}` })));

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'already_cancelled')).toHaveLength(59);
    const history = await w.desk.history(booked.booking.id);
    expect(history.map((e) => e.action)).toEqual(['booked', 'cancelled']);
  });

  test('a cancel racing 30 new claims: across this wave and the next, the slot is rebooked exactly once', async () => {
    const w = await seedClinic(pool, { patients: 10 });
    const slot = w.slots[6];
    const first = await w.desk.book({ slotId: slot.id, patientId: w.patients[0].id, channel: 'voice', ref: 'call-0' });
    if (!first.ok) throw new Error('setup booking failed');
    const [cancelled, ...wave1] = await Promise.all([
      w.desk.cancel({ bookingId: first.booking.id, channel: 'sms', ref: 'sms-0' }),
      ...Array.from({ length: 30 }, (_, i) => w.desk.book({ slotId: slot.id, patientId: w.patients[1 + (i % 9)].id, channel: 'web', ref: `w1-${i}` })),
    ]);
    expect(cancelled.ok).toBe(true);
    const wave1Wins = won(wave1 as BookResult[]).length;
    expect(wave1Wins).toBeLessThanOrEqual(1);
    expect(await liveOn(w, slot.id)).toHaveLength(wave1Wins);

    const wave2 = await stampede(w, slot.id, 30, 'w2');
    expect(wave1Wins + won(wave2).length).toBe(1);
    expect(await liveOn(w, slot.id)).toHaveLength(1);
  });

  test('20 bookings moving into one slot at once: one moves, the others stay where they were', async () => {
    const w = await seedClinic(pool, { practitioners: 2, patients: 20 });
    const target = w.slots[w.slots.length - 1];
    const bookings: BookingRow[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await w.desk.book({ slotId: w.slots[i].id, patientId: w.patients[i].id, channel: 'web', ref: `b${i}` });
      if (r.ok) bookings.push(r.booking);
    }
    const results = await Promise.all(bookings.map((b, i) => w.desk.move({ bookingId: b.id, slotId: target.id, channel: CHANNELS[i % 3], ref: `m${i}` })));
    const moved = results.filter((r) => r.ok);

    expect(moved).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'slot_taken')).toHaveLength(19);
    const live = await w.desk.liveBookings();
    expect(live).toHaveLength(20);
    const movedId = moved[0].ok ? moved[0].booking.id : null;
    const misplaced = live.filter((b) => b.active_slot_id !== (b.id === movedId ? target.id : bookings.find((x) => x.id === b.id)!.slot_id));
    expect(misplaced).toEqual([]);
  });

  test('a move and 30 fresh claims racing for one slot: exactly one of them gets it', async () => {
    const w = await seedClinic(pool, { patients: 31 });
    const target = w.slots[10];
    const mover = await w.desk.book({ slotId: w.slots[0].id, patientId: w.patients[30].id, channel: 'voice', ref: 'call-m' });
    if (!mover.ok) throw new Error('setup booking failed');
    const [move, ...claims] = await Promise.all([
      w.desk.move({ bookingId: mover.booking.id, slotId: target.id, channel: 'voice', ref: 'call-m2' }),
      ...Array.from({ length: 30 }, (_, i) => w.desk.book({ slotId: target.id, patientId: w.patients[i].id, channel: 'sms', ref: `s${i}` })),
    ]);
    const winners = (move.ok ? 1 : 0) + won(claims as BookResult[]).length;

    expect(winners).toBe(1);
    expect(await liveOn(w, target.id)).toHaveLength(1);
    // The mover holds exactly one slot whatever happened.
    const mine = (await w.desk.liveBookings()).filter((b) => b.patient_id === w.patients[30].id);
    expect(mine).toHaveLength(1);
    expect(mine[0].active_slot_id).toBe((move as MoveResult).ok ? target.id : w.slots[0].id);
  });

  test('one booking moved to 20 different slots at once: one move takes effect, the rest see the booking changed', async () => {
    const w = await seedClinic(pool);
    const b = await w.desk.book({ slotId: w.slots[0].id, patientId: w.patients[0].id, channel: 'web', ref: 'b' });
    if (!b.ok) throw new Error('setup booking failed');
    const results = await Promise.all(w.slots.slice(1, 21).map((s, i) => w.desk.move({ bookingId: b.booking.id, slotId: s.id, channel: 'sms', ref: `m${i}` })));
    const moved = results.filter((r) => r.ok);

    expect(moved).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'booking_changed')).toHaveLength(19);
    const now = await w.desk.getBooking(b.booking.id);
    expect(now.active_slot_id).toBe(moved[0].ok ? moved[0].booking.active_slot_id : null);
    expect((await w.desk.history(b.booking.id)).map((e) => e.action)).toEqual(['booked', 'rebooked']);
  });

  test('cancel and move of the same booking racing: the final state always matches its history', async () => {
    const w = await seedClinic(pool);
    const problems: string[] = [];
    for (let round = 0; round < 20; round++) {
      const b = await w.desk.book({ slotId: w.slots[round].id, patientId: w.patients[round % 4].id, channel: 'voice', ref: `r${round}` });
      if (!b.ok) throw new Error('setup booking failed');
      const ops = [
        () => w.desk.cancel({ bookingId: b.booking.id, channel: 'sms', ref: `c${round}` }),
        () => w.desk.move({ bookingId: b.booking.id, slotId: w.slots[round + 20].id, channel: 'web', ref: `m${round}` }),
      ];
      const [first, second] = round % 2 === 0 ? ops : [ops[1], ops[0]];
      const [r1, r2] = await Promise.all([first(), second()]);
      const after = await w.desk.getBooking(b.booking.id);
      const history = (await w.desk.history(b.booking.id)).map((e) => e.action);
      const consistent =
        after.status === 'cancelled'
          ? after.active_slot_id === null && history[history.length - 1] === 'cancelled'
          : after.active_slot_id === w.slots[round + 20].id && history.join() === 'booked,rebooked';
      if (!consistent || !(r1.ok || r2.ok)) problems.push(`round ${round}: ${after.status} on ${after.active_slot_id}, history ${history.join()}`);
    }
    expect(problems).toEqual([]);
  });

  test('a storm of 40 random moves among 20 bookings keeps one live booking per slot and a true history', async () => {
    const w = await seedClinic(pool, { practitioners: 2, patients: 20 });
    const bookings: BookingRow[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await w.desk.book({ slotId: w.slots[i].id, patientId: w.patients[i].id, channel: 'web', ref: `b${i}` });
      if (r.ok) bookings.push(r.booking);
    }
    const targets = w.slots.slice(0, 30);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        w.desk.move({ bookingId: pool.rng.pick(bookings).id, slotId: pool.rng.pick(targets).id, channel: CHANNELS[i % 3], ref: `s${i}` }),
      ),
    );
    const live = await w.desk.liveBookings();

    expect(live).toHaveLength(20);
    expect(new Set(live.map((b) => b.active_slot_id)).size).toBe(20);
    const untrue: string[] = [];
    for (const b of live) {
      const history = await w.desk.history(b.id);
      if (history[history.length - 1].slotId !== b.active_slot_id) untrue.push(`${b.id} ends elsewhere`);
      for (let k = 1; k < history.length; k++) if (history[k].previousSlotId !== history[k - 1].slotId) untrue.push(`${b.id} event ${k} skips`);
    }
    expect(untrue).toEqual([]);
  });

  test('20 cancel-and-rebook cycles on one slot from every channel leave one live booking and a complete history', async () => {
    const w = await seedClinic(pool, { patients: 8 });
    const slot = w.slots[8];
    let liveId: string | null = null;
    const bookingIds: string[] = [];
    const winnersPerCycle: number[] = [];
    for (let cycle = 0; cycle < 20; cycle++) {
      if (liveId) await w.desk.cancel({ bookingId: liveId, channel: CHANNELS[cycle % 3], ref: `x${cycle}` });
      const winners = won(await stampede(w, slot.id, 3, `k${cycle}`));
      winnersPerCycle.push(winners.length);
      liveId = winners[0]?.booking.id ?? null;
      if (liveId) bookingIds.push(liveId);
    }
    expect(winnersPerCycle).toEqual(Array(20).fill(1));
    expect(await liveOn(w, slot.id)).toHaveLength(1);
    expect(new Set(bookingIds).size).toBe(20);
    expect(pool.db.count('booking_events')).toBe(20 + 19);
  });
});

describe('many clinics in parallel', () => {
  test('5 clinics with 20 callers each for their 09:00 slot, all at once: one winner per clinic', async () => {
    const worlds: ClinicWorld[] = [];
    for (let c = 0; c < 5; c++) worlds.push(await seedClinic(pool, { name: `Clinic ${c}`, practitioners: 1, patients: 5, firstPatient: c * 5 }));
    const perClinic = await Promise.all(worlds.map((w) => stampede(w, w.slots[2].id, 20)));

    expect(perClinic.map((r) => won(r).length)).toEqual(Array(5).fill(1));
    expect(worlds.every((w, i) => won(perClinic[i])[0].booking.clinic_id === w.clinicId)).toBe(true);
    expect(pool.db.count('bookings')).toBe(5);
  });

  test('a stampede in one clinic leaves an identical slot in another clinic free', async () => {
    const a = await seedClinic(pool, { name: 'A', practitioners: 1 });
    const b = await seedClinic(pool, { name: 'B', practitioners: 1 });
    await stampede(a, a.slots[0].id, 60);

    expect(a.slots[0].starts_at).toBe(b.slots[0].starts_at);
    expect((await b.desk.openSlots()).map((s) => s.id)).toContain(b.slots[0].id);
    const r = await b.desk.book({ slotId: b.slots[0].id, patientId: b.patients[0].id, channel: 'voice', ref: 'b0' });
    expect(r.ok).toBe(true);
  });
});

describe('rows stay consistent', () => {
  test('after a storm, every booking has exactly one booked event and losers left no rows', async () => {
    const w = await seedClinic(pool, { practitioners: 2, patients: 20 });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => w.desk.book({ slotId: w.slots[i % 30].id, patientId: w.patients[i % 20].id, channel: CHANNELS[i % 3], ref: `z${i}` })));
    const { data: events } = await pool.db.from('booking_events').select('booking_id, action, ref');
    const winners = won(results);

    expect(winners).toHaveLength(30);
    expect(events).toHaveLength(30);
    expect(new Set(events!.map((e) => e.booking_id))).toEqual(new Set(winners.map((r) => r.booking.id)));
    expect(events!.every((e) => e.action === 'booked')).toBe(true);
  });

  test('the same patient racing for two slots holds both: different slots do not contend', async () => {
    const w = await seedClinic(pool);
    const [r1, r2] = await Promise.all([
      w.desk.book({ slotId: w.slots[0].id, patientId: w.patients[0].id, channel: 'voice', ref: 'a' }),
      w.desk.book({ slotId: w.slots[1].id, patientId: w.patients[0].id, channel: 'sms', ref: 'b' }),
    ]);

    expect([r1.ok, r2.ok]).toEqual([true, true]);
    expect((await w.desk.patientBookings(w.patients[0].id)).map((b) => b.active_slot_id).sort()).toEqual([w.slots[0].id, w.slots[1].id].sort());
  });

  test('two schedules for the same practitioner and day created at once: one is refused by the unique constraint', async () => {
    const w = await seedClinic(pool, { practitioners: 1 });
    const day = '2025-03-05';
    const settled = await Promise.allSettled([0, 1].map(() => w.desk.addSchedule({ practitionerId: w.practitioners[0].id, day, from: '09:00', to: '12:00', minutes: 20 })));
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');

    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(DataAccessError);
    expect(rejected[0].reason.code).toBe('23505');
    expect((await w.desk.openSlots({ day })).length).toBe(9);
  });
});
