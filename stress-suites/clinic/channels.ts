// The three ways a booking request reaches a clinic, each turned into a BookingDesk call:
// - voice: the agent's tool calls (book_appointment, cancel_appointment, move_appointment) arrive
//   as a webhook; the call's metadata names the clinic and the caller's patient record;
// - SMS: a text command from the patient's phone (`BOOK 2025-03-04 09:30 with Patel`,
//   `CANCEL bk_00000012`, `MOVE bk_00000012 TO 2025-03-05 14:00`);
// - web: the booking form.

import type { Clock } from './clock';
import type { DataClient } from './db';
import { BookingDesk, slotTime, type BookResult, type CancelResult, type MoveResult, type PatientRow, type PractitionerRow, type SlotRow } from './booking';
import { CrossClinicAccessError, NotFoundError } from './errors';
import type { ToolCallResponse, VoiceEvent } from './voice';

/** A phone number in E.164 (`+14155550123`), or null when it is not one. */
export function normalisePhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  if (raw.trim().startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

export type SmsCommand =
  | { kind: 'book'; startsAt: string; practitioner: string | null }
  | { kind: 'cancel'; bookingId: string }
  | { kind: 'move'; bookingId: string; startsAt: string }
  | { kind: 'unknown'; text: string };

const DATE = String.raw`(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})`;
const TIME = String.raw`(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)`;
const BOOK = new RegExp(String.raw`^book\s+${DATE}\s+(?:at\s+)?${TIME}(?:\s+with\s+(?:dr\.?\s+)?([a-z][a-z' -]*))?$`, 'i');
const CANCEL = /^cancel\s+([a-z]{2}_\d{8})$/i;
const MOVE = new RegExp(String.raw`^move\s+([a-z]{2}_\d{8})\s+to\s+${DATE}\s+(?:at\s+)?${TIME}$`, 'i');

function parseDate(text: string): string | null {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return `${us[3]}-${us[1].padStart(2, '0')}-${us[2].padStart(2, '0')}`;
  return text;
}

function parseTime(text: string): string | null {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3]?.toLowerCase();
  if (half) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (half === 'pm' ? 12 : 0);
  } else if (m[2] === undefined) {
    return null; // a bare "9" is ambiguous
  }
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

function when(date: string, time: string): string | null {
  const day = parseDate(date);
  const hhmm = parseTime(time);
  if (!day || !hhmm) return null;
  try {
    return slotTime(day, hhmm);
  } catch {
    return null;
  }
}

export function parseSmsCommand(body: string): SmsCommand {
  const text = body.trim().replace(/[.!]+$/, '').replace(/\s+/g, ' ');
  const book = BOOK.exec(text);
  if (book) {
    const startsAt = when(book[1], book[2]);
    if (startsAt) return { kind: 'book', startsAt, practitioner: book[3] ? book[3].trim() : null };
  }
  const cancel = CANCEL.exec(text);
  if (cancel) return { kind: 'cancel', bookingId: cancel[1].toLowerCase() };
  const move = MOVE.exec(text);
  if (move) {
    const startsAt = when(move[2], move[3]);
    if (startsAt) return { kind: 'move', bookingId: move[1].toLowerCase(), startsAt };
  }
  return { kind: 'unknown', text };
}

export type ChannelOutcome =
  | BookResult
  | CancelResult
  | MoveResult
  | { ok: false; reason: 'unknown_sender' | 'unparseable' | 'no_slot_at_time' | 'not_yours' | 'refused' | 'not_found' | 'invalid_form' };

export interface SmsIn {
  messageId: string;
  from: string;
  body: string;
}

async function patientByPhone(desk: BookingDesk, phone: string): Promise<PatientRow | null> {
  const e164 = normalisePhone(phone);
  if (!e164) return null;
  const rows = await desk.scope.all(desk.scope.select<PatientRow>('patients').eq('phone', e164).order('id').limit(1), 'patient by phone');
  return rows[0] ?? null;
}

/** The slot at `startsAt`, with the named practitioner or with whoever has it open (lowest id first). */
async function slotAt(desk: BookingDesk, startsAt: string, practitioner: string | null): Promise<SlotRow | null> {
  let practitioners = await desk.scope.all(desk.scope.select<PractitionerRow>('practitioners').order('id'), 'practitioners');
  if (practitioner) {
    const wanted = practitioner.toLowerCase();
    practitioners = practitioners.filter((p) => p.name.toLowerCase().split(/\s+/).includes(wanted) || p.name.toLowerCase() === wanted);
  }
  const open = new Set((await desk.openSlots({ day: startsAt.slice(0, 10) })).map((s) => s.id));
  let first: SlotRow | null = null;
  for (const p of practitioners) {
    const slot = await desk.findSlot(p.id, startsAt);
    if (slot && open.has(slot.id)) return slot;
    first ??= slot;
  }
  return first; // taken: the booking attempt will say so
}

/** Refusals of the scope become outcomes a channel can answer with. */
async function guarded(work: () => Promise<ChannelOutcome>): Promise<ChannelOutcome> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CrossClinicAccessError) return { ok: false, reason: 'refused' };
    if (err instanceof NotFoundError) return { ok: false, reason: 'not_found' };
    throw err;
  }
}

export async function handleSms(desk: BookingDesk, sms: SmsIn): Promise<ChannelOutcome> {
  return guarded(async () => {
    const patient = await patientByPhone(desk, sms.from);
    if (!patient) return { ok: false, reason: 'unknown_sender' };
    const command = parseSmsCommand(sms.body);
    const request = { channel: 'sms' as const, ref: sms.messageId };
    switch (command.kind) {
      case 'unknown':
        return { ok: false, reason: 'unparseable' };
      case 'book': {
        const slot = await slotAt(desk, command.startsAt, command.practitioner);
        if (!slot) return { ok: false, reason: 'no_slot_at_time' };
        return desk.book({ ...request, slotId: slot.id, patientId: patient.id });
      }
      case 'cancel': {
        const booking = await desk.getBooking(command.bookingId);
        if (booking.patient_id !== patient.id) return { ok: false, reason: 'not_yours' };
        return desk.cancel({ ...request, bookingId: booking.id });
      }
      case 'move': {
        const booking = await desk.getBooking(command.bookingId);
        if (booking.patient_id !== patient.id) return { ok: false, reason: 'not_yours' };
        const slot = await slotAt(desk, command.startsAt, null);
        if (!slot) return { ok: false, reason: 'no_slot_at_time' };
        return desk.move({ ...request, bookingId: booking.id, slotId: slot.id });
      }
    }
  });
}

export interface WebForm {
  sessionId: string;
  patientId: string;
  slotId: string;
}

export async function handleWebForm(desk: BookingDesk, form: Partial<WebForm>): Promise<ChannelOutcome> {
  const { sessionId, patientId, slotId } = form;
  if (typeof sessionId !== 'string' || typeof patientId !== 'string' || typeof slotId !== 'string' || !sessionId || !patientId || !slotId) {
    return { ok: false, reason: 'invalid_form' };
  }
  return guarded(() => desk.book({ channel: 'web', ref: sessionId, patientId, slotId }));
}

/**
 * The webhook endpoint for the voice agent's tool calls. The call's metadata (set when the call
 * was routed) says which clinic and patient it is for; the agent's arguments never choose the clinic.
 */
export function createVoiceBookingHandler(deps: { db: DataClient; clock: Clock }) {
  return async (event: VoiceEvent): Promise<ToolCallResponse | undefined> => {
    if (event.message.type !== 'tool-calls') return undefined;
    const { call, toolCallList } = event.message;
    const clinicId = call.metadata.clinicId;
    const patientId = call.metadata.patientId;
    if (!clinicId || !patientId) throw new Error(`call ${call.id} was not routed to a clinic and patient`);
    const desk = new BookingDesk(deps.db, deps.clock, clinicId);
    const results: ToolCallResponse['results'] = [];
    for (const toolCall of toolCallList) {
      const args = toolCall.function.arguments;
      const request = { channel: 'voice' as const, ref: call.id };
      const outcome = await guarded(async (): Promise<ChannelOutcome> => {
        switch (toolCall.function.name) {
          case 'book_appointment':
            return desk.book({ ...request, slotId: args.slotId ?? '', patientId });
          case 'cancel_appointment': {
            const booking = await desk.getBooking(args.bookingId ?? '');
            if (booking.patient_id !== patientId) return { ok: false, reason: 'not_yours' };
            return desk.cancel({ ...request, bookingId: booking.id });
          }
          case 'move_appointment': {
            const booking = await desk.getBooking(args.bookingId ?? '');
            if (booking.patient_id !== patientId) return { ok: false, reason: 'not_yours' };
            return desk.move({ ...request, bookingId: booking.id, slotId: args.slotId ?? '' });
          }
          default:
            return { ok: false, reason: 'unparseable' };
        }
      });
      results.push({ toolCallId: toolCall.id, result: JSON.stringify(outcome) });
    }
    return { results };
  };
}

/** The outcome a tool-call result carries. */
export function parseToolResult(result: string): ChannelOutcome {
  return JSON.parse(result) as ChannelOutcome;
}
