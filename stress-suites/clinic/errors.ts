// Typed errors of the clinic backend. Expected business outcomes (a slot already taken, a booking
// already cancelled) are results, not errors; these are for refusals and for broken invariants.

import type { PostgrestError } from './db';

/** A request for a row that belongs to another clinic: the row-level-security refusal. */
export class CrossClinicAccessError extends Error {
  readonly code = 'CROSS_CLINIC_ACCESS';
  constructor(
    readonly clinicId: string,
    readonly table: string,
    readonly id: string,
  ) {
    // Never name the clinic that owns the row.
    super(`clinic ${clinicId} may not access ${table} ${id}`);
    this.name = 'CrossClinicAccessError';
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly table: string,
    readonly id: string,
  ) {
    super(`${table} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** The database answered with an error the caller cannot handle. */
export class DataAccessError extends Error {
  readonly code: string;
  constructor(
    readonly operation: string,
    readonly cause: PostgrestError,
  ) {
    super(`${operation}: ${cause.code} ${cause.message}`);
    this.name = 'DataAccessError';
    this.code = cause.code;
  }
}
