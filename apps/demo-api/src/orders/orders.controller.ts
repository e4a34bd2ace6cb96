import { BadRequestException, Body, Controller, Get, Headers, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { consistencyFromHeaders } from '../products/consistency-headers';
import { OrdersService } from './orders.service';

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('products/:id/orders')
  async place(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: { quantity?: unknown },
    @Headers() headers: Record<string, string>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { result, metadata } = await this.orders.place(id, body?.quantity, consistencyFromHeaders(headers));
    if (metadata.consistencyToken) response.setHeader('x-consistency-token', metadata.consistencyToken);
    return { data: result, metadata };
  }

  /** GET /basket?ids=1,2,3 */
  @Get('basket')
  basket(@Query('ids') ids = '', @Headers() headers: Record<string, string>) {
    const productIds = ids.split(',').filter(Boolean).map(Number);
    if (productIds.length === 0 || productIds.length > 50 || productIds.some((id) => !Number.isInteger(id) || id <= 0)) {
      throw new BadRequestException('ids must be 1 to 50 comma-separated product ids, e.g. ?ids=1,2,3');
    }
    return this.orders.summary(productIds, consistencyFromHeaders(headers));
  }
}
