import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { OrdersService } from './orders.service';

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('products/:id/orders')
  async place(@Param('id', ParseIntPipe) id: number, @Body() body: { quantity?: unknown }) {
    const { result, metadata } = await this.orders.place(id, body?.quantity);
    return { data: result, metadata };
  }

  /** GET /basket?ids=1,2,3 */
  @Get('basket')
  basket(@Query('ids') ids = '') {
    const productIds = ids.split(',').filter(Boolean).map(Number);
    if (productIds.length === 0 || productIds.length > 50 || productIds.some((id) => !Number.isInteger(id) || id <= 0)) {
      throw new BadRequestException('ids must be 1 to 50 comma-separated product ids, e.g. ?ids=1,2,3');
    }
    return this.orders.summary(productIds);
  }
}
