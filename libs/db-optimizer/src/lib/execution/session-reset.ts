import type { PoolClient } from 'pg';
import { Logger } from '@nestjs/common';
import type { StatementCacheService } from '../statements/statement-cache.service';

const logger = new Logger('SessionReset');

/**
 * Puts a connection back to its defaults before it returns to the pool, after a statement
 * that may have changed session state the parser could not see (a volatile user function
 * calling set_config(..., false), DO, CALL...). `DISCARD ALL` resets settings to the
 * connection's defaults, closes cursors, drops temp tables, unlistens, releases session
 * advisory locks and deallocates prepared statements; the statement cache forgets the latter.
 * Runs only outside a transaction block (DISCARD ALL cannot run inside one).
 *
 * A failure is rethrown: the caller releases the client with it, and the pool closes a client
 * that failed or is still in a transaction, so no state survives either way.
 */
export async function resetSession(client: PoolClient, statements: StatementCacheService): Promise<void> {
  try {
    await client.query('DISCARD ALL');
  } catch (error) {
    logger.warn(`DISCARD ALL failed; the connection is closed instead: ${(error as Error).message}`);
    throw Object.assign(new Error(`session reset failed: ${(error as Error).message}`), { code: '08006', cause: error });
  } finally {
    // Whatever happened, pg's records of prepared statements on this client can no longer be trusted.
    statements.forgetConnection(client);
  }
}
