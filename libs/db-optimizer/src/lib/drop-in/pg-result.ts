import { types as pgTypes, type CustomTypesConfig, type QueryResult } from 'pg';
import type { ResultColumns } from '../core/result-shape';

/** What the caller asked pg for: objects or arrays, with pg's parsers or its own. */
export interface RowFormat {
  rowMode?: 'array';
  types?: CustomTypesConfig;
}

/**
 * pg's result, built from the server's text the way pg would build it: the caller's
 * `types` (else pg's global parsers, which `pg.defaults.parseInt8` and `pg.types.setTypeParser`
 * change) and `rowMode`. Rows always come from a fresh parse, so callers never share objects.
 */
export function toPgResult(rawRows: readonly unknown[][], columns: ResultColumns, rowCount: number, format: RowFormat): QueryResult {
  const { fields } = columns;
  const types = format.types ?? pgTypes;
  const parsers = fields.map((field) => types.getTypeParser(field.dataTypeID, (field.format || 'text') as 'text'));
  const asArray = format.rowMode === 'array';
  const rows = rawRows.map((raw) => {
    if (asArray) return raw.map((value, index) => (value === null ? null : parsers[index](value as string)));
    const row: Record<string, unknown> = {};
    for (let index = 0; index < fields.length; index++) {
      const value = raw[index];
      row[fields[index].name] = value === null ? null : parsers[index](value as string);
    }
    return row;
  });
  return Object.assign({ command: columns.command, rowCount, oid: 0, fields, rows }, { rowAsArray: asArray });
}
