import type { LeadSource, LeadStatus, PropertyType } from './lead.interface';

/**
 * The `leads` table as Kysely sees it: only what the search reads. Types are those of
 * the rows pg hands back (bigint ids as strings); timestamps are typed as the API's
 * `Lead` types them, since they leave the app as JSON.
 */
export interface LeadsTable {
  id: string;
  agent_id: number | null;
  full_name: string;
  email: string;
  phone: string | null;
  status: LeadStatus;
  source: LeadSource;
  city: string;
  property_type: PropertyType;
  budget_cents: number | null;
  bedrooms: number | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  converted_at: string | null;
}

export interface LeadSearchDatabase {
  leads: LeadsTable;
}
