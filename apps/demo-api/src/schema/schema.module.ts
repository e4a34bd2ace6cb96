import { Module } from '@nestjs/common';
import { DemoSchemaService } from './demo-schema.service';

@Module({ providers: [DemoSchemaService] })
export class SchemaModule {}
