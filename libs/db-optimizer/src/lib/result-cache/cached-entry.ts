import { formatLsn, parseLsn } from '../core/lsn';
import type { DecodedResult } from './decoded-result';

/**
 * A cached result as both levels hold it: the encoded rows and metadata, when it was
 * loaded and expires (ms since the epoch, so instances agree on them through Redis), and
 * the WAL position its data is known to include.
 */
export interface CachedEntry {
  /** `encodeResult()` text. */
  payload: string;
  /** UTF-8 size of the payload: what the memory bound counts. */
  bytes: number;
  loadedAt: number;
  expiresAt: number;
  /**
   * A WAL position no later than the data: every write whose consistency token is at or
   * before it is in the rows (see `DataPositions`). Undefined when unknown: such an entry
   * serves no read that carries a required position. Present on every entry (see `cachedEntry`).
   */
  lsn: bigint | undefined;
  /**
   * In memory only: the payload decoded once, from the first memory hit on (see
   * `DecodedResult`); null when its rows need a parse per copy. Counted in `bytes`.
   */
  decoded: DecodedResult | null | undefined;
}

/**
 * Builds an entry, measuring its payload once. Every entry has every field, in this order, so
 * V8 sees one shape wherever entries are read. With fields added as they came, entries had up
 * to six shapes, and a memory hit's re-store and reads of its entry were among the costliest
 * lines of the 90/10 mix (issue #13's notes, twelfth session).
 */
export function cachedEntry(payload: string, loadedAt: number, expiresAt: number, lsn?: bigint): CachedEntry {
  return { payload, bytes: Buffer.byteLength(payload, 'utf8'), loadedAt, expiresAt, lsn, decoded: undefined };
}

/** The entry with its payload decoded for copies, its size counted twice (roughly what the decoded rows take). */
export function withDecoded(entry: CachedEntry, decoded: DecodedResult): CachedEntry {
  return { payload: entry.payload, bytes: entry.bytes * 2, loadedAt: entry.loadedAt, expiresAt: entry.expiresAt, lsn: entry.lsn, decoded };
}

/** Whether the entry is known to include every write up to `requiredLsn` (always, when nothing is required). */
export function entryCovers(entry: CachedEntry, requiredLsn: bigint | undefined): boolean {
  return requiredLsn === undefined || (entry.lsn !== undefined && entry.lsn >= requiredLsn);
}

/** The entry as one Redis string: `loadedAt:expiresAt:lsn:payload` (lsn empty when unknown). */
export function serializeEntry(entry: CachedEntry): string {
  return `${entry.loadedAt}:${entry.expiresAt}:${entry.lsn === undefined ? '' : formatLsn(entry.lsn)}:${entry.payload}`;
}

/** Reads `serializeEntry()` text back; undefined for anything else (a foreign or damaged value is a miss). */
export function parseEntry(text: unknown): CachedEntry | undefined {
  if (typeof text !== 'string') return undefined;
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  const third = second < 0 ? -1 : text.indexOf(':', second + 1);
  if (third < 0) return undefined;
  const loadedAt = Number(text.slice(0, first));
  const expiresAt = Number(text.slice(first + 1, second));
  if (!Number.isFinite(loadedAt) || !Number.isFinite(expiresAt)) return undefined;
  const lsnText = text.slice(second + 1, third);
  const lsn = lsnText === '' ? undefined : parseLsn(lsnText);
  if (lsnText !== '' && lsn === undefined) return undefined;
  return cachedEntry(text.slice(third + 1), loadedAt, expiresAt, lsn);
}
