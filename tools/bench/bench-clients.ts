import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import postgres from 'postgres';
import { DbOptimizerModule, DbOptimizerOptions, DbOptimizerService } from '@db-optimizer/core';

/** Pool size every client gets, so they compare. */
export const BENCH_POOL_SIZE = 20;

/**
 * Reads per shared connection for the module clients with `multiplexReads`. Measured at 32 and
 * 128 callers on two replicas: 4 gave 1.6x `pg` named, 8 and 16 about 2.0–2.5x (issue #13's notes).
 */
export const BENCH_MULTIPLEX_READS = 8;

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
