import type { PoolClient } from 'pg';
import { FORBIDDEN_SETTING, INVALID_SETTING, INVALID_TIMEOUT } from '../analysis.messages';
import type { RawExplainOutput } from './raw-plan.interface';

/** Settings an EXPLAIN may change for itself (SET LOCAL), as text. */
export type ExplainSettings = ReadonlyArray<readonly [name: string, value: string]>;

/** One EXPLAIN to run. `statement` is a single statement already checked by the parser. */
export interface ExplainRequest {
  statement: string;
  params: readonly unknown[];
  analyze: boolean;
  timeoutMs: number;
  settings: ExplainSettings;
  /** BEGIN READ ONLY: for reads, which a standby accepts too. */
  readOnly: boolean;
}

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
// These guard the run: the timeout has its own option, the rest would escape the read-only or rolled-back frame.
const FORBIDDEN_SETTINGS = new Set([
  'statement_timeout',
  'transaction_read_only',
  'default_transaction_read_only',
  'transaction_isolation',
  'role',
  'session_authorization',
]);

/** Validates caller settings and turns values into the text `set_config` takes. */
export function explainSettings(settings: Readonly<Record<string, string | number | boolean>> | undefined): ExplainSettings {
  return Object.entries(settings ?? {}).map(([name, value]) => {
    if (!SETTING_NAME.test(name)) throw new RangeError(INVALID_SETTING(name));
    if (FORBIDDEN_SETTINGS.has(name.toLowerCase())) throw new RangeError(FORBIDDEN_SETTING(name));
    return [name, String(value)] as const;
  });
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
): Promise<{ output: RawExplainOutput; extra: T }> {
  await client.query(request.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  let result: { output: RawExplainOutput; extra: T };
  try {
    // set_config(..., true) is SET LOCAL with bind parameters: no value is spliced into SQL.
    await client.query("SELECT set_config('statement_timeout', $1, true)", [String(request.timeoutMs)]);
    for (const [name, value] of request.settings) await client.query('SELECT set_config($1, $2, true)', [name, value]);
    const { rows } = await client.query<{ 'QUERY PLAN': RawExplainOutput }>(explainSql(request.statement, request.analyze), [
      ...request.params,
    ]);
    const output = rows[0]['QUERY PLAN'];
    result = { output, extra: await more(client, output) };
  } catch (error) {
    // The original error matters more than a failed rollback; the runner closes a client left in a transaction.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await client.query('ROLLBACK');
  return result;
}
