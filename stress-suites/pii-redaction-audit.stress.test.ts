// PII redaction with an audit trail: call transcripts and SMS bodies lose phone numbers, e-mail
// addresses, dates of birth, card numbers, social security numbers and the patient's names before
// they are stored, and every removal is audited by kind, position and time, never by value.
// Inputs are generated with the exact position of every planted value, so the expected findings
// come from the generator, not from the redactor.

import { CrossClinicAccessError } from './clinic/errors';
import { PiiIngest, type PiiAuditRow, type TranscriptRow } from './clinic/ingest';
import { findPii, luhnValid, redact, type Finding, type PatientIdentity } from './clinic/redaction';
import { ClinicScope } from './clinic/scope';
import type { VoiceCall } from './clinic/voice';
import {
  breakLuhn,
  CARD_FORMATS,
  DOB_FORMATS,
  formatCard,
  formatDate,
  formatPhone,
  generateCall,
  generatePhone,
  generateSms,
  generateSsn,
  INTERNATIONAL_PHONES,
  luhnNumber,
  PHONE_FORMATS,
  type PatientProfile,
  type Planted,
} from './support/people';
import { createPool } from './support/pool';
import { seedClinic, type ClinicWorld } from './support/world';

const pool = createPool({ seed: 0x9111 });

const identity = (p: PatientProfile): PatientIdentity => ({ firstName: p.firstName, lastName: p.lastName, dob: p.dob });
const key = (f: { part?: number; kind: string; start: number; end: number }): string => `${f.part ?? 0}:${f.kind}:${f.start}-${f.end}`;

/** Sentences around a value, with the value's offset. */
function embed(value: string, template: number): { text: string; start: number } {
  const frames: Array<[string, string]> = [
    ['Call me at ', ' please.'],
    ['', ''],
    ['(', ')'],
    ['number:', '.'],
    ['It is ', ', thanks!'],
    ['Reach me on\n', '\nafter 5'],
  ];
  const [before, after] = frames[template % frames.length];
  return { text: before + value + after, start: before.length };
}

/** One-line summary of every position where `found` differs from what was planted in one text. */
function mismatch(found: Finding[], planted: readonly Pick<Planted, 'kind' | 'start' | 'end'>[]): string | null {
  const at = (f: { kind: string; start: number; end: number }): string => `${f.kind}:${f.start}-${f.end}`;
  const a = found.map(at).join(' ');
  const b = planted.map(at).join(' ');
  return a === b ? null : `found [${a}] planted [${b}]`;
}

describe('phone numbers', () => {
  test.each(PHONE_FORMATS.map(([label], i) => [label, i] as const))('written as %s', (_label, style) => {
    const problems: string[] = [];
    for (let i = 0; i < 60; i++) {
      const value = formatPhone(generatePhone(pool.rng), style);
      const { text, start } = embed(value, i);
      const m = mismatch(findPii(text), [{ kind: 'phone', start, end: start + value.length }]);
      if (m) problems.push(`${JSON.stringify(text)}: ${m}`);
    }
    expect(problems).toEqual([]);
  });

  test('international numbers with a country code', () => {
    const found = INTERNATIONAL_PHONES.map((value, i) => {
      const { text, start } = embed(value, i);
      return mismatch(findPii(text), [{ kind: 'phone', start, end: start + value.length }]);
    });
    expect(found).toEqual(INTERNATIONAL_PHONES.map(() => null));
  });
});

describe('e-mail addresses and names', () => {
  test('addresses written or spelled out are one e-mail finding, also when they contain the name', () => {
    const p = pool.fixtures.patient(3);
    const spoken = p.email.replace(/\./g, ' dot ').replace('@', ' at ');
    const text = `Send it to ${p.email} or, if that bounces, ${spoken}. Thanks, ${p.firstName}`;
    const found = findPii(text, identity(p));

    expect(found.map((f) => [f.kind, text.slice(f.start, f.end)])).toEqual([
      ['email', p.email],
      ['email', spoken],
      ['name', p.firstName],
    ]);
  });

  test("the patient's names in every form they are said are removed", () => {
    const p = { firstName: 'Siobhan', lastName: "Nguyen-O'Brien", dob: null };
    const text = "SIOBHAN NGUYEN-O'BRIEN here. Nguyen-O'Brien, Siobhan on the form; siobhan's sister calls me Nguyen.";
    const found = findPii(text, p).map((f) => text.slice(f.start, f.end));

    expect(found).toEqual(["SIOBHAN NGUYEN-O'BRIEN", "Nguyen-O'Brien, Siobhan", 'siobhan', 'Nguyen']);
    expect(redact(text, p).text).toBe("[NAME] here. [NAME] on the form; [NAME]'s sister calls me [NAME].");
  });

  test("other people's names stay: practitioners, staff and the insurer are not the patient", () => {
    const p = pool.fixtures.patient(8);
    const text = `Dr Helen Carver will see you; Anand from billing says ${p.insurer} covers it. Ask for Mei at the desk.`;
    expect(findPii(text, identity(p))).toEqual([]);
  });
});

describe('dates of birth', () => {
  test("the record's date of birth is removed in every format, with or without a keyword", () => {
    const p = pool.fixtures.patient(11);
    const problems: string[] = [];
    DOB_FORMATS.forEach((_, style) => {
      const value = formatDate(p.dob, style);
      const text = `Yes that's right, ${value} is what you have.`;
      const start = text.indexOf(value);
      const m = mismatch(findPii(text, identity(p)), [{ kind: 'dob', start, end: start + value.length }]);
      if (m) problems.push(`${value}: ${m}`);
    });
    expect(problems).toEqual([]);
  });

  test('without the record, a date is a date of birth only when said to be one', () => {
    const texts = ['I was born on 04/17/1962.', 'DOB 1962-04-17', 'date of birth: April 17, 1962', 'D.O.B. 17 April 1962', 'birthday Apr 17th 1962'];
    expect(texts.map((t) => findPii(t).map((f) => f.kind))).toEqual(texts.map(() => ['dob']));
    expect(findPii('Born 1962-04-17, and I want to come in on 2025-03-18 instead of 03/25/2025.').map((f) => f.kind)).toEqual(['dob']);
  });

  test('appointment dates, times, prices, member ids and booking numbers are kept', () => {
    const p = pool.fixtures.patient(2);
    const text = `Booked 2025-03-18 at 9:30 with Dr Mei Chen, ref bk_00000042, member ID ${p.memberId}, copay $40.00, room 12, option 2.`;
    expect(redact(text, identity(p))).toEqual({ text, findings: [] });
  });
});

describe('card numbers', () => {
  test.each(CARD_FORMATS.map(([label], i) => [label, i] as const))('Luhn-valid cards %s', (_label, style) => {
    const problems: string[] = [];
    for (let i = 0; i < 60; i++) {
      const digits = i % 4 === 0 ? luhnNumber(pool.rng, '37', 15) : luhnNumber(pool.rng, pool.rng.pick(['4', '51', '55']), 16);
      const value = formatCard(digits, style);
      const { text, start } = embed(value, i);
      const m = mismatch(findPii(text), [{ kind: 'card', start, end: start + value.length }]);
      if (m) problems.push(`${value}: ${m}`);
    }
    expect(problems).toEqual([]);
  });

  test('a 16-digit number that fails the Luhn check is not a card and stays as it is', () => {
    const numbers = Array.from({ length: 40 }, () => breakLuhn(luhnNumber(pool.rng, '4', 16)));
    expect(numbers.every((n) => n.length === 16 && !luhnValid(n))).toBe(true);
    const texts = numbers.map((n, i) => `Order ${formatCard(n, i)} shipped.`);
    expect(texts.map((t) => redact(t).text)).toEqual(texts);
  });
});

describe('social security numbers', () => {
  test('valid numbers with dashes or spaces are removed', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i % 2 ? generateSsn(pool.rng) : generateSsn(pool.rng).replace(/-/g, ' ')));
    const problems = values.map((v) => mismatch(findPii(`SSN is ${v}.`), [{ kind: 'ssn', start: 7, end: 7 + v.length }])).filter(Boolean);
    expect(problems).toEqual([]);
  });

  test('numbers outside the issued ranges are not social security numbers', () => {
    const invalid = ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000'];
    expect(invalid.map((v) => findPii(`my social is ${v}`))).toEqual(invalid.map(() => []));
  });

  test('nine bare digits are an SSN only when introduced as one', () => {
    expect(findPii('Social security number 123456789').map((f) => f.kind)).toEqual(['ssn']);
    expect(findPii('Tracking 123456789 arrives Tuesday')).toEqual([]);
  });
});

describe('the audit trail', () => {
  test('each removal is audited with kind, position and time, and the trail never holds a value', async () => {
    const w = await seedClinic(pool, { patients: 1 });
    const p = w.profiles[0];
    const ingest = new PiiIngest(pool.db, pool.clock);
    pool.clock.advance(90_000);
    const body = `Hi ${p.firstName}, card ${formatCard(p.card, 0)}, phone ${formatPhone(p.phone, 1)}, email ${p.email}, born ${formatDate(p.dob, 2)}, SSN ${p.ssn}`;
    await ingest.ingestSms({ clinicId: w.clinicId, messageId: 'sms-1', body, patientId: w.patients[0].id });
    const trail = await ingest.auditTrail(w.clinicId, 'sms-1');
    const serialised = JSON.stringify(trail);

    expect(trail.map((r) => r.kind)).toEqual(['name', 'card', 'phone', 'email', 'dob', 'ssn']);
    expect(trail.every((r) => r.source === 'sms' && r.part === 0 && r.at === pool.clock.iso())).toBe(true);
    expect(trail.map((r) => findPii(body.slice(r.start, r.end), identity(p)).map((f) => f.kind))).toEqual(trail.map((r) => [r.kind]));
    const raw = [p.firstName, p.card, formatCard(p.card, 0), p.phone, p.phone.slice(2), p.email, p.dob, p.ssn, p.ssn.replace(/-/g, '')];
    expect(raw.filter((v) => serialised.includes(v))).toEqual([]);
  });

  test('100 calls through the voice webhook: no planted value is stored, and the audit matches every one exactly', async () => {
    const w = await seedClinic(pool, { practitioners: 1, patients: 20 });
    const ingest = new PiiIngest(pool.db, pool.clock);
    pool.voice.webhooks.subscribe(ingest.handleVoiceEvent);
    const assistant = await pool.voice.assistants.create({ name: 'intake', metadata: { clinicId: w.clinicId } });
    const planted = new Map<string, Planted[]>();
    const values = new Map<string, string[]>();
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, k) => {
          const who = (batch * 20 + k) % 20;
          const convo = generateCall(pool.rng, w.profiles[who]);
          const call = await pool.voice.calls.create({ assistantId: assistant.id, customer: { number: w.profiles[who].phone }, metadata: { clinicId: w.clinicId, patientId: w.patients[who].id } });
          await pool.voice.simulate.answer(call.id);
          for (const m of convo.messages) pool.voice.simulate.say(call.id, m.role, m.text);
          await pool.voice.simulate.hangUp(call.id);
          planted.set(call.id, convo.planted);
          values.set(call.id, convo.planted.map((x) => x.value));
        }),
      );
    }
    const scope = new ClinicScope(pool.db, w.clinicId);
    const transcripts = await scope.all(scope.select<TranscriptRow>('transcripts'), 'transcripts');
    const audit = await scope.all(scope.select<PiiAuditRow>('pii_audit'), 'audit');
    const auditByCall = new Map<string, string[]>();
    for (const r of audit) auditByCall.set(r.source_id, [...(auditByCall.get(r.source_id) ?? []), key(r)]);
    const leaks = transcripts.filter((t) => values.get(t.call_id)!.some((v) => t.body.includes(v))).map((t) => t.call_id);
    const wrong = [...planted].filter(([id, ps]) => (auditByCall.get(id) ?? []).sort().join() !== ps.map(key).sort().join()).map(([id]) => id);

    expect(transcripts).toHaveLength(100);
    expect(pool.voice.deliveries.filter((d) => !d.ok)).toEqual([]);
    expect(leaks).toEqual([]);
    expect(wrong).toEqual([]);
  });

  test('150 inbound texts: every planted value is gone and audited by kind and offset', async () => {
    const w = await seedClinic(pool, { practitioners: 1, patients: 25 });
    const ingest = new PiiIngest(pool.db, pool.clock);
    const expected = new Map<string, string>();
    for (let batch = 0; batch < 3; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const i = batch * 50 + k;
          const sms = generateSms(pool.rng, w.profiles[i % 25]);
          expected.set(`SM${i}`, sms.planted.map(key).sort().join());
          return ingest.ingestSms({ clinicId: w.clinicId, messageId: `SM${i}`, body: sms.body, patientId: w.patients[i % 25].id });
        }),
      );
    }
    const scope = new ClinicScope(pool.db, w.clinicId);
    const audit = await scope.all(scope.select<PiiAuditRow>('pii_audit'), 'audit');
    const got = new Map<string, string[]>();
    for (const r of audit) got.set(r.source_id, [...(got.get(r.source_id) ?? []), key(r)]);

    expect(pool.db.count('sms_messages')).toBe(150);
    expect([...expected].filter(([id, keys]) => (got.get(id) ?? []).sort().join() !== keys).map(([id]) => id)).toEqual([]);
  });

  test('a retried end-of-call webhook is stored once, with one set of audit rows', async () => {
    const w = await seedClinic(pool, { patients: 1 });
    const ingest = new PiiIngest(pool.db, pool.clock);
    pool.voice.webhooks.subscribe(ingest.handleVoiceEvent);
    pool.voice.webhooks.subscribe(ingest.handleVoiceEvent); // the platform delivering twice
    const assistant = await pool.voice.assistants.create({ name: 'intake' });
    const call = await pool.voice.calls.create({ assistantId: assistant.id, customer: { number: w.profiles[0].phone }, metadata: { clinicId: w.clinicId, patientId: w.patients[0].id } });
    await pool.voice.simulate.answer(call.id);
    const convo = generateCall(pool.rng, w.profiles[0]);
    for (const m of convo.messages) pool.voice.simulate.say(call.id, m.role, m.text);
    await pool.voice.simulate.hangUp(call.id);

    expect(pool.db.count('transcripts')).toBe(1);
    expect(pool.db.count('pii_audit')).toBe(convo.planted.length);
    expect(pool.voice.deliveries.filter((d) => d.type === 'end-of-call-report').map((d) => d.ok)).toEqual([true, true]);
  });

  test("a call naming another clinic's patient is refused and stores nothing", async () => {
    const a = await seedClinic(pool, { name: 'A', patients: 1 });
    const b = await seedClinic(pool, { name: 'B', patients: 1, firstPatient: 1 });
    const ingest = new PiiIngest(pool.db, pool.clock);
    const call: VoiceCall = {
      id: 'call_x',
      assistantId: 'asst_x',
      type: 'inboundPhoneCall',
      status: 'ended',
      customer: { number: b.profiles[0].phone },
      metadata: { clinicId: a.clinicId, patientId: b.patients[0].id },
      createdAt: pool.clock.iso(),
      startedAt: pool.clock.iso(),
      endedAt: pool.clock.iso(),
      endedReason: 'customer-ended-call',
      messages: [],
    };
    const event = { message: { type: 'end-of-call-report' as const, call, endedReason: 'customer-ended-call', artifact: { messages: [], transcript: '' } } };

    await expect(ingest.handleVoiceEvent(event)).rejects.toBeInstanceOf(CrossClinicAccessError);
    expect(pool.db.count('transcripts') + pool.db.count('pii_audit')).toBe(0);
  });

  test("one clinic cannot read another clinic's audit trail, even by the message id", async () => {
    const a = await seedClinic(pool, { name: 'A', patients: 1 });
    const b = await seedClinic(pool, { name: 'B', patients: 1, firstPatient: 1 });
    const ingest = new PiiIngest(pool.db, pool.clock);
    await ingest.ingestSms({ clinicId: a.clinicId, messageId: 'shared-id', body: `call ${formatPhone(a.profiles[0].phone, 0)}`, patientId: a.patients[0].id });

    expect((await ingest.auditTrail(a.clinicId, 'shared-id')).map((r) => r.kind)).toEqual(['phone']);
    expect(await ingest.auditTrail(b.clinicId, 'shared-id')).toEqual([]);
  });
});

describe('volume and adversarial input', () => {
  test('400 calls and 1600 texts: findings equal the planted values exactly, and redacted text yields nothing more', () => {
    const people = Array.from({ length: 50 }, (_, i) => pool.fixtures.patient(i));
    const identities = people.map(identity);
    const problems: string[] = [];
    let texts = 0;
    let planted = 0;
    const check = (text: string, expected: readonly Planted[], who: PatientIdentity, alsoRedact: boolean): void => {
      texts++;
      planted += expected.length;
      const found = findPii(text, who);
      const exact = found.length === expected.length && found.every((f, k) => f.kind === expected[k].kind && f.start === expected[k].start && f.end === expected[k].end);
      const leftover = alsoRedact && findPii(redact(text, who).text, who).length > 0;
      if ((!exact || leftover) && problems.length < 5) problems.push(`${JSON.stringify(text)}: ${mismatch(found, expected) ?? 'found again after redaction'}`);
    };
    for (let i = 0; i < 400; i++) {
      const convo = generateCall(pool.rng, people[i % 50]);
      convo.messages.forEach((m, part) => check(m.text, convo.planted.filter((x) => x.part === part), identities[i % 50], i % 10 === 0));
    }
    for (let i = 0; i < 1600; i++) {
      const sms = generateSms(pool.rng, people[i % 50]);
      check(sms.body, sms.planted, identities[i % 50], i % 10 === 0);
    }
    expect(problems).toEqual([]);
    expect(texts).toBeGreaterThan(400 * 6 + 1600);
    expect(planted).toBeGreaterThan(400 * 4 + 1600);
  });

  test('hostile text: glued punctuation, unicode, look-alikes and a long message', () => {
    const p = pool.fixtures.patient(5);
    const phone = formatPhone(p.phone, 1);
    const glued = `→${phone}←|${p.email};(${p.ssn}),«${p.firstName}»`;
    const gluedKinds = findPii(glued, identity(p)).map((f) => f.kind);
    const lookalikes = 'v1.2.3-4567, 12:30-13:45, 2025-03-18T09:30, ISBN 978-3-16-148410-0, 1234-5678';
    const long = `${'lorem ipsum dolor sit amet '.repeat(2000)}${phone}`;
    const longFindings = findPii(long);

    expect(gluedKinds).toEqual(['phone', 'email', 'ssn', 'name']);
    expect(findPii(lookalikes)).toEqual([]);
    expect(longFindings.map((f) => [f.kind, long.slice(f.start, f.end)])).toEqual([['phone', phone]]);
    expect(redact('', identity(p))).toEqual({ text: '', findings: [] });
  });
});
