// PII redaction for call transcripts and SMS bodies. Finds phone numbers (North American formats
// and international +CC numbers), e-mail addresses (also spelled out, "jane dot doe at gmail dot
// com"), dates of birth (the patient's own, or any date said right after "born", "DOB", "date of
// birth"), payment card numbers (13–19 digits that pass the Luhn check), US social security
// numbers (valid area/group/serial only) and the patient's names from their record.
//
// Findings carry only a kind and the offsets in the original text: the raw value never leaves
// this module, so an audit trail built from findings cannot leak what it describes.

export type PiiKind = 'phone' | 'email' | 'dob' | 'card' | 'ssn' | 'name';
export const PII_KINDS: readonly PiiKind[] = ['phone', 'email', 'dob', 'card', 'ssn', 'name'];

export interface Finding {
  kind: PiiKind;
  /** Offsets into the original text, `end` exclusive. */
  start: number;
  end: number;
}

/** What the patient record contributes: names to remove and the date of birth (`YYYY-MM-DD`). */
export interface PatientIdentity {
  firstName: string;
  lastName: string;
  dob: string | null;
}

export interface Redaction {
  text: string;
  findings: Finding[];
}

const TOKEN: Record<PiiKind, string> = {
  phone: '[PHONE]',
  email: '[EMAIL]',
  dob: '[DOB]',
  card: '[CARD]',
  ssn: '[SSN]',
  name: '[NAME]',
};

// When two findings overlap and start together, the longer wins; at equal length, this order.
const PRIORITY: Record<PiiKind, number> = { card: 0, ssn: 1, email: 2, phone: 3, dob: 4, name: 5 };

/** Calls `each` for every match of a global regex (a plain exec loop: no iterator objects). */
function eachMatch(re: RegExp, text: string, each: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) re.lastIndex++;
    each(m);
  }
}

// ---------------------------------------------------------------- cards

/** The Luhn (mod 10) check of a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Digit runs of 13–19 digits, optionally grouped by single spaces or dashes.
const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-]?\d)/g;

function findCards(text: string, out: Finding[]): void {
  eachMatch(CARD_CANDIDATE, text, (m) => {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) {
      out.push({ kind: 'card', start: m.index, end: m.index + m[0].length });
    }
  });
}

// ---------------------------------------------------------------- social security numbers

export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

const SSN_GROUPED = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-]?\d)/g;
const SSN_BARE = /(?<!\d)(\d{3})(\d{2})(\d{4})(?!\d)/g;
const SSN_CONTEXT = /\b(?:ssn|social security(?: number)?|social)\b[^\n\d]{0,24}$/i;

function findSsns(text: string, out: Finding[]): void {
  eachMatch(SSN_GROUPED, text, (m) => {
    if (ssnValid(m[1], m[3], m[4])) out.push({ kind: 'ssn', start: m.index, end: m.index + m[0].length });
  });
  // Nine bare digits are an SSN only when introduced as one.
  eachMatch(SSN_BARE, text, (m) => {
    if (ssnValid(m[1], m[2], m[3]) && SSN_CONTEXT.test(text.slice(Math.max(0, m.index - 40), m.index))) {
      out.push({ kind: 'ssn', start: m.index, end: m.index + m[0].length });
    }
  });
}

// ---------------------------------------------------------------- phone numbers

// NANP: optional +1/1, area code 2–9xx (optionally in parentheses), exchange 2–9xx, line xxxx,
// separated by nothing, a space, a dot or a dash.
const NANP = /(?<![\d+])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]?\d{4}(?![\d]|-\d)/g;
// International: +CC (not 1: those are NANP numbers, above) then digit groups, an area code
// possibly in parentheses; 8–15 digits in all.
const INTERNATIONAL = /(?<![\d\w])\+[2-9]\d{0,2}(?:[ .-]?(?:\(\d{1,4}\)|\d{1,4})){2,5}(?![\d]|-\d)/g;

function findPhones(text: string, out: Finding[]): void {
  eachMatch(NANP, text, (m) => out.push({ kind: 'phone', start: m.index, end: m.index + m[0].length }));
  eachMatch(INTERNATIONAL, text, (m) => {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits >= 8 && digits <= 15) out.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
  });
}

// ---------------------------------------------------------------- e-mail addresses

const EMAIL = /(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b/g;
// Spelled out by a caller and transcribed: "maria dot lopez at gmail dot com".
const SPOKEN_EMAIL = /\b[a-z0-9]+(?:(?:\s+(?:dot|underscore|dash)\s+|[._-])[a-z0-9]+)*\s+at\s+[a-z0-9]+(?:\s+dot\s+[a-z0-9]+)*\s+dot\s+(?:com|org|net|edu|gov|io|co|us|uk|ca)\b/gi;

const SPOKEN_AT = / at /i;

function findEmails(text: string, out: Finding[]): void {
  eachMatch(EMAIL, text, (m) => out.push({ kind: 'email', start: m.index, end: m.index + m[0].length }));
  eachMatch(SPOKEN_EMAIL, text, (m) => out.push({ kind: 'email', start: m.index, end: m.index + m[0].length }));
}

// ---------------------------------------------------------------- dates of birth

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_NAME = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const ORDINAL = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const DATE_PATTERNS: ReadonlyArray<{ re: RegExp; parts: (m: RegExpExecArray) => [number, number, number] }> = [
  // 1985-03-14
  { re: /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g, parts: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  // 03/14/1985, 3-14-1985, 03.14.1985 (month first, as callers here say them)
  { re: /(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-]?\d)/g, parts: (m) => [Number(m[4]), Number(m[1]), Number(m[3])] },
  // March 14, 1985 / Mar 14th 1985
  {
    re: new RegExp(String.raw`\b${MONTH_NAME}\s+${ORDINAL},?\s+(\d{4})\b`, 'gi'),
    parts: (m) => [Number(m[3]), monthNumber(m[1]), Number(m[2])],
  },
  // 14 March 1985 / 14th of March, 1985
  {
    re: new RegExp(String.raw`\b${ORDINAL}\s+(?:of\s+)?${MONTH_NAME},?\s+(\d{4})\b`, 'gi'),
    parts: (m) => [Number(m[3]), monthNumber(m[2]), Number(m[1])],
  },
];
const DOB_CONTEXT = /\b(?:born|birth|birthday|birthdate|dob|d\.o\.b)\b/i;

function monthNumber(name: string): number {
  const lower = name.toLowerCase().replace('.', '');
  return MONTHS.findIndex((m) => m.startsWith(lower.slice(0, 3))) + 1;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : null;
}

/** Every calendar date in the text, with its ISO form. */
export function findDates(text: string): Array<{ start: number; end: number; iso: string }> {
  const found: Array<{ start: number; end: number; iso: string }> = [];
  for (const { re, parts } of DATE_PATTERNS) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const iso = isoDate(...parts(m));
      if (iso) found.push({ start: m.index, end: m.index + m[0].length, iso });
    }
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

function findDobs(text: string, dob: string | null, out: Finding[]): void {
  let previousEnd = 0;
  for (const date of findDates(text)) {
    if (date.start < previousEnd) continue;
    // Context: from the previous date (or line start, at most 40 characters back) up to this date,
    // so "born on X, appointment on Y" marks X and not Y.
    const lineStart = text.lastIndexOf('\n', date.start - 1) + 1;
    const context = text.slice(Math.max(previousEnd, lineStart, date.start - 40), date.start);
    if (date.iso === dob || DOB_CONTEXT.test(context)) out.push({ kind: 'dob', start: date.start, end: date.end });
    previousEnd = date.end;
  }
}

// ---------------------------------------------------------------- names

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nameCache = new Map<string, RegExp | null>();
const nameCacheByIdentity = new WeakMap<PatientIdentity, RegExp | null>();

function nameMatcher(identity: PatientIdentity): RegExp | null {
  const known = nameCacheByIdentity.get(identity);
  if (known !== undefined) return known;
  const key = `${identity.firstName}\u0000${identity.lastName}`;
  const cached = nameCache.get(key);
  if (cached !== undefined) {
    nameCacheByIdentity.set(identity, cached);
    return cached;
  }
  const parts = [identity.firstName, identity.lastName].map((p) => p.trim()).filter((p) => p.length >= 2);
  const variants = new Set<string>();
  if (parts.length === 2) variants.add(`${parts[0]} ${parts[1]}`).add(`${parts[1]}, ${parts[0]}`);
  for (const p of parts) {
    variants.add(p);
    for (const piece of p.split(/[\s-]+/)) if (piece.length >= 3) variants.add(piece); // "Nguyen" of "Nguyen-Tran"
  }
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map((v) => escape(v).replace(/ /g, String.raw`\s+`));
  const re = alternatives.length ? new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${alternatives.join('|')})(?![\p{L}\p{N}])`, 'giu') : null;
  if (nameCache.size > 5000) nameCache.clear();
  nameCache.set(key, re);
  nameCacheByIdentity.set(identity, re);
  return re;
}

function findNames(text: string, identity: PatientIdentity, out: Finding[]): void {
  const re = nameMatcher(identity);
  if (!re) return;
  eachMatch(re, text, (m) => out.push({ kind: 'name', start: m.index, end: m.index + m[0].length }));
}

// ---------------------------------------------------------------- putting it together

/** All PII in `text`, non-overlapping, in order. */
export function findPii(text: string, identity: PatientIdentity | null = null): Finding[] {
  const raw: Finding[] = [];
  // Cheap gates first: most utterances hold no digits and no address, and skip those detectors.
  let digits = 0;
  for (let i = 0; i < text.length && digits < 8; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits >= 8) {
    findCards(text, raw);
    findSsns(text, raw);
    findPhones(text, raw);
  }
  if (digits >= 4) findDobs(text, identity?.dob ?? null, raw);
  if (text.includes('@') || SPOKEN_AT.test(text)) findEmails(text, raw);
  if (identity) findNames(text, identity, raw);
  if (raw.length === 0) return raw;
  raw.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || PRIORITY[a.kind] - PRIORITY[b.kind]);
  const kept: Finding[] = [];
  let reached = 0;
  for (const f of raw) {
    if (f.start < reached) continue;
    kept.push(f);
    reached = f.end;
  }
  return kept;
}

export function redact(text: string, identity: PatientIdentity | null = null): Redaction {
  const findings = findPii(text, identity);
  if (findings.length === 0) return { text, findings };
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + TOKEN[f.kind];
    at = f.end;
  }
  return { text: out + text.slice(at), findings };
}
