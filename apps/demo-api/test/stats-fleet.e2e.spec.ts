import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';

describe('GET /stats/fleet (end to end)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(() => app?.close());

  it('serves the merged figures of every live instance, this one included', async () => {
    await request(app.getHttpServer()).get('/leads?page=1').expect(200);
    const response = await request(app.getHttpServer()).get('/stats/fleet').expect(200);
    expect(response.body.instances.map((instance: { instanceId: string }) => instance.instanceId)).toContain(response.body.self);
    expect(response.body.performance.totalQueries).toBeGreaterThanOrEqual(1);
    expect(Array.isArray(response.body.fingerprints)).toBe(true);
  });
});
