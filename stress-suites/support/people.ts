// Synthetic patients and what they say: every profile and conversation is generated from a seed,
// so volume comes from loops rather than stored fixtures. Generated PII is realistic in shape
// (valid NANP numbers, Luhn-valid cards, SSNs with valid area/group/serial) and planted with its
// exact position, so a test knows what a perfect redactor would remove.

import type { PiiKind } from '../clinic/redaction';
import { createRng, deriveSeed, type Rng } from './prng';

// prettier-ignore
export const FIRST_NAMES = [
  'Maria', 'Jamal', 'Priya', 'Olusegun', 'Keiko', 'Mateo', 'Siobhan', 'Dmitri', 'Aaliyah', 'Thandiwe', 'Bogdan',
  'Ingrid', 'Rafael', 'Yusuf', 'Anneliese', 'Chidi', 'Marisol', 'Tomasz', 'Leilani', 'Anika', 'Kwame', 'Svetlana',
  'Joaquin', 'Fatima', 'Henrik', 'Ximena', 'Oluwaseun', 'Rosalind', 'Emeka', 'Zofia', 'Hamid', 'Beatriz',
  'Dariusz', 'Ngozi', 'Esperanza', 'Kenji', 'Agnieszka', 'Lorenzo', 'Farah', 'Cormac',
];
// prettier-ignore
export const LAST_NAMES = [
  'Lopez', 'Okafor', 'Nguyen-Tran', "O'Brien", 'Kowalczyk', 'Haddad', 'Fitzgerald', 'Abernathy', 'Castellanos',
  'Yamamoto', 'Lindqvist', 'Adeyemi', 'Petrovic', 'Delacroix', 'Mbeki', 'Szymanski', 'Vasquez', 'Achterberg',
  'Oyelaran', 'Rasmussen', 'Takahashi', 'Ferreira', 'Novak', 'Quintero', 'Balogun', 'Sorensen', 'Marchetti',
  'Gallagher', 'Zielinski', 'Iwasaki',
];
/** Practitioners' names never collide with patients' names. */
export const PRACTITIONER_NAMES = ['Dr Anand Patel', 'Dr Helen Carver', 'Dr Samuel Whitford', 'Dr Lucia Moretti', 'Dr Ewan Blackwood', 'Dr Mei Chen'];

const AREA_CODES = ['212', '305', '312', '415', '503', '617', '646', '702', '808', '919'];
const EMAIL_DOMAINS = ['example.com', 'mail.example.org', 'clinicmail.net', 'inbox.example.co'];
const STREETS = ['Maple Avenue', 'Cedar Lane', 'Harbor Street', 'Willow Drive', 'Birch Road', 'Summit Way'];
const INSURERS = ['Aetna', 'Cigna', 'Humana', 'Kaiser', 'Medicare', 'UnitedHealthcare', 'Blue Cross'];
const REASONS = ['annual physical', 'follow-up on blood pressure', 'knee pain', 'flu symptoms', 'dental cleaning', 'MRI of the lower back', 'vaccination', 'skin rash'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface Visit {
  date: string;
  reason: string;
  note: string;
}

export interface PatientProfile {
  index: number;
  firstName: string;
  lastName: string;
  /** `YYYY-MM-DD` */
  dob: string;
  /** E.164, `+1XXXXXXXXXX` */
  phone: string;
  email: string;
  /** `AAA-GG-SSSS` */
  ssn: string;
  /** Digits only, Luhn-valid. */
  card: string;
  address: string;
  insurer: string;
  memberId: string;
  visits: Visit[];
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A Luhn-valid number: `prefix`, random digits, then the check digit, `length` digits in all. */
export function luhnNumber(rng: Rng, prefix: string, length: number): string {
  let body = prefix;
  while (body.length < length - 1) body += String(rng.int(10));
  for (let check = 0; check < 10; check++) {
    const candidate = body + check;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = candidate.charCodeAt(candidate.length - 1 - i) - 48;
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable: one check digit always fits');
}

/** The same number with its last digit changed, so it fails the Luhn check. */
export function breakLuhn(number: string): string {
  const last = Number(number[number.length - 1]);
  return number.slice(0, -1) + String((last + 5) % 10);
}

export function generateSsn(rng: Rng): string {
  let area = rng.between(1, 899);
  if (area === 666) area = 667;
  return `${pad(area, 3)}-${pad(rng.between(1, 99), 2)}-${pad(rng.between(1, 9999), 4)}`;
}

export function generatePhone(rng: Rng): string {
  return `+1${rng.pick(AREA_CODES)}${rng.between(2, 9)}${pad(rng.int(100), 2)}${pad(rng.int(10000), 4)}`;
}

/** A patient, the same for the same (seed, index) every time. */
export function generatePatient(seed: number, index: number): PatientProfile {
  const rng = createRng(deriveSeed(seed, index));
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const year = rng.between(1940, 2012);
  const dob = `${year}-${pad(rng.between(1, 12), 2)}-${pad(rng.between(1, 28), 2)}`;
  const local = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
  const visits: Visit[] = [];
  for (let v = 0; v < 8; v++) {
    const reason = rng.pick(REASONS);
    visits.push({
      date: `${rng.between(2019, 2024)}-${pad(rng.between(1, 12), 2)}-${pad(rng.between(1, 28), 2)}`,
      reason,
      note: `Seen for ${reason}. Vitals within normal limits; plan reviewed with the patient and a follow-up offered in ${rng.between(2, 12)} weeks.`,
    });
  }
  return {
    index,
    firstName,
    lastName,
    dob,
    phone: generatePhone(rng),
    email: `${local}${rng.int(100)}@${rng.pick(EMAIL_DOMAINS)}`,
    ssn: generateSsn(rng),
    card: rng.chance(0.8) ? luhnNumber(rng, rng.pick(['4', '51', '52', '55']), 16) : luhnNumber(rng, rng.pick(['34', '37']), 15),
    address: `${rng.between(1, 9999)} ${rng.pick(STREETS)}`,
    insurer: rng.pick(INSURERS),
    memberId: `${String.fromCharCode(65 + rng.int(26))}${String.fromCharCode(65 + rng.int(26))}${pad(rng.int(1e9), 9)}`,
    visits,
  };
}

// ---------------------------------------------------------------- formats

/** The ways callers and texters write a phone number; `d` is the 10-digit national number. */
export const PHONE_FORMATS: ReadonlyArray<readonly [string, (d: string) => string]> = [
  ['(AAA) EEE-LLLL', (d) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`],
  ['AAA-EEE-LLLL', (d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`],
  ['AAA.EEE.LLLL', (d) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`],
  ['AAA EEE LLLL', (d) => `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`],
  ['AAAEEELLLL', (d) => d],
  ['+1 AAA EEE LLLL', (d) => `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`],
  ['+1-AAA-EEE-LLLL', (d) => `+1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`],
  ['1-AAA-EEE-LLLL', (d) => `1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`],
  ['+1AAAEEELLLL', (d) => `+1${d}`],
  ['+1 (AAA) EEE-LLLL', (d) => `+1 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`],
];

/** International numbers as they are written. */
export const INTERNATIONAL_PHONES = ['+44 20 7946 0958', '+49 30 901820', '+61 2 9374 4000', '+33 1 42 68 53 00', '+52 55 5342 1100'];

export function formatPhone(e164: string, style: number): string {
  return PHONE_FORMATS[style % PHONE_FORMATS.length][1](e164.slice(2));
}

export const DOB_FORMATS: ReadonlyArray<readonly [string, (y: string, m: string, d: string) => string]> = [
  ['YYYY-MM-DD', (y, m, d) => `${y}-${m}-${d}`],
  ['MM/DD/YYYY', (y, m, d) => `${m}/${d}/${y}`],
  ['M/D/YYYY', (y, m, d) => `${Number(m)}/${Number(d)}/${y}`],
  ['MM-DD-YYYY', (y, m, d) => `${m}-${d}-${y}`],
  ['Month D, YYYY', (y, m, d) => `${MONTHS[Number(m) - 1]} ${Number(d)}, ${y}`],
  ['D Month YYYY', (y, m, d) => `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`],
  ['Mon Dth YYYY', (y, m, d) => `${MONTHS[Number(m) - 1].slice(0, 3)} ${ordinal(Number(d))} ${y}`],
];

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

export function formatDate(iso: string, style: number): string {
  const [y, m, d] = iso.split('-');
  return DOB_FORMATS[style % DOB_FORMATS.length][1](y, m, d);
}

export const CARD_FORMATS: ReadonlyArray<readonly [string, (digits: string) => string]> = [
  ['grouped by spaces', (c) => (c.length === 15 ? `${c.slice(0, 4)} ${c.slice(4, 10)} ${c.slice(10)}` : c.replace(/(\d{4})(?=\d)/g, '$1 '))],
  ['grouped by dashes', (c) => (c.length === 15 ? `${c.slice(0, 4)}-${c.slice(4, 10)}-${c.slice(10)}` : c.replace(/(\d{4})(?=\d)/g, '$1-'))],
  ['digits only', (c) => c],
];

export function formatCard(digits: string, style: number): string {
  return CARD_FORMATS[style % CARD_FORMATS.length][1](digits);
}

export function spokenEmail(email: string): string {
  return email.replace(/\./g, ' dot ').replace('@', ' at ');
}

// ---------------------------------------------------------------- conversations

export interface Planted {
  kind: PiiKind;
  /** Index of the message (0 for an SMS). */
  part: number;
  start: number;
  end: number;
  value: string;
}

export interface Utterance {
  role: 'user' | 'assistant';
  text: string;
}

export interface Conversation {
  messages: Utterance[];
  planted: Planted[];
}

type Piece = string | { kind: PiiKind; value: string };

function assemble(pieces: readonly Piece[], part: number, planted: Planted[]): string {
  let text = '';
  for (const p of pieces) {
    if (typeof p === 'string') {
      text += p;
    } else {
      planted.push({ kind: p.kind, part, start: text.length, end: text.length + p.value.length, value: p.value });
      text += p.value;
    }
  }
  return text;
}

/** Not PII, and must survive redaction: appointment dates and times, prices, member ids, practitioners. */
function appointmentDate(rng: Rng): string {
  return `2025-${pad(rng.between(3, 6), 2)}-${pad(rng.between(1, 28), 2)}`;
}

/**
 * A phone call between a patient and the clinic's voice agent, with the patient's PII said in
 * varied formats. `planted` lists every PII value with its exact position.
 */
export function generateCall(rng: Rng, p: PatientProfile): Conversation {
  const planted: Planted[] = [];
  const messages: Utterance[] = [];
  const say = (role: Utterance['role'], pieces: readonly Piece[]): void => {
    messages.push({ role, text: assemble(pieces, messages.length, planted) });
  };
  const name = (value: string): Piece => ({ kind: 'name', value });
  const practitioner = rng.pick(PRACTITIONER_NAMES);
  const appt = formatDate(appointmentDate(rng), rng.int(DOB_FORMATS.length));

  say('assistant', ['Thank you for calling. How can I help you today?']);
  say('user', rng.chance(0.5) ? ['Hi, this is ', name(`${p.firstName} ${p.lastName}`), `. I'd like to book an appointment with ${practitioner}.`] : [`Hello, I need an appointment with ${practitioner}, my name is `, name(p.firstName), '.']);
  say('assistant', ['Of course, ', name(p.firstName), '. Can I have your date of birth to find your record?']);
  say('user', [rng.pick(["Sure, it's ", 'It is ', 'I was born on ']), { kind: 'dob', value: formatDate(p.dob, rng.int(DOB_FORMATS.length)) }, '.']);
  if (rng.chance(0.7)) {
    const phone = rng.chance(0.9) ? formatPhone(p.phone, rng.int(PHONE_FORMATS.length)) : rng.pick(INTERNATIONAL_PHONES);
    say('user', ['You can reach me at ', { kind: 'phone', value: phone }, rng.chance(0.5) ? ' if anything changes.' : ', that is my cell.']);
  }
  if (rng.chance(0.6)) {
    const email = rng.chance(0.7) ? p.email : spokenEmail(p.email);
    say('user', ['My email is ', { kind: 'email', value: email }, ' for the confirmation.']);
  }
  if (rng.chance(0.4)) {
    say('user', ['I will pay the copay by card, the number is ', { kind: 'card', value: formatCard(p.card, rng.int(CARD_FORMATS.length)) }, '.']);
  }
  if (rng.chance(0.3)) {
    say('user', [rng.pick(['My social security number is ', 'The SSN on file should be ']), { kind: 'ssn', value: rng.chance(0.8) ? p.ssn : p.ssn.replace(/-/g, ' ') }, '.']);
  }
  say('assistant', [`Thanks. Your ${p.insurer} member ID ${p.memberId} is on file. You're booked with ${practitioner} on ${appt} at ${rng.between(8, 16)}:${rng.pick(['00', '15', '30', '45'])}. The visit is $${rng.between(40, 200)} after insurance.`]);
  say('user', ['Great, thank you. Bye!']);
  return { messages, planted };
}

/** An inbound SMS from a patient; without the record at hand, a date of birth is only one when said to be. */
export function generateSms(rng: Rng, p: PatientProfile): { body: string; planted: Planted[] } {
  const planted: Planted[] = [];
  const appt = formatDate(appointmentDate(rng), rng.int(DOB_FORMATS.length));
  const variants: Array<readonly Piece[]> = [
    ['Hi, this is ', { kind: 'name', value: p.firstName }, '. My new number is ', { kind: 'phone', value: formatPhone(p.phone, rng.int(PHONE_FORMATS.length)) }, `, please update my file before ${appt}.`],
    ['Running late for my appointment. DOB ', { kind: 'dob', value: formatDate(p.dob, rng.int(DOB_FORMATS.length)) }, ' for verification.'],
    ['Please use card ', { kind: 'card', value: formatCard(p.card, rng.int(CARD_FORMATS.length)) }, ` for my copay on ${appt}.`],
    ['My email changed to ', { kind: 'email', value: p.email }, ' thanks'],
    ['For the forms: SSN ', { kind: 'ssn', value: p.ssn }, ', born ', { kind: 'dob', value: formatDate(p.dob, rng.int(DOB_FORMATS.length)) }, '.'],
    [`Can I move my appointment from ${appt} to the week after? Member id ${p.memberId}.`],
    ['This is ', { kind: 'name', value: `${p.firstName} ${p.lastName}` }, ', call me back on ', { kind: 'phone', value: formatPhone(p.phone, rng.int(PHONE_FORMATS.length)) }, '.'],
  ];
  const body = assemble(rng.pick(variants), 0, planted);
  return { body, planted };
}
