import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SEED_AGENTS } from '../src/schema/schema.sql';
import { bootDemoApp } from './demo-app';

describe('agents API (end to end, real cluster)', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await bootDemoApp();
  });

  afterAll(() => app?.close());

  it('lists the seeded agents', async () => {
    const response = await http().get('/agents').expect(200);
    expect(response.body.data.length).toBeGreaterThanOrEqual(SEED_AGENTS);
    expect(response.body.data[0]).toEqual({ id: 1, name: expect.any(String), email: 'agent1@realty.example', region: expect.any(String) });
  });

  it('ranks agents by converted leads on the analytics replica', async () => {
    const response = await http().get('/agents/stats?limit=5').expect(200);
    expect(response.body.metadata.queryType).toBe('ANALYTICAL');
    expect(response.body.metadata.poolUsed).toBe('analytics');
    expect(response.body.data).toHaveLength(5);
    const converted = response.body.data.map((agent: { converted: number }) => agent.converted);
    expect([...converted].sort((a, b) => b - a)).toEqual(converted);
    expect(response.body.data[0]).toMatchObject({ rank: 1, leads: expect.any(Number), conversionRatePct: expect.any(Number) });
    expect(response.body.data[0].converted).toBeGreaterThan(0);
  });

  it("breaks one agent's leads down by status", async () => {
    const response = await http().get('/agents/1/stats').expect(200);
    expect(response.body.data.agent).toMatchObject({ id: 1 });
    const statuses = response.body.data.byStatus.map((row: { status: string }) => row.status);
    expect(statuses).toEqual([...statuses].sort());
    expect(statuses).toEqual(expect.arrayContaining(['converted', 'new']));
    expect(response.body.metadata.poolUsed).toBe('analytics');
  });

  it('answers 404 for an unknown agent and 400 for bad input', async () => {
    await http().get('/agents/99999/stats').expect(404);
    expect((await http().get('/agents/x/stats').expect(400)).body.field).toBe('id');
    expect((await http().get('/agents/stats?limit=0').expect(400)).body.field).toBe('limit');
  });
});
