import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DbOptimizerModule, DbOptimizerOptions, DbOptimizerService } from '@db-optimizer/core';

/** One app instance as a service would run it: its own Nest context, pools and L1 cache. */
export interface ModuleInstance {
  index: number;
  applicationName: string;
  db: DbOptimizerService;
  close(): Promise<void>;
}

/** The settings chaos runs use: small pools and short timeouts, so faults show up within seconds. */
export function chaosOptions(base: Pick<DbOptimizerOptions, 'primaryUrl' | 'primaryUrls' | 'readReplicaUrls' | 'redisUrl' | 'multiplexReads'>): DbOptimizerOptions {
  return {
    ...base,
    enableCache: true,
    primaryPool: { min: 2, max: 10 },
    readReplicaPool: { min: 2, max: 10 },
    acquireTimeoutMs: 2000,
    statementTimeoutMs: 10_000,
    replicaLag: { checkIntervalMs: 200, consecutiveChecks: 2 },
    replicaBanMs: 500,
    replicaBanMaxMs: 2000,
    poolResizeIntervalMs: 0,
    autoExplainSlowQueries: false,
    cacheTtlSeconds: 60,
  };
}

/** Boots `DbOptimizerModule.forRoot(options)` inside an app module, with Nest's logger quiet but for errors. */
export async function startInstance(index: number, options: DbOptimizerOptions, logLevels: Array<'error' | 'warn'> = ['error']): Promise<ModuleInstance> {
  const applicationName = options.applicationName ?? `chaos-instance-${index}`;

  @Module({ imports: [DbOptimizerModule.forRoot({ ...options, applicationName })] })
  class ChaosAppModule {}

  const app: INestApplicationContext = await NestFactory.createApplicationContext(ChaosAppModule, { logger: logLevels });
  return {
    index,
    applicationName,
    db: app.get(DbOptimizerService),
    close: () => app.close(),
  };
}

/** Clients checked out and callers waiting, per pool: both must be 0 once the load has stopped. */
export function checkedOut(instance: ModuleInstance): Array<{ pool: string; busy: number; waiting: number }> {
  return instance.db.poolStats().map((pool) => ({ pool: pool.name, busy: pool.total - pool.idle, waiting: pool.waiting }));
}
