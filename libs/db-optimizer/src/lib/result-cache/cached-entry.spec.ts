import { cachedEntry, entryCovers, parseEntry, serializeEntry } from './cached-entry';

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
