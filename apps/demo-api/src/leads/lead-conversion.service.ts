import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DbOptimizerService, TransactionHandle, TransactionResult } from '@db-optimizer/core';
import { FieldReader } from '../validation/field-reader';
import { LEAD_COLUMNS, Lead } from './lead.interface';

export interface Conversion {
  lead: Lead;
  deal: { id: string; leadId: string; agentId: number | null; amountCents: number; createdAt: string };
  /** Optional steps that failed and were undone (their savepoint), the conversion went on. */
  warnings: string[];
}

interface ConversionRequest {
  amountCents: number;
  agentId?: number;
  note?: string;
}

/**
 * Converting a lead, all or nothing: lock it, optionally hand it to another
 * agent, mark it converted, record the deal and the activity. Handing it over
 * runs in a savepoint: an agent that does not exist undoes that step only,
 * and the lead is converted by its current agent, with a warning.
 */
@Injectable()
export class LeadConversionService {
  constructor(private readonly db: DbOptimizerService) {}

  convert(id: number, body: unknown): Promise<TransactionResult<Conversion>> {
    const request = parseConversion(body);
    return this.db.executeTransactionOptimized<Conversion>((tx) => this.run(tx, id, request), { isolationLevel: 'read_committed' });
  }

  private async run(tx: TransactionHandle, id: number, request: ConversionRequest): Promise<Conversion> {
    const current = await tx.query<{ status: string }>('SELECT status FROM leads WHERE id = $1 FOR UPDATE', [id]);
    if (current.rows.length === 0) throw new NotFoundException(`Lead ${id} does not exist.`);
    const status = current.rows[0].status;
    if (status === 'converted' || status === 'lost') throw new ConflictException(`Lead ${id} is already ${status}: only open leads can be converted.`);
    const warnings: string[] = [];
    if (request.agentId !== undefined) {
      const agentId = request.agentId;
      await tx
        .savepoint((inner) => inner.query('UPDATE leads SET agent_id = $2 WHERE id = $1', [id, agentId]), 'reassign_agent')
        .catch((error: { code?: string; message: string }) => {
          // 23503: no such agent. Anything else is a real failure and ends the transaction.
          if (error.code !== '23503') throw error;
          warnings.push(`Agent ${agentId} does not exist: the lead stays with its current agent.`);
        });
    }
    const lead = await tx.query<Lead>(
      `UPDATE leads SET status = 'converted', converted_at = now(), updated_at = now() WHERE id = $1 RETURNING ${LEAD_COLUMNS}`,
      [id],
    );
    const converted = lead.rows[0];
    const deal = await tx.query<Conversion['deal']>(
      `INSERT INTO deals (lead_id, agent_id, amount_cents) VALUES ($1, $2, $3)
       RETURNING id, lead_id AS "leadId", agent_id AS "agentId", amount_cents AS "amountCents", created_at AS "createdAt"`,
      [id, converted.agentId, request.amountCents],
    );
    await tx.query(`INSERT INTO activities (lead_id, agent_id, kind, notes) VALUES ($1, $2, 'conversion', $3)`, [id, converted.agentId, request.note ?? null]);
    return { lead: converted, deal: deal.rows[0], warnings };
  }
}

function parseConversion(body: unknown): ConversionRequest {
  const reader = FieldReader.fromBody(body).onlyKnown(['amountCents', 'agentId', 'note']);
  const agentId = reader.optionalInteger('agentId', { min: 1, max: 2_147_483_647 });
  const note = reader.optionalString('note', { maxLength: 2000 });
  return {
    amountCents: reader.integer('amountCents', { min: 0, max: 2_000_000_000 }),
    ...(agentId !== undefined && { agentId }),
    ...(note !== undefined && { note }),
  };
}
