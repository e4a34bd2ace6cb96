import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { testEnv } from '@db-optimizer/cluster';
import { bootDemoApp } from './demo-app';

describe('GET /health, /stats and /docs (end to end, real cluster)', () => {
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

  it('serves OpenAPI at /docs-json listing the leads, agents and /db routes, and its UI at /docs', async () => {
    const spec = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(spec.body.info.title).toBe('db-optimizer leads demo');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/leads', '/leads/{id}', '/leads/{id}/convert', '/agents/stats', '/db/explain/{name}']));
    const ui = await request(app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });
});
