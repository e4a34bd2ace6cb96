import type { CacheLevel } from '../core/query-sample.interface';
import type { OptimizedQueryResult } from '../core/query-options.interface';
import type { ResultColumns, WithColumns } from '../core/result-shape';
import { decodeResult, servedMetadata } from './result-codec';

/**
 * A result decoded once and kept beside its payload in memory, for results whose rows hold
 * only values a copy can reproduce without parsing: strings, numbers, booleans, bigints,
 * null and Dates, in plain objects or arrays (one level, as pg returns them). Every hit then
 * gets its own rows by copying these (a Date as a new Date), which is several times cheaper
 * than parsing the payload again, and no caller can change what another one gets.
 */
export interface DecodedResult {
  rows: ReadonlyArray<Readonly<Record<string, unknown>> | readonly unknown[]>;
  metadata: Readonly<OptimizedQueryResult<unknown>['metadata']>;
  columns?: ResultColumns;
}

/** The payload decoded for copying, or undefined when a row holds something only a parse can copy (JSON values, Buffers, arrays). */
export function decodeForCopies(payload: string): DecodedResult | undefined {
  const decoded = decodeResult<unknown>(payload, 'memory');
  for (const row of decoded.rows) if (!isFlat(row)) return undefined;
  return decoded as DecodedResult;
}

/** A caller's own copy of a decoded result, with `metadata.cached` set to the level that served it. */
export function copyDecoded<T>(decoded: DecodedResult, level: CacheLevel): OptimizedQueryResult<T> {
  const rows = new Array<unknown>(decoded.rows.length);
  for (let i = 0; i < rows.length; i++) rows[i] = copyRow(decoded.rows[i]);
  const copy: WithColumns<OptimizedQueryResult<T>> = { rows: rows as T[], metadata: servedMetadata(decoded.metadata, level) };
  if (decoded.columns !== undefined) copy.columns = { command: decoded.columns.command, fields: decoded.columns.fields.map((field) => ({ ...field })) };
  return copy;
}

function isFlat(row: unknown): boolean {
  if (row === null || typeof row !== 'object') return false;
  const values = Array.isArray(row) ? row : Object.values(row);
  for (const value of values) {
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) return false;
  }
  // Only plain objects and arrays: a row of another class would lose its prototype in a spread.
  return Array.isArray(row) || Object.getPrototypeOf(row) === Object.prototype;
}

function copyRow(row: Readonly<Record<string, unknown>> | readonly unknown[]): unknown {
  if (Array.isArray(row)) {
    const copy = row.slice();
    for (let i = 0; i < copy.length; i++) if (copy[i] instanceof Date) copy[i] = new Date((copy[i] as Date).getTime());
    return copy;
  }
  const copy: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const key in copy) {
    const value = copy[key];
    if (value instanceof Date) copy[key] = new Date(value.getTime());
  }
  return copy;
}
