// An in-memory stand-in for the hosted Postgres client the clinic backend talks to, with the same
// query surface (`from(table).select()/insert()/update()/delete()` + filters, awaitable, resolving
// to `{ data, error }`) and the two guarantees the booking code relies on:
//
// - every statement is atomic: its filters are evaluated and its writes applied in one synchronous
//   step, so a conditional update (`update(...).eq('status', 'open')`) is a compare-and-set;
// - unique constraints are enforced per statement and a violation returns Postgres' 23505, with
//   NULLs distinct as in Postgres (two rows may both hold NULL in a unique column).
//
// Between statements the client really yields (`setImmediate`), so concurrent callers interleave
// as they would against a server: a read-then-write that is not atomic loses races here too.

import type { DataClient, DataResponse, Filterable, PostgrestError, Queryable, Row, Scalar, TableSpec } from '../clinic/db';

export type { DataClient, DataResponse, PostgrestError, Row, Scalar, TableSpec } from '../clinic/db';

type Op = 'select' | 'insert' | 'update' | 'delete';
type Runner = (
  stmt: Statement,
  onfulfilled?: ((value: DataResponse<unknown>) => unknown) | null,
  onrejected?: ((reason: unknown) => unknown) | null,
) => Promise<unknown>;
type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'is';

interface Filter {
  column: string;
  op: FilterOp;
  value: Scalar | readonly Scalar[];
}

interface Statement {
  table: string;
  op: Op;
  values: Row[] | null;
  patch: Row | null;
  filters: Filter[];
  orders: Array<{ column: string; ascending: boolean }>;
  limit: number | null;
  offset: number;
  columns: string[] | null;
  returning: boolean;
  cardinality: 'many' | 'single' | 'maybeSingle';
  count: boolean;
  head: boolean;
}

/** What the client was asked to do since the last reset: statements counted per table and kind. */
export interface DataCallStats {
  statements: number;
  /** Statements answered with an error (a unique violation, a missing table …). */
  errors: number;
  byTable: Record<string, Record<Op, number>>;
}

export interface FakeDataClient extends DataClient {
  /** A snapshot of the statements executed since the last reset. */
  readonly calls: DataCallStats;
  /** Rows currently in `table` (a service-role view for tests). */
  count(table: string): number;
  /** Empties every table, restarts every id sequence and forgets the call records. */
  reset(): void;
}

interface UniqueIndex {
  name: string;
  columns: readonly string[];
  keys: Map<string, string>;
}

interface TableState {
  spec: TableSpec;
  rows: Map<string, Row>;
  ops: Record<Op, number>;
  uniques: UniqueIndex[];
  seq: number;
}

function pgError(code: string, message: string, details: string | null = null): PostgrestError {
  return { code, message, details, hint: null };
}

function keyOf(row: Row, columns: readonly string[]): string | null {
  const parts: Scalar[] = [];
  for (const c of columns) {
    const v = row[c];
    if (v === null || v === undefined) return null; // NULLs never collide
    parts.push(v);
  }
  return JSON.stringify(parts);
}

/** Stores a row and enters it in every unique index of its table. */
function storeRow(t: TableState, row: Row): void {
  t.rows.set(String(row.id), row);
  for (const u of t.uniques) {
    const key = keyOf(row, u.columns);
    if (key !== null) u.keys.set(key, String(row.id));
  }
}

/** Takes a row's entries out of its table's unique indexes (only those it still holds). */
function unindexRow(t: TableState, row: Row): void {
  for (const u of t.uniques) {
    const key = keyOf(row, u.columns);
    if (key !== null && u.keys.get(key) === String(row.id)) u.keys.delete(key);
  }
}

function compare(a: Scalar, b: Scalar): number {
  if (a === b) return 0;
  if (a === null) return 1; // NULLS LAST for ascending order
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function matches(row: Row, f: Filter): boolean {
  const v = row[f.column] ?? null;
  if (f.op === 'is') return v === f.value;
  if (f.op === 'in') return v !== null && (f.value as readonly Scalar[]).includes(v);
  const w = f.value as Scalar;
  // SQL semantics: any comparison with NULL is not true.
  if (v === null || w === null) return false;
  switch (f.op) {
    case 'eq':
      return v === w;
    case 'neq':
      return v !== w;
    case 'gt':
      return compare(v, w) > 0;
    case 'gte':
      return compare(v, w) >= 0;
    case 'lt':
      return compare(v, w) < 0;
    case 'lte':
      return compare(v, w) <= 0;
  }
}

function project(row: Row, columns: string[] | null): Row {
  if (columns === null) return { ...row };
  const out: Row = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}

/** The awaitable part of a query: filters, ordering, paging and the shape of the result. */
export class FilterBuilder<T extends Row, R> implements Filterable<T, R> {
  constructor(
    private readonly stmt: Statement,
    private readonly run: Runner,
  ) {}

  private add(column: string, op: FilterOp, value: Scalar | readonly Scalar[]): this {
    this.stmt.filters.push({ column, op, value });
    return this;
  }

  eq(column: keyof T & string, value: Scalar): this {
    return this.add(column, 'eq', value);
  }
  neq(column: keyof T & string, value: Scalar): this {
    return this.add(column, 'neq', value);
  }
  gt(column: keyof T & string, value: Scalar): this {
    return this.add(column, 'gt', value);
  }
  gte(column: keyof T & string, value: Scalar): this {
    return this.add(column, 'gte', value);
  }
  lt(column: keyof T & string, value: Scalar): this {
    return this.add(column, 'lt', value);
  }
  lte(column: keyof T & string, value: Scalar): this {
    return this.add(column, 'lte', value);
  }
  in(column: keyof T & string, values: readonly Scalar[]): this {
    return this.add(column, 'in', values);
  }
  /** `IS NULL` / `IS TRUE` / `IS FALSE`. */
  is(column: keyof T & string, value: null | boolean): this {
    return this.add(column, 'is', value);
  }
  match(values: Partial<T>): this {
    for (const [k, v] of Object.entries(values)) this.add(k, 'eq', v as Scalar);
    return this;
  }
  order(column: keyof T & string, options: { ascending?: boolean } = {}): this {
    this.stmt.orders.push({ column, ascending: options.ascending ?? true });
    return this;
  }
  limit(n: number): this {
    this.stmt.limit = n;
    return this;
  }
  /** Rows `from`..`to` inclusive, as in PostgREST. */
  range(from: number, to: number): this {
    this.stmt.offset = from;
    this.stmt.limit = to - from + 1;
    return this;
  }
  /** After insert/update/delete: return the affected rows. */
  select(columns = '*'): FilterBuilder<T, T[]> {
    this.stmt.returning = true;
    this.stmt.columns = parseColumns(columns);
    return this as unknown as FilterBuilder<T, T[]>;
  }
  /** Exactly one row, else error PGRST116. */
  single(): FilterBuilder<T, T> {
    this.stmt.cardinality = 'single';
    return this as unknown as FilterBuilder<T, T>;
  }
  /** Zero or one row. */
  maybeSingle(): FilterBuilder<T, T | null> {
    this.stmt.cardinality = 'maybeSingle';
    return this as unknown as FilterBuilder<T, T | null>;
  }

  then<A = DataResponse<R>, B = never>(
    onfulfilled?: ((value: DataResponse<R>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.run(this.stmt, onfulfilled as ((value: DataResponse<unknown>) => unknown) | null | undefined, onrejected) as Promise<A | B>;
  }
}

function parseColumns(columns: string): string[] | null {
  const trimmed = columns.trim();
  if (trimmed === '*' || trimmed === '') return null;
  return trimmed.split(',').map((c) => c.trim());
}

export class QueryBuilder<T extends Row> implements Queryable<T> {
  constructor(
    private readonly table: string,
    private readonly run: Runner,
  ) {}

  private stmt(op: Op): Statement {
    return {
      table: this.table,
      op,
      values: null,
      patch: null,
      filters: [],
      orders: [],
      limit: null,
      offset: 0,
      columns: null,
      returning: op === 'select',
      cardinality: 'many',
      count: false,
      head: false,
    };
  }

  select(columns = '*', options: { count?: 'exact'; head?: boolean } = {}): FilterBuilder<T, T[]> {
    const s = this.stmt('select');
    s.columns = parseColumns(columns);
    s.count = options.count === 'exact';
    s.head = options.head === true;
    return new FilterBuilder<T, T[]>(s, this.run);
  }
  insert(values: Partial<T> | ReadonlyArray<Partial<T>>): FilterBuilder<T, null> {
    const s = this.stmt('insert');
    const list = (Array.isArray(values) ? values : [values]) as Row[];
    s.values = list.map((r) => ({ ...r }));
    return new FilterBuilder<T, null>(s, this.run);
  }
  update(patch: Partial<T>): FilterBuilder<T, null> {
    const s = this.stmt('update');
    s.patch = { ...(patch as Row) };
    return new FilterBuilder<T, null>(s, this.run);
  }
  delete(): FilterBuilder<T, null> {
    return new FilterBuilder<T, null>(this.stmt('delete'), this.run);
  }
}

export function createFakeDataClient(schema: readonly TableSpec[]): FakeDataClient {
  const tables = new Map<string, TableState>();
  let statements = 0;
  let errors = 0;

  const build = (): void => {
    tables.clear();
    for (const spec of schema) {
      tables.set(spec.name, {
        spec,
        rows: new Map(),
        ops: { select: 0, insert: 0, update: 0, delete: 0 },
        seq: 0,
        uniques: (spec.unique ?? []).map((columns) => ({
          name: `${spec.name}_${columns.join('_')}_key`,
          columns,
          keys: new Map(),
        })),
      });
    }
  };
  build();

  const passes = (row: Row, filters: Filter[]): boolean => {
    for (let i = 0; i < filters.length; i++) if (!matches(row, filters[i])) return false;
    return true;
  };

  const filtered = (t: TableState, filters: Filter[]): Row[] => {
    const out: Row[] = [];
    // Primary-key lookups are the common case; answer them without a scan.
    for (let i = 0; i < filters.length; i++) {
      if (filters[i].column === 'id' && filters[i].op === 'eq') {
        const row = t.rows.get(filters[i].value as string);
        if (row !== undefined && passes(row, filters)) out.push(row);
        return out;
      }
    }
    for (const row of t.rows.values()) if (passes(row, filters)) out.push(row);
    return out;
  };

  const violation = (t: TableState, index: UniqueIndex | null, key: string): DataResponse<unknown> => {
    const name = index ? index.name : `${t.spec.name}_pkey`;
    const cols = index ? index.columns.join(', ') : 'id';
    return {
      data: null,
      error: pgError('23505', `duplicate key value violates unique constraint "${name}"`, `Key (${cols})=(${key}) already exists.`),
      count: null,
      status: 409,
    };
  };

  const shape = (stmt: Statement, rows: Row[], count: number | null, status: number): DataResponse<unknown> => {
    if (!stmt.returning) return { data: null, error: null, count, status: stmt.op === 'select' ? 200 : stmt.op === 'insert' ? 201 : 204 };
    if (stmt.head) return { data: null, error: null, count, status };
    const data = rows.map((r) => project(r, stmt.columns));
    if (stmt.cardinality === 'many') return { data, error: null, count, status };
    if (data.length === 1) return { data: data[0], error: null, count, status };
    if (data.length === 0 && stmt.cardinality === 'maybeSingle') return { data: null, error: null, count, status };
    return {
      data: null,
      error: pgError('PGRST116', 'JSON object requested, multiple (or no) rows returned', `The result contains ${data.length} rows`),
      count: null,
      status: 406,
    };
  };

  const execute = (stmt: Statement): DataResponse<unknown> => {
    const t = tables.get(stmt.table);
    if (!t) return { data: null, error: pgError('42P01', `relation "${stmt.table}" does not exist`), count: null, status: 404 };

    switch (stmt.op) {
      case 'select': {
        let rows = filtered(t, stmt.filters);
        for (let i = stmt.orders.length - 1; i >= 0; i--) {
          const { column, ascending } = stmt.orders[i];
          rows.sort((a, b) => (ascending ? 1 : -1) * compare(a[column] ?? null, b[column] ?? null));
        }
        const count = stmt.count ? rows.length : null;
        if (stmt.offset > 0 || stmt.limit !== null) rows = rows.slice(stmt.offset, stmt.limit === null ? undefined : stmt.offset + stmt.limit);
        return shape(stmt, rows, count, 200);
      }

      case 'insert': {
        const incoming = stmt.values!;
        // Single-row inserts, the usual case, need no bookkeeping of keys within the statement.
        const ids = incoming.length > 1 ? new Set<string>() : null;
        const pending = incoming.length > 1 ? t.uniques.map(() => new Set<string>()) : null;
        let seq = t.seq;
        for (const row of incoming) {
          if (row.id === undefined || row.id === null) row.id = `${t.spec.idPrefix}_${String(++seq).padStart(8, '0')}`;
          const id = String(row.id);
          if (t.rows.has(id) || ids?.has(id)) return violation(t, null, id);
          ids?.add(id);
          for (let u = 0; u < t.uniques.length; u++) {
            const key = keyOf(row, t.uniques[u].columns);
            if (key === null) continue;
            if (t.uniques[u].keys.has(key) || pending?.[u].has(key)) return violation(t, t.uniques[u], key);
            pending?.[u].add(key);
          }
        }
        // No violation: apply the whole statement.
        t.seq = seq;
        for (const row of incoming) storeRow(t, { ...row });
        return shape(stmt, incoming, null, 201);
      }

      case 'update': {
        const patch = stmt.patch!;
        if ('id' in patch) return { data: null, error: pgError('428C9', 'column "id" can only be updated to DEFAULT'), count: null, status: 400 };
        const targets = filtered(t, stmt.filters);
        const targetIds = new Set(targets.map((r) => String(r.id)));
        const updated = targets.map((r) => ({ ...r, ...patch }));
        for (const u of t.uniques) {
          if (!u.columns.some((c) => c in patch)) continue;
          const seen = new Set<string>();
          for (const row of updated) {
            const key = keyOf(row, u.columns);
            if (key === null) continue;
            const holder = u.keys.get(key);
            if (seen.has(key) || (holder !== undefined && !targetIds.has(holder))) return violation(t, u, key);
            seen.add(key);
          }
        }
        for (const row of targets) unindexRow(t, row);
        for (const row of updated) storeRow(t, row);
        return shape(stmt, updated, null, 200);
      }

      case 'delete': {
        const targets = filtered(t, stmt.filters);
        for (const row of targets) {
          t.rows.delete(String(row.id));
          unindexRow(t, row);
        }
        return shape(stmt, targets, null, 200);
      }
    }
  };

  const run: Runner = (stmt, onfulfilled, onrejected) =>
    // The round trip: every caller already waiting for the event loop runs before this statement
    // reaches the "server", so statements of concurrent callers interleave. Each statement then
    // executes in one synchronous step: atomic, as a single SQL statement is. (One promise per
    // statement, settled with the continuation's result: these fakes run by the hundred thousand.)
    new Promise((resolve, reject) => {
      setImmediate(() => {
        const response = execute(stmt);
        statements++;
        if (response.error) errors++;
        const t = tables.get(stmt.table);
        if (t) t.ops[stmt.op]++;
        if (!onfulfilled) return resolve(response);
        try {
          resolve(onfulfilled(response));
        } catch (err) {
          if (onrejected) resolve(onrejected(err));
          else reject(err);
        }
      });
    });

  return {
    from: <T extends Row = Row>(table: string) => new QueryBuilder<T>(table, run),
    get calls() {
      const byTable: DataCallStats['byTable'] = {};
      for (const [name, t] of tables) if (t.ops.select + t.ops.insert + t.ops.update + t.ops.delete > 0) byTable[name] = { ...t.ops };
      return { statements, errors, byTable };
    },
    count: (table) => {
      const t = tables.get(table);
      if (!t) throw new Error(`no table ${table}`);
      return t.rows.size;
    },
    reset: () => {
      build();
      statements = 0;
      errors = 0;
    },
  };
}
