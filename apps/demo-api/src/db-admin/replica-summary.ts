import type { ReplicaHealthService } from '@db-optimizer/core';

export interface ReplicaSummary {
  name: string;
  server: string;
  usable: boolean;
  lagBytes: number | null;
  lagMs: number | null;
  lagExcluded: boolean;
  /** Why it gets no reads, while banned. */
  banReason: string | null;
}

/** Each replica as JSON can carry it (the state holds a pool and bigints). */
export function replicaSummaries(replicas: ReplicaHealthService): ReplicaSummary[] {
  return replicas.replicas.map((state) => ({
    name: state.name,
    server: state.pool.server,
    usable: state.usable,
    lagBytes: state.lagBytes,
    lagMs: state.lagMs,
    lagExcluded: state.lagExcluded,
    banReason: state.ban?.reason ?? null,
  }));
}
