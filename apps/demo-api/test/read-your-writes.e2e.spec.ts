import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';

describe('read-your-writes through the demo API (end to end)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app?.close());

  it('returns the write\'s token and lets the same session read the new row at once', async () => {
    const created = await request(app.getHttpServer())
      .post('/products')
      .set('x-session-key', 'demo-alice')
      .send({ name: 'Lamp', category: 'ryw-e2e', priceCents: 1200 })
      .expect(201);
    expect(created.headers['x-consistency-token']).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const id = (created.body as { data: Array<{ id: number }> }).data[0].id;

    const read = await request(app.getHttpServer()).get(`/products/${id}`).set('x-session-key', 'demo-alice').expect(200);
    expect((read.body as { data: Array<{ name: string }> }).data).toEqual([expect.objectContaining({ name: 'Lamp' })]);
    // A plain read sends no token back: nothing was written.
    expect(read.headers['x-consistency-token']).toBeUndefined();
  });
});
