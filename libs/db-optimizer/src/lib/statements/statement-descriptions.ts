import type { FieldDef } from 'pg';

/**
 * What the server's Describe said a prepared statement returns: its columns (none for a
 * `SELECT` of no columns, whose rows are still rows), or `NO_DATA` for a statement that returns
 * no rows at all (the server answered NoData).
 */
export type StatementColumns = readonly FieldDef[];

/** The statement returns no rows: the server answered its Describe with NoData. */
export const NO_DATA: StatementColumns = Object.freeze([]);

/**
 * The columns of the named statements prepared on one connection, as their first Describe
 * answered. PostgreSQL never lets what a prepared statement returns change: after DDL that would
 * change its columns' names, types, type modifiers or collations, it fails the statement (SQLSTATE
 * 0A000, "cached plan must not change result type") instead. So the columns hold for as long as
 * the server keeps the statement, and a later run can skip its Describe. What PostgreSQL does not
 * compare is where a column comes from: after a re-plan onto another table of the same row type
 * (dropped and created again, or another schema on the `search_path`), a skipped run's `tableID`
 * and `columnID` are the first Describe's.
 *
 * They are forgotten whenever pg's record of the name is (`forgetRecords`), which is the only
 * way pg comes to send a new Parse for the name. A Describe sent before a forget may answer for
 * the statement the server dropped, so what it answers is kept only if no name was forgotten
 * meanwhile (`generation`).
 */
export class ConnectionDescriptions {
  private readonly columns = new Map<string, StatementColumns>();
  /** Forgets so far: what a Describe answers is kept only if none happened since it was sent. */
  generation = 0;

  /** The columns known for `name` (`NO_DATA` for a statement without rows), or undefined when its next run must Describe. */
  columnsOf(name: string): StatementColumns | undefined {
    return this.columns.get(name);
  }

  /**
   * Keeps what a Describe sent at `sentAt` (the generation then) answered for `name`: its
   * columns, or `NO_DATA`. Frozen, since every later result of the statement shares them as its
   * `fields`.
   */
  remember(name: string, fields: StatementColumns, sentAt: number): void {
    if (sentAt !== this.generation) return;
    if (fields !== NO_DATA) {
      for (const field of fields) Object.freeze(field);
      Object.freeze(fields);
    }
    this.columns.set(name, fields);
  }

  /** A Parse for `name` is on its way: whatever was known of the name describes no statement now. */
  parsing(name: string): void {
    this.columns.delete(name);
  }

  /** The server may no longer hold `name`'s statement; Describes in flight may answer for what it dropped. */
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
