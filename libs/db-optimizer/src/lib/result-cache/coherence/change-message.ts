import { formatLsn, parseLsn } from '../../core/lsn';
import type { TableScope, VersionChange } from './version-change';

/** A bump as published on the channel, with where and when it was sent. */
export interface ChangeMessage {
  change: VersionChange;
  /** Instance that published it. */
  origin: string;
  /** When it was sent (ms since the epoch, sub-ms precision): the start of the cross-instance window. */
  sentAt: number;
  /**
   * Some write behind it committed at an unknown WAL position (`VersionChange.unpositionedMark`
   * on the sender), or it carries no position at all: what it changed loads from the primary
   * until the receiver's lag monitor reads a position after it.
   */
  positionUnknown: boolean;
}

type Body = { i: string; t: number; l?: string; f?: 1; u?: 1; s: Array<[string] | [string, string[]]> };

/** The message body (the script prefixes the stamp): compact JSON. */
export function encodeChangeBody(change: Omit<VersionChange, 'stamp'>, origin: string, sentAt: number): string {
  const body: Body = { i: origin, t: sentAt, s: change.tables.map(scopeToWire) };
  if (change.lsn !== undefined) body.l = formatLsn(change.lsn);
  if (change.flushAll) body.f = 1;
  // Only that it happened: the sender's numbering means nothing elsewhere.
  if (change.unpositionedMark !== undefined) body.u = 1;
  return JSON.stringify(body);
}

/** Reads `stamp|body`; undefined for anything malformed (ignored, and counted by the caller). */
export function decodeChangeMessage(text: string): ChangeMessage | undefined {
  const bar = text.indexOf('|');
  if (bar <= 0) return undefined;
  const stamp = Number(text.slice(0, bar));
  if (!Number.isSafeInteger(stamp) || stamp <= 0) return undefined;
  let body: Body;
  try {
    body = JSON.parse(text.slice(bar + 1)) as Body;
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || !Array.isArray(body.s) || typeof body.i !== 'string') return undefined;
  const tables: TableScope[] = [];
  for (const scope of body.s) {
    if (!Array.isArray(scope) || typeof scope[0] !== 'string') return undefined;
    const rowKeys = scope[1];
    if (rowKeys !== undefined && (!Array.isArray(rowKeys) || rowKeys.some((key) => typeof key !== 'string'))) return undefined;
    tables.push(rowKeys === undefined ? { table: scope[0] } : { table: scope[0], rowKeys });
  }
  const lsn = typeof body.l === 'string' ? parseLsn(body.l) : undefined;
  return {
    change: { stamp, lsn, flushAll: body.f === 1, tables },
    origin: body.i,
    sentAt: typeof body.t === 'number' ? body.t : Number.NaN,
    positionUnknown: body.u === 1 || lsn === undefined,
  };
}

function scopeToWire(scope: TableScope): [string] | [string, string[]] {
  return scope.rowKeys === undefined ? [scope.table] : [scope.table, [...scope.rowKeys]];
}
