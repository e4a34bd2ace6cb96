import { Module } from '@nestjs/common';
import { AgentStatsRepository } from './agent-stats.repository';
import { AgentsController } from './agents.controller';

@Module({
  controllers: [AgentsController],
  providers: [AgentStatsRepository],
})
export class AgentsModule {}
