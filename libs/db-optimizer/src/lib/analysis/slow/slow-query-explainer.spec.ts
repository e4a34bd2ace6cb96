import { DatabaseError } from 'pg';
import { QueryClassifier } from '../../classify/query-classifier';
import { loadSqlParser } from '../../sql/parser';
import type { PlanAnalysis, PlanAnalysisOptions } from '../plan/plan-analysis.interface';
import type { SlowCall } from './slow-query-analysis.interface';
import { SlowQueryExplainer, SlowQueryAnalyzer } from './slow-query-explainer';

/** An analyzer that records calls and resolves when told to. */
class FakeAnalyzer implements SlowQueryAnalyzer {
  readonly calls: Array<{ sql: string; params: readonly unknown[]; options: PlanAnalysisOptions }> = [];
  private readonly classifier = new QueryClassifier();
  failWith: Error | undefined;

  classify(sql: string) {
    return this.classifier.classify(sql);
  }

  async analyzeExecutionPlan(sql: string, params: readonly unknown[] = [], options: PlanAnalysisOptions = {}): Promise<PlanAnalysis> {
    this.calls.push({ sql, params, options });
    if (this.failWith) throw this.failWith;
    const classification = this.classify(sql);
    return {
      fingerprint: classification.fingerprint,
      normalizedSql: classification.normalizedSql,
      ranOn: classification.target === 'primary' ? 'primary' : 'replica',
      summary: { analyzed: options.analyze ?? true, totalCost: 10, planRows: 1 },
      nodes: [],
      suggestions: [
        { ruleId: 'seq-scan-filter', severity: 'critical', message: 'm', fix: 'f' },
        { ruleId: 'select-star', severity: 'info', message: 'm', fix: 'f' },
      ],
      warnings: [],
      plan: [{ Plan: { 'Node Type': 'Seq Scan', 'Startup Cost': 0, 'Total Cost': 10, 'Plan Rows': 1, Filter: '(email = secret)' } }],
    };
  }
}

describe('SlowQueryExplainer', () => {
  let now: number;
  let analyzer: FakeAnalyzer;
  let explainer: SlowQueryExplainer;
  const call = (sql: string, fingerprint = 'f1', params: unknown[] = [42]): SlowCall => ({ fingerprint, sql, params, durationMs: 900, pool: 'read_replica' });

  beforeAll(() => loadSqlParser());

  beforeEach(() => {
    now = Date.UTC(2025, 0, 1);
    analyzer = new FakeAnalyzer();
    explainer = new SlowQueryExplainer(analyzer, { clock: { now: () => now }, fingerprintIntervalMs: 600_000, minIntervalMs: 5000 });
  });

  describe('#offer', () => {
    it('EXPLAIN ANALYZEs a slow read with its parameters and stores the result without the raw plan', async () => {
      expect(explainer.offer(call('SELECT * FROM orders WHERE customer_id = $1'))).toBe(true);
      await explainer.whenIdle();
      expect(analyzer.calls).toEqual([{ sql: 'SELECT * FROM orders WHERE customer_id = $1', params: [42], options: { analyze: true, timeoutMs: 5000, analyzeOnPrimary: false } }]);
      const stored = explainer.analysisOf('f1');
      expect(stored).toMatchObject({ status: 'explained', analyzed: true, ranOn: 'replica', triggerDurationMs: 900, explainedAt: '2025-01-01T00:00:00.000Z' });
      expect(JSON.stringify(stored)).not.toMatch(/secret|"plan"|42/);
    });

    it('only plans a read the facade ran as a write (isWrite), never running it again', async () => {
      explainer.offer({ ...call('SELECT remember($1)'), isWrite: true });
      await explainer.whenIdle();
      expect(analyzer.calls[0].options).toMatchObject({ analyze: false, analyzeOnPrimary: false });
      expect(explainer.analysisOf('f1')).toMatchObject({ analyzed: false });
    });

    it('never runs a write: plans it only (analyze: false)', async () => {
      explainer.offer(call('UPDATE orders SET flag = true WHERE id = $1'));
      await explainer.whenIdle();
      expect(analyzer.calls[0].options.analyze).toBe(false);
      expect(explainer.analysisOf('f1')?.analyzed).toBe(false);
    });

    it('explains a fingerprint at most once per interval', async () => {
      expect(explainer.offer(call('SELECT 1 FROM orders'))).toBe(true);
      await explainer.whenIdle();
      now += 60_000;
      expect(explainer.offer(call('SELECT 1 FROM orders'))).toBe(false);
      now += 600_000;
      expect(explainer.offer(call('SELECT 1 FROM orders'))).toBe(true);
      expect(explainer.stats()).toMatchObject({ offered: 3, started: 2, skippedRecentlyExplained: 1 });
    });

    it('starts at most one explain per minIntervalMs over all fingerprints, and one at a time', async () => {
      expect(explainer.offer(call('SELECT 1 FROM a', 'fa'))).toBe(true);
      expect(explainer.offer(call('SELECT 1 FROM b', 'fb'))).toBe(false);
      await explainer.whenIdle();
      now += 4999;
      expect(explainer.offer(call('SELECT 1 FROM b', 'fb'))).toBe(false);
      now += 1;
      expect(explainer.offer(call('SELECT 1 FROM b', 'fb'))).toBe(true);
      expect(explainer.stats()).toMatchObject({ skippedBusy: 1, skippedRateLimited: 1, started: 2 });
    });

    it('skips calls without a fingerprint or with several statements', () => {
      expect(explainer.offer(call('SELECT 1', ''))).toBe(false);
      expect(explainer.offer(call('SELECT 1; SELECT 2'))).toBe(false);
      expect(explainer.offer(call('SELEC 1'))).toBe(false);
      expect(explainer.stats()).toMatchObject({ skippedUnexplainable: 3, started: 0 });
      expect(analyzer.calls).toEqual([]);
    });

    it('counts the suggestions made, by rule', async () => {
      explainer.offer(call('SELECT 1 FROM a', 'fa'));
      await explainer.whenIdle();
      now += 5000;
      explainer.offer(call('SELECT 1 FROM b', 'fb'));
      await explainer.whenIdle();
      expect(explainer.stats()).toMatchObject({ explained: 2, suggestionsMade: 4, suggestionsByRule: { 'seq-scan-filter': 2, 'select-star': 2 }, stored: 2 });
    });

    it('records a failure by SQLSTATE only, since server messages may quote values', async () => {
      const cause = Object.assign(new DatabaseError('invalid input syntax for type integer: "secret"', 0, 'error'), { code: '22P02' });
      analyzer.failWith = new Error('EXPLAIN on the replica failed', { cause });
      explainer.offer(call('SELECT 1 FROM a'));
      await explainer.whenIdle();
      expect(explainer.analysisOf('f1')).toMatchObject({ status: 'failed', error: 'SQLSTATE 22P02', suggestions: [] });
      expect(explainer.stats()).toMatchObject({ failed: 1, explained: 0 });
    });
  });

  describe('#storedAnalyses', () => {
    it('keeps at most maxStoredAnalyses, the least recently explained dropped first', async () => {
      explainer = new SlowQueryExplainer(analyzer, { clock: { now: () => now }, minIntervalMs: 0, maxStoredAnalyses: 2 });
      for (const fingerprint of ['fa', 'fb', 'fc']) {
        explainer.offer(call('SELECT 1 FROM a', fingerprint));
        await explainer.whenIdle();
      }
      expect(explainer.storedAnalyses().map((analysis) => analysis.fingerprint)).toEqual(['fc', 'fb']);
      expect(explainer.analysisOf('fa')).toBeUndefined();
    });
  });
});
