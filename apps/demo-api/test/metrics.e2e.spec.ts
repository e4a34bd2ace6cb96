import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bootDemoApp } from './demo-app';

// One exposition line: a sample `name{labels} value`, or a # HELP / # TYPE comment.
const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf)$/;

describe('GET /metrics (end to end)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await bootDemoApp();
  });

  afterAll(() => app?.close());

  it('serves Prometheus text with query, pool, replica and statement series, and no literal values', async () => {
    await request(app.getHttpServer()).get('/leads/7').expect(200);
    await request(app.getHttpServer()).get('/leads?city=secret-city-42').expect(200);
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    const lines = response.text.split('\n').filter((line) => line.length > 0 && !line.startsWith('#'));
    expect(lines.filter((line) => !SAMPLE_LINE.test(line))).toEqual([]);
    for (const series of [
      'db_optimizer_query_duration_seconds_bucket',
      'db_optimizer_pool_acquire_duration_seconds_bucket',
      'db_optimizer_pool_connections',
      'db_optimizer_replica_lag_bytes',
      'db_optimizer_replica_banned',
      'db_optimizer_prepared_statements_total',
      'db_optimizer_queries_total',
    ]) {
      expect(lines.some((line) => line.startsWith(series))).toBe(true);
    }
    expect(response.text).not.toContain('secret-city-42');
    expect(response.text).not.toContain('SELECT');
  });
});
