import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ACTIVITY_KINDS } from '../schema/schema.sql';
import { FieldReader } from '../validation/field-reader';
import { routeId } from '../validation/route-id';
import { LeadConversionService } from './lead-conversion.service';
import { LeadImportService } from './lead-import.service';
import { parseLeadInput, parseLeadPatch } from './lead-input';
import { parseLeadSearch } from './lead-search-params';
import { LeadSearchRepository } from './lead-search.repository';
import { LeadsRepository } from './leads.repository';

/**
 * Leads: CRUD, search, batch import, conversion, activities. Each answer is
 * `{ data, metadata }`. No handler passes read-your-writes options: the library's
 * ReadYourWritesInterceptor (app.module.ts) applies the caller's `x-session-key` /
 * `x-consistency-token` to every query and sends a write's token back in `x-consistency-token`.
 */
@ApiTags('leads')
@Controller('leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly searches: LeadSearchRepository,
    private readonly imports: LeadImportService,
    private readonly conversions: LeadConversionService,
  ) {}

  /** GET /leads?status=new&city=Lisbon&q=ana&sort=newest&page=1&pageSize=20 */
  @Get()
  async search(@Query() query: Record<string, unknown>) {
    // Through Kysely on the routing pool, which answers in pg's shape: no per-query metadata here
    // (GET /db/queries shows where the search's statements ran).
    const { rows, ...page } = await this.searches.search(parseLeadSearch(query));
    return { data: rows, ...page };
  }

  @Post()
  async create(@Body() body: unknown) {
    const { rows, metadata } = await this.leads.create(parseLeadInput(body));
    return { data: rows[0], metadata };
  }

  /** POST /leads/import { leads: [...] }: all or nothing. */
  @Post('import')
  async import(@Body() body: unknown) {
    const { ids, statements, consistencyToken } = await this.imports.import(body);
    return { data: { imported: ids.length, ids }, metadata: { statements, consistencyToken } };
  }

  @Get(':id')
  async findOne(@Param('id') id: string) {
    const { rows, metadata } = await this.leads.findById(routeId(id));
    return { data: rows[0], metadata };
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown) {
    const leadId = routeId(id);
    const { rows, metadata } = await this.leads.update(leadId, parseLeadPatch(body));
    return { data: rows[0], metadata };
  }

  @Delete(':id')
  async remove(@Param('id') id: string) {
    const { rows, metadata } = await this.leads.remove(routeId(id));
    return { data: { id: rows[0].id, deleted: true }, metadata };
  }

  /** A transaction with a savepoint: see LeadConversionService. */
  @Post(':id/convert')
  @HttpCode(200)
  async convert(@Param('id') id: string, @Body() body: unknown) {
    const { result, metadata } = await this.conversions.convert(routeId(id), body);
    return { data: result, metadata };
  }

  @Get(':id/activities')
  async activities(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    const leadId = routeId(id);
    const limit = FieldReader.fromQuery(query).onlyKnown(['limit']).optionalInteger('limit', { min: 1, max: 100 }) ?? 20;
    const { rows, metadata } = await this.leads.activities(leadId, limit);
    return { data: rows, metadata };
  }

  @Post(':id/activities')
  async addActivity(@Param('id') id: string, @Body() body: unknown) {
    const leadId = routeId(id);
    const reader = FieldReader.fromBody(body).onlyKnown(['kind', 'notes']);
    const kind = reader.oneOf('kind', ACTIVITY_KINDS.filter((value) => value !== 'conversion'));
    const { rows, metadata } = await this.leads.addActivity(leadId, kind, reader.optionalString('notes', { maxLength: 2000 }));
    return { data: rows[0], metadata };
  }
}
