import { Injectable, NotFoundException } from '@nestjs/common';
import { DbOptimizerService, OptimizedQueryResult, QueryMetadata } from '@db-optimizer/core';

export interface AgentRanking {
  id: number;
  name: string;
  region: string;
  leads: number;
  converted: number;
  conversionRatePct: number | null;
  avgBudgetCents: number | null;
  rank: number;
}

export interface AgentStatusCount {
  status: string;
  leads: number;
  avgBudgetCents: number | null;
}

/** Aggregates, a join and a window function: the classifier sends it to the analytics replica. */
export const AGENT_LEADERBOARD_SQL = `
SELECT a.id, a.name, a.region, count(l.id)::int AS leads,
       (count(l.id) FILTER (WHERE l.status = 'converted'))::int AS converted,
       round(100.0 * count(l.id) FILTER (WHERE l.status = 'converted') / nullif(count(l.id), 0), 1)::float8 AS "conversionRatePct",
       avg(l.budget_cents)::int AS "avgBudgetCents",
       (rank() OVER (ORDER BY count(l.id) FILTER (WHERE l.status = 'converted') DESC))::int AS rank
FROM agents a LEFT JOIN leads l ON l.agent_id = a.id
GROUP BY a.id ORDER BY rank, a.id LIMIT $1`;

export const AGENT_STATUS_SQL = `
SELECT status, count(*)::int AS leads, avg(budget_cents)::int AS "avgBudgetCents"
FROM leads WHERE agent_id = $1 GROUP BY status ORDER BY status`;

export const AGENT_BY_ID_SQL = 'SELECT id, name, email, region FROM agents WHERE id = $1';

/** Per-agent statistics: analytical reads, cached, served by the analytics replica. */
@Injectable()
export class AgentStatsRepository {
  constructor(private readonly db: DbOptimizerService) {}

  list(): Promise<OptimizedQueryResult<{ id: number; name: string; email: string; region: string }>> {
    return this.db.executeOptimizedQuery('SELECT id, name, email, region FROM agents ORDER BY id LIMIT 500', []);
  }

  leaderboard(limit: number): Promise<OptimizedQueryResult<AgentRanking>> {
    return this.db.executeOptimizedQuery<AgentRanking>(AGENT_LEADERBOARD_SQL, [limit]);
  }

  /** The agent and its leads by status, both reads in one batch; a 404 for an unknown agent. */
  async byStatus(agentId: number): Promise<{ agent: Record<string, unknown>; byStatus: AgentStatusCount[]; metadata: QueryMetadata }> {
    const [agent, stats] = await this.db.executeBatchOptimized<Record<string, unknown>>([
      [AGENT_BY_ID_SQL, [agentId]],
      [AGENT_STATUS_SQL, [agentId]],
    ]);
    if (agent.rows.length === 0) throw new NotFoundException(`Agent ${agentId} does not exist.`);
    return { agent: agent.rows[0], byStatus: stats.rows as unknown as AgentStatusCount[], metadata: stats.metadata };
  }
}
