import { Controller, Get } from '@nestjs/common';
import { DbOptimizerService } from '@db-optimizer/core';

/** Analytical reads: the classifier sends GROUP BY / aggregates to the analytics replica. */
@Controller('reports')
export class ReportsController {
  constructor(private readonly db: DbOptimizerService) {}

  @Get('categories')
  async categories() {
    const { rows, metadata } = await this.db.executeOptimizedQuery(
      `SELECT category, count(*)::int AS products, avg(price_cents)::int AS avg_price_cents,
              rank() OVER (ORDER BY count(*) DESC)::int AS rank
       FROM products GROUP BY category ORDER BY rank`,
    );
    return { data: rows, metadata };
  }
}
