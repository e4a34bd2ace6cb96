import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DbOptimizerService } from '@db-optimizer/core';
import { DEMO_CONFIG, DemoConfig } from '../config/demo-config';
import { SCHEMA_STATEMENTS } from './schema.sql';
import { SEED_BATCH_SQL } from './seed.sql';

// A few batches, so the log shows progress, each small enough to commit in a few seconds.
const SEED_BATCHES = 10;
const MAX_SEED_BATCH = 25_000;

/**
 * Creates the leads schema when missing and seeds it up to `DEMO_SEED_LEADS`
 * leads on start, before the app takes traffic. Each batch commits with the
 * count reached, so a restart resumes instead of starting over, and several
 * instances starting at once seed once (advisory lock).
 */
@Injectable()
export class DemoSchemaService implements OnModuleInit {
  private readonly logger = new Logger(DemoSchemaService.name);

  constructor(
    private readonly db: DbOptimizerService,
    @Inject(DEMO_CONFIG) private readonly config: DemoConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const schema = await this.db.executeTransactionOptimized(SCHEMA_STATEMENTS);
    const seededToken = await this.seed();
    // Replicas serve the reads: let them replay the schema and the seed before traffic arrives.
    const token = seededToken ?? schema.metadata.consistencyToken;
    if (token) await this.db.waitForReplicas(token, 60_000);
    this.logger.log('Demo schema ready (agents, leads, activities, deals).');
  }

  /** Returns the consistency token of the last batch, or undefined when nothing was left to seed. */
  private async seed(): Promise<string | undefined> {
    const target = this.config.seedLeads;
    const batchSize = Math.min(MAX_SEED_BATCH, Math.max(1_000, Math.ceil(target / SEED_BATCHES)));
    const startedAt = Date.now();
    let token: string | undefined;
    for (;;) {
      const { result, metadata } = await this.db.executeTransactionOptimized(
        async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock(7310015)');
          const { rows } = await tx.query<{ seeded_leads: number }>('SELECT seeded_leads FROM demo_seed WHERE id = 1');
          const from = rows[0].seeded_leads;
          const to = Math.min(target, from + batchSize);
          if (to <= from) return { from, to: from };
          await tx.query(SEED_BATCH_SQL, [from, to]);
          await tx.query('UPDATE demo_seed SET seeded_leads = $1 WHERE id = 1', [to]);
          return { from, to };
        },
        { timeoutMs: 120_000 },
      );
      if (result.to <= result.from) break;
      token = metadata.consistencyToken;
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
      this.logger.log(`Seeding leads: ${result.to}/${target} (${Math.round((100 * result.to) / target)}%) after ${seconds} s`);
    }
    if (token === undefined) return undefined;
    // Fresh statistics, so the first plans (and the index advice) see the real row counts.
    // (In a transaction: maintenance, not a statement for the slow-query log and the index advice.)
    const analyzed = await this.db.executeTransactionOptimized([['ANALYZE agents, leads, activities, deals']], { timeoutMs: 120_000 });
    return analyzed.metadata.consistencyToken ?? token;
  }
}
