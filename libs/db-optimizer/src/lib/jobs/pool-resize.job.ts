import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS, POOL_RESIZE_JOB_NAME } from '../core/db-optimizer.constants';
import { PoolManagerService } from '../pool/pool-manager.service';
import { POOL_LOAD_SAMPLER_NAME, samplePeriodMs } from './pool-resize.constants';
import { MAX_CONNECTIONS_UNREADABLE, NO_SCHEDULER_REGISTRY, RESIZE_RUN_FAILED } from './pool-resize.messages';
import type { PoolResizeDecision, PoolResizeStats } from './pool-resize-stats.interface';
import { PoolResizer } from './pool-resizer';
import { PoolSizingPolicy } from './pool-sizing-policy';
import { ServerBudgets } from './server-budgets';

/**
 * Pool auto-sizing: every `poolResizeIntervalMs` (0 turns it off), each pool's
 * limit moves between its min and max with its load, all pools of a server
 * staying within that server's connection budget for this instance:
 * `floor((max_connections - reservedConnections) / instances)`.
 *
 * Registered in `SchedulerRegistry` as `POOL_RESIZE_JOB_NAME`
 * (`'db-optimizer:pool-resize'`), beside its sampler `POOL_LOAD_SAMPLER_NAME`
 * (`'db-optimizer:pool-load-sampler'`), so apps and tests can find, pause or
 * replace them. The application imports `ScheduleModule.forRoot()`; without it
 * the job still runs, on private timers, and says so once at start (pools
 * start at their max, so turning sizing off silently would also drop the budget).
 * @publicApi
 *
 * @example
 * // app.module.ts
 * imports: [ScheduleModule.forRoot(), DbOptimizerModule.forRoot({ primaryUrl, poolResizeIntervalMs: 10_000, instances: 4 })]
 * // later
 * moduleRef.get(PoolResizeJob).stats(); // { runs, grows, shrinks, holds, budgetCapped, lastDecisions, budgets }
 */
@Injectable()
export class PoolResizeJob implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PoolResizeJob.name);
  private readonly resizer: PoolResizer;
  private readonly intervalMs: number;
  /** This job's timers by name, whether or not they are also in the registry. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) options: ResolvedDbOptimizerOptions,
    pools: PoolManagerService,
    @Optional() private readonly schedulerRegistry?: SchedulerRegistry,
  ) {
    this.intervalMs = options.poolResizeIntervalMs;
    this.resizer = new PoolResizer({
      pools: () => pools.pools,
      policy: new PoolSizingPolicy({ acquisitionTargetMs: options.targets.acquisitionTimeMs }),
      budgets: new ServerBudgets({
        reservedConnections: options.reservedConnections,
        instances: options.instances,
        onReadFailure: (server, error) => this.logger.warn(MAX_CONNECTIONS_UNREADABLE(server, reasonOf(error))),
      }),
      logger: this.logger,
    });
  }

  onModuleInit(): void {
    if (this.intervalMs <= 0) return;
    if (!this.schedulerRegistry) this.logger.warn(NO_SCHEDULER_REGISTRY(POOL_RESIZE_JOB_NAME));
    this.schedule(POOL_LOAD_SAMPLER_NAME, samplePeriodMs(this.intervalMs), () => this.resizer.sample());
    this.schedule(POOL_RESIZE_JOB_NAME, this.intervalMs, () => this.tick());
    // Pools start at their max: apply the budget now rather than one interval after start.
    this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    for (const name of [...this.timers.keys()]) this.unschedule(name);
    // A run still reading max_connections must end before the pools do.
    await this.resizer.settled();
  }

  /**
   * Resizes every pool once, now, and returns the decisions applied. The
   * interval calls it too; a call while a run is in progress shares that run.
   */
  runOnce(): Promise<PoolResizeDecision[]> {
    return this.resizer.runOnce();
  }

  /** Counters since start, the latest decision per pool, and the budgets read. */
  stats(): PoolResizeStats {
    return this.resizer.stats();
  }

  private tick(): void {
    this.resizer.runOnce().catch((error: unknown) => this.logger.error(RESIZE_RUN_FAILED(reasonOf(error))));
  }

  private schedule(name: string, periodMs: number, work: () => void): void {
    const timer = setInterval(work, periodMs);
    // Sizing is housekeeping: it must never keep the process alive on its own.
    timer.unref();
    this.timers.set(name, timer);
    this.schedulerRegistry?.addInterval(name, timer);
  }

  private unschedule(name: string): void {
    const timer = this.timers.get(name);
    this.timers.delete(name);
    clearInterval(timer);
    const registry = this.schedulerRegistry;
    // Delete only our own entry: an app may have replaced the job under the same name.
    if (registry?.doesExist('interval', name) && registry.getInterval(name) === timer) registry.deleteInterval(name);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
