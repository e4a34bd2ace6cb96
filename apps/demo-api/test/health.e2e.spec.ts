import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { testEnv } from '@db-optimizer/cluster';
import { bootDemoApp } from './demo-app';

describe('GET /health and /stats (end to end, real cluster)', () => {
  const env = testEnv();
  let app: INestApplication;

  beforeAll(async () => {
    app = await bootDemoApp();
  });

  afterAll(() => app?.close());

  it('GET /health answers 200 with the primary, read replica and analytics replica up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    const pools = response.body.details.database.pools;
    expect(pools.primary).toMatchObject({ status: 'up', server: new URL(env.primaryUrl).host });
    expect(pools['read_replica[0]']).toMatchObject({ status: 'up', server: new URL(env.readReplicaUrl).host });
    expect(pools.analytics).toMatchObject({ status: 'up', server: new URL(env.analyticsUrl).host });
  });

  it('GET /stats reports performance figures and each pool', async () => {
    await request(app.getHttpServer()).get('/leads/1').expect(200);
    const response = await request(app.getHttpServer()).get('/stats').expect(200);
    expect(response.body.performance.totalQueries).toBeGreaterThan(0);
    expect(response.body.pools.map((pool: { name: string }) => pool.name)).toEqual(['primary', 'read_replica[0]', 'analytics']);
  });
});
