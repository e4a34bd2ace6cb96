/**
 * Tells a broken connection or server from a bad statement. Only the former may
 * ban a replica or be retried elsewhere: a SQL error is the caller's and is
 * rethrown untouched, SQLSTATE and all.
 */
const CONNECTION_SQLSTATE_PREFIXES = ['08', '57P', '53300', '58'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'Client has encountered a connection error',
  'Client was closed',
  'terminating connection',
  'the database system is',
];

export function isConnectionError(error: unknown): error is Error {
  // Not `instanceof Error`: socket errors may come from another realm (a VM context, a test runner).
  if (typeof error !== 'object' || error === null || typeof (error as { message?: unknown }).message !== 'string') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    if (CONNECTION_SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  return CONNECTION_MESSAGES.some((fragment) => (error as Error).message.includes(fragment));
}

/** A standby cancelled the query because replay needed its rows; the primary can answer it. */
export function isRecoveryConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '40001' && hasMessage(error) && error.message.includes('conflict with recovery');
}

/**
 * A connection that was open and then lost under a running statement (pg_terminate_backend,
 * an idle timeout, a restart), as opposed to one that could not be opened. Only the
 * statement on it is lost: a read may run again on another connection, a write never
 * (it may have committed before the connection dropped).
 */
export function isTerminatedConnection(error: unknown): boolean {
  if (!isConnectionError(error) || (error as Error).name === 'DatabaseUnavailableError') return false;
  const code = (error as { code?: unknown }).code;
  // 57P01 admin shutdown / terminate, 57P02 crash shutdown; the others arrive as socket errors or messages.
  if (code === '57P01' || code === '57P02' || code === 'ECONNRESET' || code === 'EPIPE') return true;
  const message = (error as Error).message;
  return message.includes('Connection terminated') || message.includes('terminating connection') || message.includes('not queryable');
}

function hasMessage(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** A hot standby refused a statement that writes (SQLSTATE 25006, read-only transaction); the primary can run it. */
export function isReadOnlyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '25006';
}
