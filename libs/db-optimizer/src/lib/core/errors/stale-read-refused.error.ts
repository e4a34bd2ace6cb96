import { formatLsn, PRIMARY_ONLY_LSN } from '../lsn';
import { STALE_READ_REFUSED, UNPOSITIONED_WRITE_READ_REFUSED } from './messages';

/** `PRIMARY_ONLY_LSN` as text: no session's write is that far, only a write whose position is unknown. */
const UNPOSITIONED = formatLsn(PRIMARY_ONLY_LSN);

/**
 * Thrown for a read with a `sessionKey` or `consistencyToken` while the primary
 * is unreachable and no replica has replayed the caller's last write: the
 * module refuses rather than return data older than the caller's own write.
 * Also for any read while a committed write's position is unknown (its position
 * read was cut off) and the primary is unreachable: `requiredLsn` is then
 * `FFFFFFFF/FFFFFFFF`, and the message says so. Nothing was run; retrying once
 * the primary answers is safe.
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
    super(
      requiredLsn === UNPOSITIONED
        ? UNPOSITIONED_WRITE_READ_REFUSED(primaryUnreachableSinceMs)
        : STALE_READ_REFUSED(requiredLsn, primaryUnreachableSinceMs),
      options,
    );
  }
}
