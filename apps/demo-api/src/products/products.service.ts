import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DbOptimizerService, OptimizedQueryResult } from '@db-optimizer/core';
import { CreateProductBody, Product } from './product.interface';

/**
 * Reads go to a replica (or the cache), writes to the primary; the caller's session reads its own
 * writes (ReadYourWritesInterceptor applies the request's session key and token: no plumbing here).
 */
@Injectable()
export class ProductsService {
  constructor(private readonly db: DbOptimizerService) {}

  async findOne(id: number): Promise<OptimizedQueryResult<Product>> {
    const result = await this.db.executeOptimizedQuery<Product>(
      'SELECT id, name, category, price_cents, updated_at FROM products WHERE id = $1',
      [id]
    );
    if (result.rows.length === 0) throw new NotFoundException(`Product ${id} does not exist.`);
    return result;
  }

  findByCategory(category: string): Promise<OptimizedQueryResult<Product>> {
    return this.db.executeOptimizedQuery<Product>(
      'SELECT id, name, category, price_cents, updated_at FROM products WHERE category = $1 ORDER BY id LIMIT 100',
      [category]
    );
  }

  create(body: CreateProductBody): Promise<OptimizedQueryResult<Product>> {
    const { name, category, priceCents } = body;
    if (typeof name !== 'string' || name.length === 0) throw new BadRequestException('name must be a non-empty string.');
    if (typeof category !== 'string' || category.length === 0) throw new BadRequestException('category must be a non-empty string.');
    if (!Number.isInteger(priceCents) || (priceCents as number) < 0) throw new BadRequestException('priceCents must be a whole number ≥ 0.');
    return this.db.executeOptimizedQuery<Product>(
      'INSERT INTO products (name, category, price_cents) VALUES ($1, $2, $3) RETURNING id, name, category, price_cents, updated_at',
      [name, category, priceCents]
    );
  }

  async updatePrice(id: number, priceCents: unknown): Promise<OptimizedQueryResult<Product>> {
    if (!Number.isInteger(priceCents) || (priceCents as number) < 0) throw new BadRequestException('priceCents must be a whole number ≥ 0.');
    const result = await this.db.executeOptimizedQuery<Product>(
      'UPDATE products SET price_cents = $2, updated_at = now() WHERE id = $1 RETURNING id, name, category, price_cents, updated_at',
      [id, priceCents]
    );
    if (result.rows.length === 0) throw new NotFoundException(`Product ${id} does not exist.`);
    return result;
  }
}
