import { cachedEntry, entryCovers, parseEntry, serializeEntry, withDecoded } from './cached-entry';
import { decodeForCopies } from './decoded-result';

describe('cached entries in Redis', () => {
  it('come back as they were stored, payload colons included', () => {
    const entry = cachedEntry('p{"a":"x:y"}', 1_700_000_000_000, 1_700_000_060_000);
    expect(parseEntry(serializeEntry(entry))).toEqual(entry);
  });

  it('keep the WAL position their data includes', () => {
    const entry = cachedEntry('p{"a":"x:y"}', 1_700_000_000_000, 1_700_000_060_000, 0x16b374d848n);
    expect(parseEntry(serializeEntry(entry))).toEqual(entry);
  });

  it.each([undefined, 42, '', 'no-colons', 'x:1::payload', '1:y::payload', '1:2:payload', '1:2:zz/1:payload'])('read %j as a miss', (text) => {
    expect(parseEntry(text)).toBeUndefined();
  });
});

describe('#entryCovers', () => {
  it('serves a read that requires a position only from an entry at or past it', () => {
    const entry = cachedEntry('p[]', 0, 1, 100n);
    expect([entryCovers(entry, undefined), entryCovers(entry, 99n), entryCovers(entry, 100n), entryCovers(entry, 101n)]).toEqual([true, true, true, false]);
    expect([entryCovers(cachedEntry('p[]', 0, 1), undefined), entryCovers(cachedEntry('p[]', 0, 1), 1n)]).toEqual([true, false]);
  });
});

describe('the shape of entries', () => {
  it('is the same for every entry, with or without a position, decoded or not: one shape for V8 on the hit path', () => {
    const plain = cachedEntry('p{"rows":[],"metadata":{}}', 0, 1);
    const positioned = cachedEntry('p{"rows":[],"metadata":{}}', 0, 1, 5n);
    const decoded = withDecoded(positioned, decodeForCopies(positioned.payload)!);
    const parsed = parseEntry(serializeEntry(positioned))!;
    const keys = ['payload', 'bytes', 'loadedAt', 'expiresAt', 'lsn', 'decoded'];
    expect([plain, positioned, decoded, parsed].map((entry) => Object.keys(entry))).toEqual([keys, keys, keys, keys]);
    expect([decoded.bytes, decoded.lsn, decoded.payload]).toEqual([positioned.bytes * 2, 5n, positioned.payload]);
  });
});
