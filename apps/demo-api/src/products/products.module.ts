import { Module } from '@nestjs/common';
import { DemoSchemaService } from './demo-schema.service';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

@Module({
  controllers: [ProductsController],
  providers: [DemoSchemaService, ProductsService],
})
export class ProductsModule {}
