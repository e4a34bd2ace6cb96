import type { ManagedPool } from '../pool/managed-pool';
import { connectionBudget } from './connection-budget';

/** A pool that can reach its server. */
export type BudgetPool = Pick<ManagedPool, 'server' | 'withClient'>;

/** Reads `max_connections` through one of the server's pools. */
export type MaxConnectionsReader = (pool: BudgetPool) => Promise<number>;

/** One server's connection budget for this instance. */
export interface ServerBudget {
  /** `host:port`. */
  server: string;
  maxConnections: number;
  reservedConnections: number;
  instances: number;
  /** `floor((maxConnections - reservedConnections) / instances)`. */
  budget: number;
}

/** Settings of `ServerBudgets`. */
export interface ServerBudgetsOptions {
  reservedConnections: number;
  instances: number;
  /** @default `SHOW max_connections` on a client of the pool */
  read?: MaxConnectionsReader;
  /** Told when a server's first read fails (not again for the same server); the read is retried on the next call. */
  onReadFailure?: (server: string, error: unknown) => void;
}

/** `SHOW max_connections` on a checked-out client of the pool. */
export const showMaxConnections: MaxConnectionsReader = (pool) =>
  pool.withClient(async (client) => {
    const { rows } = await client.query<{ max_connections: string }>('SHOW max_connections');
    const value = Number(rows[0]?.max_connections);
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`SHOW max_connections returned "${rows[0]?.max_connections}", not a positive integer`);
    }
    return value;
  });

/**
 * Connection budgets per server, each read once and cached: `max_connections`
 * only changes with a server restart. Pools with the same `host:port` share
 * one budget. Failed reads are not cached, so a server that was down at start
 * gets its budget once it answers; concurrent calls share one read.
 */
export class ServerBudgets {
  private readonly known = new Map<string, ServerBudget>();
  private readonly reading = new Map<string, Promise<ServerBudget | undefined>>();
  /** Servers whose failure was reported: a server down for an hour is worth one warning, not one per run. */
  private readonly reported = new Set<string>();
  private readonly read: MaxConnectionsReader;

  constructor(private readonly options: ServerBudgetsOptions) {
    this.read = options.read ?? showMaxConnections;
  }

  /** The cached budget of a server, without reading. */
  cached(server: string): ServerBudget | undefined {
    return this.known.get(server);
  }

  /** Every budget known so far. */
  all(): ServerBudget[] {
    return [...this.known.values()];
  }

  /** The budget of the pools' server, read through the first of them that answers; `undefined` if none does. */
  async budgetOf(pools: readonly BudgetPool[]): Promise<ServerBudget | undefined> {
    if (pools.length === 0) return undefined;
    const server = pools[0].server;
    const cached = this.known.get(server);
    if (cached) return cached;
    let pending = this.reading.get(server);
    if (!pending) {
      pending = this.readThrough(server, pools).finally(() => this.reading.delete(server));
      this.reading.set(server, pending);
    }
    return pending;
  }

  private async readThrough(server: string, pools: readonly BudgetPool[]): Promise<ServerBudget | undefined> {
    let lastError: unknown;
    for (const pool of pools) {
      try {
        const maxConnections = await this.read(pool);
        const { reservedConnections, instances } = this.options;
        const budget = connectionBudget(maxConnections, reservedConnections, instances);
        const entry: ServerBudget = { server, maxConnections, reservedConnections, instances, budget };
        this.known.set(server, entry);
        return entry;
      } catch (error) {
        lastError = error;
      }
    }
    if (!this.reported.has(server)) {
      this.reported.add(server);
      this.options.onReadFailure?.(server, lastError);
    }
    return undefined;
  }
}
