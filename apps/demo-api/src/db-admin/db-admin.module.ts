import { Module } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';
import { DbAdminController } from './db-admin.controller';

@Module({
  controllers: [DbAdminController],
  providers: [AdminTokenGuard],
  exports: [AdminTokenGuard],
})
export class DbAdminModule {}
