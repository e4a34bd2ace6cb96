import type { ManagedPool } from '../pool/managed-pool';
import { allocateBudget } from './connection-budget';
import { type PoolLoad, PoolLoadWindow } from './pool-load-window';
import { BUDGET_CAPPED, BUDGET_UNKNOWN, MINIMUMS_EXCEED_BUDGET } from './pool-resize.messages';
import type { PoolResizeDecision, PoolResizeStats } from './pool-resize-stats.interface';
import type { PoolSizingDecision, PoolSizingHistory, SizingAction } from './pool-sizing.interface';
import { INITIAL_SIZING_HISTORY, PoolSizingPolicy } from './pool-sizing-policy';
import type { ServerBudget, ServerBudgets } from './server-budgets';

/** What the resizer needs of a pool. */
export type ResizablePool = Pick<
  ManagedPool,
  | 'name' | 'server' | 'min' | 'max' | 'limit' | 'ended' | 'busyCount' | 'idleCount' | 'waitingCount' | 'totalCount' | 'acquisitions'
  | 'setLimit' | 'trimIdle' | 'withClient'
> &
  Partial<Pick<ManagedPool, 'addAcquisitionListener'>>;

/** Where decisions are written. Nest's `Logger` fits. */
export interface ResizeLogger {
  log(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Collaborators of `PoolResizer`. */
export interface PoolResizerOptions {
  /** The pools to size, read on every run. */
  pools: () => readonly ResizablePool[];
  policy: PoolSizingPolicy;
  budgets: ServerBudgets;
  logger: ResizeLogger;
}

interface PoolState {
  window: PoolLoadWindow;
  history: PoolSizingHistory;
}

interface Proposal {
  pool: ResizablePool;
  load: PoolLoad;
  decision: PoolSizingDecision;
}

/**
 * One resize run over every pool: take each pool's load for the interval, ask
 * the policy, fit the proposals of each server into its connection budget,
 * apply the limits, then log and count each decision. Raising a limit also
 * opens clients for callers already queued; lowering it closes idle clients
 * above it now and busy ones only as they come back (ManagedPool), so a run
 * never closes a client in use.
 */
export class PoolResizer {
  private readonly states = new Map<ResizablePool, PoolState>();
  private readonly last = new Map<string, PoolResizeDecision>();
  private readonly overcommitted = new Set<string>();
  private readonly counts = { runs: 0, grows: 0, shrinks: 0, holds: 0, budgetCapped: 0 };
  private inFlight: Promise<PoolResizeDecision[]> | undefined;

  constructor(private readonly options: PoolResizerOptions) {}

  /** Folds each pool's live counters into its interval peaks (called by the sampler). */
  sample(): void {
    for (const pool of this.livePools()) this.stateOf(pool).window.sample();
  }

  /** Runs once; a call while a run is in progress shares that run. */
  runOnce(): Promise<PoolResizeDecision[]> {
    this.inFlight ??= this.run().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Resolves once no run is in progress (for shutdown), whatever its outcome. */
  async settled(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  stats(): PoolResizeStats {
    return { ...this.counts, lastDecisions: [...this.last.values()], budgets: this.options.budgets.all() };
  }

  private async run(): Promise<PoolResizeDecision[]> {
    const byServer = new Map<string, ResizablePool[]>();
    for (const pool of this.livePools()) byServer.set(pool.server, [...(byServer.get(pool.server) ?? []), pool]);
    // Servers are sized independently: a server that cannot be reached (its budget read waits up
    // to acquireTimeoutMs) must not hold back the decisions of the others.
    const perServer = await Promise.all(
      [...byServer.values()].map(async (pools) => {
        // The budget is read before deciding, so no await separates a decision from its application:
        // the limit a decision starts from is still the one in force when it is applied.
        const budget = await this.options.budgets.budgetOf(pools);
        return this.resizeServer(pools, budget);
      }),
    );
    this.counts.runs++;
    return perServer.flat();
  }

  private resizeServer(pools: ResizablePool[], budget: ServerBudget | undefined): PoolResizeDecision[] {
    const proposals = pools.filter((pool) => !pool.ended).map((pool) => this.propose(pool));
    const limits = this.fit(proposals, budget);
    return proposals.map((proposal, i) => this.apply(proposal, limits[i], budget));
  }

  private propose(pool: ResizablePool): Proposal {
    const state = this.stateOf(pool);
    const load = state.window.take();
    const decision = this.options.policy.decide(
      { limit: pool.limit, min: pool.min, max: pool.max, ...load },
      state.history,
    );
    state.history = decision.history;
    return { pool, load, decision };
  }

  /** The limits granted by the budget; with no known budget, nothing grows. */
  private fit(proposals: Proposal[], budget: ServerBudget | undefined): number[] {
    if (!budget) return proposals.map(({ pool, decision }) => Math.min(decision.newLimit, pool.limit));
    const allocation = allocateBudget(
      budget.budget,
      proposals.map(({ pool, load, decision }) => ({
        floor: Math.max(pool.min, 1),
        current: pool.limit,
        proposed: decision.newLimit,
        waiting: load.peakWaiting > 0,
      })),
    );
    this.warnOnce(budget, proposals, allocation.floorsExceedBudget);
    return allocation.limits;
  }

  private apply({ pool, load, decision }: Proposal, granted: number, budget: ServerBudget | undefined): PoolResizeDecision {
    const previousLimit = pool.limit;
    const newLimit = pool.setLimit(granted);
    // Busy clients above the limit are closed by ManagedPool.release() when they come back.
    if (pool.totalCount > newLimit) pool.trimIdle();
    const action: SizingAction = newLimit > previousLimit ? 'grow' : newLimit < previousLimit ? 'shrink' : 'hold';
    const budgetCapped = newLimit < decision.newLimit;
    const cap = budget ? BUDGET_CAPPED(decision.newLimit, newLimit, budget.server, budget.budget) : BUDGET_UNKNOWN(pool.server);
    const reason = budgetCapped ? `${decision.reason}; ${cap}` : decision.reason;
    const record: PoolResizeDecision = {
      pool: pool.name,
      server: pool.server,
      action,
      previousLimit,
      newLimit,
      proposedLimit: decision.newLimit,
      budgetCapped,
      reason,
      load,
      at: new Date().toISOString(),
    };
    this.count(record);
    return record;
  }

  private count(record: PoolResizeDecision): void {
    this.counts[`${record.action}s` as 'grows' | 'shrinks' | 'holds']++;
    if (record.budgetCapped) this.counts.budgetCapped++;
    this.last.set(record.pool, record);
    const { pool, action, previousLimit, newLimit, reason } = record;
    const line =
      action === 'hold' ? `Pool "${pool}" hold at ${newLimit}: ${reason}` : `Pool "${pool}" ${action} ${previousLimit} -> ${newLimit}: ${reason}`;
    // Holds happen every interval on a quiet pool: logged at debug so they do not drown the changes.
    if (action === 'hold' && !record.budgetCapped) this.options.logger.debug(line);
    else this.options.logger.log(line);
  }

  /** Warns once per server while its pools' floors alone exceed its budget. */
  private warnOnce(budget: ServerBudget, proposals: Proposal[], floorsExceedBudget: boolean): void {
    if (!floorsExceedBudget) {
      this.overcommitted.delete(budget.server);
      return;
    }
    if (this.overcommitted.has(budget.server)) return;
    this.overcommitted.add(budget.server);
    const minimums = proposals.reduce((total, { pool }) => total + Math.max(pool.min, 1), 0);
    const { server, maxConnections, reservedConnections, instances } = budget;
    this.options.logger.warn(MINIMUMS_EXCEED_BUDGET(server, minimums, budget.budget, maxConnections, reservedConnections, instances));
  }

  private stateOf(pool: ResizablePool): PoolState {
    let state = this.states.get(pool);
    if (!state) {
      const window = new PoolLoadWindow(pool);
      state = { window, history: { ...INITIAL_SIZING_HISTORY } };
      this.states.set(pool, state);
      // Waits per interval feed the "acquisition p99 over target" trigger.
      pool.addAcquisitionListener?.((_, durationMs) => window.recordAcquisition(durationMs));
    }
    return state;
  }

  private livePools(): ResizablePool[] {
    return this.options.pools().filter((pool) => !pool.ended);
  }
}
