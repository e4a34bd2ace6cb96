import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DbOptimizerService, TransactionResult } from '@db-optimizer/core';

export interface PlacedOrder {
  id: string;
  product_id: string;
  quantity: number;
  total_cents: number;
}

/** Orders: a transaction that locks the product row, prices the order and records it, all or nothing. */
@Injectable()
export class OrdersService {
  constructor(private readonly db: DbOptimizerService) {}

  async place(productId: number, quantity: unknown): Promise<TransactionResult<PlacedOrder>> {
    if (!Number.isInteger(quantity) || (quantity as number) <= 0) throw new BadRequestException('quantity must be a whole number > 0.');
    return this.db.executeTransactionOptimized<PlacedOrder>(
      async (tx) => {
        const product = await tx.query<{ price_cents: number }>('SELECT price_cents FROM products WHERE id = $1 FOR UPDATE', [productId]);
        if (product.rows.length === 0) throw new NotFoundException(`Product ${productId} does not exist.`);
        const total = product.rows[0].price_cents * (quantity as number);
        const order = await tx.query<PlacedOrder>(
          'INSERT INTO orders (product_id, quantity, total_cents) VALUES ($1, $2, $3) RETURNING id, product_id, quantity, total_cents',
          [productId, quantity, total],
        );
        await tx.query('UPDATE products SET updated_at = now() WHERE id = $1', [productId]);
        return order.rows[0];
      },
      { isolationLevel: 'read_committed' },
    );
  }

  /** Several products in one call: the reads run in parallel on the replicas, results in input order. */
  async summary(productIds: number[]) {
    const results = await this.db.executeBatchOptimized(
      productIds.map((id) => ['SELECT id, name, price_cents FROM products WHERE id = $1', [id]] as const),
    );
    return results.map((result, index) => ({ productId: productIds[index], product: result.rows[0] ?? null, metadata: result.metadata }));
  }
}
