import * as pg from 'pg';
import type { StatementColumns } from './statement-descriptions';

/** Where pg's result looks up its parsers: the query's or client's types, else pg's global ones. */
export interface TypeSource {
  getTypeParser(oid: number, format: string): unknown;
}

/** What pg 8's `Result` holds for parsing rows, as `addFields` sets it (`lib/result.js`). */
interface PgResultInternals {
  fields: StatementColumns;
  _parsers: unknown[] | undefined;
  _types: TypeSource | undefined;
  _prebuiltEmptyResultObject: object | null;
}

/** What pg 8's query sets when its columns arrive (`lib/query.js` `handleRowDescription`). */
export interface RowDescriptionTarget {
  _result: PgResultInternals;
  _accumulateRows: unknown;
  callback?: unknown;
  listeners(event: string): unknown[];
  handleRowDescription(message: { fields: StatementColumns }): void;
}

const emptyRows = new WeakMap<StatementColumns, object>();

/**
 * The empty row pg copies for every row of a result, built as pg builds it (a null-prototype
 * object spread into a plain one, so a column named `__proto__` is an own property). pg builds
 * it on every run: 0.66 µs of the 0.73 µs its `addFields` took for three columns in a
 * microbenchmark. It depends on the column names only, so it is built once per columns.
 */
function emptyRowOf(columns: StatementColumns): object {
  let row = emptyRows.get(columns);
  if (row === undefined) {
    const names: Record<string, null> = Object.create(null);
    for (const column of columns) names[column.name] = null;
    // Shared by every result of the statement; pg only ever spreads it into a new row. Not frozen: spreading a
    // frozen object took 46 ns per row against 14 in a microbenchmark (three columns), and pg spreads it for every row.
    row = { ...names };
    emptyRows.set(columns, row);
  }
  return row;
}

/**
 * Does to `query` what pg's `handleRowDescription` does with `columns`, except that the empty
 * row is shared: the result's columns and parsers (looked up on every run, as pg does, so a type
 * parser set later still applies) and whether rows are kept. Only for a query whose result has no
 * command yet (pg's multi-result check then does nothing), which is every run the statement
 * cache sends.
 */
export function replayRowDescription(query: RowDescriptionTarget, columns: StatementColumns): void {
  const result = query._result;
  result.fields = columns;
  if (columns.length > 0) {
    const types: TypeSource = result._types ?? (pg.types as unknown as TypeSource);
    const parsers = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) parsers[i] = types.getTypeParser(columns[i].dataTypeID, columns[i].format || 'text');
    result._parsers = parsers;
  }
  result._prebuiltEmptyResultObject = emptyRowOf(columns);
  query._accumulateRows = query.callback || !query.listeners('row').length;
}
