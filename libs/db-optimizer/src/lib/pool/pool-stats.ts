import type { PoolRole } from '../core/pool-role';
import type { CircuitState } from './circuit-breaker';

/** Pool counters, pg-pool's vocabulary plus acquisition timing. */
export interface PoolStats {
  name: string;
  role: PoolRole;
  server: string;
  total: number;
  idle: number;
  waiting: number;
  /** Current limit (auto-sizing moves it between min and max). */
  limit: number;
  min: number;
  max: number;
  acquisitions: number;
  acquisitionP50Ms: number;
  acquisitionP99Ms: number;
  /** Clients closed because they came back above the limit, inside a transaction, or holding session state. */
  destroyedOnRelease: number;
  /** The server's circuit breaker: `open` while calls fail at once because it does not answer. */
  circuit: CircuitState;
  /** Since when the server has not answered (ms since epoch), while the breaker is not closed. */
  unreachableSinceMs?: number;
}
