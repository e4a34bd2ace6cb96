import { STALE_READ_REFUSED } from './messages';

/**
 * Thrown for a read with a `sessionKey` or `consistencyToken` while the primary
 * is unreachable and no replica has replayed the caller's last write: the
 * module refuses rather than return data older than the caller's own write.
 * Nothing was run; retrying once the primary answers is safe.
 * @publicApi
 */
export class StaleReadRefusedError extends Error {
  override readonly name = 'StaleReadRefusedError';

  constructor(
    /** The WAL position the read had to see, as text (e.g. `0/3000060`). */
    readonly requiredLsn: string,
    /** When the primary stopped answering (ms since epoch). */
    readonly primaryUnreachableSinceMs: number,
    options?: { cause?: unknown },
  ) {
    super(STALE_READ_REFUSED(requiredLsn, primaryUnreachableSinceMs), options);
  }
}
