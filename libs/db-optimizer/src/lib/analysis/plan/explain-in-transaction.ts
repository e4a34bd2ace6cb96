import type { PoolClient, QueryConfig } from 'pg';
import { INVALID_TIMEOUT } from '../analysis.messages';
import type { ExplainSettings } from './explain-settings';
import type { RawExplainOutput } from './raw-plan.interface';

/** One EXPLAIN to run. `statement` is a single statement already checked by the parser. */
export interface ExplainRequest {
  statement: string;
  params: readonly unknown[];
  analyze: boolean;
  timeoutMs: number;
  settings: ExplainSettings;
  /** BEGIN READ ONLY: for reads, which a standby accepts too. */
  readOnly: boolean;
  /**
   * Asked inside the transaction, on the EXPLAIN's own connection, before an ANALYZE:
   * a reason not to run the statement (plan it only), or undefined to run it.
   */
  planOnlyBecause?: (client: PoolClient) => Promise<string | undefined>;
}

/** What ran: the plan, whatever `more` returned, and why it was only planned when ANALYZE was asked for but not used. */
export interface ExplainOutcome<T> {
  output: RawExplainOutput;
  extra: T;
  plannedOnlyBecause?: string;
}

export function assertTimeout(timeoutMs: number): void {
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(INVALID_TIMEOUT(timeoutMs));
}

/** `EXPLAIN (...) statement`. VERBOSE gives each scan's schema; SUMMARY gives planning time without ANALYZE. */
export function explainSql(statement: string, analyze: boolean): string {
  const options = analyze ? 'ANALYZE, BUFFERS, VERBOSE, SUMMARY, FORMAT JSON' : 'VERBOSE, SUMMARY, FORMAT JSON';
  return `EXPLAIN (${options}) ${statement}`;
}

/**
 * Runs the EXPLAIN inside `BEGIN; SET LOCAL ...; EXPLAIN; ROLLBACK` and then
 * `more(client)` (catalog look-ups) in the same transaction. Always rolled
 * back, whatever happens: an EXPLAIN ANALYZE of a write changes nothing
 * (sequences excepted: nextval() is not transactional). When even the
 * ROLLBACK fails, the client is left inside its transaction and the runner
 * closes it instead of reusing it.
 */
export async function explainInTransaction<T>(
  client: PoolClient,
  request: ExplainRequest,
  more: (client: PoolClient, output: RawExplainOutput) => Promise<T>,
): Promise<ExplainOutcome<T>> {
  await client.query(request.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  let result: ExplainOutcome<T>;
  try {
    // set_config(..., true) is SET LOCAL with bind parameters: no value is spliced into SQL.
    await client.query("SELECT set_config('statement_timeout', $1, true)", [String(request.timeoutMs)]);
    for (const [name, value] of request.settings) await client.query('SELECT set_config($1, $2, true)', [name, value]);
    const plannedOnlyBecause = request.analyze ? await request.planOnlyBecause?.(client) : undefined;
    const { rows } = await client.query<{ 'QUERY PLAN': RawExplainOutput }>(
      extendedProtocol(explainSql(request.statement, request.analyze && plannedOnlyBecause === undefined), request.params),
    );
    const output = rows[0]['QUERY PLAN'];
    result = { output, extra: await more(client, output) };
    if (plannedOnlyBecause !== undefined) result.plannedOnlyBecause = plannedOnlyBecause;
  } catch (error) {
    // The original error matters more than a failed rollback; the runner closes a client left in a transaction.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await client.query('ROLLBACK');
  return result;
}

/**
 * The EXPLAIN always goes over the extended protocol, even without parameters: its Parse
 * message holds one statement, and the server refuses a text it reads as several ("cannot
 * insert multiple commands into a prepared statement"). Over the simple protocol the server
 * splits the text by its own reading, which can differ from the parser's (a backslash before
 * a quote with standard_conforming_strings off), and would run the rest outside the rolled-back
 * frame. pg 8.23 forces it with `queryMode: 'extended'`; unnamed, so nothing stays prepared.
 */
function extendedProtocol(text: string, params: readonly unknown[]): QueryConfig {
  const config: QueryConfig & { queryMode: 'extended' } = { text, values: [...params], queryMode: 'extended' };
  return config;
}
