import { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '@nestjs/common';
import { safeLabelValue } from './label-value';
import { METRIC_NAMES } from './metrics.constants';
import { STATE_PROVIDER_FAILED } from './metrics.messages';
import type { MetricsStateProvider, ReplicaState } from './metrics-state-provider.interface';

/** A finite, non-negative number, or undefined: a bad reading is left out rather than published. */
const reading = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * Registers the series that mirror state owned elsewhere (pool sizes, replica
 * lag and bans, prepared-statement totals). Each is rebuilt from the provider
 * on scrape: nothing is pushed on the query path, and a pool or replica that
 * disappears disappears from the output. A failing provider costs its own
 * series for that scrape, never the whole scrape.
 */
export function registerStateCollectors(
  registry: Registry,
  provider: () => MetricsStateProvider | undefined,
  logger: Logger,
): void {
  const read = <T>(what: string, fn: (p: MetricsStateProvider) => T): T | undefined => {
    const current = provider();
    if (current === undefined) return undefined;
    try {
      return fn(current);
    } catch (error) {
      logger.warn(STATE_PROVIDER_FAILED(what, error instanceof Error ? error.message : String(error)));
      return undefined;
    }
  };

  new Gauge({
    name: METRIC_NAMES.poolConnections,
    help: 'Connections of each pool, by state (total, idle, waiting clients, max).',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const pool of read('pools', (p) => p.pools()) ?? []) {
        const name = safeLabelValue(pool.name);
        for (const state of ['total', 'idle', 'waiting', 'max'] as const) {
          const value = reading(pool[state]);
          if (value !== undefined) this.set({ pool: name, state }, value);
        }
      }
    },
  });

  const replicaGauge = (name: string, help: string, value: (replica: ReplicaState) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['replica'],
      registers: [registry],
      collect() {
        this.reset();
        for (const replica of read('replicas', (p) => p.replicas()) ?? []) {
          const v = reading(value(replica));
          if (v !== undefined) this.set({ replica: safeLabelValue(replica.name) }, v);
        }
      },
    });
  replicaGauge(
    METRIC_NAMES.replicaLagBytes,
    'WAL bytes each replica is behind the primary (absent when unknown).',
    (r) => r.lagBytes,
  );
  replicaGauge(
    METRIC_NAMES.replicaLagSeconds,
    'Replay lag of each replica, in seconds (absent when unknown).',
    (r) => (r.lagMs === null ? null : r.lagMs / 1000),
  );
  replicaGauge(METRIC_NAMES.replicaBanned, '1 while the replica is banned from reads, else 0.', (r) => (r.banned ? 1 : 0));

  new Counter({
    name: METRIC_NAMES.preparedStatements,
    help: 'Prepared-statement cache events, summed over connections.',
    labelNames: ['event'],
    registers: [registry],
    collect() {
      this.reset();
      const totals = read('statementCache', (p) => p.statementCache());
      if (totals === undefined) return;
      const events = {
        hit: totals.hits,
        miss: totals.misses,
        prepare: totals.preparations,
        evict: totals.evictions,
        reprepare: totals.reprepares,
      };
      for (const [event, raw] of Object.entries(events)) {
        const value = reading(raw);
        if (value !== undefined) this.inc({ event }, value);
      }
    },
  });

  new Counter({
    name: METRIC_NAMES.sharedReads,
    help: 'Reads that shared connections (multiplexReads): the reads, the checkouts they used, the socket writes they left in; kept_apart: reads on a connection of their own, their statement not measured short.',
    labelNames: ['event'],
    registers: [registry],
    collect() {
      this.reset();
      const shared = read('sharedReads', (p) => p.sharedReads?.());
      if (shared === undefined) return;
      const events = { read: shared.sharedReads, checkout: shared.checkouts, socket_write: shared.socketWrites, kept_apart: shared.keptApart };
      for (const [event, raw] of Object.entries(events)) {
        const value = reading(raw);
        if (value !== undefined) this.inc({ event }, value);
      }
    },
  });
}
