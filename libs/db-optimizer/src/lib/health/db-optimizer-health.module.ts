import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DbOptimizerHealthIndicator } from './db-optimizer.health';

/**
 * Provides `DbOptimizerHealthIndicator`. Needs `DbOptimizerModule` registered
 * with `isGlobal: true` (or imported alongside).
 * @publicApi
 */
@Module({
  imports: [TerminusModule],
  providers: [DbOptimizerHealthIndicator],
  exports: [DbOptimizerHealthIndicator],
})
export class DbOptimizerHealthModule {}
