/**
 * What the routing and execution layers report about faults. Declared here,
 * below metrics, so those layers never import the metrics folder;
 * MetricsService implements it.
 */
export interface FaultMetricsSink {
  /** A read served by a replica while the primary was unreachable (metadata.degraded). */
  recordDegradedRead(): void;
}
