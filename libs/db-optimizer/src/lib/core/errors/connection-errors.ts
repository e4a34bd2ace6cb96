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

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    if (CONNECTION_SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  return CONNECTION_MESSAGES.some((fragment) => error.message.includes(fragment));
}

/** A standby cancelled the query because replay needed its rows; the primary can answer it. */
export function isRecoveryConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '40001' && error instanceof Error && error.message.includes('conflict with recovery');
}

/** A hot standby refused a statement that writes (SQLSTATE 25006, read-only transaction); the primary can run it. */
export function isReadOnlyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '25006';
}
