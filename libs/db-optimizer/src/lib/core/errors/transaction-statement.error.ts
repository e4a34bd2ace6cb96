import { TRANSACTION_STATEMENT_FAILED } from './messages';

/**
 * A statement of `executeTransactionOptimized` failed and the transaction was
 * rolled back: nothing of it was applied. `index` is the statement's position
 * (for a callback, the count of statements run before it); `code` its SQLSTATE.
 * @publicApi
 */
export class TransactionStatementError extends Error {
  override readonly name = 'TransactionStatementError';
  readonly code?: string;

  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(TRANSACTION_STATEMENT_FAILED(index, cause instanceof Error ? cause.message : String(cause)), { cause });
    const code = (cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') this.code = code;
  }
}
