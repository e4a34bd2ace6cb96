import { Controller, Get } from '@nestjs/common';
import { DbOptimizerService, FleetMetrics, MetricsService } from '@db-optimizer/core';

/** Where time goes: the module's performance metrics and pool counters. */
@Controller('stats')
export class StatsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly db: DbOptimizerService,
  ) {}

  @Get()
  stats() {
    return { ...this.metrics.getPerformanceMetrics(), pools: this.db.poolStats() };
  }

  /** Every instance publishing to the same Redis, merged (this one alone without Redis). */
  @Get('fleet')
  fleet(): Promise<FleetMetrics> {
    return this.metrics.getFleetMetrics();
  }
}
