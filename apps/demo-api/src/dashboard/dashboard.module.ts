import { Module } from '@nestjs/common';
import { DbAdminModule } from '../db-admin/db-admin.module';
import { DashboardSamplerService } from './dashboard-sampler.service';
import { DashboardController } from './dashboard.controller';

@Module({
  imports: [DbAdminModule],
  controllers: [DashboardController],
  providers: [DashboardSamplerService],
})
export class DashboardModule {}
