import { BATCH_QUERY_FAILED } from './messages';

/**
 * A statement of a batch failed. `index` is its position in the input; `code`
 * is the SQLSTATE when the server gave one; `results` holds what completed
 * (undefined for the rest).
 * @publicApi
 */
export class BatchQueryError extends Error {
  override readonly name = 'BatchQueryError';
  readonly code?: string;

  constructor(
    readonly index: number,
    readonly results: unknown[],
    cause: unknown,
  ) {
    super(BATCH_QUERY_FAILED(index, cause instanceof Error ? cause.message : String(cause)), { cause });
    const code = (cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') this.code = code;
  }
}
