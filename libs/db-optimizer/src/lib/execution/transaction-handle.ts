import type { PoolClient } from 'pg';
import { QueryRoutingError } from '../core/errors/query-routing.error';
import {
  INVALID_SAVEPOINT_NAME,
  MULTI_STATEMENT_WITH_PARAMS,
  SESSION_STATE_IN_TRANSACTION,
  TRANSACTION_CONTROL_IN_WORK,
  TRANSACTION_HANDLE_CLOSED,
} from '../core/errors/messages';
import type { CommittedWrite } from '../core/committed-write.interface';
import { assertSql, normalizeParams } from '../core/argument-checks';
import { perStatement, StatementRunner, runStatement } from '../core/statement-runner';
import type { QueryClassification } from '../core/query-classification.interface';

/**
 * What the callback of `executeTransactionOptimized` receives.
 * @publicApi
 */
export interface TransactionHandle {
  /** Runs a statement inside the transaction. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /**
   * Runs `work` inside a savepoint: if it throws, only its statements are
   * undone, the error is rethrown, and the transaction stays usable.
   */
  savepoint<T>(work: (tx: TransactionHandle) => Promise<T>, name?: string): Promise<T>;
}

const SAVEPOINT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * The live transaction: one client, its writes kept until COMMIT (cache
 * invalidation waits for it), closed for good when the transaction ends.
 */
export class ActiveTransaction implements TransactionHandle {
  private closed = false;
  private savepointCounter = 0;
  private statementCounter = 0;
  private readonly pendingWrites: CommittedWrite[][] = [[]];
  private hiddenSessionState = false;

  constructor(
    private readonly client: PoolClient,
    private readonly runner: StatementRunner,
    private readonly classify: (sql: string) => QueryClassification,
    private readonly changesData: (classification: QueryClassification) => Promise<boolean>,
    private readonly mayLeaveHiddenSessionState: (classification: QueryClassification) => Promise<boolean>,
    readonly statementSavepoints: boolean,
    private readonly timeoutMs: number | undefined,
  ) {}

  /**
   * Some statement may have changed session state the parser could not see (a VOLATILE user
   * function, DO, CALL): the connection must be reset before it goes back to the pool.
   */
  get needsSessionReset(): boolean {
    return this.hiddenSessionState;
  }

  /** Statements started so far: the index a failure is reported with. */
  get statementsRun(): number {
    return this.statementCounter;
  }

  get writes(): CommittedWrite[] {
    return this.pendingWrites.flat();
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[]; rowCount: number }> {
    if (this.closed) throw new Error(TRANSACTION_HANDLE_CLOSED());
    assertSql(sql);
    const values = normalizeParams(params);
    const classification = this.classify(sql);
    // Refused before anything is sent, wherever in the text it hides ("UPDATE ...; COMMIT").
    if (classification.transactionControl) throw new QueryRoutingError(TRANSACTION_CONTROL_IN_WORK(sql.trim().slice(0, 40)));
    if (classification.sessionState) throw new QueryRoutingError(SESSION_STATE_IN_TRANSACTION(sql));
    if (classification.statementCount > 1 && values.length > 0) throw new QueryRoutingError(MULTI_STATEMENT_WITH_PARAMS(classification.statementCount));
    this.statementCounter++;
    // Decided before it runs: a reset is owed even when the statement then fails.
    if (await this.mayLeaveHiddenSessionState(classification)) this.hiddenSessionState = true;
    const run = async (): Promise<{ rows: T[]; rowCount: number }> => {
      const { result } = await runStatement(this.runner, this.client, sql, values, this.timeoutMs, true);
      // Kept until COMMIT: a volatile function's writes count as writes too.
      if (await this.changesData(classification)) this.pendingWrites[this.pendingWrites.length - 1].push({ classification, params: values });
      // Several statements (simple protocol): pg gives one result each; the last one answers.
      const statements = perStatement(result);
      const last = statements[statements.length - 1] ?? { rows: [], rowCount: 0 };
      return { rows: last.rows as T[], rowCount: last.rowCount };
    };
    return this.statementSavepoints ? this.savepoint(run) : run();
  }

  async savepoint<T>(work: (tx: TransactionHandle) => Promise<T>, name?: string): Promise<T> {
    if (this.closed) throw new Error(TRANSACTION_HANDLE_CLOSED());
    const savepoint = name ?? `dbo_sp_${++this.savepointCounter}`;
    if (!SAVEPOINT_NAME.test(savepoint)) throw new TypeError(INVALID_SAVEPOINT_NAME(savepoint));
    await this.client.query(`SAVEPOINT ${savepoint}`);
    this.pendingWrites.push([]);
    try {
      const result = await work(this);
      await this.client.query(`RELEASE SAVEPOINT ${savepoint}`);
      const inner = this.pendingWrites.pop() ?? [];
      this.pendingWrites[this.pendingWrites.length - 1].push(...inner);
      return result;
    } catch (error) {
      // Undone work wrote nothing: its writes must not invalidate anything.
      this.pendingWrites.pop();
      await this.client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      await this.client.query(`RELEASE SAVEPOINT ${savepoint}`);
      throw error;
    }
  }

  close(): void {
    this.closed = true;
  }
}
