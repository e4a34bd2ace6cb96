import { Module } from '@nestjs/common';
import { LeadConversionService } from './lead-conversion.service';
import { LeadImportService } from './lead-import.service';
import { LeadSearchRepository } from './lead-search.repository';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';

@Module({
  controllers: [LeadsController],
  providers: [LeadsRepository, LeadSearchRepository, LeadImportService, LeadConversionService],
})
export class LeadsModule {}
