import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FieldReader } from '../validation/field-reader';
import { routeId } from '../validation/route-id';
import { AgentStatsRepository } from './agent-stats.repository';

@ApiTags('agents')
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentStatsRepository) {}

  @Get()
  async list() {
    const { rows, metadata } = await this.agents.list();
    return { data: rows, metadata };
  }

  /** GET /agents/stats?limit=10: agents ranked by converted leads. */
  @Get('stats')
  async leaderboard(@Query() query: Record<string, unknown>) {
    const limit = FieldReader.fromQuery(query).onlyKnown(['limit']).optionalInteger('limit', { min: 1, max: 500 }) ?? 20;
    const { rows, metadata } = await this.agents.leaderboard(limit);
    return { data: rows, metadata };
  }

  @Get(':id/stats')
  async stats(@Param('id') id: string) {
    const { metadata, ...data } = await this.agents.byStatus(routeId(id));
    return { data, metadata };
  }
}
