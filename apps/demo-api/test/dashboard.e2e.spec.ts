import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bootDemoApp } from './demo-app';

describe('dashboard (end to end, real cluster)', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await bootDemoApp();
  });

  afterAll(() => app?.close());

  it('serves the page, its script and uPlot from node_modules', async () => {
    const page = await http().get('/dashboard').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('/dashboard/assets/uPlot.iife.min.js');
    expect(page.text).toContain('id="chart-latency"');
    const uplot = await http().get('/dashboard/assets/uPlot.iife.min.js').expect(200);
    expect(uplot.headers['content-type']).toMatch(/javascript/);
    expect(uplot.text).toContain('uPlot');
    await http().get('/dashboard/assets/uPlot.min.css').expect('content-type', /css/).expect(200);
    await http().get('/dashboard/assets/dashboard.js').expect(200);
  });

  it('answers 404 for any other file name, never reading a path from the request', async () => {
    const response = await http().get('/dashboard/assets/..%2F..%2Fmain.ts').expect(404);
    expect(response.body.message).toContain('uPlot.iife.min.js');
    await http().get('/dashboard/assets/package.json').expect(404);
  });

  it('GET /dashboard/snapshot: a history of samples with rates, pools and replicas, and the state', async () => {
    await http().get('/leads/3').expect(200);
    const { body } = await http().get('/dashboard/snapshot').expect(200);
    const latest = body.samples[body.samples.length - 1];
    expect(Object.keys(latest.poolInUse)).toEqual(['primary', 'read_replica[0]', 'analytics']);
    expect(Object.keys(latest.lagBytes)).toEqual(['read_replica[0]', 'analytics']);
    expect(latest).toMatchObject({ t: expect.any(Number), queriesPerSec: expect.any(Number), p99Ms: expect.any(Number) });
    expect(body.state.totals.queries).toBeGreaterThan(0);
    expect(body.state.pools).toHaveLength(3);
    expect(body.state.resize).toMatchObject({ runs: expect.any(Number), lastDecisions: expect.any(Array) });
  });

  it('GET /dashboard/stream: server-sent events, the history first, then a sample each second', async () => {
    const server = await app.listen(0, '127.0.0.1');
    const { port } = server.address() as { port: number };
    const controller = new AbortController();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/dashboard/stream`, { signal: controller.signal });
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      // Bounded: the history and two samples arrive within about two seconds.
      for (let reads = 0; reads < 50 && (text.match(/event: sample/g) ?? []).length < 2; reads++) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      const events = text.split('\n\n').filter((block) => block.includes('data:'));
      expect(events[0]).toContain('event: history');
      expect(events.slice(1, 3).every((block) => block.includes('event: sample'))).toBe(true);
      const sample = JSON.parse(events[1].split('\n').find((line) => line.startsWith('data:'))!.slice(5));
      expect(sample.sample.poolLimit.primary).toBeGreaterThan(0);
    } finally {
      controller.abort();
    }
  });
});
