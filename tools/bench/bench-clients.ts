import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import postgres from 'postgres';
import { DbOptimizerModule, DbOptimizerOptions, DbOptimizerService } from '@db-optimizer/core';

/** Pool size every client gets, so they compare. */
export const BENCH_POOL_SIZE = 20;

/**
 * The module's `multiplexReads` for its "unshared" rows: every read on a connection of its own, as
 * the module ran by default before issue #13's tenth session. The default rows share connections.
 */
export const UNSHARED_READS = 0;

export function rawPgPool(url: string): Pool {
  // No idle timeout (pg-pool's default is 10 s): while the other clients of an interleaved step warm up and take
  // their turns, this pool's connections would close, and its next turn would pay for reconnecting (and lose its
  // prepared statements). The module's pools keep min = max, so they never close idle connections either.
  const pool = new Pool({ connectionString: url, max: BENCH_POOL_SIZE, idleTimeoutMillis: 0 });
  pool.on('error', () => undefined);
  return pool;
}

export function postgresJs(url: string): ReturnType<typeof postgres> {
  return postgres(url, { max: BENCH_POOL_SIZE, prepare: true, onnotice: () => undefined });
}

/** A DbOptimizerModule instance as an app would boot it, without HTTP. */
export async function optimizerInstance(
  options: DbOptimizerOptions,
): Promise<{ db: DbOptimizerService; app: INestApplicationContext }> {
  const app = await NestFactory.createApplicationContext(
    DbOptimizerModule.forRoot({
      poolResizeIntervalMs: 0,
      primaryPool: { min: BENCH_POOL_SIZE, max: BENCH_POOL_SIZE },
      readReplicaPool: { min: BENCH_POOL_SIZE, max: BENCH_POOL_SIZE },
      ...options,
    }),
    { logger: process.env['BENCH_LOG_WARN'] ? ['error', 'warn', 'log'] : ['error'] },
  );
  return { db: app.get(DbOptimizerService), app };
}
