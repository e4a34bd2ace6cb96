import type { FieldDef } from 'pg';

/** The columns a prepared statement returns, as the server's Describe gave them; empty for a statement without rows. */
export type StatementColumns = readonly FieldDef[];

const NO_COLUMNS: StatementColumns = Object.freeze([]);

/**
 * The columns of the named statements prepared on one connection, as their first Describe
 * answered. PostgreSQL never changes what a prepared statement returns: after DDL that would, it
 * fails the statement (SQLSTATE 0A000, "cached plan must not change result type") instead. So
 * the columns hold for as long as the server keeps the statement, and a later run can skip its
 * Describe. They are forgotten whenever pg's record of the name is (`forgetRecords`), which is
 * the only way pg comes to send a new Parse for the name.
 *
 * A Describe sent before a forget may answer for the statement the server dropped, so what it
 * answers is kept only if no name was forgotten meanwhile (`generation`).
 */
export class ConnectionDescriptions {
  private readonly columns = new Map<string, StatementColumns>();
  /** Forgets so far: what a Describe answers is kept only if none happened since it was sent. */
  generation = 0;

  /** The columns known for `name`, or undefined when its next run must Describe. */
  columnsOf(name: string): StatementColumns | undefined {
    return this.columns.get(name);
  }

  /**
   * Keeps what a Describe sent at `sentAt` (the generation then) answered for `name`. Frozen,
   * since every later result of the statement shares them as its `fields`.
   */
  remember(name: string, fields: StatementColumns | undefined, sentAt: number): void {
    if (sentAt !== this.generation) return;
    if (fields === undefined || fields.length === 0) {
      this.columns.set(name, NO_COLUMNS);
      return;
    }
    for (const field of fields) Object.freeze(field);
    this.columns.set(name, Object.freeze(fields));
  }

  forget(name: string): void {
    this.columns.delete(name);
    this.generation++;
  }
}

const byConnection = new WeakMap<object, ConnectionDescriptions>();

/** The descriptions kept for pg's `connection` (created on first use; they go with the connection). */
export function descriptionsOf(connection: object): ConnectionDescriptions {
  let descriptions = byConnection.get(connection);
  if (descriptions === undefined) {
    descriptions = new ConnectionDescriptions();
    byConnection.set(connection, descriptions);
  }
  return descriptions;
}

/** Forgets what is known of `name`'s columns on `connection`: the server may no longer hold that statement. */
export function forgetDescription(connection: object, name: string): void {
  byConnection.get(connection)?.forget(name);
}
