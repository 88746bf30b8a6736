// Cross-channel booking: the same slots are booked by the voice agent (tool calls over the voice
// platform's webhook), by SMS commands and by the web form. A slot is booked once whatever the
// channel; cancelling frees it for every channel; moves and cancellations keep each booking's
// channel history.

import { CHANNELS, type Channel, type SlotRow } from './clinic/booking';
import { createVoiceBookingHandler, handleSms, handleWebForm, parseSmsCommand, parseToolResult, type ChannelOutcome } from './clinic/channels';
import type { ToolCallResponse, VoiceCall } from './clinic/voice';
import { formatPhone } from './support/people';
import { createPool } from './support/pool';
import { BOOKING_DAY, seedClinic, type ClinicWorld } from './support/world';

const pool = createPool({ seed: 0xb00c });

beforeEach(() => {
  pool.voice.webhooks.subscribe(createVoiceBookingHandler({ db: pool.db, clock: pool.clock }));
});

async function startCall(w: ClinicWorld, patient: number): Promise<VoiceCall> {
  const assistant = await pool.voice.assistants.create({ name: 'front desk', metadata: { clinicId: w.clinicId } });
  const p = w.patients[patient];
  const call = await pool.voice.calls.create({ assistantId: assistant.id, customer: { number: p.phone }, metadata: { clinicId: w.clinicId, patientId: p.id } });
  await pool.voice.simulate.answer(call.id);
  return call;
}

async function tool(call: VoiceCall, name: string, args: Record<string, string>): Promise<ChannelOutcome> {
  const responses = await pool.voice.simulate.toolCall(call.id, name, args);
  const response = responses.find((r): r is ToolCallResponse => r !== undefined);
  if (!response) throw new Error(`no answer to ${name}`);
  return parseToolResult(response.results[0].result);
}

function smsFrom(w: ClinicWorld, patient: number): string {
  return formatPhone(w.patients[patient].phone, patient);
}

/** `BOOK <day> <hh:mm> with <surname>` for exactly this slot. */
function smsBook(w: ClinicWorld, slot: SlotRow): string {
  const surname = w.practitioners.find((p) => p.id === slot.practitioner_id)!.name.split(' ').pop();
  return `BOOK ${slot.starts_at.slice(0, 10)} ${slot.starts_at.slice(11, 16)} with ${surname}`;
}

async function bookVia(channel: Channel, w: ClinicWorld, slot: SlotRow, patient: number, ref: string): Promise<ChannelOutcome> {
  switch (channel) {
    case 'web':
      return handleWebForm(w.desk, { sessionId: ref, patientId: w.patients[patient].id, slotId: slot.id });
    case 'sms':
      return handleSms(w.desk, { messageId: ref, from: smsFrom(w, patient), body: smsBook(w, slot) });
    case 'voice':
      return tool(await startCall(w, patient), 'book_appointment', { slotId: slot.id });
  }
}

const bookingIdOf = (o: ChannelOutcome): string => {
  if (!o.ok || !('booking' in o)) throw new Error(`expected a booking, got ${JSON.stringify(o)}`);
  return o.booking.id;
};

describe('every channel books', () => {
  test.each(CHANNELS)('a %s booking takes the slot and records where it came from', async (channel) => {
    const w = await seedClinic(pool);
    const slot = w.slots[4];
    const id = bookingIdOf(await bookVia(channel, w, slot, 1, `${channel}-ref`));
    const booking = await w.desk.getBooking(id);
    const history = await w.desk.history(id);

    expect(booking).toMatchObject({ channel, status: 'booked', active_slot_id: slot.id, patient_id: w.patients[1].id });
    expect(history.map((e) => [e.action, e.channel, e.slotId])).toEqual([['booked', channel, slot.id]]);
    expect((await w.desk.openSlots()).some((s) => s.id === slot.id)).toBe(false);
  });

  const pairs = CHANNELS.flatMap((first) => CHANNELS.map((second) => [first, second] as const));
  test.each(pairs)('a slot booked by %s cannot be booked again by %s', async (first, second) => {
    const w = await seedClinic(pool);
    const slot = w.slots[7];
    const winner = bookingIdOf(await bookVia(first, w, slot, 0, 'first'));
    const again = await bookVia(second, w, slot, 2, 'second');

    expect(again).toEqual({ ok: false, reason: 'slot_taken', slotId: slot.id });
    expect((await w.desk.liveBookings()).map((b) => b.id)).toEqual([winner]);
    expect((await w.desk.history(winner)).map((e) => e.channel)).toEqual([first]);
  });
});

describe('SMS commands', () => {
  test.each([
    ['BOOK 2025-03-04 09:30', { kind: 'book', startsAt: '2025-03-04T09:30:00.000Z', practitioner: null }],
    ['book 03/04/2025 9:30am', { kind: 'book', startsAt: '2025-03-04T09:30:00.000Z', practitioner: null }],
    ['Book 2025-03-04 at 2pm with Carver', { kind: 'book', startsAt: '2025-03-04T14:00:00.000Z', practitioner: 'Carver' }],
    ['  BOOK 2025-03-04 12:00am  WITH DR PATEL. ', { kind: 'book', startsAt: '2025-03-04T00:00:00.000Z', practitioner: 'PATEL' }],
  ])('%j is understood', (body, expected) => {
    expect(parseSmsCommand(body)).toEqual(expected);
  });

  test('unparseable, impossible and ambiguous messages book nothing', async () => {
    const w = await seedClinic(pool);
    const bodies = ['BOOK tomorrow', 'BOOK 2025-02-30 09:00', 'BOOK 2025-03-04 9', 'BOOK 2025-03-04 13:00pm', 'please call me back', 'CANCEL everything', ''];
    const outcomes = await Promise.all(bodies.map((body, i) => handleSms(w.desk, { messageId: `m${i}`, from: smsFrom(w, 0), body })));

    expect(outcomes).toEqual(bodies.map(() => ({ ok: false, reason: 'unparseable' })));
    expect(pool.db.count('bookings')).toBe(0);
  });

  test('a text from a number without a patient record is answered unknown_sender and books nothing', async () => {
    const w = await seedClinic(pool);
    const outcome = await handleSms(w.desk, { messageId: 'm1', from: '(919) 555-0199', body: smsBook(w, w.slots[0]) });

    expect(outcome).toEqual({ ok: false, reason: 'unknown_sender' });
    expect(pool.db.count('bookings')).toBe(0);
  });

  test("CANCEL of another patient's booking is refused as not_yours, and the booking stands", async () => {
    const w = await seedClinic(pool);
    const id = bookingIdOf(await bookVia('web', w, w.slots[3], 0, 'session-1'));
    const outcome = await handleSms(w.desk, { messageId: 'm2', from: smsFrom(w, 1), body: `CANCEL ${id}` });

    expect(outcome).toEqual({ ok: false, reason: 'not_yours' });
    expect((await w.desk.getBooking(id)).status).toBe('booked');
  });

  test('MOVE by SMS moves the booking and the history says so', async () => {
    const w = await seedClinic(pool, { practitioners: 1 });
    const id = bookingIdOf(await bookVia('voice', w, w.slots[2], 3, 'unused'));
    const target = w.slots[10];
    const outcome = await handleSms(w.desk, { messageId: 'm3', from: smsFrom(w, 3), body: `move ${id} to ${BOOKING_DAY} ${target.starts_at.slice(11, 16)}` });

    expect(outcome).toMatchObject({ ok: true, booking: { id, active_slot_id: target.id } });
    expect((await w.desk.history(id)).map((e) => [e.action, e.channel, e.previousSlotId, e.slotId])).toEqual([
      ['booked', 'voice', null, w.slots[2].id],
      ['rebooked', 'sms', w.slots[2].id, target.id],
    ]);
  });

  test('BOOK at a time with no slot is answered no_slot_at_time', async () => {
    const w = await seedClinic(pool);
    const outcomes = await Promise.all(
      ['BOOK 2025-03-04 07:00', 'BOOK 2025-03-04 09:10', 'BOOK 2025-03-05 09:00', 'BOOK 2025-03-04 09:00 with Nobody'].map((body, i) =>
        handleSms(w.desk, { messageId: `m${i}`, from: smsFrom(w, 0), body }),
      ),
    );

    expect(outcomes).toEqual(Array(4).fill({ ok: false, reason: 'no_slot_at_time' }));
  });
});

describe('voice tool calls', () => {
  test('the agent books during the call: the booking is voice, referenced by the call id', async () => {
    const w = await seedClinic(pool);
    const call = await startCall(w, 2);
    const outcome = await tool(call, 'book_appointment', { slotId: w.slots[9].id });
    const id = bookingIdOf(outcome);

    expect((await w.desk.history(id)).map((e) => [e.channel, e.ref])).toEqual([['voice', call.id]]);
    expect(pool.voice.deliveries.filter((d) => d.callId === call.id).map((d) => [d.type, d.ok])).toEqual([
      ['status-update', true],
      ['tool-calls', true],
    ]);
  });

  test('a web booking cancelled on the phone keeps both channels in its history', async () => {
    const w = await seedClinic(pool);
    const id = bookingIdOf(await bookVia('web', w, w.slots[1], 2, 'session-9'));
    const outcome = await tool(await startCall(w, 2), 'cancel_appointment', { bookingId: id });

    expect(outcome).toMatchObject({ ok: true, booking: { id, status: 'cancelled', active_slot_id: null } });
    expect((await w.desk.history(id)).map((e) => `${e.action}:${e.channel}`)).toEqual(['booked:web', 'cancelled:voice']);
  });

  test('an unknown tool is answered unparseable and writes nothing', async () => {
    const w = await seedClinic(pool);
    const outcome = await tool(await startCall(w, 0), 'delete_everything', { slotId: w.slots[0].id });

    expect(outcome).toEqual({ ok: false, reason: 'unparseable' });
    expect(pool.db.count('bookings') + pool.db.count('booking_events')).toBe(0);
  });

  test('a call the backend never routed to a clinic fails its webhook and books nothing', async () => {
    const w = await seedClinic(pool);
    const assistant = await pool.voice.assistants.create({ name: 'stray' });
    const call = await pool.voice.calls.create({ assistantId: assistant.id, customer: { number: w.patients[0].phone } });
    await pool.voice.simulate.answer(call.id);
    const results = await pool.voice.simulate.toolCall(call.id, 'book_appointment', { slotId: w.slots[0].id });

    expect(results).toEqual([undefined]);
    expect(pool.voice.deliveries.filter((d) => d.type === 'tool-calls').map((d) => d.ok)).toEqual([false]);
    expect(pool.db.count('bookings')).toBe(0);
  });
});

describe('web form', () => {
  test('incomplete or mistyped forms are rejected as invalid_form', async () => {
    const w = await seedClinic(pool);
    const good = { sessionId: 's', patientId: w.patients[0].id, slotId: w.slots[0].id };
    const forms = [{}, { ...good, sessionId: '' }, { ...good, patientId: undefined }, { ...good, slotId: 42 as unknown as string }, { sessionId: 's' }];
    const outcomes = await Promise.all(forms.map((f) => handleWebForm(w.desk, f)));

    expect(outcomes).toEqual(forms.map(() => ({ ok: false, reason: 'invalid_form' })));
    expect(await handleWebForm(w.desk, good)).toMatchObject({ ok: true });
  });
});

describe('cancel, move and history', () => {
  test('cancelling frees the slot for every channel, and both bookings keep their own history', async () => {
    const w = await seedClinic(pool);
    const slot = w.slots[5];
    const first = bookingIdOf(await bookVia('sms', w, slot, 0, 'sms-1'));
    await w.desk.cancel({ bookingId: first, channel: 'web', ref: 'session-2' });
    const second = bookingIdOf(await bookVia('voice', w, slot, 1, 'unused'));

    expect((await w.desk.history(first)).map((e) => `${e.action}:${e.channel}`)).toEqual(['booked:sms', 'cancelled:web']);
    expect((await w.desk.history(second)).map((e) => `${e.action}:${e.channel}`)).toEqual(['booked:voice']);
    expect((await w.desk.liveBookings()).map((b) => b.id)).toEqual([second]);
  });

  test('a second cancel is answered already_cancelled and adds nothing to the history', async () => {
    const w = await seedClinic(pool);
    const id = bookingIdOf(await bookVia('web', w, w.slots[0], 0, 's'));
    const first = await w.desk.cancel({ bookingId: id, channel: 'voice', ref: 'c1' });
    const second = await w.desk.cancel({ bookingId: id, channel: 'sms', ref: 'c2' });

    expect([first.ok, second]).toEqual([true, { ok: false, reason: 'already_cancelled', bookingId: id }]);
    expect((await w.desk.history(id)).map((e) => e.action)).toEqual(['booked', 'cancelled']);
  });

  test('a move to a free slot frees the old one and records where it came from', async () => {
    const w = await seedClinic(pool);
    const [from, to] = [w.slots[2], w.slots[12]];
    const id = bookingIdOf(await bookVia('web', w, from, 0, 's'));
    const moved = await w.desk.move({ bookingId: id, slotId: to.id, channel: 'voice', ref: 'call-x' });
    const open = new Set((await w.desk.openSlots()).map((s) => s.id));

    expect(moved).toMatchObject({ ok: true, booking: { id, slot_id: to.id, active_slot_id: to.id } });
    expect([open.has(from.id), open.has(to.id)]).toEqual([true, false]);
    expect((await w.desk.history(id)).at(-1)).toMatchObject({ action: 'rebooked', channel: 'voice', previousSlotId: from.id, slotId: to.id });
  });

  test('a move onto a taken slot is slot_taken and leaves the booking where it was', async () => {
    const w = await seedClinic(pool);
    const mine = bookingIdOf(await bookVia('sms', w, w.slots[0], 0, 'a'));
    bookingIdOf(await bookVia('web', w, w.slots[1], 1, 'b'));
    const moved = await w.desk.move({ bookingId: mine, slotId: w.slots[1].id, channel: 'sms', ref: 'c' });

    expect(moved).toEqual({ ok: false, reason: 'slot_taken', slotId: w.slots[1].id });
    expect((await w.desk.getBooking(mine)).active_slot_id).toBe(w.slots[0].id);
    expect((await w.desk.history(mine)).map((e) => e.action)).toEqual(['booked']);
  });

  test('moving onto its own slot is same_slot, and a cancelled booking cannot move', async () => {
    const w = await seedClinic(pool);
    const id = bookingIdOf(await bookVia('voice', w, w.slots[3], 0, 'x'));
    const same = await w.desk.move({ bookingId: id, slotId: w.slots[3].id, channel: 'web', ref: 'y' });
    await w.desk.cancel({ bookingId: id, channel: 'web', ref: 'z' });
    const afterCancel = await w.desk.move({ bookingId: id, slotId: w.slots[4].id, channel: 'web', ref: 'w' });

    expect([same, afterCancel]).toEqual([
      { ok: false, reason: 'same_slot', bookingId: id },
      { ok: false, reason: 'not_active', bookingId: id },
    ]);
  });

  test("a booking's life across all channels is told in order by its history", async () => {
    const w = await seedClinic(pool, { practitioners: 1 });
    const id = bookingIdOf(await bookVia('voice', w, w.slots[0], 0, 'v'));
    pool.clock.advance(60_000);
    await handleSms(w.desk, { messageId: 'sms-7', from: smsFrom(w, 0), body: `MOVE ${id} TO ${BOOKING_DAY} ${w.slots[6].starts_at.slice(11, 16)}` });
    pool.clock.advance(60_000);
    await w.desk.move({ bookingId: id, slotId: w.slots[8].id, channel: 'web', ref: 'session-3' });
    pool.clock.advance(60_000);
    await tool(await startCall(w, 0), 'cancel_appointment', { bookingId: id });
    const history = await w.desk.history(id);

    expect(history.map((e) => `${e.action}:${e.channel}:${e.slotId}`)).toEqual([
      `booked:voice:${w.slots[0].id}`,
      `rebooked:sms:${w.slots[6].id}`,
      `rebooked:web:${w.slots[8].id}`,
      `cancelled:voice:${w.slots[8].id}`,
    ]);
    expect(history.map((e) => Date.parse(e.at) - pool.clock.now())).toEqual([-180_000, -120_000, -60_000, 0]);
  });
});

describe('volume', () => {
  test('a morning of mixed traffic over three clinics: every slot booked at most once, each by the channel that won it', async () => {
    const worlds = [await seedClinic(pool, { name: 'A', patients: 6 }), await seedClinic(pool, { name: 'B', patients: 6, firstPatient: 6 }), await seedClinic(pool, { name: 'C', patients: 6, firstPatient: 12 })];
    const requests = Array.from({ length: 150 }, (_, i) => {
      const w = pool.rng.pick(worlds);
      return { w, slot: w.slots[pool.rng.int(16)], channel: pool.rng.pick(CHANNELS), patient: pool.rng.int(6), ref: `r${i}` };
    });
    const outcomes: ChannelOutcome[] = [];
    for (let i = 0; i < requests.length; i += 15) {
      const wave = requests.slice(i, i + 15);
      outcomes.push(...(await Promise.all(wave.map((r) => bookVia(r.channel, r.w, r.slot, r.patient, r.ref)))));
    }
    const wanted = new Set(requests.map((r) => r.slot.id));
    const live = (await Promise.all(worlds.map((w) => w.desk.liveBookings()))).flat();
    const channelOf = new Map<string, Channel>();
    outcomes.forEach((o, i) => {
      if (o.ok && 'booking' in o) channelOf.set(o.booking.id, requests[i].channel);
    });

    expect(live).toHaveLength(wanted.size);
    expect(new Set(live.map((b) => b.active_slot_id))).toEqual(wanted);
    expect(live.filter((b) => channelOf.get(b.id) !== b.channel)).toEqual([]);
    expect(outcomes.filter((o) => !o.ok && o.reason !== 'slot_taken')).toEqual([]);
  });

  test('availability follows 200 random bookings and cancellations exactly', async () => {
    const w = await seedClinic(pool, { patients: 5 });
    const held = new Map<string, string>(); // slot → booking
    for (let i = 0; i < 200; i++) {
      const slot = pool.rng.pick(w.slots);
      const booking = held.get(slot.id);
      if (booking && pool.rng.chance(0.5)) {
        await w.desk.cancel({ bookingId: booking, channel: pool.rng.pick(CHANNELS), ref: `c${i}` });
        held.delete(slot.id);
      } else {
        const r = await w.desk.book({ slotId: slot.id, patientId: w.patients[i % 5].id, channel: pool.rng.pick(CHANNELS), ref: `b${i}` });
        if (r.ok) held.set(slot.id, r.booking.id);
        else if (!held.has(slot.id)) throw new Error(`slot ${slot.id} refused while free`);
      }
    }
    const open = (await w.desk.openSlots()).map((s) => s.id);

    expect(open.sort()).toEqual(w.slots.filter((s) => !held.has(s.id)).map((s) => s.id).sort());
    expect(new Set((await w.desk.liveBookings()).map((b) => b.id))).toEqual(new Set(held.values()));
  });

  test("a patient's bookings from every channel are listed together, oldest first", async () => {
    const w = await seedClinic(pool);
    const ids = [];
    for (const [i, channel] of (['web', 'voice', 'sms', 'web'] as const).entries()) ids.push(bookingIdOf(await bookVia(channel, w, w.slots[i * 3], 1, `p${i}`)));
    await w.desk.cancel({ bookingId: ids[1], channel: 'sms', ref: 'x' });
    bookingIdOf(await bookVia('web', w, w.slots[20], 2, 'other patient'));
    const listed = await w.desk.patientBookings(w.patients[1].id);

    expect(listed.map((b) => [b.id, b.channel, b.status])).toEqual([
      [ids[0], 'web', 'booked'],
      [ids[1], 'voice', 'cancelled'],
      [ids[2], 'sms', 'booked'],
      [ids[3], 'web', 'booked'],
    ]);
  });
});
