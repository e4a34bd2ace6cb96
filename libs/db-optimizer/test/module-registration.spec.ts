import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DbOptimizerModule, DbOptimizerOptions, DbOptimizerService } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv } from '@db-optimizer/cluster';

const CONFIG = 'TEST_CONFIG';

@Module({ providers: [{ provide: CONFIG, useValue: { url: process.env['DATABASE_PRIMARY_URL'] } }], exports: [CONFIG] })
class ConfigModule {}

@Injectable()
class OptionsFactory {
  createDbOptimizerOptions(): DbOptimizerOptions {
    return { primaryUrl: testEnv().primaryUrl, primaryPool: { min: 1, max: 2 }, poolResizeIntervalMs: 0 };
  }
}

describe('DbOptimizerModule registration', () => {
  it('forRootAsync with useFactory and inject', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        DbOptimizerModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { url: string }) => ({ primaryUrl: config.url, primaryPool: { min: 1, max: 2 }, poolResizeIntervalMs: 0 }),
        }),
      ],
    }).compile();
    const app = await moduleRef.init();
    const { rows } = await app.get(DbOptimizerService).executeOptimizedQuery('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
    await app.close();
  });

  it('forRootAsync with useClass', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DbOptimizerModule.forRootAsync({ useClass: OptionsFactory })] }).compile();
    const app = await moduleRef.init();
    expect(app.get(PoolManagerService).primary.max).toBe(2);
    await app.close();
  });

  it('rejects bad options at startup with a message naming the option', async () => {
    const build = Test.createTestingModule({
      imports: [DbOptimizerModule.forRoot({ primaryUrl: testEnv().primaryUrl, acquireTimeoutMs: -5 })],
    }).compile();
    await expect(build).rejects.toThrow(/acquireTimeoutMs must be a positive number, got -5/);
  });

  it('isGlobal makes the service injectable in other modules', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly db: DbOptimizerService) {}
    }
    @Module({ providers: [Consumer], exports: [Consumer] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [DbOptimizerModule.forRoot({ isGlobal: true, primaryUrl: testEnv().primaryUrl, primaryPool: { min: 1, max: 2 }, poolResizeIntervalMs: 0 }), FeatureModule],
    }).compile();
    const app = await moduleRef.init();
    expect(app.get(Consumer).db).toBeInstanceOf(DbOptimizerService);
    await app.close();
  });
});
