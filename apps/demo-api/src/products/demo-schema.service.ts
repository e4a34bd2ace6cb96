import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DbOptimizerService } from '@db-optimizer/core';

/**
 * Creates the demo tables and a few rows on start (idempotent), in one
 * transaction on the primary, so `npm start` serves data at once.
 */
@Injectable()
export class DemoSchemaService implements OnModuleInit {
  private readonly logger = new Logger(DemoSchemaService.name);

  constructor(private readonly db: DbOptimizerService) {}

  async onModuleInit(): Promise<void> {
    const { metadata } = await this.db.executeTransactionOptimized([
      // Several app instances may start at once: one creates the schema, the others wait.
      ['SELECT pg_advisory_xact_lock(7310001)'],
      ['CREATE TABLE IF NOT EXISTS products (id bigserial PRIMARY KEY, name text NOT NULL, category text NOT NULL, price_cents integer NOT NULL CHECK (price_cents >= 0), updated_at timestamptz NOT NULL DEFAULT now())'],
      ['CREATE INDEX IF NOT EXISTS products_category_idx ON products (category)'],
      [
        'CREATE TABLE IF NOT EXISTS orders (id bigserial PRIMARY KEY, product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE, ' +
          'quantity integer NOT NULL CHECK (quantity > 0), total_cents integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
      ],
      [
        `INSERT INTO products (name, category, price_cents)
         SELECT 'Product ' || g, (ARRAY['books','games','tools','garden'])[1 + g % 4], 100 + (g * 37) % 9900
         FROM generate_series(1, 1000) AS g
         WHERE NOT EXISTS (SELECT 1 FROM products)`,
      ],
    ]);
    // Replicas serve the reads: let them replay the new table before traffic arrives.
    if (metadata.consistencyToken) await this.db.waitForReplicas(metadata.consistencyToken);
    this.logger.log('Demo schema ready (tables products, orders).');
  }
}
