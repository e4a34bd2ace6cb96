import type { ACTIVITY_KINDS, LEAD_SOURCES, LEAD_STATUSES, PROPERTY_TYPES } from '../schema/schema.sql';

export type LeadStatus = (typeof LEAD_STATUSES)[number];
export type LeadSource = (typeof LEAD_SOURCES)[number];
export type PropertyType = (typeof PROPERTY_TYPES)[number];
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** A lead as the API returns it (ids of bigint columns arrive from pg as strings). */
export interface Lead {
  id: string;
  agentId: number | null;
  fullName: string;
  email: string;
  phone: string | null;
  status: LeadStatus;
  source: LeadSource;
  city: string;
  propertyType: PropertyType;
  budgetCents: number | null;
  bedrooms: number | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  convertedAt: string | null;
}

/** What a client may set on a lead; `status` `converted` only comes from converting it. */
export interface LeadInput {
  agentId?: number;
  fullName: string;
  email: string;
  phone?: string;
  status?: Exclude<LeadStatus, 'converted'>;
  source: LeadSource;
  city: string;
  propertyType: PropertyType;
  budgetCents?: number;
  bedrooms?: number;
  notes?: string;
}

export type LeadPatch = Partial<LeadInput>;

export interface Activity {
  id: string;
  leadId: string;
  agentId: number | null;
  kind: ActivityKind;
  notes: string | null;
  createdAt: string;
}

/** Every column of a lead, named as the API names it: one list, so all queries return the same shape. */
export const LEAD_COLUMNS = `id, agent_id AS "agentId", full_name AS "fullName", email, phone, status, source, city,
  property_type AS "propertyType", budget_cents AS "budgetCents", bedrooms, notes,
  created_at AS "createdAt", updated_at AS "updatedAt", converted_at AS "convertedAt"`;

export const ACTIVITY_COLUMNS = 'id, lead_id AS "leadId", agent_id AS "agentId", kind, notes, created_at AS "createdAt"';
