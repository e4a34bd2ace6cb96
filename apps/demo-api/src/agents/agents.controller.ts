import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { QueryOptions } from '@db-optimizer/core';
import { ReadYourWrites } from '../consistency/read-your-writes.decorator';
import { FieldReader } from '../validation/field-reader';
import { routeId } from '../validation/route-id';
import { AgentStatsRepository } from './agent-stats.repository';

@ApiTags('agents')
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentStatsRepository) {}

  @Get()
  async list(@ReadYourWrites() consistency: QueryOptions) {
    const { rows, metadata } = await this.agents.list(consistency);
    return { data: rows, metadata };
  }

  /** GET /agents/stats?limit=10: agents ranked by converted leads. */
  @Get('stats')
  async leaderboard(@Query() query: Record<string, unknown>, @ReadYourWrites() consistency: QueryOptions) {
    const limit = FieldReader.fromQuery(query).onlyKnown(['limit']).optionalInteger('limit', { min: 1, max: 500 }) ?? 20;
    const { rows, metadata } = await this.agents.leaderboard(limit, consistency);
    return { data: rows, metadata };
  }

  @Get(':id/stats')
  async stats(@Param('id') id: string, @ReadYourWrites() consistency: QueryOptions) {
    const { metadata, ...data } = await this.agents.byStatus(routeId(id), consistency);
    return { data, metadata };
  }
}
