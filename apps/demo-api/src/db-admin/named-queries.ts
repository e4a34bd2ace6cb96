import { AGENT_LEADERBOARD_SQL, AGENT_STATUS_SQL } from '../agents/agent-stats.repository';
import { buildLeadSearch } from '../leads/lead-search.repository';
import { LEAD_ACTIVITIES_SQL, LEAD_BY_ID_SQL } from '../leads/leads.repository';

export interface NamedQuery {
  description: string;
  sql: string;
  params: unknown[];
}

const PAGE = { sort: 'newest', page: 1, pageSize: 20 } as const;

/**
 * The statements `/db/explain/:name` may explain: the app's own, with sample
 * values. A request picks one by name and never sends SQL, because EXPLAIN
 * ANALYZE runs what it explains.
 */
export const NAMED_QUERIES: Readonly<Record<string, NamedQuery>> = {
  'lead-by-id': { description: 'One lead by primary key.', sql: LEAD_BY_ID_SQL, params: [1] },
  'lead-activities': { description: "A lead's latest activities.", sql: LEAD_ACTIVITIES_SQL, params: [1, 20] },
  'leads-by-city-and-status': {
    description: 'Search: qualified leads in one city, newest first (no index on city).',
    ...buildLeadSearch({ ...PAGE, city: 'Lisbon', status: 'qualified' }),
  },
  'lead-by-phone': { description: 'Search: the lead calling from a number (no index on phone).', ...buildLeadSearch({ ...PAGE, phone: '+351 900523645' }) },
  'leads-by-name': { description: 'Search: name contains a text, any case (a scan).', ...buildLeadSearch({ ...PAGE, q: 'ana' }) },
  'leads-by-source-and-budget': {
    description: 'Search: one source within a budget, biggest first.',
    ...buildLeadSearch({ ...PAGE, sort: 'budget_desc', source: 'referral', minBudgetCents: 50_000_000, maxBudgetCents: 90_000_000 }),
  },
  'agent-leaderboard': { description: 'Agents ranked by converted leads (analytical).', sql: AGENT_LEADERBOARD_SQL, params: [20] },
  'agent-status': { description: "One agent's leads by status (analytical).", sql: AGENT_STATUS_SQL, params: [1] },
};
