import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bootDemoApp, newLead } from './demo-app';

const TOOLS = join(__dirname, '..', '..', '..', 'tools');

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: Array<{ expr: string; datasource: { uid: string } }>;
}

/** The db_optimizer_* series a PromQL expression reads. */
function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\b(db_optimizer_[a-z0-9_]+)\b/g)].map((match) => match[1]);
}

describe('the Grafana dashboard (tools/grafana) against the real /metrics', () => {
  const dashboard = JSON.parse(readFileSync(join(TOOLS, 'grafana', 'dashboards', 'db-optimizer.json'), 'utf8')) as { uid: string; panels: Panel[] };
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
  const exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  let app: INestApplication;
  let exposed: Set<string>;

  beforeAll(async () => {
    app = await bootDemoApp();
    const http = () => request(app.getHttpServer());
    // Traffic that gives every labelled series a sample: reads twice (cache lookups and hits), a failing write, an aggregate.
    // A lead of this test's own: other test files share the demo's tables and may still be seeding them.
    const lead = newLead();
    const created = await http().post('/leads').send(lead).expect(201);
    for (let i = 0; i < 2; i++) {
      await http().get(`/leads/${created.body.data.id}`).expect(200);
      await http().get('/leads?city=Rome').expect(200);
      await http().get('/agents/stats').expect(200);
    }
    await http().post('/leads').send(lead).expect(409);
    const metrics = await http().get('/metrics').expect(200);
    exposed = new Set(
      metrics.text
        .split('\n')
        .filter((line) => line.length > 0 && !line.startsWith('#'))
        .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]),
    );
  });

  afterAll(() => app?.close());

  it('parses, and every panel has at least one query on the provisioned Prometheus data source', () => {
    const datasourceYaml = readFileSync(join(TOOLS, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8');
    const uid = /uid:\s*(\S+)/.exec(datasourceYaml)?.[1];
    expect(dashboard.uid).toBe('db-optimizer');
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect({ panel: panel.title, queries: (panel.targets ?? []).length > 0 }).toEqual({ panel: panel.title, queries: true });
      for (const target of panel.targets ?? []) expect(target.datasource.uid).toBe(uid);
    }
  });

  it('names in every query only series that /metrics exposes', () => {
    const named = exprs.map((expr) => ({ expr, series: seriesIn(expr) }));
    expect(named.filter(({ series }) => series.length === 0)).toEqual([]);
    const missing = named.flatMap(({ series }) => series.filter((name) => !exposed.has(name)));
    expect(missing).toEqual([]);
  });

  it('covers every db_optimizer_* family the module exposes', () => {
    const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const used = new Set(exprs.flatMap(seriesIn).map(family));
    const families = new Set([...exposed].filter((name) => name.startsWith('db_optimizer_')).map(family));
    expect([...families].filter((name) => !used.has(name))).toEqual([]);
  });
});
