import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { NAMED_QUERIES } from '../src/db-admin/named-queries';
import { bootDemoApp } from './demo-app';

describe('/db admin routes (end to end, real cluster)', () => {
  describe('without DB_ADMIN_TOKEN (open)', () => {
    let app: INestApplication;
    const http = () => request(app.getHttpServer());

    beforeAll(async () => {
      app = await bootDemoApp({ adminToken: undefined });
      // Some workload for the statistics: a search with no index on city, a lookup by key, an aggregate.
      for (let i = 0; i < 3; i++) {
        await http().get('/leads?city=Berlin&status=qualified').expect(200);
        await http().get(`/leads/${i + 1}`).expect(200);
      }
      await http().get('/agents/stats').expect(200);
    });

    afterAll(() => app?.close());

    it('GET /db/performance: latency, pools with the auto-sizer, cache, replicas', async () => {
      const response = await http().get('/db/performance').expect(200);
      expect(response.body.performance.totalQueries).toBeGreaterThan(0);
      expect(response.body.pools.map((pool: { role: string }) => pool.role)).toEqual(['primary', 'read_replica', 'analytics']);
      expect(response.body.poolResize).toMatchObject({ runs: expect.any(Number), lastDecisions: expect.any(Array) });
      expect(response.body.cache.enabled).toBe(true);
      expect(response.body.replicas.map((replica: { name: string }) => replica.name)).toEqual(['read_replica[0]', 'analytics']);
    });

    it('GET /db/queries: statistics by fingerprint, normalized text only', async () => {
      const response = await http().get('/db/queries?orderBy=calls&limit=50').expect(200);
      const search = response.body.find((row: { normalizedSql: string }) => /"city" = \$/.test(row.normalizedSql));
      expect(search).toBeDefined();
      expect(search.calls).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(response.body)).not.toContain('Berlin');
      expect((await http().get('/db/queries?orderBy=fastest').expect(400)).body.field).toBe('orderBy');
      expect((await http().get('/db/queries?limit=0').expect(400)).body.field).toBe('limit');
    });

    it('GET /db/slow-queries: the slow log and its analyses', async () => {
      const response = await http().get('/db/slow-queries').expect(200);
      expect(Array.isArray(response.body.slowQueries)).toBe(true);
      expect(Array.isArray(response.body.analyses)).toBe(true);
    });

    it('GET /db/recommendations: index advice for the workload seen', async () => {
      const response = await http().get('/db/recommendations').expect(200);
      expect(['hypopg', 'heuristic']).toContain(response.body.mode);
      expect(Array.isArray(response.body.recommendations)).toBe(true);
      expect(JSON.stringify(response.body)).not.toContain('Berlin');
    });

    it('GET /db/explain lists the named queries, and /db/explain/:name explains one', async () => {
      const list = await http().get('/db/explain').expect(200);
      expect(list.body.map((entry: { name: string }) => entry.name)).toEqual(Object.keys(NAMED_QUERIES));
      const plan = await http().get('/db/explain/leads-by-city-and-status').expect(200);
      expect(plan.body).toMatchObject({ name: 'leads-by-city-and-status', summary: expect.any(Object), suggestions: expect.any(Array) });
    });

    it('answers 404 naming the known queries for an unknown name, and never runs request text', async () => {
      const response = await http().get(`/db/explain/${encodeURIComponent('SELECT pg_sleep(10)')}`).expect(404);
      expect(response.body.message).toContain('lead-by-id');
      await http().get('/db/explain/__proto__').expect(404);
    });
  });

  describe('with DB_ADMIN_TOKEN set', () => {
    const token = 'e2e-admin-token';
    let app: INestApplication;
    const http = () => request(app.getHttpServer());

    beforeAll(async () => {
      app = await bootDemoApp({ adminToken: token });
    });

    afterAll(() => app?.close());

    it.each([['/db/performance'], ['/db/queries'], ['/db/slow-queries'], ['/db/recommendations'], ['/db/explain'], ['/db/explain/lead-by-id'], ['/dashboard/snapshot']])(
      'GET %s answers 401 without the token, naming the headers to send',
      async (path) => {
        const response = await http().get(path).expect(401);
        expect(response.body.message).toContain('authorization: Bearer <DB_ADMIN_TOKEN>');
      },
    );

    it('answers 401 for a wrong token, and 200 with the token as a bearer or in x-admin-token', async () => {
      expect((await http().get('/db/performance').set('authorization', 'Bearer wrong').expect(401)).body.message).toContain('wrong');
      await http().get('/db/performance').set('authorization', `Bearer ${token}`).expect(200);
      await http().get('/db/queries').set('x-admin-token', token).expect(200);
      await http().get('/dashboard/snapshot').set('x-admin-token', token).expect(200);
    });

    it('leaves the app routes, the dashboard page and /metrics open', async () => {
      await http().get('/leads/1').expect(200);
      await http().get('/dashboard').expect(200);
      await http().get('/metrics').expect(200);
      await http().get('/health').expect(200);
    });
  });
});
