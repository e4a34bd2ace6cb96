import type { KeyColumn, KeyType } from './cache-dependencies.interface';
import type { EqualityPins } from './equality-pins';
import { UNUSABLE, valuesOf } from './value-source';
import { assertNever } from '../../core/assert-never';

/** Beyond this many rows (IN lists, composite combinations) a statement is treated as touching the whole table. */
export const MAX_ROW_KEYS = 1000;

const INTEGER = /^[+-]?\d+$/;
const UUID_HEX = /^[0-9a-f]{32}$/;

/**
 * Canonical text of one key value, so that every spelling PostgreSQL takes
 * for the same row gives the same text: `5`, `'5'`, `' 05'` for an integer;
 * any case and hyphenation of a uuid; a char(n) without its trailing
 * blanks. Undefined when the value cannot be normalised safely (NULL,
 * objects, numbers that are not integers, types not listed), which makes
 * the statement table-level: a wrong key would leave stale entries.
 *
 * Values are turned to text the way node-postgres sends them
 * (`String(value)` for primitives).
 */
export function normalizeKeyValue(type: KeyType, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (type) {
    case 'integer':
      return normalizeInteger(value);
    case 'text':
      return isPrimitive(value) ? String(value) : undefined;
    case 'char':
      // bpchar comparison ignores trailing blanks.
      return isPrimitive(value) ? String(value).replace(/ +$/, '') : undefined;
    case 'uuid':
      return typeof value === 'string' ? normalizeUuid(value) : undefined;
    case 'other':
      return undefined;
    default:
      return assertNever(type);
  }
}

/** The row key of one combination of key values, in key order. */
export function encodeRowKey(values: readonly string[]): string {
  return values.length === 1 ? values[0] : JSON.stringify(values);
}

/**
 * Keys of every row the pins name, or undefined when a key column is not
 * pinned, a value cannot be normalised, or there are more than MAX_ROW_KEYS.
 */
export function rowKeysFor(columns: readonly KeyColumn[], pins: EqualityPins, params: readonly unknown[]): string[] | undefined {
  const choices: string[][] = [];
  let combinations = 1;
  for (const column of columns) {
    const values = columnValues(column, pins, params);
    if (!values) return undefined;
    combinations *= values.length;
    if (combinations > MAX_ROW_KEYS) return undefined;
    choices.push(values);
  }
  if (choices.length === 0) return undefined;
  const keys = new Set<string>();
  for (const combination of product(choices)) keys.add(encodeRowKey(combination));
  return [...keys];
}

function columnValues(column: KeyColumn, pins: EqualityPins, params: readonly unknown[]): string[] | undefined {
  const sources = pins.get(column.name);
  if (!sources) return undefined;
  const values = new Set<string>();
  for (const source of sources) {
    const raw = valuesOf(source, params);
    if (raw === UNUSABLE) return undefined;
    for (const value of raw) {
      const normalized = normalizeKeyValue(column.type, value);
      if (normalized === undefined) return undefined;
      values.add(normalized);
    }
  }
  return values.size > 0 ? [...values] : undefined;
}

function* product(choices: readonly string[][], prefix: string[] = []): Generator<string[]> {
  if (prefix.length === choices.length) {
    yield prefix;
    return;
  }
  for (const value of choices[prefix.length]) yield* product(choices, [...prefix, value]);
}

function normalizeInteger(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  // PostgreSQL trims blanks and accepts a sign and leading zeros. Newer spellings (1_000, 0x1F) are left table-level.
  const trimmed = value.trim();
  return INTEGER.test(trimmed) ? BigInt(trimmed).toString() : undefined;
}

/** uuid_in accepts upper case, braces, and hyphens between any groups of four digits. */
function normalizeUuid(value: string): string | undefined {
  let text = value.toLowerCase();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  const hex = text.replace(/-/g, '');
  if (!UUID_HEX.test(hex) || text.startsWith('-') || text.endsWith('-') || text.includes('--')) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
}
