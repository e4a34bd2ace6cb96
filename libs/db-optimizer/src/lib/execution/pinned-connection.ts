import type { PoolClient, QueryResult } from 'pg';
import type { CommittedWrite } from '../core/committed-write.interface';
import type { QueryClassification } from '../core/query-classification.interface';
import type { ResultShape } from '../core/result-shape';
import type { StatementRunner } from '../core/statement-runner';
import type { ManagedPool } from '../pool/managed-pool';
import type { AfterCommit } from './transaction-runner';

/** What a pinned connection needs from the module besides its client. */
export interface PinnedConnectionDeps {
  runner: StatementRunner;
  classify(sql: string): QueryClassification;
  mayChangeData(classification: QueryClassification): Promise<boolean>;
  /** The commit's WAL position as a token (undefined without replicas); remembered for the session. */
  tokenAfterCommit(client: PoolClient): Promise<string | undefined>;
  afterCommit: AfterCommit;
}

/**
 * One primary connection held for a caller that drives its own transaction (`BEGIN` ...
 * `COMMIT`, as ORMs do) or sets session state. Writes are kept until the transaction
 * commits, then invalidated once, through the same `afterCommit` as managed transactions;
 * a rollback drops them. Savepoints are not tracked: a write undone by `ROLLBACK TO`
 * still invalidates at COMMIT, which costs a reload and never serves stale data.
 */
export class PinnedConnection {
  private pendingWrites: CommittedWrite[] = [];
  private sessionState = false;
  private released = false;

  constructor(
    private readonly pool: ManagedPool,
    private readonly client: PoolClient,
    private readonly deps: PinnedConnectionDeps,
  ) {}

  /** `host:port` of the primary it runs on. */
  get server(): string {
    return this.pool.server;
  }

  /** Inside a transaction block, or holding session state: later statements must run here too. */
  get holding(): boolean {
    return this.sessionState || this.inTransaction;
  }

  private get inTransaction(): boolean {
    return (this.client.getTransactionStatus?.() ?? 'I') !== 'I';
  }

  async query(sql: string, params: unknown[], shape?: ResultShape): Promise<QueryResult> {
    const classification = this.deps.classify(sql);
    const { result } = await this.deps.runner.execute(this.client, sql, params, shape);
    if (classification.sessionState) this.sessionState = true;
    const isWrite = classification.queryType !== 'TRANSACTIONAL' && (await this.deps.mayChangeData(classification));
    if (isWrite) this.pendingWrites.push({ classification, params });
    // Still inside (a statement, ROLLBACK TO, ROLLBACK AND CHAIN): keep the writes. At worst a
    // rolled-back one invalidates later, which costs a reload and never serves stale data.
    // COMMIT AND CHAIN commits although a new transaction is open.
    if (this.inTransaction && result.command !== 'COMMIT') return result;
    // Committed: an autocommit statement or COMMIT. A COMMIT of an aborted transaction answers
    // ROLLBACK. (PREPARE TRANSACTION is treated as a commit: two-phase commit is not tracked.)
    const committed = result.command !== 'ROLLBACK';
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    if (committed && writes.length > 0) await this.deps.afterCommit(writes, await this.deps.tokenAfterCommit(this.client));
    return result;
  }

  /**
   * Gives the connection back. Still inside a transaction, or carrying session state,
   * it is closed instead, so the next user never inherits either.
   */
  release(error?: unknown): void {
    if (this.released) return;
    this.released = true;
    this.pool.release(this.client, error, this.sessionState);
  }
}
