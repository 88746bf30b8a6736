// Knowledge-base accuracy: the voice agent answers callers from their clinic's FAQ, matched by
// BM25 over normalised terms. Measured against a labelled set of caller questions for five
// clinics; answers must be deterministic and must never come from another clinic's knowledge base.

import { KnowledgeBase, loadKnowledgeBase, stem, terms, words, type KbEntryRow } from './clinic/kb';
import { KB_CLINICS, kbRows, LABELLED_QUESTIONS, type KbClinicSeed, type LabelledQuestion } from './support/kb-dataset';
import { createPool } from './support/pool';
import { createClinic } from './support/world';
import { ClinicScope } from './clinic/scope';

const pool = createPool({ seed: 0x6b });

/** Top-1 accuracy of `kbFor` on `questions`, and the misses. */
function measure(questions: readonly LabelledQuestion[], kbFor: (clinic: string) => KnowledgeBase) {
  const misses: string[] = [];
  let correct = 0;
  for (const q of questions) {
    const match = kbFor(q.clinic).answer(q.question);
    if (match?.entry.topic === q.topic) correct++;
    else misses.push(`${q.clinic}: ${q.question} → ${match?.entry.topic ?? 'nothing'}`);
  }
  return { accuracy: correct / questions.length, correct, misses };
}

function labelledKbs(options = {}): Map<string, KnowledgeBase> {
  return new Map(KB_CLINICS.map((c) => [c.key, KnowledgeBase.fromEntries(c.key, kbRows(c.key, pool.fixtures.kbClinic(c.key)), options)]));
}

const entry = (id: string, question: string, answer = ''): KbEntryRow => ({ id, clinic_id: 'c', topic: id, question, answer });

describe('accuracy on the labelled questions', () => {
  test('at least 90% of the labelled questions get the right entry first', () => {
    const kbs = labelledKbs();
    const { accuracy, misses } = measure(LABELLED_QUESTIONS, (c) => kbs.get(c)!);

    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(misses.length).toBeLessThanOrEqual(Math.floor(LABELLED_QUESTIONS.length * 0.1));
  });

  test.each(KB_CLINICS.map((c) => c.key))('%s: at least 80% right on its own questions', (key) => {
    const own = LABELLED_QUESTIONS.filter((q) => q.clinic === key);

    expect(own.length).toBeGreaterThanOrEqual(20);
    expect(measure(own, (c) => labelled.get(c)!).accuracy).toBeGreaterThanOrEqual(0.8);
  });

  test('the right entry is among the top three for at least 97% of the questions', () => {
    const inTop3 = LABELLED_QUESTIONS.filter((q) => labelled.get(q.clinic)!.rank(q.question, 3).some((m) => m.entry.topic === q.topic)).length;
    expect(inTop3 / LABELLED_QUESTIONS.length).toBeGreaterThanOrEqual(0.97);
  });

  test('every answer comes from the asking clinic', () => {
    const foreign = LABELLED_QUESTIONS.map((q) => ({ q, m: labelled.get(q.clinic)!.answer(q.question) })).filter(({ q, m }) => m !== null && m.entry.clinic_id !== q.clinic);
    expect(foreign).toEqual([]);
  });

  test('normalisation earns its keep: it beats plain lower-cased words on the same questions', () => {
    const normalised = measure(LABELLED_QUESTIONS, (c) => labelled.get(c)!);
    const plain = measure(LABELLED_QUESTIONS, (c) => plainKbs.get(c)!);

    expect(normalised.correct).toBeGreaterThan(plain.correct);
  });

  test('the labelled set covers at least 100 questions over five clinics, each labelled with a real entry', () => {
    const topics = new Map(KB_CLINICS.map((c) => [c.key, new Set(c.faq.map((f) => f.topic))]));
    const unknown = LABELLED_QUESTIONS.filter((q) => !topics.get(q.clinic)?.has(q.topic));

    expect(LABELLED_QUESTIONS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(LABELLED_QUESTIONS.map((q) => q.clinic)).size).toBe(5);
    expect(unknown).toEqual([]);
  });
});

const labelled = labelledKbs();
const plainKbs = labelledKbs({ normalise: false });

describe('normalisation', () => {
  test.each([
    ['Opening HOURS?!', ['hour', 'hour']],
    ['What is the price of an X-ray', ['cost', 'x', 'ray']],
    ['parking garages near the car park', ['park', 'park', 'near', 'park', 'park']],
    ["Don't you accept Aetna’s plan?", ['accept', 'aetna', 'insuranc']],
    ['Café São Paulo', ['cafe', 'sao', 'paulo']],
    ['children, kids & toddlers', ['child', 'child', 'child']],
  ])('%j → %j', (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  test('the stemmer brings inflections of a word together', () => {
    const groups = [
      ['close', 'closed', 'closing', 'closes'],
      ['park', 'parking', 'parked', 'parks'],
      ['baby', 'babies'],
      ['run', 'running', 'runs'],
      ['glass', 'glasses'],
    ];
    expect(groups.map((g) => new Set(g.map(stem)).size)).toEqual(groups.map(() => 1));
  });

  test('shouting, punctuation and filler words do not change the answer', () => {
    const kb = labelled.get('harbor')!;
    const questions = LABELLED_QUESTIONS.filter((q) => q.clinic === 'harbor');
    const variants = questions.map((q) => [q.question, `UM, HI... ${q.question.toUpperCase()}???`, `so like, ${q.question}, please, thanks!`]);
    const differing = variants.filter((v) => new Set(v.map((t) => kb.answer(t)?.entry.id ?? null)).size !== 1);

    expect(differing).toEqual([]);
  });
});

describe('ranking', () => {
  test('rankings are deterministic, whatever order the entries were loaded in', () => {
    const seed = pool.fixtures.kbClinic('summit');
    const rows = kbRows('summit', seed);
    const shuffled = [0, 1, 2].map(() => KnowledgeBase.fromEntries('summit', pool.rng.shuffle(rows)));
    const questions = LABELLED_QUESTIONS.filter((q) => q.clinic === 'summit').map((q) => q.question);
    const rankings = shuffled.map((kb) => questions.map((q) => kb.rank(q, 5).map((m) => `${m.entry.id}:${m.score}`).join()).join('\n'));

    expect(new Set(rankings).size).toBe(1);
  });

  test('equal scores are ordered by entry id', () => {
    const kb = KnowledgeBase.fromEntries('c', [entry('c3', 'flu shots'), entry('a1', 'flu shots'), entry('b2', 'flu shots'), entry('z9', 'parking')]);
    expect(kb.rank('flu shots', 5).map((m) => m.entry.id)).toEqual(['a1', 'b2', 'c3']);
  });

  test('rank returns at most `limit` entries, best first, only those sharing a term', () => {
    const kb = labelled.get('riverside')!;
    const ranked = kb.rank('insurance cost for a visit', 4);

    expect(ranked.length).toBeLessThanOrEqual(4);
    expect(ranked.every((m, i) => m.score > 0 && (i === 0 || ranked[i - 1].score >= m.score))).toBe(true);
    expect(kb.rank('insurance cost for a visit', 100).length).toBeLessThan(kb.size);
  });

  test('term frequency helps with diminishing returns (k1 saturation)', () => {
    const kb = KnowledgeBase.fromEntries('c', [entry('a', 'mri', 'scan'), entry('b', 'mri mri mri', 'scan'), entry('c', 'mri mri mri mri mri mri mri mri mri', 'scan'), entry('d', 'x', 'ray')]);
    const score = new Map(kb.rank('mri', 10).map((m) => [m.entry.id, m.score]));
    const [s1, s3, s9] = [score.get('a')!, score.get('b')!, score.get('c')!];

    expect(s1 < s3 && s3 < s9).toBe(true);
    expect(s9 - s3).toBeLessThan(s3 - s1);
  });

  test('a rare term outweighs a common one (idf)', () => {
    const kb = KnowledgeBase.fromEntries('c', [
      entry('common-1', 'appointment times'),
      entry('common-2', 'appointment reminders'),
      entry('common-3', 'appointment changes'),
      entry('rare', 'sedation options'),
    ]);
    expect(kb.answer('appointment with sedation')?.entry.id).toBe('rare');
  });

  test('a long entry mentioning a term scores below a short one (length normalisation)', () => {
    const kb = KnowledgeBase.fromEntries('c', [entry('short', 'parking'), entry('long', 'parking', 'directions entrance elevator lobby reception stairs ramp signage level floor wing')]);
    const [first, second] = kb.rank('parking', 2);

    expect([first.entry.id, second.entry.id]).toEqual(['short', 'long']);
    expect(first.score).toBeGreaterThan(second.score);
  });
});

describe('questions the knowledge base cannot answer', () => {
  test('stopwords only, unknown words and empty questions get no answer', () => {
    const kb = labelled.get('lakeview')!;
    expect(['', '   ', 'what is the', 'is it?', 'xylophone quasar', '!!!', '😀😀'].map((q) => kb.answer(q))).toEqual(Array(7).fill(null));
  });

  test('hostile questions are answered safely, or not at all', () => {
    const kb = labelled.get('summit')!;
    const hostile = ["'; DROP TABLE kb_entries; --", '<script>alert(1)</script> parking', `${'mri '.repeat(5000)}`, 'p a r k i n g', '\u0000\u0007 hours \uFFFF'];
    const answers = hostile.map((q) => kb.answer(q)?.entry.topic ?? null);

    expect(answers).toEqual([null, 'parking', answers[2], null, 'hours']);
    expect(answers[2]).not.toBeNull();
  });

  test("naming another clinic's speciality still gets this clinic's own answer or none", () => {
    const kb = labelled.get('riverside')!;
    const theirs = ['do you do teeth whitening', 'is the MRI wide bore', 'is entrance C wheelchair accessible', 'do you take Delta Dental'];
    const answers = theirs.map((q) => kb.answer(q));

    expect(answers.filter((m) => m !== null && m.entry.clinic_id !== 'riverside')).toEqual([]);
    // The dental clinic, asked the same, answers from its own entries.
    expect(theirs.map((q) => labelled.get('harbor')!.answer(q)?.entry.id ?? null)).toEqual(['harbor:whitening', null, null, 'harbor:insurance']);
    expect(answers[0]).toBeNull();
  });

  test("a knowledge base refuses another clinic's entries", () => {
    const mixed = [...kbRows('riverside', KB_CLINICS[0]), ...kbRows('harbor', KB_CLINICS[1]).slice(0, 1)];
    expect(() => KnowledgeBase.fromEntries('riverside', mixed)).toThrow('belongs to another clinic');
  });
});

describe('many clinics', () => {
  /** A clinic's FAQ with its own name and numbers, from one of the five templates. */
  function variant(seed: KbClinicSeed, n: number): KbClinicSeed {
    return { key: `${seed.key}-${n}`, name: `${seed.name} ${n}`, faq: seed.faq.map((f) => ({ ...f, answer: f.answer.replace(seed.name, `${seed.name} ${n}`).replace(/\$(\d+)/g, (_, d: string) => `$${Number(d) + n}`) })) };
  }

  test('40 clinics in one table: each loads only its own entries and answers as well as its template', async () => {
    const scopes: Array<{ scope: ClinicScope; template: KbClinicSeed }> = [];
    for (let n = 0; n < 40; n++) {
      const template = pool.fixtures.kbClinic(KB_CLINICS[n % 5].key);
      const clinicId = await createClinic(pool, `KB ${n}`);
      const scope = new ClinicScope(pool.db, clinicId);
      await scope.insert('kb_entries', kbRows(clinicId, variant(template, n)));
      scopes.push({ scope, template });
    }
    // What each template clinic answers, to compare its variants with.
    const reference = new Map(LABELLED_QUESTIONS.map((q) => [q, labelled.get(q.clinic)!.answer(q.question)?.entry.topic ?? null]));
    const problems: string[] = [];
    let asked = 0;
    for (const { scope, template } of scopes) {
      const kb = await loadKnowledgeBase(scope);
      for (const q of LABELLED_QUESTIONS) {
        if (q.clinic !== template.key) continue;
        asked++;
        const m = kb.answer(q.question);
        if (m && m.entry.clinic_id !== scope.clinicId) problems.push(`${q.question}: answered from ${m.entry.clinic_id}`);
        if ((m?.entry.topic ?? null) !== reference.get(q)) problems.push(`${scope.clinicId} ${q.question}: differs from its template`);
      }
      if (kb.size !== template.faq.length) problems.push(`${scope.clinicId} loaded ${kb.size} entries`);
    }

    expect(problems).toEqual([]);
    expect(asked).toBe(8 * LABELLED_QUESTIONS.length);
    expect(pool.db.count('kb_entries')).toBe(8 * KB_CLINICS.reduce((n, c) => n + c.faq.length, 0));
  });

  test('words() and terms() agree on what a word is', () => {
    const text = "Walk-in X-rays until 6:00 pm; don't fast.";
    expect(words(text)).toEqual(['walk', 'in', 'x', 'rays', 'until', '6', '00', 'pm', 'dont', 'fast']);
    expect(terms(text)).toEqual(['walk', 'x', 'ray', 'until', '6', '00', 'pm', 'eat']);
  });
});
