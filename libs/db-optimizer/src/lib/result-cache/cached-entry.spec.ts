import { cachedEntry, parseEntry, serializeEntry } from './cached-entry';

describe('cached entries in Redis', () => {
  it('come back as they were stored, payload colons included', () => {
    const entry = cachedEntry('p{"a":"x:y"}', 1_700_000_000_000, 1_700_000_060_000);
    expect(parseEntry(serializeEntry(entry))).toEqual(entry);
  });

  it.each([undefined, 42, '', 'no-colons', 'x:1:payload', '1:y:payload'])('read %j as a miss', (text) => {
    expect(parseEntry(text)).toBeUndefined();
  });
});
