// The booking desk's slot claim is atomic against the fake data client, and the same client makes a
// naive read-then-write claim lose: proof that the fake's interleaving is real.
import { BookingDesk, type BookingRow, type SlotRow } from '../../../../stress-suites/clinic/booking';
import { CLINIC_SCHEMA } from '../../../../stress-suites/clinic/schema';
import { ClinicScope } from '../../../../stress-suites/clinic/scope';
import { createFakeClock } from '../../../../stress-suites/support/clock';
import { createFakeDataClient } from '../../../../stress-suites/support/data-client';

async function setup() {
  const db = createFakeDataClient(CLINIC_SCHEMA);
  const clock = createFakeClock();
  const { data: clinic } = await db.from('clinics').insert({ name: 'c' }).select().single();
  const desk = new BookingDesk(db, clock, clinic!.id as string);
  const practitioner = await desk.addPractitioner('Dr A');
  const slots = await desk.addSchedule({ practitionerId: practitioner.id, day: '2025-03-04', from: '09:00', to: '10:00', minutes: 30 });
  const patients = await Promise.all(Array.from({ length: 5 }, (_, i) => desk.addPatient({ first_name: `P${i}`, last_name: 'X', dob: '1990-01-01', phone: `+1415555010${i}`, email: `p${i}@example.com` })));
  return { db, desk, slots, patients };
}

/** What the desk must not do: look for a live booking, then insert one if none was seen. */
async function naiveBook(scope: ClinicScope, slot: SlotRow, patientId: string): Promise<boolean> {
  const { data } = await scope.select<BookingRow>('bookings').eq('slot_id', slot.id).eq('status', 'booked');
  if (data!.length > 0) return false;
  // Without active_slot_id, the insert bypasses the unique constraint, as a table without it would.
  const { error } = await scope.insert<BookingRow>('bookings', { slot_id: slot.id, active_slot_id: null, patient_id: patientId, status: 'booked', channel: 'web' });
  return error === null;
}

test('250 concurrent claims through the desk: exactly one booking, 249 typed slot_taken results', async () => {
  const { db, desk, slots, patients } = await setup();
  const settled = await Promise.allSettled(Array.from({ length: 250 }, (_, i) => desk.book({ slotId: slots[0].id, patientId: patients[i % 5].id, channel: 'web', ref: `${i}` })));

  expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
  const results = settled.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<BookingDesk['book']>>>).value);
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(results.filter((r) => !r.ok && r.reason === 'slot_taken')).toHaveLength(249);
  expect(db.count('bookings')).toBe(1);
});

test('the same race with a read-then-write claim books the slot many times over', async () => {
  const { db, desk, slots, patients } = await setup();
  const wins = (await Promise.all(Array.from({ length: 250 }, (_, i) => naiveBook(desk.scope, slots[0], patients[i % 5].id)))).filter(Boolean).length;

  expect(wins).toBe(250);
  expect(db.count('bookings')).toBe(250);
});

test('sequential naive claims do see each other: the double booking comes from interleaving alone', async () => {
  const { desk, slots, patients } = await setup();
  const wins = [];
  for (let i = 0; i < 5; i++) wins.push(await naiveBook(desk.scope, slots[1], patients[i].id));
  expect(wins).toEqual([true, false, false, false, false]);
});

test('cancel is a compare-and-set too: of 100 concurrent cancels one succeeds', async () => {
  const { desk, slots, patients } = await setup();
  const booked = await desk.book({ slotId: slots[1].id, patientId: patients[0].id, channel: 'sms', ref: 'x' });
  if (!booked.ok) throw new Error('setup failed');
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => desk.cancel({ bookingId: booked.booking.id, channel: 'web', ref: `${i}` })));

  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect((await desk.history(booked.booking.id)).map((e) => e.action)).toEqual(['booked', 'cancelled']);
});
