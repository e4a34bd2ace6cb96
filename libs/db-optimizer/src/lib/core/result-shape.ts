import type { CustomTypesConfig, FieldDef } from 'pg';

/**
 * How pg should hand rows back, passed into its query config. The routing pool asks for
 * the server's text, in arrays, and applies the caller's `rowMode` and `types` itself, so
 * one cached result serves every caller whatever parsers it uses.
 */
export interface ResultShape {
  rowMode?: 'array';
  types?: CustomTypesConfig;
}

/** Every value as the server sent it: text (or a Buffer for binary), never parsed. */
const UNPARSED: CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/** Rows as arrays of the server's text: what the routing pool runs with. */
export const RAW_ROWS: ResultShape = Object.freeze({ rowMode: 'array', types: UNPARSED });

/** What pg's result says besides the rows; the result cache keeps it with results read in `RAW_ROWS` shape. */
export interface ResultColumns {
  command: string;
  fields: FieldDef[];
}

/** A result that may carry its columns (results loaded in `RAW_ROWS` shape do). */
export type WithColumns<R> = R & { columns?: ResultColumns };
