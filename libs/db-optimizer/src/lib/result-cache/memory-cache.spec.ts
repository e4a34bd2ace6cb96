import { cachedEntry } from './cached-entry';
import { MemoryCache } from './memory-cache';

describe('MemoryCache', () => {
  let now = 1_000;
  const clock = (): number => now;
  const entry = (payload: string, ttlMs = 10_000) => cachedEntry(payload, now, now + ttlMs);

  beforeEach(() => {
    now = 1_000;
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new MemoryCache({ maxEntries: 2, maxBytes: 1_000_000, now: clock });
    cache.set('a', entry('1'));
    cache.set('b', entry('2'));
    cache.get('a');
    cache.set('c', entry('3'));
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('keeps payload and key bytes within maxBytes', () => {
    const cache = new MemoryCache({ maxEntries: 1000, maxBytes: 100, now: clock });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, entry('x'.repeat(30)));
    expect(cache.bytes).toBeLessThanOrEqual(100);
    expect(cache.size).toBe(3);
    expect(cache.get('k9')).toBeDefined();
  });

  it('counts UTF-8 bytes, not characters', () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1000, now: clock });
    cache.set('k', entry('é'.repeat(100)));
    expect(cache.bytes).toBe(201);
  });

  it('refuses an entry larger than the whole budget and keeps the others', () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 50, now: clock });
    cache.set('small', entry('x'));
    expect(cache.set('big', entry('x'.repeat(100)))).toBe(false);
    expect(cache.get('small')).toBeDefined();
  });

  it('drops an entry once it expires', () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1000, now: clock });
    cache.set('k', entry('x', 500));
    now += 499;
    expect(cache.get('k')).toBeDefined();
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
