// Booking: a clinic's slots per practitioner and time, booked from any channel (voice agent, SMS,
// web), cancelled and moved, with each booking's channel history kept as events.
//
// A slot is claimed with one INSERT whose `active_slot_id` is under a unique constraint, so the
// database decides the race: of any number of concurrent claims exactly one succeeds and the
// others get `{ ok: false, reason: 'slot_taken' }`. Cancelling is a conditional UPDATE (only a
// booking still `booked` is cancelled), and a move is a single UPDATE of `active_slot_id` that the
// same constraint guards. Nothing here reads a slot's state and then writes on the strength of it.

import type { Clock } from './clock';
import { UNIQUE_VIOLATION, type DataClient } from './db';
import { DataAccessError } from './errors';
import { ClinicScope } from './scope';

export type Channel = 'voice' | 'sms' | 'web';
export const CHANNELS: readonly Channel[] = ['voice', 'sms', 'web'];

export type PractitionerRow = { id: string; clinic_id: string; name: string };
export type PatientRow = {
  id: string;
  clinic_id: string;
  first_name: string;
  last_name: string;
  dob: string;
  phone: string;
  email: string;
};
export type SlotRow = { id: string; clinic_id: string; practitioner_id: string; starts_at: string; minutes: number };
export type BookingStatus = 'booked' | 'cancelled';
export type BookingRow = {
  id: string;
  clinic_id: string;
  slot_id: string;
  /** The slot while the booking stands, NULL once cancelled (unique: one live booking per slot). */
  active_slot_id: string | null;
  patient_id: string;
  status: BookingStatus;
  channel: Channel;
  created_at: string;
  updated_at: string;
};
export type BookingAction = 'booked' | 'cancelled' | 'rebooked';
export type BookingEventRow = {
  id: string;
  clinic_id: string;
  booking_id: string;
  action: BookingAction;
  channel: Channel;
  slot_id: string;
  previous_slot_id: string | null;
  /** The channel's own reference: call id, SMS message id, web session. */
  ref: string;
  at: string;
};

export interface ChannelEvent {
  action: BookingAction;
  channel: Channel;
  slotId: string;
  previousSlotId: string | null;
  ref: string;
  at: string;
}

export type BookResult =
  | { ok: true; booking: BookingRow }
  | { ok: false; reason: 'slot_taken'; slotId: string }
  | { ok: false; reason: 'slot_in_past'; slotId: string };

export type CancelResult = { ok: true; booking: BookingRow } | { ok: false; reason: 'already_cancelled'; bookingId: string };

export type MoveResult =
  | { ok: true; booking: BookingRow }
  | { ok: false; reason: 'slot_taken'; slotId: string }
  | { ok: false; reason: 'slot_in_past'; slotId: string }
  | { ok: false; reason: 'not_active'; bookingId: string }
  | { ok: false; reason: 'booking_changed'; bookingId: string }
  | { ok: false; reason: 'same_slot'; bookingId: string };

export interface ChannelRequest {
  channel: Channel;
  /** The channel's reference for the audit of who did what: call id, message id, session id. */
  ref: string;
}

const MINUTE = 60_000;

/** `2025-03-04` + `09:30` → `2025-03-04T09:30:00.000Z`. Clinic times are kept in UTC here. */
export function slotTime(day: string, hhmm: string): string {
  const iso = `${day}T${hhmm}:00.000Z`;
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(hhmm) || Number.isNaN(ms) || new Date(ms).toISOString() !== iso) {
    throw new RangeError(`not a valid slot time: ${day} ${hhmm}`);
  }
  return iso;
}

function toEvent(row: BookingEventRow): ChannelEvent {
  return { action: row.action, channel: row.channel, slotId: row.slot_id, previousSlotId: row.previous_slot_id, ref: row.ref, at: row.at };
}

export class BookingDesk {
  readonly scope: ClinicScope;

  constructor(
    db: DataClient,
    private readonly clock: Clock,
    readonly clinicId: string,
  ) {
    this.scope = new ClinicScope(db, clinicId);
  }

  async addPractitioner(name: string): Promise<PractitionerRow> {
    const { data, error } = await this.scope.insert<PractitionerRow>('practitioners', { name }).select().single();
    if (error) throw new DataAccessError('add practitioner', error);
    return data!;
  }

  async addPatient(patient: Omit<PatientRow, 'id' | 'clinic_id'>): Promise<PatientRow> {
    const { data, error } = await this.scope.insert<PatientRow>('patients', patient).select().single();
    if (error) throw new DataAccessError('add patient', error);
    return data!;
  }

  /** Slots every `minutes` from `from` (inclusive) to `to` (exclusive) on `day`. */
  async addSchedule(input: { practitionerId: string; day: string; from: string; to: string; minutes: number }): Promise<SlotRow[]> {
    await this.scope.get<PractitionerRow>('practitioners', input.practitionerId);
    const start = Date.parse(slotTime(input.day, input.from));
    const end = Date.parse(slotTime(input.day, input.to));
    if (!(input.minutes > 0) || end <= start) throw new RangeError('a schedule needs a positive length and step');
    const rows: Array<Partial<SlotRow>> = [];
    for (let t = start; t + input.minutes * MINUTE <= end; t += input.minutes * MINUTE) {
      rows.push({ practitioner_id: input.practitionerId, starts_at: new Date(t).toISOString(), minutes: input.minutes });
    }
    const { data, error } = await this.scope.insert<SlotRow>('slots', rows).select();
    if (error) throw new DataAccessError('add schedule', error);
    return data!;
  }

  /** The slot of `practitionerId` starting at `startsAt`, or null. */
  async findSlot(practitionerId: string, startsAt: string): Promise<SlotRow | null> {
    const { data, error } = await this.scope
      .select<SlotRow>('slots')
      .eq('practitioner_id', practitionerId)
      .eq('starts_at', startsAt)
      .maybeSingle();
    if (error) throw new DataAccessError('find slot', error);
    return data;
  }

  /** Future slots without a live booking, earliest first (ties by practitioner, then id). */
  async openSlots(filter: { practitionerId?: string; day?: string } = {}): Promise<SlotRow[]> {
    let query = this.scope.select<SlotRow>('slots').gt('starts_at', new Date(this.clock.now()).toISOString());
    if (filter.practitionerId) query = query.eq('practitioner_id', filter.practitionerId);
    if (filter.day) query = query.gte('starts_at', `${filter.day}T00:00:00.000Z`).lte('starts_at', `${filter.day}T23:59:59.999Z`);
    const slots = await this.scope.all(query.order('starts_at').order('practitioner_id').order('id'), 'open slots');
    const live = await this.scope.all(this.scope.select<BookingRow>('bookings', 'id, clinic_id, active_slot_id').eq('status', 'booked'), 'live bookings');
    const taken = new Set(live.map((b) => b.active_slot_id));
    return slots.filter((s) => !taken.has(s.id));
  }

  async book(input: ChannelRequest & { slotId: string; patientId: string }): Promise<BookResult> {
    const slot = await this.scope.get<SlotRow>('slots', input.slotId);
    await this.scope.get<PatientRow>('patients', input.patientId);
    if (Date.parse(slot.starts_at) <= this.clock.now()) return { ok: false, reason: 'slot_in_past', slotId: slot.id };
    const at = this.clock.iso();
    const { data, error } = await this.scope
      .insert<BookingRow>('bookings', {
        slot_id: slot.id,
        active_slot_id: slot.id,
        patient_id: input.patientId,
        status: 'booked',
        channel: input.channel,
        created_at: at,
        updated_at: at,
      })
      .select()
      .single();
    if (error?.code === UNIQUE_VIOLATION) return { ok: false, reason: 'slot_taken', slotId: slot.id };
    if (error) throw new DataAccessError('book', error);
    await this.record(data!.id, 'booked', input, slot.id, null, at);
    return { ok: true, booking: data! };
  }

  async cancel(input: ChannelRequest & { bookingId: string }): Promise<CancelResult> {
    await this.scope.get<BookingRow>('bookings', input.bookingId);
    const at = this.clock.iso();
    const { data, error } = await this.scope
      .update<BookingRow>('bookings', { status: 'cancelled', active_slot_id: null, updated_at: at })
      .eq('id', input.bookingId)
      .eq('status', 'booked')
      .select();
    if (error) throw new DataAccessError('cancel', error);
    if (data!.length === 0) return { ok: false, reason: 'already_cancelled', bookingId: input.bookingId };
    const booking = data![0];
    await this.record(booking.id, 'cancelled', input, booking.slot_id, null, at);
    return { ok: true, booking };
  }

  /** Move a live booking to another slot of the same clinic. */
  async move(input: ChannelRequest & { bookingId: string; slotId: string }): Promise<MoveResult> {
    const current = await this.scope.get<BookingRow>('bookings', input.bookingId);
    const slot = await this.scope.get<SlotRow>('slots', input.slotId);
    if (current.status !== 'booked') return { ok: false, reason: 'not_active', bookingId: current.id };
    if (current.active_slot_id === slot.id) return { ok: false, reason: 'same_slot', bookingId: current.id };
    if (Date.parse(slot.starts_at) <= this.clock.now()) return { ok: false, reason: 'slot_in_past', slotId: slot.id };
    const at = this.clock.iso();
    // Only from the slot we saw: a concurrent move or cancel in between makes this match nothing.
    const { data, error } = await this.scope
      .update<BookingRow>('bookings', { slot_id: slot.id, active_slot_id: slot.id, updated_at: at })
      .eq('id', current.id)
      .eq('status', 'booked')
      .eq('active_slot_id', current.active_slot_id!)
      .select();
    if (error?.code === UNIQUE_VIOLATION) return { ok: false, reason: 'slot_taken', slotId: slot.id };
    if (error) throw new DataAccessError('move', error);
    if (data!.length === 0) {
      // Cancelled or moved by someone else since we read it: nothing was changed.
      const now = await this.scope.get<BookingRow>('bookings', current.id);
      return { ok: false, reason: now.status === 'booked' ? 'booking_changed' : 'not_active', bookingId: current.id };
    }
    await this.record(current.id, 'rebooked', input, slot.id, current.slot_id, at);
    return { ok: true, booking: data![0] };
  }

  async getBooking(bookingId: string): Promise<BookingRow> {
    return this.scope.get<BookingRow>('bookings', bookingId);
  }

  /** Every channel event of a booking, oldest first. */
  async history(bookingId: string): Promise<ChannelEvent[]> {
    await this.scope.get<BookingRow>('bookings', bookingId);
    const rows = await this.scope.all(this.scope.select<BookingEventRow>('booking_events').eq('booking_id', bookingId).order('id'), 'history');
    return rows.map(toEvent);
  }

  /** A patient's bookings, live and cancelled, oldest first. */
  async patientBookings(patientId: string): Promise<BookingRow[]> {
    await this.scope.get<PatientRow>('patients', patientId);
    return this.scope.all(this.scope.select<BookingRow>('bookings').eq('patient_id', patientId).order('id'), 'patient bookings');
  }

  /** Live bookings of the clinic, by id. */
  async liveBookings(): Promise<BookingRow[]> {
    return this.scope.all(this.scope.select<BookingRow>('bookings').eq('status', 'booked').order('id'), 'live bookings');
  }

  private async record(
    bookingId: string,
    action: BookingAction,
    request: ChannelRequest,
    slotId: string,
    previousSlotId: string | null,
    at: string,
  ): Promise<void> {
    const { error } = await this.scope.insert<BookingEventRow>('booking_events', {
      booking_id: bookingId,
      action,
      channel: request.channel,
      slot_id: slotId,
      previous_slot_id: previousSlotId,
      ref: request.ref,
      at,
    });
    if (error) throw new DataAccessError('record booking event', error);
  }
}
