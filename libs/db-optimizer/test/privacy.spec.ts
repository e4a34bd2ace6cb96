import { Logger, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DbOptimizerModule, DbOptimizerService, MetricsService, QueryOptimizerService } from '@db-optimizer/core';
import { DbOptimizerHealthIndicator, DbOptimizerHealthModule } from '@db-optimizer/core/health';
import { findFreePort, testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { sql } from './support/test-module';

const PASSWORD = 'pw-s3cret-7781';
const LITERAL = 'literal-secret-99';
const PARAM = 'param-secret-42';

/** Collects every line the library logs, whatever the level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
}

describe('no password or literal value in metrics, logs or health', () => {
  const env = testEnv();
  const schema = uniqueSchema('privacy');
  const logger = new CapturingLogger();
  let app: INestApplicationContext;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.people (id int PRIMARY KEY, name text)`);
    await sql(env.primaryUrl, `INSERT INTO ${schema}.people SELECT g, 'n' || g FROM generate_series(1, 2000) g`);
    Logger.overrideLogger(logger);
    // Trust authentication ignores the password, so it reaches the driver but must go no further.
    const withPassword = (url: string) => url.replace('postgres@', `postgres:${PASSWORD}@`);
    const deadPort = await findFreePort();
    const moduleRef = await Test.createTestingModule({
      imports: [
        DbOptimizerModule.forRoot({
          isGlobal: true,
          primaryUrl: withPassword(env.primaryUrl),
          // A replica that refuses connections: its ban is logged and reported by health.
          readReplicaUrls: [withPassword(env.readReplicaUrl), `postgres://postgres:${PASSWORD}@127.0.0.1:${deadPort}/postgres`],
          primaryPool: { min: 1, max: 3 },
          readReplicaPool: { min: 1, max: 3 },
          slowQueryThresholdMs: 0,
          acquireTimeoutMs: 1000,
          poolResizeIntervalMs: 0,
        }),
        DbOptimizerHealthModule,
      ],
    }).compile();
    moduleRef.useLogger(logger);
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app?.close();
    Logger.overrideLogger(new Logger());
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('keeps them out of everything it reports', async () => {
    const db = app.get(DbOptimizerService);
    await db.executeOptimizedQuery(`SELECT id FROM ${schema}.people WHERE name = '${LITERAL}'`, [], { forcePrimary: true });
    await db.executeOptimizedQuery(`SELECT id FROM ${schema}.people WHERE name = $1`, [PARAM], { forcePrimary: true });
    await db.executeOptimizedQuery(`UPDATE ${schema}.people SET name = $1 WHERE id = 1`, [PARAM]);
    await db.executeOptimizedQuery(`SELECT * FROM ${schema}.people WHERE name = '${LITERAL}' AND nope = 1`).catch(() => undefined);
    const optimizer = app.get(QueryOptimizerService);
    await waitFor(() => optimizer.slowQueryExplainerStats().explained > 0 || undefined, { what: 'a background explain' });

    const metrics = app.get(MetricsService);
    const health = await app.get(DbOptimizerHealthIndicator).isHealthy('database');
    const reported = [
      await db.metricsRegistry.metrics(),
      JSON.stringify(metrics.getPerformanceMetrics()),
      JSON.stringify(metrics.getFingerprintStats({ limit: 100 })),
      JSON.stringify(metrics.getSlowQueries()),
      JSON.stringify(optimizer.slowQueryAnalyses()),
      JSON.stringify(health),
      logger.lines.join('\n'),
    ];
    expect(logger.lines.some((line) => line.includes('banned'))).toBe(true);
    for (const text of reported) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(LITERAL);
      expect(text).not.toContain(PARAM);
    }
  });
});
