import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DbOptimizerService, FingerprintOrder, MetricsService, PoolResizeJob, QueryOptimizerService, ReplicaHealthService, ResultCacheService } from '@db-optimizer/core';
import { FieldReader } from '../validation/field-reader';
import { AdminTokenGuard } from './admin-token.guard';
import { NAMED_QUERIES } from './named-queries';
import { replicaSummaries } from './replica-summary';

const ORDERS: readonly FingerprintOrder[] = ['totalTime', 'calls', 'mean'];

/** What the database is doing and why, for people who run the app. Behind DB_ADMIN_TOKEN when it is set. */
@ApiTags('db admin')
@ApiBearerAuth()
@Controller('db')
@UseGuards(AdminTokenGuard)
export class DbAdminController {
  constructor(
    private readonly db: DbOptimizerService,
    private readonly metrics: MetricsService,
    private readonly optimizer: QueryOptimizerService,
    private readonly resizeJob: PoolResizeJob,
    private readonly cache: ResultCacheService,
    private readonly replicas: ReplicaHealthService,
  ) {}

  /** Latency, throughput, targets; pools with the auto-sizer's decisions; the result cache; replicas. */
  @Get('performance')
  performance() {
    return {
      ...this.metrics.getPerformanceMetrics(),
      pools: this.db.poolStats(),
      poolResize: this.resizeJob.stats(),
      cache: this.cache.stats(),
      replicas: replicaSummaries(this.replicas),
    };
  }

  /** Statement statistics by fingerprint (normalized text only): GET /db/queries?orderBy=calls&limit=10 */
  @Get('queries')
  queries(@Query() query: Record<string, unknown>) {
    const reader = FieldReader.fromQuery(query).onlyKnown(['orderBy', 'limit']);
    return this.metrics.getFingerprintStats({
      orderBy: reader.optionalOneOf('orderBy', ORDERS) ?? 'totalTime',
      limit: reader.optionalInteger('limit', { min: 1, max: 200 }) ?? 20,
    });
  }

  /** Calls slower than the threshold, and the plans explained for them. */
  @Get('slow-queries')
  slowQueries() {
    return { slowQueries: this.metrics.getSlowQueries(), analyses: this.optimizer.slowQueryAnalyses() };
  }

  /** Index advice for the costliest statements seen so far (HypoPG when installed, else pg_stats). */
  @Get('recommendations')
  recommendations() {
    return this.optimizer.recommendIndexes();
  }

  /** The names `/db/explain/:name` accepts. */
  @Get('explain')
  namedQueries() {
    return Object.entries(NAMED_QUERIES).map(([name, { description, sql }]) => ({ name, description, sql }));
  }

  /** The plan of one of the app's own statements, with suggestions. Never SQL from the request. */
  @Get('explain/:name')
  async explain(@Param('name') name: string) {
    const named = Object.prototype.hasOwnProperty.call(NAMED_QUERIES, name) ? NAMED_QUERIES[name] : undefined;
    if (!named) throw new NotFoundException(`No named query "${name}". Known names: ${Object.keys(NAMED_QUERIES).join(', ')} (GET /db/explain lists them).`);
    return { name, description: named.description, ...(await this.optimizer.analyzeExecutionPlan(named.sql, named.params)) };
  }
}
