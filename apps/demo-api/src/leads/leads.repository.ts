import { Injectable, NotFoundException } from '@nestjs/common';
import { DbOptimizerService, OptimizedQueryResult } from '@db-optimizer/core';
import { ACTIVITY_COLUMNS, Activity, LEAD_COLUMNS, Lead, LeadInput, LeadPatch } from './lead.interface';

/** The SQL column behind each field a client may set. */
const COLUMN_OF: Record<keyof LeadInput, string> = {
  agentId: 'agent_id',
  fullName: 'full_name',
  email: 'email',
  phone: 'phone',
  status: 'status',
  source: 'source',
  city: 'city',
  propertyType: 'property_type',
  budgetCents: 'budget_cents',
  bedrooms: 'bedrooms',
  notes: 'notes',
};

export const LEAD_BY_ID_SQL = `SELECT ${LEAD_COLUMNS} FROM leads WHERE id = $1`;
export const LEAD_ACTIVITIES_SQL = `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE lead_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`;

/**
 * One lead and its activities, through `executeOptimizedQuery`: reads go to a
 * replica (or the cache) that has seen the caller's writes, writes to the primary.
 */
@Injectable()
export class LeadsRepository {
  constructor(private readonly db: DbOptimizerService) {}

  async findById(id: number): Promise<OptimizedQueryResult<Lead>> {
    return found(await this.db.executeOptimizedQuery<Lead>(LEAD_BY_ID_SQL, [id]), id);
  }

  create(input: LeadInput): Promise<OptimizedQueryResult<Lead>> {
    const fields = Object.keys(input) as Array<keyof LeadInput>;
    return this.db.executeOptimizedQuery<Lead>(
      `INSERT INTO leads (${fields.map((field) => COLUMN_OF[field]).join(', ')})
       VALUES (${fields.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING ${LEAD_COLUMNS}`,
      fields.map((field) => input[field]),
    );
  }

  async update(id: number, patch: LeadPatch): Promise<OptimizedQueryResult<Lead>> {
    const fields = Object.keys(patch) as Array<keyof LeadInput>;
    const result = await this.db.executeOptimizedQuery<Lead>(
      `UPDATE leads SET ${fields.map((field, index) => `${COLUMN_OF[field]} = $${index + 2}`).join(', ')}, updated_at = now()
       WHERE id = $1 RETURNING ${LEAD_COLUMNS}`,
      [id, ...fields.map((field) => patch[field])],
    );
    return found(result, id);
  }

  async remove(id: number): Promise<OptimizedQueryResult<{ id: string }>> {
    return found(await this.db.executeOptimizedQuery<{ id: string }>('DELETE FROM leads WHERE id = $1 RETURNING id', [id]), id);
  }

  /** The lead's latest activities; a 404 when the lead does not exist (both reads in one batch, in parallel). */
  async activities(id: number, limit: number): Promise<OptimizedQueryResult<Activity>> {
    const [lead, activities] = await this.db.executeBatchOptimized<Activity>([
      ['SELECT id FROM leads WHERE id = $1', [id]],
      [LEAD_ACTIVITIES_SQL, [id, limit]],
    ]);
    found(lead, id);
    return activities;
  }

  async addActivity(id: number, kind: string, notes: string | undefined): Promise<OptimizedQueryResult<Activity>> {
    const result = await this.db.executeOptimizedQuery<Activity>(
      `INSERT INTO activities (lead_id, agent_id, kind, notes)
       SELECT id, agent_id, $2, $3 FROM leads WHERE id = $1 RETURNING ${ACTIVITY_COLUMNS}`,
      [id, kind, notes ?? null],
    );
    return found(result, id);
  }
}

function found<T>(result: OptimizedQueryResult<T>, id: number): OptimizedQueryResult<T> {
  if (result.rows.length === 0) throw new NotFoundException(`Lead ${id} does not exist.`);
  return result;
}
