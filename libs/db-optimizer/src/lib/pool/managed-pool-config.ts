import type { ConnectionOptions } from 'node:tls';
import type { PoolRole } from '../core/pool-role';
import type { CircuitBreakerSettings } from './circuit-breaker';
import type { PgPoolConfig } from '../options/db-optimizer-options.interface';

/** Everything one pool needs to open connections. */
export interface ManagedPoolConfig {
  role: PoolRole;
  /** Unique name, e.g. `primary`, `read_replica[0]`, `analytics`. */
  name: string;
  url: string;
  min: number;
  max: number;
  acquireTimeoutMs: number;
  idleTimeoutMs: number;
  /** Checkouts a connection serves before pg closes it; 0: no limit. */
  maxUses: number;
  statementTimeoutMs: number;
  ssl?: boolean | ConnectionOptions;
  applicationName: string;
  breaker: CircuitBreakerSettings;
  /** pg settings passed through (`poolConfig`), over `ssl` and `applicationName`. */
  poolConfig?: PgPoolConfig;
}
