import type { QueryOptions } from '@db-optimizer/core';

/**
 * Read-your-writes over HTTP: `x-session-key` names the caller, and
 * `x-consistency-token` carries a token from an earlier write (possibly served
 * by another instance of the app).
 */
export function consistencyFromHeaders(headers: Record<string, string | string[] | undefined>): QueryOptions {
  const sessionKey = single(headers['x-session-key']);
  const consistencyToken = single(headers['x-consistency-token']);
  return { ...(sessionKey && { sessionKey }), ...(consistencyToken && { consistencyToken }) };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
