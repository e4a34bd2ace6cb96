import { INVALID_OPTION } from '../core/errors/messages';
import { redactUrl } from '../core/redact-url';

/**
 * One Redis server address.
 * @publicApi
 */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** Credentials and TLS shared by every node of a deployment. */
interface RedisAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

/** Where the result cache's Redis is, whatever form the options gave it in. */
export type RedisTarget =
  | (RedisAuth & { kind: 'standalone'; host: string; port: number; db: number })
  | (RedisAuth & { kind: 'cluster'; nodes: RedisNodeAddress[] })
  | (RedisAuth & { kind: 'sentinel'; sentinels: RedisNodeAddress[]; name: string; db: number });

const SCHEMES: Record<string, { kind: RedisTarget['kind']; tls: boolean }> = {
  'redis:': { kind: 'standalone', tls: false },
  'rediss:': { kind: 'standalone', tls: true },
  'redis+cluster:': { kind: 'cluster', tls: false },
  'rediss+cluster:': { kind: 'cluster', tls: true },
  'redis+sentinel:': { kind: 'sentinel', tls: false },
  'rediss+sentinel:': { kind: 'sentinel', tls: true },
};

const FORMS =
  'use redis://[user:password@]host:port/db (rediss:// for TLS), redis+cluster://[user:password@]host1:port1,host2:port2 ' +
  'or redis+sentinel://[user:password@]sentinel1:port1,sentinel2:port2/masterName[/db]';

/** URL schemes `parseRedisTarget` accepts, for other validators (environment variables). */
export const REDIS_URL_SCHEMES: readonly string[] = Object.keys(SCHEMES);

/**
 * Reads a Redis URL in one of three forms. The cluster and sentinel forms list several
 * `host:port` separated by commas, which `new URL()` cannot parse, hence the hand parser.
 * Credentials are for the data nodes (sentinels are asked without a password).
 *
 * @example
 * parseRedisTarget('redis+cluster://10.0.0.1:7000,10.0.0.2:7000'); // { kind: 'cluster', nodes: [...] }
 * parseRedisTarget('redis+sentinel://s1:26379,s2:26379/mymaster/2'); // { kind: 'sentinel', name: 'mymaster', db: 2, ... }
 */
export function parseRedisTarget(url: string): RedisTarget {
  const match = /^([a-z+]+:)\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?$/i.exec(url);
  const scheme = match ? SCHEMES[match[1].toLowerCase()] : undefined;
  if (!match || !scheme) throw new Error(INVALID_OPTION('redisUrl', `"${redactUrl(url)}" is not a Redis URL; ${FORMS}`));
  const [, , credentials, hostList, path = ''] = match;
  const auth = { ...parseCredentials(credentials), tls: scheme.tls };
  const hosts = hostList.split(',').map((item) => parseHostPort(item.trim(), scheme.kind === 'sentinel' ? 26379 : 6379, url));
  const segments = path.split('/').filter((segment) => segment.length > 0);
  switch (scheme.kind) {
    case 'standalone':
      if (hosts.length !== 1 || segments.length > 1) throw badUrl(url, 'names one host:port and at most one database number');
      return { kind: 'standalone', ...hosts[0], db: databaseOf(segments[0], url), ...auth };
    case 'cluster':
      // A Redis Cluster has database 0 only.
      if (segments.length > 0 && !(segments.length === 1 && segments[0] === '0')) throw badUrl(url, 'must not name a database (a Redis Cluster has only database 0)');
      return { kind: 'cluster', nodes: hosts, ...auth };
    case 'sentinel':
      if (segments.length < 1 || segments.length > 2) throw badUrl(url, "must name the master after the sentinels, e.g. .../mymaster or .../mymaster/0");
      return { kind: 'sentinel', sentinels: hosts, name: decodeURIComponent(segments[0]), db: databaseOf(segments[1], url), ...auth };
    default: {
      const never: never = scheme.kind;
      throw new Error(String(never));
    }
  }
}

/** The URL form of a cluster given as nodes (`{ host, port }` or `'host:port'`). */
export function clusterUrl(nodes: ReadonlyArray<RedisNodeAddress | string>, auth: { username?: string; password?: string } = {}): string {
  return `redis+cluster://${credentialsPart(auth)}${nodes.map(hostPortText).join(',')}`;
}

/** The URL form of a Sentinel deployment. */
export function sentinelUrl(
  sentinels: ReadonlyArray<RedisNodeAddress | string>,
  name: string,
  extra: { username?: string; password?: string; db?: number } = {},
): string {
  return `redis+sentinel://${credentialsPart(extra)}${sentinels.map(hostPortText).join(',')}/${encodeURIComponent(name)}/${extra.db ?? 0}`;
}

function hostPortText(node: RedisNodeAddress | string): string {
  return typeof node === 'string' ? node : `${node.host}:${node.port}`;
}

function credentialsPart(auth: { username?: string; password?: string }): string {
  if (auth.username === undefined && auth.password === undefined) return '';
  return `${encodeURIComponent(auth.username ?? '')}:${encodeURIComponent(auth.password ?? '')}@`;
}

function parseCredentials(text: string | undefined): { username?: string; password?: string } {
  if (text === undefined || text.length === 0) return {};
  const colon = text.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? text : text.slice(0, colon));
  const password = colon < 0 ? undefined : decodeURIComponent(text.slice(colon + 1));
  return { username: username.length > 0 ? username : undefined, password: password || undefined };
}

function parseHostPort(text: string, defaultPort: number, url: string): RedisNodeAddress {
  const match = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(text);
  if (!match) throw badUrl(url, `has "${text}" where a host:port belongs`);
  const host = match[1].replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badUrl(url, `has port "${match[2]}", which is not a TCP port`);
  return { host, port };
}

function databaseOf(text: string | undefined, url: string): number {
  if (text === undefined) return 0;
  const db = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(db)) throw badUrl(url, `names database "${text}", which is not a number`);
  return db;
}

function badUrl(url: string, problem: string): Error {
  return new Error(INVALID_OPTION('redisUrl', `"${redactUrl(url)}" ${problem}; ${FORMS}`));
}
