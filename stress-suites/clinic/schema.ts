// The tables of the clinic backend, as the migrations create them. Every row carries clinic_id:
// many clinics share one database, and ClinicScope confines each request to its own clinic.

import type { TableSpec } from './db';

export const CLINIC_SCHEMA: readonly TableSpec[] = [
  { name: 'clinics', idPrefix: 'cl' },
  { name: 'practitioners', idPrefix: 'pr' },
  { name: 'patients', idPrefix: 'pt' },
  // One slot per practitioner and start time.
  { name: 'slots', idPrefix: 'sl', unique: [['clinic_id', 'practitioner_id', 'starts_at']] },
  // A slot holds at most one live booking: active_slot_id is the slot while the booking stands and
  // NULL once it is cancelled (NULLs never collide), so the database itself refuses a double booking.
  { name: 'bookings', idPrefix: 'bk', unique: [['active_slot_id']] },
  { name: 'booking_events', idPrefix: 'ev' },
  // Each webhook / inbound message is stored once, however often the platform retries it.
  { name: 'transcripts', idPrefix: 'tr', unique: [['call_id']] },
  { name: 'sms_messages', idPrefix: 'sm', unique: [['message_id']] },
  { name: 'pii_audit', idPrefix: 'au' },
  { name: 'kb_entries', idPrefix: 'kb' },
];
