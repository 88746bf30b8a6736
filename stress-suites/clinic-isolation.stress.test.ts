// Clinic isolation: many clinics share one database, and every read and write of the backend is
// scoped to one clinic, like row-level security. Rows of another clinic are never returned, never
// changed, and asking for one by id (seen elsewhere, or guessed from the id sequence) is refused
// with a typed CrossClinicAccessError, on every path: the desk, SMS, voice and web.

import type { BookingRow, PatientRow, SlotRow } from './clinic/booking';
import { createVoiceBookingHandler, handleSms, handleWebForm, parseToolResult } from './clinic/channels';
import { CrossClinicAccessError, NotFoundError } from './clinic/errors';
import { PiiIngest, type PiiAuditRow, type SmsRow } from './clinic/ingest';
import { KnowledgeBase, loadKnowledgeBase } from './clinic/kb';
import { ClinicScope, type ClinicRow } from './clinic/scope';
import type { ToolCallResponse } from './clinic/voice';
import { KB_CLINICS, kbRows } from './support/kb-dataset';
import { formatPhone } from './support/people';
import { createPool } from './support/pool';
import { seedClinic, type ClinicWorld } from './support/world';

const pool = createPool({ seed: 0x150 });

async function clinics(n: number, patients = 3): Promise<ClinicWorld[]> {
  const out: ClinicWorld[] = [];
  for (let i = 0; i < n; i++) out.push(await seedClinic(pool, { name: `Clinic ${i}`, practitioners: 1, patients, firstPatient: i * patients }));
  return out;
}

async function bookSome(w: ClinicWorld, n: number): Promise<BookingRow[]> {
  const out: BookingRow[] = [];
  for (let i = 0; i < n; i++) {
    const r = await w.desk.book({ slotId: w.slots[i].id, patientId: w.patients[i % w.patients.length].id, channel: 'web', ref: `${w.clinicId}-${i}` });
    if (r.ok) out.push(r.booking);
  }
  return out;
}

/** The error a promise rejects with, or 'resolved'. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof CrossClinicAccessError ? 'cross-clinic' : err instanceof NotFoundError ? 'not-found' : String(err);
  }
}

describe('scoped reads', () => {
  test('each clinic sees exactly its own slots, patients and bookings', async () => {
    const ws = await clinics(5);
    for (const w of ws) await bookSome(w, 3);
    const views = await Promise.all(
      ws.map(async (w) => {
        const [slots, patients, bookings] = await Promise.all([
          w.desk.scope.all(w.desk.scope.select<SlotRow>('slots'), 'slots'),
          w.desk.scope.all(w.desk.scope.select<PatientRow>('patients'), 'patients'),
          w.desk.liveBookings(),
        ]);
        return { clinic: w.clinicId, slots: slots.length, patients: patients.length, bookings: bookings.length, foreign: [...slots, ...patients, ...bookings].filter((r) => r.clinic_id !== w.clinicId).length };
      }),
    );

    expect(views).toEqual(ws.map((w) => ({ clinic: w.clinicId, slots: 20, patients: 3, bookings: 3, foreign: 0 })));
    expect(pool.db.count('bookings')).toBe(15);
  });

  test('filters that would match other clinics still only return this clinic', async () => {
    const [a, b] = await clinics(2);
    await bookSome(a, 4);
    await bookSome(b, 4);
    // Same start times in both clinics: a filter on time alone matches both.
    const atNine = await a.desk.scope.all(a.desk.scope.select<SlotRow>('slots').eq('starts_at', a.slots[2].starts_at), 'slots at nine');

    expect(atNine.map((s) => s.id)).toEqual([a.slots[2].id]);
    expect((await a.desk.scope.all(a.desk.scope.select<BookingRow>('bookings').eq('channel', 'web'), 'web bookings')).length).toBe(4);
  });

  test("a text from a number registered only at another clinic is from an unknown sender here", async () => {
    const [a, b] = await clinics(2);
    const outcome = await handleSms(a.desk, { messageId: 'm', from: formatPhone(b.patients[0].phone, 3), body: `BOOK ${a.slots[1].starts_at.slice(0, 10)} ${a.slots[1].starts_at.slice(11, 16)}` });

    expect(outcome).toEqual({ ok: false, reason: 'unknown_sender' });
    expect(pool.db.count('bookings')).toBe(0);
  });

  test('two clinics may hold identical schedules: uniqueness is per clinic, not across them', async () => {
    const [a, b] = await clinics(2);
    const extra = await Promise.all([a, b].map((w) => w.desk.addSchedule({ practitionerId: w.practitioners[0].id, day: '2025-03-06', from: '09:00', to: '10:00', minutes: 15 })));

    expect(extra.map((slots) => slots.map((s) => s.starts_at))).toEqual([0, 1].map(() => ['09:00', '09:15', '09:30', '09:45'].map((t) => `2025-03-06T${t}:00.000Z`)));
    expect(extra.map((slots) => new Set(slots.map((s) => s.clinic_id)).size)).toEqual([1, 1]);
  });
});

describe('ids from another clinic', () => {
  test.each(['slots', 'patients', 'practitioners', 'bookings', 'booking_events', 'kb_entries'])('reading %s by a foreign id is refused', async (table) => {
    const [a, b] = await clinics(2);
    await bookSome(b, 1);
    await b.desk.scope.insert('kb_entries', kbRows(b.clinicId, KB_CLINICS[0]).slice(0, 2));
    const foreign = await b.desk.scope.all(b.desk.scope.select<ClinicRow>(table, 'id, clinic_id').limit(1), table);

    expect(foreign).toHaveLength(1);
    await expect(a.desk.scope.get(table, foreign[0].id)).rejects.toBeInstanceOf(CrossClinicAccessError);
    await expect(b.desk.scope.get(table, foreign[0].id)).resolves.toMatchObject({ id: foreign[0].id, clinic_id: b.clinicId });
  });

  test('walking the id sequences: own ids resolve, foreign ones are refused, unused ones are not found', async () => {
    const ws = await clinics(4, 2);
    for (const w of ws) await bookSome(w, 5);
    const owner = new Map<string, string>();
    const { data: all } = await pool.db.from<BookingRow>('bookings').select('id, clinic_id');
    for (const r of all!) owner.set(r.id, r.clinic_id);
    const guesses = Array.from({ length: 25 }, (_, i) => `bk_${String(i + 1).padStart(8, '0')}`);
    const a = ws[1];
    const outcomes = await Promise.all(guesses.map((id) => refusal(a.desk.getBooking(id))));
    const expected = guesses.map((id) => (!owner.has(id) ? 'not-found' : owner.get(id) === a.clinicId ? 'resolved' : 'cross-clinic'));

    expect(outcomes).toEqual(expected);
    expect(outcomes.filter((o) => o === 'resolved')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'cross-clinic')).toHaveLength(15);
  });

  test("booking another clinic's slot is refused and writes nothing", async () => {
    const [a, b] = await clinics(2);
    const outcome = await refusal(a.desk.book({ slotId: b.slots[0].id, patientId: a.patients[0].id, channel: 'web', ref: 'x' }));

    expect(outcome).toBe('cross-clinic');
    expect(pool.db.count('bookings') + pool.db.count('booking_events')).toBe(0);
  });

  test("booking an own slot for another clinic's patient is refused", async () => {
    const [a, b] = await clinics(2);
    expect(await refusal(a.desk.book({ slotId: a.slots[0].id, patientId: b.patients[0].id, channel: 'voice', ref: 'x' }))).toBe('cross-clinic');
    expect((await a.desk.openSlots()).map((s) => s.id)).toContain(a.slots[0].id);
  });

  test("cancelling another clinic's booking is refused and the booking stands", async () => {
    const [a, b] = await clinics(2);
    const [theirs] = await bookSome(b, 1);

    expect(await refusal(a.desk.cancel({ bookingId: theirs.id, channel: 'sms', ref: 'x' }))).toBe('cross-clinic');
    expect(await b.desk.getBooking(theirs.id)).toMatchObject({ status: 'booked', active_slot_id: theirs.slot_id });
  });

  test("moving into another clinic's slot, or moving its booking, is refused", async () => {
    const [a, b] = await clinics(2);
    const [mine] = await bookSome(a, 1);
    const [theirs] = await bookSome(b, 1);

    expect(await refusal(a.desk.move({ bookingId: mine.id, slotId: b.slots[5].id, channel: 'web', ref: 'x' }))).toBe('cross-clinic');
    expect(await refusal(a.desk.move({ bookingId: theirs.id, slotId: a.slots[5].id, channel: 'web', ref: 'y' }))).toBe('cross-clinic');
    expect([(await a.desk.getBooking(mine.id)).active_slot_id, (await b.desk.getBooking(theirs.id)).active_slot_id]).toEqual([mine.slot_id, theirs.slot_id]);
  });

  test("another clinic's booking history and patient list are refused", async () => {
    const [a, b] = await clinics(2);
    const [theirs] = await bookSome(b, 1);

    expect(await refusal(a.desk.history(theirs.id))).toBe('cross-clinic');
    expect(await refusal(a.desk.patientBookings(b.patients[0].id))).toBe('cross-clinic');
  });

  test('an SMS cancelling a foreign booking id is answered refused', async () => {
    const [a, b] = await clinics(2);
    const [theirs] = await bookSome(b, 1);
    const outcome = await handleSms(a.desk, { messageId: 'm1', from: formatPhone(a.patients[0].phone, 0), body: `CANCEL ${theirs.id}` });

    expect(outcome).toEqual({ ok: false, reason: 'refused' });
    expect((await b.desk.getBooking(theirs.id)).status).toBe('booked');
  });

  test("a voice call routed to one clinic cannot cancel another clinic's booking", async () => {
    const [a, b] = await clinics(2);
    const [theirs] = await bookSome(b, 1);
    pool.voice.webhooks.subscribe(createVoiceBookingHandler({ db: pool.db, clock: pool.clock }));
    const assistant = await pool.voice.assistants.create({ name: 'desk' });
    const call = await pool.voice.calls.create({ assistantId: assistant.id, customer: { number: a.patients[0].phone }, metadata: { clinicId: a.clinicId, patientId: a.patients[0].id } });
    await pool.voice.simulate.answer(call.id);
    const [response] = (await pool.voice.simulate.toolCall(call.id, 'cancel_appointment', { bookingId: theirs.id })) as ToolCallResponse[];

    expect(parseToolResult(response.results[0].result)).toEqual({ ok: false, reason: 'refused' });
    expect((await b.desk.getBooking(theirs.id)).status).toBe('booked');
  });

  test('a web form posting a foreign slot is answered refused', async () => {
    const [a, b] = await clinics(2);
    expect(await handleWebForm(a.desk, { sessionId: 's', patientId: a.patients[0].id, slotId: b.slots[3].id })).toEqual({ ok: false, reason: 'refused' });
    expect(pool.db.count('bookings')).toBe(0);
  });
});

describe('scoped writes', () => {
  test('an insert naming another clinic is refused before it reaches the database', async () => {
    const [a, b] = await clinics(2);
    const before = pool.db.calls.statements;

    expect(() => a.desk.scope.insert<PatientRow>('patients', { clinic_id: b.clinicId, first_name: 'X', last_name: 'Y' })).toThrow(CrossClinicAccessError);
    expect(pool.db.calls.statements).toBe(before);
    expect(pool.db.count('patients')).toBe(6);
  });

  test('an update cannot move a row to another clinic', async () => {
    const [a, b] = await clinics(2);
    expect(() => a.desk.scope.update<SlotRow>('slots', { clinic_id: b.clinicId })).toThrow(CrossClinicAccessError);
    expect((await b.desk.scope.all(b.desk.scope.select<SlotRow>('slots'), 'slots')).length).toBe(20);
  });

  test('scoped updates and deletes touch only this clinic, whatever the filter matches elsewhere', async () => {
    const [a, b] = await clinics(2);
    const changed = await a.desk.scope.update<SlotRow>('slots', { minutes: 45 }).eq('starts_at', a.slots[0].starts_at).select();
    const deleted = await a.desk.scope.delete<PatientRow>('patients').in('id', [...a.patients, ...b.patients].map((p) => p.id)).select();

    expect(changed.data!.map((r) => r.id)).toEqual([a.slots[0].id]);
    expect(deleted.data!.map((r) => r.clinic_id)).toEqual(Array(3).fill(a.clinicId));
    expect((await b.desk.scope.get<SlotRow>('slots', b.slots[0].id)).minutes).toBe(30);
    expect(pool.db.count('patients')).toBe(3);
  });

  test('an id that exists nowhere is NotFound, and refusals never name the owning clinic', async () => {
    const [a, b] = await clinics(2);
    const [theirs] = await bookSome(b, 1);
    const missing = await a.desk.getBooking('bk_99999999').catch((e: unknown) => e);
    const foreign = await a.desk.getBooking(theirs.id).catch((e: unknown) => e);

    expect(missing).toBeInstanceOf(NotFoundError);
    expect(foreign).toBeInstanceOf(CrossClinicAccessError);
    expect((foreign as Error).message).not.toContain(b.clinicId);
    expect(() => new ClinicScope(pool.db, '')).toThrow('a clinic scope needs a clinic id');
  });
});

describe('transcripts, audit and knowledge bases', () => {
  test("transcripts and PII audit rows are only visible to their clinic", async () => {
    const [a, b] = await clinics(2, 1);
    const ingest = new PiiIngest(pool.db, pool.clock);
    await ingest.ingestSms({ clinicId: a.clinicId, messageId: 'a-1', body: `call ${formatPhone(a.profiles[0].phone, 2)}`, patientId: a.patients[0].id });
    await ingest.ingestSms({ clinicId: b.clinicId, messageId: 'b-1', body: `mail ${b.profiles[0].email}`, patientId: b.patients[0].id });
    const seen = async (w: ClinicWorld) => ({
      sms: (await w.desk.scope.all(w.desk.scope.select<SmsRow>('sms_messages', 'id, clinic_id, message_id'), 'sms')).map((r) => r.message_id),
      audit: (await w.desk.scope.all(w.desk.scope.select<PiiAuditRow>('pii_audit'), 'audit')).map((r) => `${r.source_id}:${r.kind}`),
    });

    expect(await seen(a)).toEqual({ sms: ['a-1'], audit: ['a-1:phone'] });
    expect(await seen(b)).toEqual({ sms: ['b-1'], audit: ['b-1:email'] });
  });

  test('a knowledge base is loaded from its own rows only, and refuses rows of another clinic', async () => {
    const [a, b] = await clinics(2, 0);
    await a.desk.scope.insert('kb_entries', kbRows(a.clinicId, KB_CLINICS[0]));
    await b.desk.scope.insert('kb_entries', kbRows(b.clinicId, KB_CLINICS[1]));
    const kbA = await loadKnowledgeBase(a.desk.scope);

    expect(kbA.size).toBe(KB_CLINICS[0].faq.length);
    expect(() => KnowledgeBase.fromEntries(a.clinicId, [...kbRows(a.clinicId, KB_CLINICS[0]), ...kbRows(b.clinicId, KB_CLINICS[1])])).toThrow(/another clinic/);
  });

  test("asking about another clinic's specialities is answered from the asking clinic's own entries", async () => {
    const [a, b] = await clinics(2, 0);
    await a.desk.scope.insert('kb_entries', kbRows(a.clinicId, KB_CLINICS[0]));
    await b.desk.scope.insert('kb_entries', kbRows(b.clinicId, KB_CLINICS[1]));
    const kbA = await loadKnowledgeBase(a.desk.scope);
    const questions = ['do you offer teeth whitening', 'are you in network with Delta Dental', 'do you have laughing gas', 'where is Harbor Street'];
    const answers = questions.map((q) => kbA.answer(q));

    expect(answers.filter((m) => m !== null && m.entry.clinic_id !== a.clinicId)).toEqual([]);
    expect(answers.filter((m) => m !== null).length).toBeGreaterThan(0);
  });
});

describe('volume', () => {
  test("24 clinics with bookings: every clinic's view is exactly what it created", async () => {
    const ws = await clinics(24, 2);
    const created = new Map<string, string[]>();
    for (const [i, w] of ws.entries()) created.set(w.clinicId, (await bookSome(w, 1 + (i % 4))).map((b) => b.id));
    const views = await Promise.all(ws.map(async (w) => [w.clinicId, (await w.desk.liveBookings()).map((b) => b.id)] as const));

    expect(new Map(views)).toEqual(created);
    expect(pool.db.count('bookings')).toBe([...created.values()].reduce((n, ids) => n + ids.length, 0));
  });

  test('600 guessed ids across 20 clinics: every foreign one refused, every own one served', async () => {
    const ws = await clinics(20, 2);
    const rows: Array<{ id: string; clinic_id: string }> = [];
    for (const w of ws) rows.push(...(await bookSome(w, 2)), ...w.slots.slice(0, 2), ...w.patients);
    const attempts = Array.from({ length: 600 }, () => ({ as: pool.rng.pick(ws), row: pool.rng.pick(rows) }));
    const tableOf = (id: string) => (id.startsWith('bk_') ? 'bookings' : id.startsWith('sl_') ? 'slots' : 'patients');
    const tally = { served: 0, refused: 0, wrong: 0 };
    for (let i = 0; i < attempts.length; i += 50) {
      const batch = attempts.slice(i, i + 50);
      const outcomes = await Promise.all(batch.map(({ as, row }) => refusal(as.desk.scope.get(tableOf(row.id), row.id))));
      outcomes.forEach((o, k) => {
        const own = batch[k].row.clinic_id === batch[k].as.clinicId;
        if (own && o === 'resolved') tally.served++;
        else if (!own && o === 'cross-clinic') tally.refused++;
        else tally.wrong++;
      });
    }

    expect(tally.wrong).toBe(0);
    expect(tally.served + tally.refused).toBe(600);
    expect(tally.refused).toBeGreaterThan(tally.served);
  });

  test('concurrent bookings in 20 clinics at once: every row lands under the clinic that wrote it', async () => {
    const ws = await clinics(20, 2);
    await Promise.all(ws.map((w) => bookSome(w, 3)));
    const { data: bookings } = await pool.db.from<BookingRow>('bookings').select('id, clinic_id, slot_id, patient_id');
    const { data: events } = await pool.db.from('booking_events').select('booking_id, clinic_id');
    const slotClinic = new Map(ws.flatMap((w) => w.slots.map((s) => [s.id, w.clinicId] as const)));
    const patientClinic = new Map(ws.flatMap((w) => w.patients.map((p) => [p.id, w.clinicId] as const)));
    const bookingClinic = new Map(bookings!.map((b) => [b.id, b.clinic_id]));

    expect(bookings).toHaveLength(60);
    expect(bookings!.filter((b) => slotClinic.get(b.slot_id) !== b.clinic_id || patientClinic.get(b.patient_id) !== b.clinic_id)).toEqual([]);
    expect(events!.filter((e) => bookingClinic.get(e.booking_id as string) !== e.clinic_id)).toEqual([]);
  });
});
