// Building clinics for a test: the clinic row, its practitioners, a day of slots and its patients,
// all through the clinic code itself (BookingDesk), so the setup obeys the same scoping as the tests.

import { BookingDesk, type PatientRow, type PractitionerRow, type SlotRow } from '../clinic/booking';
import { DataAccessError } from '../clinic/errors';
import { PRACTITIONER_NAMES, type PatientProfile } from './people';
import type { StressPool } from './pool';

/** The day the suites book on: the fake clock starts the Monday before, at 08:00 UTC. */
export const BOOKING_DAY = '2025-03-04';

export interface ClinicWorld {
  clinicId: string;
  desk: BookingDesk;
  practitioners: PractitionerRow[];
  slots: SlotRow[];
  patients: PatientRow[];
  /** The generated profile behind each patient row, same order. */
  profiles: PatientProfile[];
}

export interface ClinicPlan {
  name?: string;
  practitioners?: number;
  /** Slot length in minutes; the day runs 08:00–18:00. */
  minutes?: number;
  patients?: number;
  /** Index of the first patient in the pool's population. */
  firstPatient?: number;
}

export function patientRow(p: PatientProfile): Omit<PatientRow, 'id' | 'clinic_id'> {
  return { first_name: p.firstName, last_name: p.lastName, dob: p.dob, phone: p.phone, email: p.email };
}

export async function createClinic(pool: StressPool, name: string): Promise<string> {
  const { data, error } = await pool.db.from<{ id: string; name: string }>('clinics').insert({ name }).select().single();
  if (error) throw new DataAccessError('create clinic', error);
  return data!.id;
}

export async function seedClinic(pool: StressPool, plan: ClinicPlan = {}): Promise<ClinicWorld> {
  const clinicId = await createClinic(pool, plan.name ?? 'Clinic');
  const desk = new BookingDesk(pool.db, pool.clock, clinicId);
  const practitioners: PractitionerRow[] = [];
  const slots: SlotRow[] = [];
  for (let i = 0; i < (plan.practitioners ?? 2); i++) {
    const practitioner = await desk.addPractitioner(PRACTITIONER_NAMES[i % PRACTITIONER_NAMES.length]);
    practitioners.push(practitioner);
    slots.push(...(await desk.addSchedule({ practitionerId: practitioner.id, day: BOOKING_DAY, from: '08:00', to: '18:00', minutes: plan.minutes ?? 30 })));
  }
  const profiles: PatientProfile[] = [];
  const first = plan.firstPatient ?? 0;
  for (let i = 0; i < (plan.patients ?? 4); i++) profiles.push(await pool.fixtures.lookupPatient(first + i));
  const patients: PatientRow[] = [];
  if (profiles.length > 0) {
    const { data, error } = await desk.scope.insert<PatientRow>('patients', profiles.map(patientRow)).select();
    if (error) throw new DataAccessError('add patients', error);
    patients.push(...data!);
  }
  return { clinicId, desk, practitioners, slots, patients, profiles };
}
