import { Body, Controller, Get, Headers, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { OptimizedQueryResult } from '@db-optimizer/core';
import { consistencyFromHeaders } from './consistency-headers';
import { CreateProductBody, Product } from './product.interface';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get(':id')
  async findOne(@Param('id', ParseIntPipe) id: number, @Headers() headers: Record<string, string>) {
    return present(await this.products.findOne(id, consistencyFromHeaders(headers)));
  }

  @Get()
  async findByCategory(@Query('category') category = 'books', @Headers() headers: Record<string, string>) {
    return present(await this.products.findByCategory(category, consistencyFromHeaders(headers)));
  }

  @Post()
  async create(@Body() body: CreateProductBody, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) response: Response) {
    return withToken(response, await this.products.create(body ?? {}, consistencyFromHeaders(headers)));
  }

  @Patch(':id')
  async updatePrice(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: { priceCents?: unknown },
    @Headers() headers: Record<string, string>,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withToken(response, await this.products.updatePrice(id, body?.priceCents, consistencyFromHeaders(headers)));
  }
}

function present(result: OptimizedQueryResult<Product>) {
  return { data: result.rows, metadata: result.metadata };
}

/** The write's token goes back in a header so the client can send it with its next read. */
function withToken(response: Response, result: OptimizedQueryResult<Product>) {
  if (result.metadata.consistencyToken) response.setHeader('x-consistency-token', result.metadata.consistencyToken);
  return present(result);
}
