import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DbOptimizerHealthModule } from '@db-optimizer/core/health';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule, DbOptimizerHealthModule],
  controllers: [HealthController],
})
export class HealthModule {}
