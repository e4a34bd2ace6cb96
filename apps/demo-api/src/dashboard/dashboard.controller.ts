import { Controller, Get, Header, MessageEvent, NotFoundException, Param, Res, Sse, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable, concat, map, of } from 'rxjs';
import { AdminTokenGuard } from '../db-admin/admin-token.guard';
import { DashboardSamplerService } from './dashboard-sampler.service';
import { dashboardFile, DASHBOARD_FILES } from './dashboard-files';

/**
 * The live dashboard: one static page, its script and uPlot served from
 * node_modules (no front-end build), fed by a server-sent-event stream of one
 * compact snapshot a second. The page is public; its data is behind the
 * admin token like `/db/*`.
 */
@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly sampler: DashboardSamplerService) {}

  @Get()
  page(@Res() response: Response): void {
    response.type('html').setHeader('Cache-Control', 'no-cache');
    response.sendFile(dashboardFile('index.html'));
  }

  /** The page's own script and style, and uPlot's; a fixed list, never a path from the request. */
  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    if (!Object.prototype.hasOwnProperty.call(DASHBOARD_FILES, file)) {
      throw new NotFoundException(`No dashboard asset "${file}". Known: ${Object.keys(DASHBOARD_FILES).join(', ')}.`);
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(dashboardFile(file));
  }

  /** The history so far (five minutes) and the latest state, as JSON. */
  @Get('snapshot')
  @UseGuards(AdminTokenGuard)
  @Header('Cache-Control', 'no-store')
  snapshot() {
    return this.sampler.current();
  }

  /** First a `history` event, then one `sample` event a second. */
  @Sse('stream')
  @UseGuards(AdminTokenGuard)
  stream(): Observable<MessageEvent> {
    const history = this.sampler.current();
    return concat(
      of<MessageEvent>({ type: 'history', data: history }),
      this.sampler.updates.pipe(map((snapshot): MessageEvent => ({ type: 'sample', data: snapshot }))),
    );
  }
}
