import { loadSqlParser } from '../sql/parser';
import { QueryClassifier } from '../classify/query-classifier';
import { NO_FUNCTIONS } from '../classify/statement-safety';
import { cacheKey, databaseIdentity } from './cache-key';
import { planRead, ReadPlanner } from './read-plan';
import { statementIdentity } from './statement-identity';
import { encodeParamsForKey } from './typed-params';

describe('planRead', () => {
  const classifier = new QueryClassifier(100);
  const identity = databaseIdentity('postgres://app@db.internal:5432/shop');
  const versions = 'e0|t3|r7';
  const planner: ReadPlanner = {
    identity,
    safetyOf: () => NO_FUNCTIONS,
    dependencies: { readDependencies: async () => ({ tables: [{ table: 'public.users', rowKeys: ['7'] }] }) },
    capture: () => ({ signature: versions }),
  };
  const SQL = 'SELECT id, name, email FROM users WHERE id = $1';

  beforeAll(() => loadSqlParser());

  it('keys memory without the database, the user or the statement digest, which are the same for every entry of an instance', async () => {
    const classification = classifier.classify(SQL);
    const plan = (await planRead(planner, classification, [7], 'read_replica', undefined))!;
    const { digest } = statementIdentity(classification)!;

    expect(plan.key).not.toContain(identity.database);
    expect(plan.key).not.toContain(digest);
    expect(plan.key).toContain(versions);
    // An L1 lookup hashes the whole key on every read: it must stay short.
    expect(plan.key.length).toBeLessThan(40);
  });

  it('shares through Redis under the same key as before, so instances of both versions find each other\'s entries', async () => {
    const classification = classifier.classify(SQL);
    const plan = (await planRead(planner, classification, [7], 'read_replica', 7n))!;
    const sql = statementIdentity(classification)!.digest;

    expect(plan.sharedKey).toBe(cacheKey({ identity, target: 'read_replica', sql, params: encodeParamsForKey([7])!, versions }));
    expect(plan.requiredLsn).toBe(7n);
    const raw = (await planRead(planner, classification, [7], 'read_replica', undefined, 'raw'))!;
    expect(raw.sharedKey).toBe(cacheKey({ identity, target: 'read_replica', sql: `${sql}\u0000raw`, params: encodeParamsForKey([7])!, versions }));
  });

  it('gives a different memory key to every parameter, target, row shape, version and statement', async () => {
    const classification = classifier.classify(SQL);
    const other = classifier.classify('SELECT id, name FROM users WHERE id = $1');
    const keys = await Promise.all([
      planRead(planner, classification, [7], 'read_replica', undefined),
      planRead(planner, classification, [8], 'read_replica', undefined),
      planRead(planner, classification, ['7'], 'read_replica', undefined),
      planRead(planner, classification, [7], 'analytics', undefined),
      planRead(planner, classification, [7], 'read_replica', undefined, 'raw'),
      planRead({ ...planner, capture: () => ({ signature: 'e0|t4|r7' }) }, classification, [7], 'read_replica', undefined),
      planRead(planner, other, [7], 'read_replica', undefined),
    ]);
    expect(new Set(keys.map((plan) => plan!.key)).size).toBe(keys.length);
    // The same read again: the same key.
    expect((await planRead(planner, classification, [7], 'read_replica', undefined))!.key).toBe(keys[0]!.key);
  });
});
