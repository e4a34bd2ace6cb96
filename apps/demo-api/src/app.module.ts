import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { DbOptimizerModule, dbOptimizerOptionsFromEnv, ReadYourWritesInterceptor } from '@db-optimizer/core';
import { AgentsModule } from './agents/agents.module';
import { DemoConfigModule } from './config/demo-config.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DbAdminModule } from './db-admin/db-admin.module';
import { DatabaseExceptionFilter } from './errors/database-exception.filter';
import { HealthModule } from './health/health.module';
import { LeadsModule } from './leads/leads.module';
import { MetricsController } from './metrics/metrics.controller';
import { SchemaModule } from './schema/schema.module';
import { StatsController } from './stats/stats.controller';

@Module({
  imports: [
    // The host app owns the scheduler; the library registers its pool-resize job in it.
    ScheduleModule.forRoot(),
    DbOptimizerModule.forRootAsync({
      isGlobal: true,
      // The demo caches results by default (memory only without REDIS_URL); ENABLE_CACHE=false turns it off.
      useFactory: () => ({ enableCache: true, ...dbOptimizerOptionsFromEnv() }),
    }),
    DemoConfigModule,
    SchemaModule,
    HealthModule,
    LeadsModule,
    AgentsModule,
    DbAdminModule,
    DashboardModule,
  ],
  controllers: [StatsController, MetricsController],
  providers: [
    { provide: APP_FILTER, useClass: DatabaseExceptionFilter },
    // Read-your-writes for every query a request makes (executeOptimizedQuery, batches,
    // transactions, Kysely on the routing pool): the session in `x-session-key`, a token from an
    // earlier write (maybe served by another instance) in `x-consistency-token`, and a write's
    // new token sent back in `x-consistency-token`. These are the defaults, named because clients rely on them.
    {
      provide: APP_INTERCEPTOR,
      useFactory: () => new ReadYourWritesInterceptor({ sessionKeyHeader: 'x-session-key', tokenHeader: 'x-consistency-token' }),
    },
  ],
})
export class AppModule {}
