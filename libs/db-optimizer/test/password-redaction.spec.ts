import { inspect } from 'node:util';
import { Logger, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DbOptimizerHealthIndicator, DbOptimizerHealthModule } from '@db-optimizer/core/health';
import {
  DbOptimizerModule,
  DbOptimizerOptions,
  dbOptimizerOptionsFromEnv,
  DbOptimizerService,
  MetricsService,
} from '@db-optimizer/core';
import { findFreePort, testEnv } from '@db-optimizer/cluster';

// Every form of password pg accepts or a user may type, through every place the module prints a URL.
const SECRET = 'Zq7secretWord';

/** Collects every line the library logs, whatever the level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map((part) => inspect(part, { depth: 6 })).join(' '));
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

/** A URL of a server (host:port of `base`) with the password written in one of the forms. */
type Form = (base: URL) => string;
const ACCEPTED_FORMS: Array<[string, Form]> = [
  ['user-info password with an unencoded @', (u) => `postgres://postgres:x@${SECRET}@${u.host}/postgres`],
  ['password query parameter', (u) => `postgres://postgres@${u.host}/postgres?password=${SECRET}`],
  ['sslpassword query parameter', (u) => `postgres://postgres@${u.host}/postgres?application_name=x&sslpassword=${SECRET}`],
];
const REJECTED_FORMS: Array<[string, string]> = [
  ['a bad scheme with an unencoded @', `mysql://app:s3cr@${SECRET}@db:5432/x`],
  ['an unencoded # in the password (does not parse)', `postgres://app:${SECRET}#1@db:5432/x`],
  ['a key=value connection string', `host=db user=app password=${SECRET} dbname=x`],
  ['text that is no URL at all', `app:${SECRET}@db`],
];

/** Everything the error says, its causes and extra fields (a URL parser's `input`) included. */
async function failureText(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    return inspect(error, { depth: 8 });
  }
  throw new Error('expected a failure');
}

describe('no password in anything the module prints, whatever its form', () => {
  const env = testEnv();
  const logger = new CapturingLogger();

  beforeAll(() => Logger.overrideLogger(logger));
  afterAll(() => Logger.overrideLogger(new Logger()));

  it.each(REJECTED_FORMS)('option and environment errors: %s', async (_form, url) => {
    const reported = [
      await failureText(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: url })),
      await failureText(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: env.primaryUrl, DATABASE_READ_REPLICA_URL: url })),
      await failureText(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: env.primaryUrl, REDIS_URL: url })),
      await failureText(() => Test.createTestingModule({ imports: [DbOptimizerModule.forRoot({ primaryUrl: url })] }).compile()),
      await failureText(() =>
        Test.createTestingModule({ imports: [DbOptimizerModule.forRoot({ primaryUrl: env.primaryUrl, redisUrl: url })] }).compile(),
      ),
    ];
    for (const text of reported) {
      expect(text).toMatch(/invalid|not a|must start/);
      expect(text).not.toContain(SECRET);
    }
  });

  it.each(ACCEPTED_FORMS)('pool errors, health, metrics, stats and logs: %s', async (_form, form) => {
    const deadServer = new URL(`postgres://127.0.0.1:${await findFreePort()}`);
    const live = form(new URL(env.primaryUrl));
    const dead = form(deadServer);
    logger.lines.length = 0;

    // A primary that refuses connections: the start fails, saying which pool and server.
    const refused = await failureText(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [DbOptimizerModule.forRoot({ primaryUrl: dead, primaryPool: { min: 1, max: 1 }, poolResizeIntervalMs: 0 })],
      }).compile();
      moduleRef.useLogger(logger);
      await moduleRef.init().finally(() => moduleRef.close());
    });
    expect(refused).toContain(deadServer.host);

    // A live primary (trust authentication ignores the password) and a dead replica: banned, logged, reported.
    const options: DbOptimizerOptions = {
      primaryUrl: live,
      readReplicaUrls: [dead],
      primaryPool: { min: 1, max: 2 },
      readReplicaPool: { min: 1, max: 1 },
      acquireTimeoutMs: 1000,
      poolResizeIntervalMs: 0,
    };
    const moduleRef = await Test.createTestingModule({
      imports: [DbOptimizerModule.forRoot({ isGlobal: true, ...options }), DbOptimizerHealthModule],
    }).compile();
    moduleRef.useLogger(logger);
    const app = await moduleRef.init();
    try {
      const db = app.get(DbOptimizerService);
      await db.executeOptimizedQuery('SELECT $1::int AS v', [1], { forcePrimary: true });
      const metrics = app.get(MetricsService);
      const reported = [
        refused,
        await db.metricsRegistry.metrics(),
        JSON.stringify(metrics.getPerformanceMetrics()),
        JSON.stringify(await app.get(DbOptimizerHealthIndicator).isHealthy('database', { requireReplicas: true }).catch((e: unknown) => inspect(e, { depth: 8 }))),
        logger.lines.join('\n'),
      ];
      expect(logger.lines.join('\n')).toContain(deadServer.host);
      for (const text of reported) expect(text).not.toContain(SECRET);
    } finally {
      await app.close();
    }
  });
});
