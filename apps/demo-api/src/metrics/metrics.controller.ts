import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DbOptimizerService } from '@db-optimizer/core';

/** Prometheus scrape endpoint, served from the module's own registry. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly db: DbOptimizerService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() response: Response): Promise<void> {
    const registry = this.db.metricsRegistry;
    response.type(registry.contentType).send(await registry.metrics());
  }
}
