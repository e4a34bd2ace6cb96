import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DummyDriver, Kysely, PostgresAdapter, PostgresDialect, PostgresIntrospector, PostgresQueryCompiler, type SelectQueryBuilder } from 'kysely';
import { DbOptimizerService } from '@db-optimizer/core';
import type { Lead } from './lead.interface';
import type { LeadSearchDatabase } from './lead-search.database';
import type { LeadSearch } from './lead-search.interface';

export interface LeadSearchPage {
  rows: Lead[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

type LeadQuery = SelectQueryBuilder<LeadSearchDatabase, 'leads', Lead>;

/** Every column of a lead, named as the API names it (the same shape as LEAD_COLUMNS). */
const LEAD_SELECTION = [
  'id',
  'agent_id as agentId',
  'full_name as fullName',
  'email',
  'phone',
  'status',
  'source',
  'city',
  'property_type as propertyType',
  'budget_cents as budgetCents',
  'bedrooms',
  'notes',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'converted_at as convertedAt',
] as const;

/** The sort orders; an `id` tie-break keeps pages stable when the first key repeats. */
const ORDER_BY: Record<LeadSearch['sort'], (query: LeadQuery) => LeadQuery> = {
  newest: (query) => query.orderBy('created_at', 'desc').orderBy('id', 'desc'),
  oldest: (query) => query.orderBy('created_at', 'asc').orderBy('id', 'asc'),
  budget_desc: (query) => query.orderBy('budget_cents', (order) => order.desc().nullsLast()).orderBy('id', 'desc'),
  budget_asc: (query) => query.orderBy('budget_cents', (order) => order.asc().nullsLast()).orderBy('id', 'asc'),
};

/**
 * A search as a Kysely query: only the filters given, values as parameters, one row more
 * than the page to tell whether another page follows (no count(*) over the whole table).
 */
function leadSearchQuery(kysely: Kysely<LeadSearchDatabase>, search: LeadSearch): LeadQuery {
  let query: LeadQuery = kysely.selectFrom('leads').select(LEAD_SELECTION);
  if (search.status) query = query.where('status', '=', search.status);
  if (search.source) query = query.where('source', '=', search.source);
  if (search.city) query = query.where('city', '=', search.city);
  if (search.propertyType) query = query.where('property_type', '=', search.propertyType);
  if (search.agentId !== undefined) query = query.where('agent_id', '=', search.agentId);
  if (search.minBudgetCents !== undefined) query = query.where('budget_cents', '>=', search.minBudgetCents);
  if (search.maxBudgetCents !== undefined) query = query.where('budget_cents', '<=', search.maxBudgetCents);
  if (search.phone) query = query.where('phone', '=', search.phone);
  // ILIKE's default escape is the backslash: escape it, % and _ so they match themselves.
  if (search.q) query = query.where('full_name', 'ilike', `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return ORDER_BY[search.sort](query)
    .limit(search.pageSize + 1)
    .offset((search.page - 1) * search.pageSize);
}

// Compiles queries without a connection (Kysely's "compile only" setup): for `/db/explain`.
const compiler = new Kysely<LeadSearchDatabase>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * The SQL of a search, exactly as the repository runs it. Exported for `/db/explain`,
 * which explains the app's own statements.
 */
export function buildLeadSearch(search: LeadSearch): { sql: string; params: unknown[] } {
  const { sql, parameters } = leadSearchQuery(compiler, search).compile();
  return { sql, params: [...parameters] };
}

/**
 * Lead search, through Kysely on the library's routing pool: its reads are routed to a
 * replica, prepared, cached and measured like `executeOptimizedQuery`'s, and read-your-writes
 * comes from the request context (ReadYourWritesInterceptor), with nothing passed here.
 */
@Injectable()
export class LeadSearchRepository implements OnModuleDestroy {
  private readonly kysely: Kysely<LeadSearchDatabase>;

  constructor(db: DbOptimizerService) {
    // A pool view of its own (`createPool`, not the shared `db.pool`): Kysely's destroy() ends the pool it holds.
    this.kysely = new Kysely<LeadSearchDatabase>({ dialect: new PostgresDialect({ pool: db.createPool() }) });
  }

  async search(search: LeadSearch): Promise<LeadSearchPage> {
    const rows = await leadSearchQuery(this.kysely, search).execute();
    return { rows: rows.slice(0, search.pageSize), page: search.page, pageSize: search.pageSize, hasMore: rows.length > search.pageSize };
  }

  async onModuleDestroy(): Promise<void> {
    await this.kysely.destroy();
  }
}
