import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import type { StatementSafety } from '../../src/lib/classify/statement-safety';
import { ClassificationService } from '../../src/lib/classify/classification.service';
import { cacheOptions, replicatedSchema } from './support/cache-fixture';

// Planning a cached read (may it be cached, under which key) answers at once when it can. A failure
// there, thrown at once or rejected later, must still mean "run it uncached", never an error; and a
// bad call must still reach the caller as a rejected promise, not a throw.
describe('a cached read whose planning fails', () => {
  const schema = uniqueSchema('rc_plan_failures');
  const T = `${schema}.items`;
  const instance = replicatedSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items VALUES (1, 1)').bootInstance(() =>
    cacheOptions({ redisUrl: undefined }),
  );
  const text = `SELECT v FROM ${T} WHERE id = $1`;

  it.each([
    ['throws at once', (): StatementSafety => { throw new Error('planning broke'); }],
    ['rejects later', (): Promise<StatementSafety> => Promise.reject(new Error('planning broke later'))],
  ])('runs the read uncached when planning %s', async (_how, failure) => {
    const service = instance.get(ClassificationService);
    const cache = instance.get(ResultCacheService);
    const original = service.safetyOf.bind(service);
    // The facade asks first, with its clock reading; the cache's planner asks without one.
    const spy = jest.spyOn(service, 'safetyOf').mockImplementation((classification, via, nowMs) => (nowMs === undefined ? failure() : original(classification, via, nowMs)));
    try {
      const before = cache.stats().bypassed;
      const result = await instance.db.executeOptimizedQuery<{ v: number }>(text, [1]);
      expect([result.rows, result.metadata.cached, cache.stats().bypassed]).toEqual([[{ v: 1 }], false, before + 1]);
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects a bad TTL without throwing, and loads nothing', async () => {
    const cache = instance.get(ResultCacheService);
    const classification = instance.get(ClassificationService).classify(text);
    const load = jest.fn();
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = cache.read(classification, [1], 'read_replica', { ttlSeconds: -1 }, load);
    }).not.toThrow();
    await expect(pending).rejects.toThrow(TypeError);
    expect(load).not.toHaveBeenCalled();
  });
});
