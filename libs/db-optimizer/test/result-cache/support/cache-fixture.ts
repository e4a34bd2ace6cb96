import type { DbOptimizerOptions, OptimizedQueryResult } from '@db-optimizer/core';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance, waitForReplay } from '../../support/test-module';

/** Module options with the cache on, Redis shared, small pools; `extra` overrides. */
export function cacheOptions(extra: Partial<DbOptimizerOptions> = {}): DbOptimizerOptions {
  const env = testEnv();
  return {
    primaryUrl: env.primaryUrl,
    readReplicaUrls: [env.readReplicaUrl],
    analyticsReplicaUrl: env.analyticsUrl,
    enableCache: true,
    redisUrl: env.redisUrl,
    primaryPool: { min: 1, max: 8 },
    readReplicaPool: { min: 1, max: 8 },
    analyticsPool: { min: 0, max: 2 },
    // Frequent lag checks: reads that must see a write go back to the replica soon after it replays.
    replicaLag: { checkIntervalMs: 50, maxMs: 60_000 },
    ...extra,
  };
}

/** Runs DDL on the primary with a plain client and waits until both standbys have it. */
export async function setUpSchema(schema: string, ddl: string): Promise<void> {
  const env = testEnv();
  await sql(env.primaryUrl, `CREATE SCHEMA ${schema}; SET search_path TO ${schema}; ${ddl}`);
  for (const url of [env.readReplicaUrl, env.analyticsUrl]) {
    await waitFor(async () => (await sql(url, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).length === 1, {
      what: `schema ${schema} on ${url}`,
    });
  }
  await waitForReplay(env.primaryUrl, [env.readReplicaUrl, env.analyticsUrl]);
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(testEnv().primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/**
 * This file's schema, set up with `ddl` on the primary and replayed on both
 * standbys before its tests ({@link setUpSchema}), and the module instances
 * that use it. After the tests, the instances close, in the order they were
 * booted, and then the schema is dropped.
 */
export function replicatedSchema(schema: string, ddl: string): ReplicatedSchema {
  const booted: TestInstance[] = [];
  beforeAll(() => setUpSchema(schema, ddl));
  afterAll(async () => {
    for (const instance of booted) await instance.close();
    await dropSchema(schema);
  });
  return {
    bootInstance(options = () => cacheOptions()) {
      let started: TestInstance | undefined;
      beforeAll(async () => {
        started = await startInstance(options());
        booted.push(started);
      });
      const current = (): TestInstance => {
        if (!started) throw new Error('The instance boots in beforeAll: use it inside a test or a later hook.');
        return started;
      };
      return {
        get app() {
          return current().app;
        },
        get db() {
          return current().db;
        },
        get: (type) => current().get(type),
        close: () => current().close(),
      };
    },
  };
}

export interface ReplicatedSchema {
  /**
   * An instance booted with `options()` (by default {@link cacheOptions}) before
   * the tests, after the schema and after any `beforeAll` written above this
   * call; it stands for the instance from then on.
   */
  bootInstance(options?: () => DbOptimizerOptions): TestInstance;
}

/** Where a result came from: 'memory', 'redis' or false (the database). */
export function levelOf(result: OptimizedQueryResult<unknown>): false | 'memory' | 'redis' {
  return result.metadata.cached;
}

/** p-th percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
