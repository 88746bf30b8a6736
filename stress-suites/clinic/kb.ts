// Knowledge-base answers: the agent answers a caller's question from the clinic's own FAQ. The
// question is matched to the best entry by BM25 over normalised terms (lower case, punctuation and
// accents stripped, a small stopword list, a light suffix stemmer and a few synonym groups). Ranking
// is deterministic: equal scores are ordered by entry id. An index holds the entries of exactly one
// clinic, so an answer can only ever come from the asking clinic's knowledge base.

import { ClinicScope } from './scope';

export type KbEntryRow = {
  id: string;
  clinic_id: string;
  topic: string;
  question: string;
  answer: string;
};

export interface KbMatch {
  entry: KbEntryRow;
  score: number;
}

export interface Bm25Options {
  k1: number;
  b: number;
  /** How many times an entry's question counts against its answer text. */
  questionWeight: number;
  /** Normalise terms (stopwords, stemming, synonyms); off gives plain lower-cased words. */
  normalise: boolean;
}

export const DEFAULT_BM25: Bm25Options = { k1: 1.2, b: 0.75, questionWeight: 2, normalise: true };

// prettier-ignore
const STOPWORDS = new Set([
  'a', 'an', 'the', 'is', 'are', 'am', 'was', 'were', 'be', 'been', 'being', 'do', 'does', 'did', 'i', 'me', 'my',
  'we', 'our', 'us', 'you', 'your', 'it', 'its', 'to', 'of', 'in', 'on', 'at', 'for', 'with', 'and', 'or', 'but',
  'can', 'could', 'would', 'should', 'will', 'shall', 'may', 'might', 'what', 'which', 'who', 'how', 'there', 'this',
  'that', 'these', 'those', 'have', 'has', 'had', 'any', 'so', 'if', 'about', 'please', 'hi', 'hello', 'hey',
  'thanks', 'thank', 'just', 'im', 'ive', 'id', 'they', 'them', 'he', 'she', 'his', 'her', 'some', 'get', 'got',
  'know', 'tell', 'wondering', 'question', 'there', 'here', 'from', 'by', 'as', 'into', 'up', 'out', 'yes', 'no',
  'okay', 'ok', 'um', 'uh', 'guys', 'also', 'need', 'want', 'like', 'go', 'going', 'then', 'than', 'too', 'very',
  'much', 'many', 'one', 'dont', 'do', 'not',
]);

// Words that mean the same thing to a caller, mapped to one term before stemming.
const SYNONYM_GROUPS: Record<string, readonly string[]> = {
  hour: ['hours', 'open', 'opens', 'opening', 'close', 'closes', 'closing', 'closed'],
  address: ['located', 'location', 'directions', 'situated'],
  parking: ['park', 'parked', 'garage', 'car'],
  insurance: ['insured', 'insurer', 'insurers', 'coverage', 'covered', 'cover', 'plan', 'plans'],
  cost: ['costs', 'price', 'prices', 'pricing', 'fee', 'fees', 'charge', 'charges', 'pay', 'paying', 'payment', 'payments', 'expensive', 'afford'],
  cancel: ['cancellation', 'cancelling', 'canceling', 'cancelled', 'canceled'],
  doctor: ['doctors', 'dr', 'physician', 'physicians', 'practitioner', 'practitioners', 'gp'],
  child: ['children', 'kid', 'kids', 'baby', 'babies', 'toddler', 'infant'],
  virtual: ['telehealth', 'video', 'online', 'remote', 'zoom'],
  eat: ['eating', 'food', 'fast', 'fasting', 'meal', 'breakfast'],
  weekend: ['saturday', 'saturdays', 'sunday', 'sundays', 'weekends'],
  prescription: ['prescriptions', 'refill', 'refills', 'medication', 'medications', 'meds', 'medicine'],
};

/** A light suffix stemmer: enough to bring plural, -ing, -ed and -ly forms together. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([^aeioulsz])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Lower-cased words without accents or punctuation (apostrophes joined: "don't" → "dont"). */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

// Folded on stems, so that every inflection of a synonym folds too ("garages", "closing").
const SYNONYMS = new Map<string, string>();
for (const [canonical, group] of Object.entries(SYNONYM_GROUPS)) for (const w of group) SYNONYMS.set(stem(w), stem(canonical));

/** The terms BM25 compares: words without stopwords, stemmed, synonyms folded. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOPWORDS.has(w)) continue;
    const s = stem(w);
    out.push(SYNONYMS.get(s) ?? s);
  }
  return out;
}

interface IndexedDoc {
  entry: KbEntryRow;
  tf: Map<string, number>;
  length: number;
}

export class KnowledgeBase {
  private readonly docs: IndexedDoc[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  private constructor(
    readonly clinicId: string,
    entries: readonly KbEntryRow[],
    private readonly options: Bm25Options,
  ) {
    const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.docs = sorted.map((entry) => {
      if (entry.clinic_id !== clinicId) throw new Error(`entry ${entry.id} belongs to another clinic's knowledge base`);
      const tokens = [...this.tokens(entry.topic), ...this.tokens(entry.answer)];
      const q = this.tokens(entry.question);
      for (let i = 0; i < options.questionWeight; i++) tokens.push(...q);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return { entry, tf, length: tokens.length };
    });
    this.avgLength = this.docs.reduce((s, d) => s + d.length, 0) / Math.max(1, this.docs.length);
  }

  static fromEntries(clinicId: string, entries: readonly KbEntryRow[], options: Partial<Bm25Options> = {}): KnowledgeBase {
    return new KnowledgeBase(clinicId, entries, { ...DEFAULT_BM25, ...options });
  }

  get size(): number {
    return this.docs.length;
  }

  private tokens(text: string): string[] {
    return this.options.normalise ? terms(text) : words(text);
  }

  /** BM25's idf, floored at zero contribution by the +1 inside the log. */
  private idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    return Math.log(1 + (this.docs.length - n + 0.5) / (n + 0.5));
  }

  /** Entries by descending score (ties by id), only those sharing at least one term. */
  rank(question: string, limit = 3): KbMatch[] {
    const q = [...new Set(this.tokens(question))].filter((t) => this.df.has(t));
    if (q.length === 0) return [];
    const { k1, b } = this.options;
    const scored: KbMatch[] = [];
    for (const doc of this.docs) {
      let score = 0;
      for (const t of q) {
        const f = doc.tf.get(t);
        if (!f) continue;
        score += (this.idf(t) * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * doc.length) / this.avgLength));
      }
      if (score > 0) scored.push({ entry: doc.entry, score });
    }
    // docs are in id order and the sort is stable, so equal scores stay in id order.
    scored.sort((x, y) => y.score - x.score);
    return scored.slice(0, limit);
  }

  /** The best entry for the question, or null when nothing in this clinic's FAQ matches it. */
  answer(question: string): KbMatch | null {
    return this.rank(question, 1)[0] ?? null;
  }
}

/** The clinic's knowledge base from its kb_entries rows (scoped: other clinics' rows are never read). */
export async function loadKnowledgeBase(scope: ClinicScope, options: Partial<Bm25Options> = {}): Promise<KnowledgeBase> {
  const rows = await scope.all(scope.select<KbEntryRow>('kb_entries').order('id'), 'knowledge base');
  return KnowledgeBase.fromEntries(scope.clinicId, rows, options);
}
