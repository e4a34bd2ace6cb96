/**
 * A cached result as both levels hold it: the encoded rows and metadata, and when it was
 * loaded and expires (ms since the epoch, so instances agree on them through Redis).
 */
export interface CachedEntry {
  /** `encodeResult()` text. */
  payload: string;
  /** UTF-8 size of the payload: what the memory bound counts. */
  bytes: number;
  loadedAt: number;
  expiresAt: number;
}

/** Builds an entry, measuring its payload once. */
export function cachedEntry(payload: string, loadedAt: number, expiresAt: number): CachedEntry {
  return { payload, bytes: Buffer.byteLength(payload, 'utf8'), loadedAt, expiresAt };
}

/** The entry as one Redis string: `loadedAt:expiresAt:payload`. */
export function serializeEntry(entry: CachedEntry): string {
  return `${entry.loadedAt}:${entry.expiresAt}:${entry.payload}`;
}

/** Reads `serializeEntry()` text back; undefined for anything else (a foreign or damaged value is a miss). */
export function parseEntry(text: unknown): CachedEntry | undefined {
  if (typeof text !== 'string') return undefined;
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (second < 0) return undefined;
  const loadedAt = Number(text.slice(0, first));
  const expiresAt = Number(text.slice(first + 1, second));
  if (!Number.isFinite(loadedAt) || !Number.isFinite(expiresAt)) return undefined;
  return cachedEntry(text.slice(second + 1), loadedAt, expiresAt);
}
