import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { runAtomicBatch } from './execution/atomic-batch';
import { runBatch } from './execution/batch-runner';
import type { ResolvedDbOptimizerOptions } from './options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from './core/db-optimizer.constants';
import { MULTI_STATEMENT_WITH_PARAMS, SESSION_STATE_REFUSED, TRANSACTION_CONTROL_IN_TEXT, TRANSACTION_CONTROL_IN_WORK } from './core/errors/messages';
import { QueryRoutingError } from './core/errors/query-routing.error';
import { assertConsistencyInputs, assertSql, normalizeParams } from './core/argument-checks';
import type { CommittedWrite } from './core/committed-write.interface';
import type {
  BatchOptions,
  OptimizedQueryResult,
  QueryMetadata,
  QueryOptions,
  SqlStatement,
  TransactionOptions,
  TransactionResult,
} from './core/query-options.interface';
import { ReadMultiplexer } from './execution/read-multiplexer';
import { type ExecutedStatement, type ExecuteRequest, QueryExecutor } from './execution/query-executor';
import { MetricsService } from './metrics/metrics.service';
import { failureSampleOf, sampleOf } from './metrics/query-samples';
import { wireMetrics } from './metrics/metrics-wiring';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { StatementCacheService } from './statements/statement-cache.service';
import type { Registry } from 'prom-client';
import { PoolManagerService } from './pool/pool-manager.service';
import type { PoolStats } from './pool/pool-stats';
import type { QueryClassification } from './core/query-classification.interface';
import { QueryOptimizerService } from './analysis/query-optimizer.service';
import { ClassificationService } from './classify/classification.service';
import { changesData } from './classify/statement-safety';
import { ConsistencyTracker } from './routing/consistency-tracker';
import { laterLsn } from './core/lsn';
import { ReplicaHealthService } from './routing/replica-health.service';
import { ReplicaLagMonitor } from './routing/replica-lag-monitor.service';
import { PrimaryWatch } from './routing/primary-watch.service';
import { ResultCacheService } from './result-cache/result-cache.service';
import { TransactionRunner, TransactionWork } from './execution/transaction-runner';
import { PinnedConnection } from './execution/pinned-connection';
import { RAW_ROWS, type WithColumns } from './core/result-shape';
import { currentRequestContext, noteRequestToken, noteRequestUnpositioned, requestToken } from './core/request-context';
import { RoutingPool } from './drop-in/routing-pool';

/**
 * The facade: classify, serve from cache, route, run (prepared when it pays),
 * observe. Every query of the app goes through here.
 * @publicApi
 *
 * @example
 * const { rows, metadata } = await db.executeOptimizedQuery<User>(
 *   'SELECT * FROM users WHERE id = $1', [id], { sessionKey: userId },
 * );
 */
@Injectable()
export class DbOptimizerService implements OnModuleInit {
  private readonly logger = new Logger(DbOptimizerService.name);
  private defaultPool: RoutingPool | undefined;

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    private readonly pools: PoolManagerService,
    private readonly optimizer: QueryOptimizerService,
    private readonly classification: ClassificationService,
    private readonly executor: QueryExecutor,
    private readonly transactions: TransactionRunner,
    private readonly consistency: ConsistencyTracker,
    private readonly health: ReplicaHealthService,
    private readonly lagMonitor: ReplicaLagMonitor,
    private readonly primaryWatch: PrimaryWatch,
    private readonly metrics: MetricsService,
    private readonly resultCache: ResultCacheService,
    private readonly prometheus: PrometheusMetrics,
    private readonly statements: StatementCacheService,
    multiplexer: ReadMultiplexer,
  ) {
    wireMetrics(metrics, prometheus, pools, health, statements, multiplexer);
  }

  /**
   * The module's Prometheus registry (prom-client), for apps to serve as `/metrics`.
   * @example
   * @Get('metrics') async metrics(@Res() res: Response) {
   *   res.type(this.db.metricsRegistry.contentType).send(await this.db.metricsRegistry.metrics());
   * }
   */
  get metricsRegistry(): Registry {
    return this.prometheus.registry;
  }

  /** Each pool's counters (role, server, total, idle, waiting, limit), for dashboards and stats endpoints. */
  poolStats(): PoolStats[] {
    return this.pools.stats();
  }

  /**
   * Picks the primary among its candidates, opens `min` connections per pool, bans
   * replicas that do not answer, starts the lag monitor.
   */
  async onModuleInit(): Promise<void> {
    await this.primaryWatch.choose();
    const failures = await this.pools.warmUp();
    for (const [pool, error] of failures) this.health.ban(pool, `not reachable at start: ${(error as Error).message}`);
    await this.lagMonitor.checkNow();
    this.lagMonitor.start();
    this.logger.log(
      `Ready: primary ${this.pools.primary.server}, ${this.pools.readReplicas.length} read replica(s), ` +
        `analytics ${this.pools.analytics?.server ?? 'shared with reads'}.`,
    );
  }

  /**
   * Runs one statement where it belongs: reads on a replica that has seen the
   * caller's writes, analytical reads on the analytics replica, everything
   * else on the primary. Values go in `params`, never in the text.
   */
  executeOptimizedQuery<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options: QueryOptions = {},
  ): Promise<OptimizedQueryResult<T>> {
    return this.run<T>(sql, params, options);
  }

  /**
   * A `pg.Pool` look-alike for query builders and ORMs (Kysely, Drizzle, TypeORM): each
   * `query()` is routed, prepared, cached and measured as `executeOptimizedQuery` is, and
   * `connect()` gives a client whose `BEGIN` ... `COMMIT` runs on one primary connection.
   * `end()` ends this view only; the module's pools close with the app.
   *
   * @example
   * const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dbOptimizer.pool }) });
   */
  get pool(): RoutingPool {
    this.defaultPool ??= this.createPool();
    return this.defaultPool;
  }

  /** A new `RoutingPool` view, for a library that ends the pool it is given (`pool` is shared). */
  createPool(): RoutingPool {
    return new RoutingPool({
      query: (sql, params) => this.run<unknown[]>(sql, params, {}, 'raw'),
      needsConnection: (sql) => {
        const classification = this.classification.classify(sql);
        return classification.queryType === 'TRANSACTIONAL' || classification.sessionState;
      },
      pin: () => this.pin(),
      stats: () => this.pools.stats(),
    });
  }

  private async run<T>(
    sql: string,
    params: readonly unknown[] | undefined,
    callOptions: QueryOptions,
    shape?: 'raw',
  ): Promise<WithColumns<OptimizedQueryResult<T>>> {
    const startedAt = performance.now();
    const options = this.withRequestContext(callOptions);
    assertSql(sql);
    const values = normalizeParams(params);
    assertConsistencyInputs(options);
    const classification = this.classification.classify(sql);
    // Refused before anything is sent: transaction control anywhere in the text, session state,
    // parameters for several statements (PostgreSQL binds them to one statement only).
    if (classification.queryType === 'TRANSACTIONAL') throw new QueryRoutingError(TRANSACTION_CONTROL_IN_WORK(sql.trim().slice(0, 40)));
    if (classification.transactionControl) throw new QueryRoutingError(TRANSACTION_CONTROL_IN_TEXT(sql.trim().slice(0, 40)));
    if (classification.sessionState) throw new QueryRoutingError(SESSION_STATE_REFUSED(sql));
    const multiStatement = classification.statementCount > 1;
    if (multiStatement && values.length > 0) throw new QueryRoutingError(MULTI_STATEMENT_WITH_PARAMS(classification.statementCount));
    // A write is a write however it is routed: forcePrimary must not skip invalidation or the token.
    // A function that may write (volatile, per the catalog) makes the statement one.
    const known = this.classification.safetyOf(classification, undefined, startedAt);
    // Usually known already: no await (and no microtask) on the hot path.
    const safety = known instanceof Promise ? await known : known;
    const isWrite = changesData(classification, safety);
    const onPrimary = isWrite || !safety.readSafe || options.forcePrimary || !this.options.enableQueryOptimization;
    const target = onPrimary ? 'primary' : classification.target;
    const requiredLsn = this.consistency.requiredLsn(options.sessionKey, options.consistencyToken);
    const request: ExecuteRequest = {
      sql,
      params: values,
      target,
      isWrite,
      requiredLsn: target === 'primary' ? undefined : requiredLsn,
      sessionKey: options.sessionKey,
      timeoutMs: options.timeoutMs,
      multiStatement,
      resetSession: classification.opaqueCode || safety.mayKeepSessionState,
      onReplicaWrite: this.rememberWriting,
      shape: shape === 'raw' ? RAW_ROWS : undefined,
    };
    // Set when a replica refused the read as a write (25006) and the primary ran it: it is a write after all.
    let promotedToWrite = false;
    let result: WithColumns<OptimizedQueryResult<T>>;
    try {
      if (!isWrite && options.useCache !== false && this.resultCache.enabled) {
        // minLsn: the cache asks for data at least as new as the last write it knows of on the tables read.
        result = await this.resultCache.read(
          classification,
          values,
          target,
          options,
          async (minLsn?: bigint) => {
            const routed = minLsn === undefined || target === 'primary' ? request : { ...request, requiredLsn: laterLsn(requiredLsn, minLsn) };
            const executed = await this.executor.execute<T>(routed);
            if (executed.promotedToWrite) promotedToWrite = true;
            return this.resultOf(executed, classification, shape);
          },
          shape,
        );
      } else {
        // Uncached: no load closure to allocate, and one async frame fewer.
        const executed = await this.executor.execute<T>(request);
        promotedToWrite = executed.promotedToWrite === true;
        result = this.resultOf(executed, classification, shape);
      }
      if (isWrite || promotedToWrite) {
        this.noteRequestWrite(result.metadata.consistencyToken);
        await this.afterCommit([{ classification, params: values }], result.metadata.consistencyToken);
      }
    } catch (error) {
      this.recordFailure(classification, startedAt);
      throw error;
    }
    result.metadata.executionTimeMs = performance.now() - startedAt;
    this.record(classification, result.metadata);
    if (result.metadata.executionTimeMs >= this.options.slowQueryThresholdMs && result.metadata.cached === false) {
      this.optimizer.offerSlowQuery({
        fingerprint: classification.fingerprint,
        sql,
        params: values,
        durationMs: result.metadata.executionTimeMs,
        pool: result.metadata.poolUsed,
        isWrite: isWrite || promotedToWrite,
      });
    }
    return result;
  }

  /**
   * Runs several statements. Results come back in input order. Reads run in
   * parallel within pool capacity; writes one after another in the given order;
   * `atomic: true` runs all of it in one transaction on the primary. A failure
   * is a `BatchQueryError` naming the index of the statement that failed.
   */
  async executeBatchOptimized<T = Record<string, unknown>>(
    queries: readonly SqlStatement[],
    options: BatchOptions = {},
  ): Promise<Array<OptimizedQueryResult<T>>> {
    assertConsistencyInputs(options);
    if (options.atomic) {
      return runAtomicBatch<T>(queries, options, (sql) => this.classification.classify(sql), (work, txOptions) =>
        this.executeTransactionOptimized(work, txOptions),
      );
    }
    const parallelism = this.readParallelism();
    return runBatch(queries, options, (sql) => this.classification.mayChangeData(this.classification.classify(sql)), (sql, params, callOptions) =>
      this.executeOptimizedQuery(sql, params, callOptions),
      parallelism,
    ) as Promise<Array<OptimizedQueryResult<T>>>;
  }

  /**
   * Runs a transaction: a list of `[sql, params?]`, or a callback receiving a
   * handle with `query()` and `savepoint()`. Always ends in COMMIT or ROLLBACK.
   *
   * @example
   * await db.executeTransactionOptimized(async (tx) => {
   *   await tx.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [10, from]);
   *   await tx.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [10, to]);
   * }, { isolationLevel: 'serializable' });
   */
  executeTransactionOptimized<R = unknown>(work: TransactionWork<R>, options: TransactionOptions = {}): Promise<TransactionResult<R>> {
    return this.transactions.run(work, this.withRequestContext(options), (writes, consistencyToken) => {
      this.noteRequestWrite(consistencyToken);
      return this.afterCommit(writes, consistencyToken);
    });
  }

  /**
   * Waits until every usable replica has replayed the write behind
   * `consistencyToken`, so that every session (not only the writer's) reads it.
   * For migrations and schema setup; request paths use `sessionKey` instead.
   */
  async waitForReplicas(consistencyToken: string, timeoutMs = 10_000): Promise<void> {
    const lsn = this.consistency.requiredLsn(undefined, consistencyToken);
    if (lsn !== undefined) await this.lagMonitor.waitForReplay(lsn, timeoutMs);
  }

  /** A primary connection for a routing-pool client that opened a transaction or set session state. */
  private async pin(): Promise<PinnedConnection> {
    const pool = this.pools.primary;
    const client = await pool.acquire();
    return new PinnedConnection(pool, client, {
      runner: this.statements,
      classify: (sql) => this.classification.classify(sql),
      mayChangeData: (classification) => this.classification.mayChangeData(classification),
      tokenAfterCommit: (pinned) =>
        this.pools.replicas.length > 0 ? this.consistency.tokenAfterCommit(pinned, currentRequestContext()?.sessionKey) : Promise.resolve(undefined),
      afterCommit: (writes, consistencyToken) => {
        this.noteRequestWrite(consistencyToken);
        return this.afterCommit(writes, consistencyToken);
      },
    });
  }

  private readParallelism(): number {
    const replicaCapacity = this.pools.replicas.reduce((sum, pool) => sum + pool.limit, 0);
    return Math.max(1, replicaCapacity > 0 ? replicaCapacity : this.pools.primary.limit);
  }

  /** Never throws: the writes have committed, and an error would invite a duplicate retry. */
  private async afterCommit(writes: CommittedWrite[], consistencyToken?: string): Promise<void> {
    // Volatility, operators and casts may have changed: ask the catalog afresh.
    if (writes.some((write) => write.classification.functionDdl)) this.classification.forgetFunctionFacts();
    if (this.resultCache.enabled) await this.resultCache.afterCommit(writes, consistencyToken);
  }

  /** A statement that ran, as the caller gets it back (before the cache and the metrics see it). */
  private resultOf<T>(executed: ExecutedStatement<T>, classification: QueryClassification, shape: 'raw' | undefined): WithColumns<OptimizedQueryResult<T>> {
    const metadata: QueryMetadata = {
      executionTimeMs: 0,
      cached: false,
      poolUsed: executed.role,
      server: executed.pool.server,
      queryType: classification.queryType,
      preparedStatement: executed.prepared,
      fingerprint: classification.fingerprint,
      rowCount: executed.rowCount,
    };
    if (executed.consistencyToken) metadata.consistencyToken = executed.consistencyToken;
    if (executed.fallback) metadata.replicaFallback = true;
    if (executed.statements) {
      metadata.statementCount = executed.statements.length;
      metadata.statementResults = executed.statements;
    }
    if (executed.degraded) metadata.degraded = true;
    const result: WithColumns<OptimizedQueryResult<T>> = { rows: executed.rows, metadata };
    // pg's fields are class instances, which the cache refuses to encode: keep plain copies.
    if (shape === 'raw') result.columns = { command: executed.command, fields: executed.fields.map((field) => ({ ...field })) };
    return result;
  }

  /**
   * A replica refused the statement as a write (25006): it runs on the primary from now on. One
   * function for every call (the executor passes the text back), so a call allocates no callback.
   */
  private readonly rememberWriting = (sql: string): void => this.classification.rememberWriting(this.classification.classify(sql));

  private record(classification: QueryClassification, metadata: QueryMetadata): void {
    this.metrics.recordQuery(sampleOf(classification, metadata));
    if (metadata.replicaFallback) this.metrics.recordReplicaFallback();
  }

  /** The call's options, with the ambient request's session key and token where the call gives none. */
  private withRequestContext<O extends { sessionKey?: string; consistencyToken?: string }>(options: O): O {
    const ambient = currentRequestContext();
    if (ambient === undefined) return options;
    return {
      ...options,
      sessionKey: options.sessionKey ?? ambient.sessionKey,
      consistencyToken: requestToken(ambient, options.consistencyToken ?? ambient.consistencyToken, this.covering),
    };
  }

  private readonly covering = (mark: number): bigint | undefined => this.consistency.positionCovering(mark);

  /** A committed write inside a request: its token moves the request's forward; without one (replicas, position unknown) the request's later reads need the primary until it is covered. */
  private noteRequestWrite(token: string | undefined): void {
    if (token !== undefined) return noteRequestToken(token);
    // Numbered by the tracker already (0: no write has ever lacked a position).
    const mark = this.pools.replicas.length > 0 ? this.consistency.unpositionedMark : 0;
    if (mark > 0) noteRequestUnpositioned(mark);
  }

  private recordFailure(classification: QueryClassification, startedAt: number): void {
    this.metrics.recordQuery(failureSampleOf(classification, performance.now() - startedAt));
  }
}

