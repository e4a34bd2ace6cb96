import { loadSqlParser } from '../sql/parser';
import { QueryClassifier } from '../classify/query-classifier';
import { NO_FUNCTIONS } from '../classify/statement-safety';
import { cacheKey, databaseIdentity } from './cache-key';
import { VersionMap } from './coherence/version-map';
import type { TableScope } from './coherence/version-change';
import { planRead, ReadPlan, ReadPlanner } from './read-plan';
import { NOT_HELD } from '../sql/dependencies/cache-dependencies.interface';
import { statementIdentity } from './statement-identity';
import { encodeParamsForKey } from './typed-params';

describe('planRead', () => {
  const identity = databaseIdentity('postgres://app@db.internal:5432/shop');
  const versions = new VersionMap(100);
  const dependencies: TableScope[] = [{ table: 'public.users', rowKeys: ['7'] }];
  const planner: ReadPlanner = {
    identity,
    safetyOf: () => NO_FUNCTIONS,
    dependencies: { readDependencies: async () => ({ tables: dependencies }) },
    capture: (tables) => versions.capture(tables),
  };
  const SQL = 'SELECT id, name, email FROM users WHERE id = $1';
  const classifier = new QueryClassifier(100);

  beforeAll(() => loadSqlParser());

  it('keys memory without the database, the user or the statement digest, which are the same for every entry of an instance', async () => {
    const classification = classifier.classify(SQL);
    const plan = (await planRead(planner, classification, [7], 'read_replica', undefined))!;
    const { digest } = statementIdentity(classification)!;

    expect(plan.memoryKey).not.toContain(identity.database);
    expect(plan.memoryKey).not.toContain(digest);
    expect(plan.memoryKey).toContain(versions.capture(dependencies).signature);
    // An L1 lookup hashes the whole key on every read: it must stay short (the versions take most of it).
    expect(plan.memoryKey.length).toBeLessThan(versions.capture(dependencies).signature.length + 30);
  });

  it("shares through Redis under the same key as before, so instances of both versions find each other's entries", async () => {
    const classification = classifier.classify(SQL);
    const plan = (await planRead(planner, classification, [7], 'read_replica', 7n))!;
    const sql = statementIdentity(classification)!.digest;
    const { signature } = versions.capture(dependencies);

    expect(plan.sharedKey).toBe(cacheKey({ identity, target: 'read_replica', sql, params: encodeParamsForKey([7])!, versions: signature }));
    expect(plan.requiredLsn).toBe(7n);
    const raw = (await planRead(planner, classification, [7], 'read_replica', undefined, 'raw'))!;
    expect(raw.sharedKey).toBe(cacheKey({ identity, target: 'read_replica', sql: `${sql}\u0000raw`, params: encodeParamsForKey([7])!, versions: signature }));
  });

  it('gives a different memory key to every parameter, target, row shape, version and statement', async () => {
    const classification = classifier.classify(SQL);
    const other = classifier.classify('SELECT id, name FROM users WHERE id = $1');
    const bumped = new VersionMap(100);
    bumped.apply({ stamp: 5, flushAll: false, tables: dependencies });
    const keys = await Promise.all([
      planRead(planner, classification, [7], 'read_replica', undefined),
      planRead(planner, classification, [8], 'read_replica', undefined),
      planRead(planner, classification, ['7'], 'read_replica', undefined),
      planRead(planner, classification, [7], 'analytics', undefined),
      planRead(planner, classification, [7], 'read_replica', undefined, 'raw'),
      planRead({ ...planner, capture: (tables) => bumped.capture(tables) }, classification, [7], 'read_replica', undefined),
      planRead(planner, other, [7], 'read_replica', undefined),
    ]);
    expect(new Set(keys.map((plan) => plan!.memoryKey)).size).toBe(keys.length);
    // The same read again: the same key.
    expect((await planRead(planner, classification, [7], 'read_replica', undefined))!.memoryKey).toBe(keys[0]!.memoryKey);
  });

  it('finds the same memory key for a text classified again (the classifier forgot it, or never kept it)', async () => {
    const first = await planRead(planner, new QueryClassifier(10).classify(SQL), [7], 'read_replica', undefined);
    const again = await planRead(planner, new QueryClassifier(10).classify(SQL), [7], 'read_replica', undefined);
    expect(again!.memoryKey).toBe(first!.memoryKey);
  });

  it('plans at once, without a promise, when the dependencies are held, and with the same key as when they are asked for', async () => {
    const classification = classifier.classify(SQL);
    const holding: ReadPlanner = { ...planner, dependencies: { ...planner.dependencies, heldReadDependencies: () => ({ tables: dependencies }) } };
    const atOnce = planRead(holding, classification, [7], 'read_replica', undefined);
    expect(atOnce).not.toBeInstanceOf(Promise);
    expect((atOnce as ReadPlan).memoryKey).toBe((await planRead(planner, classification, [7], 'read_replica', undefined))!.memoryKey);
    // Not held: asked for, as before.
    const asking: ReadPlanner = { ...planner, dependencies: { ...planner.dependencies, heldReadDependencies: () => NOT_HELD } };
    expect(planRead(asking, classification, [7], 'read_replica', undefined)).toBeInstanceOf(Promise);
  });
});
