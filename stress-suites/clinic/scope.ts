// Row-level security in the application: a ClinicScope confines every read and write to one
// clinic. Reads and writes are filtered on clinic_id, inserts are stamped with it, and asking for a
// row by id that exists under another clinic (an id seen elsewhere or guessed) is refused with a
// CrossClinicAccessError, never answered.

import { DataAccessError, CrossClinicAccessError, NotFoundError } from './errors';
import type { DataClient, Filterable, Row } from './db';

export type ClinicRow = Row & { id: string; clinic_id: string };

export class ClinicScope {
  constructor(
    private readonly db: DataClient,
    readonly clinicId: string,
  ) {
    if (!clinicId) throw new Error('a clinic scope needs a clinic id');
  }

  /** `SELECT … WHERE clinic_id = <this clinic>`; add filters to it. */
  select<T extends ClinicRow>(table: string, columns = '*', options: { count?: 'exact'; head?: boolean } = {}): Filterable<T, T[]> {
    return this.db.from<T>(table).select(columns, options).eq('clinic_id', this.clinicId);
  }

  /** Insert rows stamped with this clinic; a row that names another clinic is refused. */
  insert<T extends ClinicRow>(table: string, rows: Partial<T> | ReadonlyArray<Partial<T>>): Filterable<T, null> {
    const list = (Array.isArray(rows) ? rows : [rows]) as ReadonlyArray<Partial<T>>;
    const stamped = list.map((row) => {
      if (row.clinic_id !== undefined && row.clinic_id !== this.clinicId) {
        throw new CrossClinicAccessError(this.clinicId, table, typeof row.id === 'string' ? row.id : '(new row)');
      }
      return { ...row, clinic_id: this.clinicId } as Partial<T>;
    });
    return this.db.from<T>(table).insert(stamped);
  }

  /** `UPDATE … WHERE clinic_id = <this clinic>`; moving a row to another clinic is refused. */
  update<T extends ClinicRow>(table: string, patch: Partial<T>): Filterable<T, null> {
    if (patch.clinic_id !== undefined && patch.clinic_id !== this.clinicId) {
      throw new CrossClinicAccessError(this.clinicId, table, typeof patch.id === 'string' ? patch.id : '(update)');
    }
    return this.db.from<T>(table).update(patch).eq('clinic_id', this.clinicId);
  }

  /** `DELETE … WHERE clinic_id = <this clinic>`. */
  delete<T extends ClinicRow>(table: string): Filterable<T, null> {
    return this.db.from<T>(table).delete().eq('clinic_id', this.clinicId);
  }

  /**
   * One row of this clinic by id. A row of another clinic raises CrossClinicAccessError (the
   * refusal is typed so that probing shows up as such); an id that exists nowhere raises NotFoundError.
   */
  async get<T extends ClinicRow>(table: string, id: string): Promise<T> {
    const own = await this.select<T>(table).eq('id', id).maybeSingle();
    if (own.error) throw new DataAccessError(`read ${table}`, own.error);
    if (own.data) return own.data;
    const anywhere = await this.db.from<ClinicRow>(table).select('id, clinic_id').eq('id', id).maybeSingle();
    if (anywhere.error) throw new DataAccessError(`read ${table}`, anywhere.error);
    if (anywhere.data) throw new CrossClinicAccessError(this.clinicId, table, id);
    throw new NotFoundError(table, id);
  }

  /** Rows of this clinic; throws on a database error. */
  async all<T extends ClinicRow>(query: Filterable<T, T[]>, what: string): Promise<T[]> {
    const { data, error } = await query;
    if (error) throw new DataAccessError(what, error);
    return data ?? [];
  }
}
