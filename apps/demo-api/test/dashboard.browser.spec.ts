import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { describeWithOptionalDependency } from '@db-optimizer/cluster';
import { bootDemoApp, newLead } from './demo-app';

// Debian's chromium (.ci/run installs it); playwright-core downloads no browser of its own.
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(__dirname, '..', '..', '..', 'tmp', 'test-output');
const CHARTS = ['chart-latency', 'chart-throughput', 'chart-pools', 'chart-cache', 'chart-lag'];

/** Some traffic for the charts: reads (some served twice, so the cache answers), writes, an aggregate. Bounded. */
async function traffic(baseUrl: string, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => fetch(`${baseUrl}/leads/${1 + ((round + i) % 20)}`).then((r) => r.arrayBuffer())),
      fetch(`${baseUrl}/leads?city=Madrid&status=new`).then((r) => r.arrayBuffer()),
      fetch(`${baseUrl}/agents/stats`).then((r) => r.arrayBuffer()),
      fetch(`${baseUrl}/leads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(newLead()) }).then((r) => r.arrayBuffer()),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function listen(app: INestApplication): Promise<string> {
  const server = await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const browserHere = {
  tested: "The dashboard's browser test",
  available: existsSync(CHROMIUM),
  reason: 'Chromium is not installed',
  where: CHROMIUM,
  requireVariable: 'DEMO_REQUIRE_CHROMIUM',
  toRun: 'Install Debian\'s chromium (apt-get install chromium)',
};

describeWithOptionalDependency('the dashboard in headless Chromium', browserHere, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(() => browser?.close());

  describe('with the data open', () => {
    let app: INestApplication;
    let baseUrl: string;

    beforeAll(async () => {
      // A low threshold, so the slow-query panel has rows on a small, fast database.
      process.env['SLOW_QUERY_THRESHOLD_MS'] = '5';
      app = await bootDemoApp({ adminToken: undefined });
      delete process.env['SLOW_QUERY_THRESHOLD_MS'];
      baseUrl = await listen(app);
    });

    afterAll(() => app?.close());

    it('goes live, draws every chart with data after some traffic, fills the tables, and is saved as a screenshot', async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${baseUrl}/dashboard`);
      await page.waitForSelector('#status[data-state="live"]', { timeout: 15_000 });
      await traffic(baseUrl, 30);
      // Three sampled seconds with queries in them: the throughput line has a shape.
      // (Page functions as text: this project compiles without the DOM types.)
      await page.waitForFunction('window.dashboard.samples.filter((sample) => sample.queriesPerSec > 0).length >= 3', undefined, { timeout: 20_000 });
      for (const chart of CHARTS) {
        const points = Number(await page.getAttribute(`#${chart}`, 'data-points'));
        expect({ chart, hasPoints: points > 0 }).toEqual({ chart, hasPoints: true });
      }
      expect(await page.locator('.chart canvas').count()).toBe(CHARTS.length);
      expect(await page.textContent('#tile-total')).toMatch(/^\d/);
      expect(await page.locator('#resize-table tbody tr').count()).toBe(3);
      await page.waitForFunction("!document.querySelector('#slow-table td.empty')", undefined, { timeout: 10_000 });
      expect(await page.locator('#slow-table tbody tr').count()).toBeGreaterThan(0);
      await page.waitForFunction("document.querySelector('#advice-mode').textContent !== ''", undefined, { timeout: 15_000 });
      // /stats/fleet is another part of the app: the panel shows only when that route answers JSON.
      const fleet = await fetch(`${baseUrl}/stats/fleet`);
      expect(await page.isHidden('#fleet-card')).toBe(!(fleet.ok && (fleet.headers.get('content-type') ?? '').includes('json')));
      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'dashboard.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }, 90_000);
  });

  describe('with DB_ADMIN_TOKEN set', () => {
    const token = 'browser-admin-token';
    let app: INestApplication;
    let baseUrl: string;

    beforeAll(async () => {
      app = await bootDemoApp({ adminToken: token });
      baseUrl = await listen(app);
    });

    afterAll(() => app?.close());

    it('asks for the token, then goes live with it', async () => {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/dashboard`);
      await page.waitForSelector('#token-form:not([hidden])', { timeout: 15_000 });
      expect(await page.textContent('#status')).toBe('admin token needed');
      await page.fill('#token-input', token);
      await page.click('#token-form button');
      await page.waitForSelector('#status[data-state="live"]', { timeout: 15_000 });
      await page.waitForFunction('window.dashboard.samples.length > 0', undefined, { timeout: 15_000 });
      await page.close();
    }, 60_000);
  });
});
