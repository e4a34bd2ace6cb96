import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DbOptimizerService } from '@db-optimizer/core';
import { testEnv } from '@db-optimizer/cluster';
import { AppModule } from '../src/app.module';

describe('demo API (end to end, real cluster)', () => {
  const env = testEnv();
  let app: INestApplication;
  let lastWriteToken: string | undefined;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
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

  it('serves a product from a replica and reads its own write through the session header', async () => {
    const created = await request(app.getHttpServer())
      .post('/products')
      .set('x-session-key', 'e2e-user')
      .send({ name: 'Lamp', category: 'tools', priceCents: 1999 })
      .expect(201);
    expect(created.body.metadata.poolUsed).toBe('primary');
    lastWriteToken = created.headers['x-consistency-token'];
    expect(lastWriteToken).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const id = created.body.data[0].id;
    const read = await request(app.getHttpServer()).get(`/products/${id}`).set('x-session-key', 'e2e-user').expect(200);
    expect(read.body.data[0]).toMatchObject({ name: 'Lamp', price_cents: 1999 });
  });

  it('answers 400 for a malformed id and 404 for a missing product', async () => {
    await request(app.getHttpServer()).get('/products/abc').expect(400);
    await request(app.getHttpServer()).get('/products/999999999').expect(404);
  });

  it('sends the category report to the analytics replica', async () => {
    // Until the replicas have replayed the earlier write, the cache rightly reads the primary.
    await app.get(DbOptimizerService).waitForReplicas(lastWriteToken!);
    const response = await request(app.getHttpServer()).get('/reports/categories').expect(200);
    expect(response.body.metadata.poolUsed).toBe('analytics');
    expect(response.body.data.length).toBeGreaterThan(0);
  });

  it('explains the category listing and lists statement statistics', async () => {
    const explain = await request(app.getHttpServer()).get('/analysis/explain/products-by-category?category=tools').expect(200);
    expect(explain.body.summary).toBeDefined();
    expect(Array.isArray(explain.body.suggestions)).toBe(true);
    const statements = await request(app.getHttpServer()).get('/analysis/statements').expect(200);
    expect(statements.body.length).toBeGreaterThan(0);
    expect(JSON.stringify(statements.body)).not.toContain('Lamp');
  });

  it('places an order in a transaction and reads the basket with a batch', async () => {
    const order = await request(app.getHttpServer()).post('/products/3/orders').set('x-session-key', 'buyer').send({ quantity: 2 }).expect(201);
    expect(order.body.data).toMatchObject({ product_id: '3', quantity: 2 });
    expect(order.body.metadata.poolUsed).toBe('primary');
    expect(order.headers['x-consistency-token']).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    await request(app.getHttpServer()).post('/products/999999999/orders').send({ quantity: 1 }).expect(404);
    await request(app.getHttpServer()).post('/products/3/orders').send({ quantity: 0 }).expect(400);
    const basket = await request(app.getHttpServer()).get('/basket?ids=1,2,3').set('x-session-key', 'buyer').expect(200);
    expect(basket.body.map((line: { productId: number }) => line.productId)).toEqual([1, 2, 3]);
    await request(app.getHttpServer()).get('/basket?ids=abc').expect(400);
  });
});
