import { Injectable } from '@nestjs/common';
import { DbOptimizerService, SqlStatement } from '@db-optimizer/core';
import { invalidField } from '../validation/invalid-field';
import { parseLeadInput } from './lead-input';
import type { LeadInput } from './lead.interface';

export const MAX_IMPORT_LEADS = 1000;
// Rows per INSERT: one statement per chunk keeps each under PostgreSQL's parameter limit and the batch short.
const ROWS_PER_STATEMENT = 200;

/** One INSERT of many rows: each column travels as one array parameter, unnested server-side. */
export const IMPORT_CHUNK_SQL = `
INSERT INTO leads (agent_id, full_name, email, phone, status, source, city, property_type, budget_cents, bedrooms, notes)
SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::smallint[], $11::text[])
RETURNING id`;

/**
 * Batch import: every row validated first (a 400 names `leads[i].field`),
 * then all chunks in one atomic `executeBatchOptimized` call, so an import
 * lands whole or not at all (a duplicate email anywhere → 409, nothing saved).
 */
@Injectable()
export class LeadImportService {
  constructor(private readonly db: DbOptimizerService) {}

  async import(body: unknown): Promise<{ ids: string[]; statements: number; consistencyToken?: string }> {
    const leads = parseImport(body);
    const statements: SqlStatement[] = [];
    for (let start = 0; start < leads.length; start += ROWS_PER_STATEMENT) {
      statements.push([IMPORT_CHUNK_SQL, columnsOf(leads.slice(start, start + ROWS_PER_STATEMENT))]);
    }
    const results = await this.db.executeBatchOptimized<{ id: string }>(statements, { atomic: true });
    const consistencyToken = results.map((result) => result.metadata.consistencyToken).find((token) => token !== undefined);
    return { ids: results.flatMap((result) => result.rows.map((row) => row.id)), statements: statements.length, ...(consistencyToken && { consistencyToken }) };
  }
}

function parseImport(body: unknown): LeadInput[] {
  const leads = (body as { leads?: unknown } | null)?.leads;
  if (!Array.isArray(leads) || leads.length === 0 || leads.length > MAX_IMPORT_LEADS) {
    throw invalidField('leads', `an array of 1 to ${MAX_IMPORT_LEADS} leads`, Array.isArray(leads) ? `${leads.length} leads` : leads);
  }
  return leads.map((lead, index) => parseLeadInput(lead, `leads[${index}]`));
}

function columnsOf(leads: LeadInput[]): unknown[] {
  return [
    leads.map((lead) => lead.agentId ?? null),
    leads.map((lead) => lead.fullName),
    leads.map((lead) => lead.email),
    leads.map((lead) => lead.phone ?? null),
    leads.map((lead) => lead.status ?? 'new'),
    leads.map((lead) => lead.source),
    leads.map((lead) => lead.city),
    leads.map((lead) => lead.propertyType),
    leads.map((lead) => lead.budgetCents ?? null),
    leads.map((lead) => lead.bedrooms ?? null),
    leads.map((lead) => lead.notes ?? null),
  ];
}
