import type { PoolConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { ManagedPoolConfig } from './managed-pool-config';
import type { PgPoolConfig } from '../options/db-optimizer-options.interface';

/** pg-pool's settings for one managed pool: the module's defaults, the URL, then the user's `poolConfig`, then the sizes and timeouts the module owns. */
export function pgPoolConfig(config: ManagedPoolConfig): PoolConfig {
  return {
    application_name: config.applicationName,
    statement_timeout: config.statementTimeoutMs > 0 ? config.statementTimeoutMs : undefined,
    ...(config.ssl !== undefined && { ssl: config.ssl }),
    // After the defaults: the URL's own settings (sslmode, application_name) win, as in pg.
    ...connectionTarget(config.url, config.poolConfig),
    ...config.poolConfig,
    max: config.max,
    min: config.min,
    idleTimeoutMillis: config.idleTimeoutMs,
    maxUses: config.maxUses > 0 ? config.maxUses : undefined,
    // pg waits forever by default; this bounds both the queue wait and the connect.
    connectionTimeoutMillis: config.acquireTimeoutMs,
  };
}

/**
 * Where to connect. pg lets a `connectionString` override the config's own fields (an
 * absent password becomes ''), so when `poolConfig` brings a password (a function for IAM
 * tokens) the URL is parsed here and the password left to `poolConfig`.
 */
function connectionTarget(url: string, poolConfig: PgPoolConfig | undefined): PoolConfig {
  if (poolConfig?.password === undefined) return { connectionString: url };
  const { password: _fromUrl, ...target } = parseIntoClientConfig(url);
  return target;
}
