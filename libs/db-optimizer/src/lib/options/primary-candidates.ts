// libpq accepts several hosts in one URL (postgres://u@h1:5432,h2:5433/db); node's URL parser and
// pg-connection-string reject them, so they are split here into one single-host URL per candidate.
const MULTI_HOST_URL = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/;

/**
 * The single-host URLs a (possibly multi-host) PostgreSQL URL stands for, in order.
 * Each host keeps its own port (5432 when it has none). Returns the URL unchanged
 * when it names one host.
 */
export function splitHosts(url: string): string[] {
  const match = MULTI_HOST_URL.exec(url);
  if (!match) return [url];
  const [, scheme, userInfo = '', hosts, rest] = match;
  if (!hosts.includes(',')) return [url];
  return hosts.split(',').map((host) => `${scheme}${userInfo}${host.trim()}${rest}`);
}
