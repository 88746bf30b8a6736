// The data access surface the clinic backend is written against: the hosted Postgres client's
// query builder (`from(table).select()/insert()/update()/delete()` with filters, awaitable, never
// throwing: every outcome is `{ data, error }`). Production passes the real client; the stress
// suites pass the in-memory one from support/.

export type Scalar = string | number | boolean | null;
export type Row = Record<string, Scalar>;

export interface PostgrestError {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

export interface DataResponse<R> {
  data: R | null;
  error: PostgrestError | null;
  count: number | null;
  status: number;
}

/** Postgres' unique_violation. */
export const UNIQUE_VIOLATION = '23505';

export interface Filterable<T extends Row, R> extends PromiseLike<DataResponse<R>> {
  eq(column: keyof T & string, value: Scalar): this;
  neq(column: keyof T & string, value: Scalar): this;
  gt(column: keyof T & string, value: Scalar): this;
  gte(column: keyof T & string, value: Scalar): this;
  lt(column: keyof T & string, value: Scalar): this;
  lte(column: keyof T & string, value: Scalar): this;
  in(column: keyof T & string, values: readonly Scalar[]): this;
  is(column: keyof T & string, value: null | boolean): this;
  match(values: Partial<T>): this;
  order(column: keyof T & string, options?: { ascending?: boolean }): this;
  limit(n: number): this;
  range(from: number, to: number): this;
  select(columns?: string): Filterable<T, T[]>;
  single(): Filterable<T, T>;
  maybeSingle(): Filterable<T, T | null>;
}

export interface Queryable<T extends Row> {
  select(columns?: string, options?: { count?: 'exact'; head?: boolean }): Filterable<T, T[]>;
  insert(values: Partial<T> | ReadonlyArray<Partial<T>>): Filterable<T, null>;
  update(patch: Partial<T>): Filterable<T, null>;
  delete(): Filterable<T, null>;
}

export interface DataClient {
  from<T extends Row = Row>(table: string): Queryable<T>;
}

/** A table as the migrations declare it: the id prefix and the unique constraints. */
export interface TableSpec {
  name: string;
  /** Prefix of generated ids, e.g. `bk` gives `bk_00000001`. */
  idPrefix: string;
  /** Unique constraints, each a list of columns. The primary key `id` is always unique. */
  unique?: ReadonlyArray<readonly string[]>;
}
