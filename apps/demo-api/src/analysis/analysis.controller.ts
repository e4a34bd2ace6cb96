import { Controller, Get, Query } from '@nestjs/common';
import { MetricsService, QueryOptimizerService } from '@db-optimizer/core';

/**
 * Why queries are slow. Only fixed statements are explained here: an HTTP
 * endpoint that explains arbitrary SQL would run it.
 */
@Controller('analysis')
export class AnalysisController {
  constructor(
    private readonly optimizer: QueryOptimizerService,
    private readonly metrics: MetricsService,
  ) {}

  /** The plan of the category listing, with suggestions. */
  @Get('explain/products-by-category')
  explainCategoryListing(@Query('category') category = 'books') {
    return this.optimizer.analyzeExecutionPlan(
      'SELECT id, name, category, price_cents, updated_at FROM products WHERE category = $1 ORDER BY id LIMIT 100',
      [category],
    );
  }

  /** Slow calls (normalized text only) and their automatic analyses. */
  @Get('slow-queries')
  slowQueries() {
    return { slowQueries: this.metrics.getSlowQueries(), analyses: this.optimizer.slowQueryAnalyses() };
  }

  /** pg_stat_statements as the app sees it. */
  @Get('statements')
  statements(@Query('orderBy') orderBy: 'totalTime' | 'calls' | 'mean' = 'totalTime') {
    return this.metrics.getFingerprintStats({ orderBy, limit: 20 });
  }

  /** Index advice for the costliest statements seen so far. */
  @Get('index-advice')
  indexAdvice() {
    return this.optimizer.recommendIndexes();
  }
}
