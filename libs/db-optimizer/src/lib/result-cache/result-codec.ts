import type { CacheLevel } from '../core/query-sample.interface';
import type { OptimizedQueryResult, QueryMetadata } from '../core/query-options.interface';
import type { ResultColumns, WithColumns } from '../core/result-shape';

/** Key of a tagged value; jsonb cannot hold U+0000, so no row value has it. */
const TAG = '\u0000';

type Tagged = { [TAG]: 'd' | 'x' | 'n' | 'f'; v: string | number | null };

/** Thrown inside the replacer to stop at the first value a cached copy could not reproduce. */
class UnsupportedValue extends Error {}

/**
 * First character of a payload: whether it holds tagged values. Most results hold none,
 * and JSON.parse without a reviver is several times faster.
 */
const PLAIN = 'p';
const TAGGED = 't';

/** Set by the replacer when it tags a value (encoding is synchronous, so one flag is enough). */
let tagged = false;

/** The metadata a cached copy keeps: how the result was first produced. */
export type StoredMetadata = Pick<QueryMetadata, 'poolUsed' | 'server' | 'queryType' | 'preparedStatement' | 'fingerprint' | 'rowCount'>;

/** Every field of T, optional ones too (with undefined allowed): a literal of it must name them all, so a field added to StoredMetadata is not dropped. */
type EveryField<T> = { [K in keyof T]-?: T[K] };

/**
 * A result as text for both cache levels. Dates, Buffers, bigints and non-finite numbers
 * are tagged so they come back as they were; a result holding anything else that JSON
 * would change (class instances, functions) gives undefined and is not cached, since a
 * cached answer must equal a fresh one.
 *
 * @example
 * const text = encodeResult(result);
 * if (text) decodeResult(text, 'memory').rows; // deep copy, Dates restored
 */
export function encodeResult<T>(result: WithColumns<OptimizedQueryResult<T>>): string | undefined {
  const { poolUsed, server, queryType, preparedStatement, fingerprint, rowCount } = result.metadata;
  const metadata: EveryField<StoredMetadata> = { poolUsed, server, queryType, preparedStatement, fingerprint, rowCount };
  // `columns` is undefined (and left out) for results in pg's default shape.
  const encoded = { rows: result.rows, metadata, columns: result.columns };
  tagged = false;
  try {
    // Most results hold only values JSON keeps as they are; without a replacer, V8 stringifies
    // them on its fast path, several times quicker (a replacer is a call per value). Same text.
    if (holdsOnlyPlainValues(encoded)) return PLAIN + JSON.stringify(encoded);
    const json = JSON.stringify(encoded, replacer);
    return (tagged ? TAGGED : PLAIN) + json;
  } catch {
    // UnsupportedValue, or anything else JSON refuses (a cycle): such a result is not cached.
    return undefined;
  }
}

/** A fresh copy of an encoded result, with `metadata.cached` set to the level that served it. */
export function decodeResult<T>(payload: string, level: CacheLevel): WithColumns<OptimizedQueryResult<T>> {
  const json = payload.slice(1);
  const parsed = (payload[0] === TAGGED ? JSON.parse(json, reviver) : JSON.parse(json)) as { rows: T[]; metadata: StoredMetadata; columns?: ResultColumns };
  const result: WithColumns<OptimizedQueryResult<T>> = { rows: parsed.rows, metadata: servedMetadata(parsed.metadata, level) };
  if (parsed.columns !== undefined) result.columns = parsed.columns;
  return result;
}

/**
 * The metadata of a copy served at `level`, from what the entry stored, field by field. The
 * spread it replaces took two thirds of `copyDecoded`'s samples in the 90/10 mix, where it met
 * objects of several shapes (issue #13's notes, twelfth session).
 */
export function servedMetadata(stored: StoredMetadata, level: CacheLevel): QueryMetadata {
  const served: EveryField<StoredMetadata> & Pick<QueryMetadata, 'executionTimeMs' | 'cached'> = {
    executionTimeMs: 0,
    cached: level,
    poolUsed: stored.poolUsed,
    server: stored.server,
    queryType: stored.queryType,
    preparedStatement: stored.preparedStatement,
    fingerprint: stored.fingerprint,
    rowCount: stored.rowCount,
  };
  return served;
}

/** `decodeResult()`, or undefined for a payload this version cannot read (damaged, or written by another format). */
export function tryDecodeResult<T>(payload: string, level: CacheLevel): OptimizedQueryResult<T> | undefined {
  try {
    const result = decodeResult<T>(payload, level);
    return Array.isArray(result.rows) ? result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the replacer would hand back every value of `encoded` unchanged: rows (plain objects or
 * arrays) and column descriptions of strings, booleans, finite numbers other than -0, null and
 * undefined, and plain metadata, with no `toJSON` anywhere. Anything else (Dates, Buffers,
 * bigints, nested objects, class instances, a key the tag uses) goes through the replacer,
 * which tags or refuses it.
 */
function holdsOnlyPlainValues(encoded: { rows: readonly unknown[]; metadata: StoredMetadata; columns?: ResultColumns }): boolean {
  const { rows, columns } = encoded;
  if (!isPlainList(rows) || !isPlainRow(encoded.metadata)) return false;
  return columns === undefined || areColumnsPlain(columns);
}

/** `{ command, fields }` as the raw shape gives it, every other key a plain value. */
function areColumnsPlain(columns: unknown): boolean {
  if (!isPlainRecord(columns)) return false;
  for (const key in columns) {
    const value = columns[key];
    if (key === TAG || !(key === 'fields' ? isPlainList(value) : isPlainValue(value))) return false;
  }
  return true;
}

/** An array of plain rows, itself without `toJSON`. */
function isPlainList(rows: unknown): boolean {
  if (!Array.isArray(rows) || hasToJson(rows)) return false;
  for (const row of rows as unknown[]) if (!isPlainRow(row)) return false;
  return true;
}

function isPlainRow(row: unknown): boolean {
  if (Array.isArray(row)) {
    if (hasToJson(row)) return false;
    for (const value of row as unknown[]) if (!isPlainValue(value)) return false;
    return true;
  }
  if (!isPlainRecord(row)) return false;
  for (const key in row) {
    if (key === TAG || !isPlainValue(row[key])) return false;
  }
  return true;
}

/** An object of Object's prototype (or none), without `toJSON`: JSON writes its own enumerable keys. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || hasToJson(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function isPlainValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value) && !(value === 0 && 1 / value < 0);
    case 'object':
      return value === null;
    default:
      return false;
  }
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // `this[key]` is the value before toJSON(): a Date or Buffer is still itself here.
  const raw = this[key];
  switch (typeof raw) {
    case 'number':
      if (Object.is(raw, -0)) return tag('f', '-0');
      return Number.isFinite(raw) ? raw : tag('f', String(raw));
    case 'bigint':
      return tag('n', raw.toString());
    case 'function':
    case 'symbol':
      throw new UnsupportedValue();
    case 'object':
      return raw === null ? null : replaceObject(raw, value);
    default:
      return value;
  }
}

function replaceObject(raw: object, value: unknown): unknown {
  if (raw instanceof Date) return tag('d', Number.isNaN(raw.getTime()) ? null : raw.getTime());
  if (Buffer.isBuffer(raw)) return tag('x', raw.toString('base64'));
  if (Array.isArray(raw)) return value;
  const prototype = Object.getPrototypeOf(raw) as unknown;
  if ((prototype !== Object.prototype && prototype !== null) || Object.prototype.hasOwnProperty.call(raw, TAG)) {
    throw new UnsupportedValue();
  }
  return value;
}

function tag(kind: Tagged[typeof TAG], v: string | number | null): Tagged {
  tagged = true;
  return { [TAG]: kind, v };
}

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !(TAG in value)) return value;
  const { [TAG]: kind, v } = value as Tagged;
  switch (kind) {
    case 'd':
      return new Date(v === null ? Number.NaN : Number(v));
    case 'x':
      return Buffer.from(String(v), 'base64');
    case 'n':
      return BigInt(String(v));
    case 'f':
      return Number(v);
    default: {
      const unknownKind: never = kind;
      throw new Error(`Unknown tag ${String(unknownKind)} in a cached result; the entry was written by another version.`);
    }
  }
}
