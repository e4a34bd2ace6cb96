import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import type { OptimizedQueryResult } from '@db-optimizer/core';
import { CreateProductBody, Product } from './product.interface';
import { ProductsService } from './products.service';

/** Read-your-writes comes from ReadYourWritesInterceptor (x-session-key, x-consistency-token): nothing to pass by hand. */
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get(':id')
  async findOne(@Param('id', ParseIntPipe) id: number) {
    return present(await this.products.findOne(id));
  }

  @Get()
  async findByCategory(@Query('category') category = 'books') {
    return present(await this.products.findByCategory(category));
  }

  @Post()
  async create(@Body() body: CreateProductBody) {
    return present(await this.products.create(body ?? {}));
  }

  @Patch(':id')
  async updatePrice(@Param('id', ParseIntPipe) id: number, @Body() body: { priceCents?: unknown }) {
    return present(await this.products.updatePrice(id, body?.priceCents));
  }
}

function present(result: OptimizedQueryResult<Product>) {
  return { data: result.rows, metadata: result.metadata };
}
