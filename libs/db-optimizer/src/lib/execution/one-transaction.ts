import type { PoolClient } from 'pg';
import { runStatement, StatementResult, StatementRunner } from '../core/statement-runner';

/**
 * Runs a text of several statements as one unit on one client: BEGIN, the text (simple
 * protocol: pg answers with one result per statement), COMMIT. Either all of it commits or
 * nothing does; the caller learns which from whether this resolves. The text must hold no
 * transaction control and no parameters (both are refused before anything is sent).
 */
export async function runAsOneTransaction(runner: StatementRunner, client: PoolClient, sql: string, timeoutMs: number | undefined): Promise<StatementResult> {
  await client.query('BEGIN');
  let result: StatementResult;
  try {
    result = await runStatement(runner, client, sql, [], timeoutMs, true);
  } catch (error) {
    // The text failed: nothing of it committed. A client left in a transaction is closed by the pool.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const commit = await client.query('COMMIT');
  if (commit.command !== 'COMMIT') {
    throw Object.assign(new Error(`COMMIT answered "${commit.command}": nothing of the text was committed.`), { code: '25P02' });
  }
  return result;
}
