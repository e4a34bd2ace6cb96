import { cacheKey, CacheKeyParts, databaseIdentity, namespaceOf, redisKeyOf } from './cache-key';

const base: CacheKeyParts = {
  identity: databaseIdentity('postgres://app:secret@DB.example:5432/shop'),
  target: 'read_replica',
  sql: 'SELECT 1',
  params: '[]',
  versions: 'e0',
};

describe('databaseIdentity', () => {
  it('names host, port and database, and the user, never the password', () => {
    const identity = databaseIdentity('postgres://app:secret@DB.example:5432/shop');
    expect(identity).toEqual({ database: 'db.example:5432/shop', user: 'app' });
    expect(JSON.stringify(identity)).not.toContain('secret');
  });

  it("applies libpq's defaults", () => {
    expect(databaseIdentity('postgres://app@host')).toEqual({ database: 'host:5432/app', user: 'app' });
  });

  it('gives every user of a database one namespace', () => {
    expect(namespaceOf(databaseIdentity('postgres://a@h:1/d'))).toBe(namespaceOf(databaseIdentity('postgres://b:pw@h:1/d')));
    expect(namespaceOf(databaseIdentity('postgres://a@h:1/d'))).not.toBe(namespaceOf(databaseIdentity('postgres://a@h:1/e')));
  });
});

describe('cacheKey', () => {
  it('changes with each part', () => {
    const variants: CacheKeyParts[] = [
      base,
      { ...base, identity: databaseIdentity('postgres://app@other:5432/shop') },
      { ...base, identity: databaseIdentity('postgres://admin@DB.example:5432/shop') },
      { ...base, target: 'primary' },
      { ...base, sql: 'SELECT 2' },
      { ...base, params: '[["n","1"]]' },
      { ...base, versions: 'e1' },
    ];
    expect(new Set(variants.map(cacheKey)).size).toBe(variants.length);
  });

  it('cannot be fooled by moving text from one part to the next', () => {
    expect(cacheKey({ ...base, sql: 'SELECT 1[', params: ']' })).not.toBe(cacheKey({ ...base, sql: 'SELECT 1', params: '[]' }));
  });

  it('is stable', () => {
    expect(cacheKey({ ...base })).toBe(cacheKey({ ...base }));
  });
});

describe('redisKeyOf', () => {
  it('gives Redis a short digest whatever the size of the parameters', () => {
    const long = cacheKey({ ...base, params: 'x'.repeat(100_000) });
    expect(redisKeyOf(long)).toHaveLength(43);
    expect(redisKeyOf(long)).not.toBe(redisKeyOf(cacheKey(base)));
  });
});
