/*
 * Messages of the metrics folder, as sentences that name the misuse and the fix.
 * Candidates for errors/messages.ts once the folders are merged.
 */

export const INVALID_METRICS_OPTION = (option: string, value: unknown, expected: string): string =>
  `MetricsService option ${option}=${String(value)} is invalid: expected ${expected}.`;

export const SLOW_QUERY_LISTENER_FAILED = (reason: string): string =>
  `A slow-query listener failed (${reason}); the query itself was not affected. Catch errors inside onSlowQuery() listeners.`;

export const STATE_PROVIDER_FAILED = (what: string, reason: string): string =>
  `The metrics state provider failed to report ${what} (${reason}); those series are left out of this scrape.`;

export const INVALID_HISTOGRAM_BUCKETS = (metric: string): string =>
  `Histogram ${metric} needs finite, positive, strictly ascending bucket bounds (in seconds); pass e.g. [0.001, 0.01, 0.1, 1].`;

export const FLEET_PUBLISH_FAILED = (reason: string): string =>
  `Fleet metrics could not reach Redis (${reason}); getFleetMetrics() shows only the instances it can read, ` +
  'this one always. Publishing resumes by itself when Redis answers; check redisUrl / redisCluster / redisSentinel if it does not.';

export const REGISTRY_TAKEN = (reason: string): string =>
  `The prometheusRegistry given already holds the module's metrics (${reason}): give each module instance its own registry, ` +
  'or leave prometheusRegistry unset.';
