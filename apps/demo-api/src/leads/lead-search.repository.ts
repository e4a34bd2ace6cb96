import { Injectable } from '@nestjs/common';
import { DbOptimizerService, QueryMetadata, QueryOptions } from '@db-optimizer/core';
import { LEAD_COLUMNS, Lead } from './lead.interface';
import type { LeadSearch, SearchSort } from './lead-search.interface';

export interface LeadSearchPage {
  rows: Lead[];
  page: number;
  pageSize: number;
  hasMore: boolean;
  metadata: QueryMetadata;
}

const ORDER_BY: Record<SearchSort, string> = {
  newest: 'created_at DESC, id DESC',
  oldest: 'created_at ASC, id ASC',
  budget_desc: 'budget_cents DESC NULLS LAST, id DESC',
  budget_asc: 'budget_cents ASC NULLS LAST, id ASC',
};

/**
 * The SQL of a search: only the filters given, values as parameters, one row
 * more than the page to tell whether another page follows (no count(*) over
 * the whole table). Exported for `/db/explain`, which explains the app's own
 * statements.
 */
export function buildLeadSearch(search: LeadSearch): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (search.status) add((p) => `status = ${p}`, search.status);
  if (search.source) add((p) => `source = ${p}`, search.source);
  if (search.city) add((p) => `city = ${p}`, search.city);
  if (search.propertyType) add((p) => `property_type = ${p}`, search.propertyType);
  if (search.agentId !== undefined) add((p) => `agent_id = ${p}`, search.agentId);
  if (search.minBudgetCents !== undefined) add((p) => `budget_cents >= ${p}`, search.minBudgetCents);
  if (search.maxBudgetCents !== undefined) add((p) => `budget_cents <= ${p}`, search.maxBudgetCents);
  if (search.phone) add((p) => `phone = ${p}`, search.phone);
  if (search.q) add((p) => `full_name ILIKE ${p}`, `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  params.push(search.pageSize + 1, (search.page - 1) * search.pageSize);
  const sql =
    `SELECT ${LEAD_COLUMNS} FROM leads` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${ORDER_BY[search.sort]} LIMIT $${params.length - 1} OFFSET $${params.length}`;
  return { sql, params };
}

/**
 * Lead search, the one sub-feature whose queries live here alone: it can move
 * to a query builder on the library's routing pool without touching the rest.
 */
@Injectable()
export class LeadSearchRepository {
  constructor(private readonly db: DbOptimizerService) {}

  async search(search: LeadSearch, consistency: QueryOptions): Promise<LeadSearchPage> {
    const { sql, params } = buildLeadSearch(search);
    const { rows, metadata } = await this.db.executeOptimizedQuery<Lead>(sql, params, consistency);
    return { rows: rows.slice(0, search.pageSize), page: search.page, pageSize: search.pageSize, hasMore: rows.length > search.pageSize, metadata };
  }
}
