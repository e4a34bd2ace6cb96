import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { DbOptimizerModule, dbOptimizerOptionsFromEnv, ReadYourWritesInterceptor } from '@db-optimizer/core';
import { AnalysisController } from './analysis/analysis.controller';
import { DatabaseExceptionFilter } from './errors/database-exception.filter';
import { HealthModule } from './health/health.module';
import { MetricsController } from './metrics/metrics.controller';
import { OrdersModule } from './orders/orders.module';
import { ProductsModule } from './products/products.module';
import { ReportsController } from './reports/reports.controller';
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
    HealthModule,
    ProductsModule,
    OrdersModule,
  ],
  controllers: [ReportsController, StatsController, MetricsController, AnalysisController],
  providers: [
    { provide: APP_FILTER, useClass: DatabaseExceptionFilter },
    // Every query of a request reads its own writes (x-session-key / x-consistency-token); the newest token goes back in x-consistency-token.
    { provide: APP_INTERCEPTOR, useFactory: () => new ReadYourWritesInterceptor() },
  ],
})
export class AppModule {}
