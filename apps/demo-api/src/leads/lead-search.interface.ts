import type { LeadSource, LeadStatus, PropertyType } from './lead.interface';

export const SEARCH_SORTS = ['newest', 'oldest', 'budget_desc', 'budget_asc'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** A lead search as the API accepts it: every filter optional, one page of results. */
export interface LeadSearch {
  status?: LeadStatus;
  source?: LeadSource;
  city?: string;
  propertyType?: PropertyType;
  agentId?: number;
  minBudgetCents?: number;
  maxBudgetCents?: number;
  /** The exact phone number, as stored (a caller-ID lookup). */
  phone?: string;
  /** Part of the name, any case. */
  q?: string;
  sort: SearchSort;
  /** 1-based. */
  page: number;
  pageSize: number;
}
