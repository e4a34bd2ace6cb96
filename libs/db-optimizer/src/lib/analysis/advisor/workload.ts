import type { SqlClassifier } from '../explain-runner.interface';
import { explainableStatement } from '../plan/explainable-statement';
import { isRecord } from '../../sql/shape/parse-nodes';
import { readStatementShape } from '../../sql/shape/read-statement-shape';
import type { StatementShape } from '../../sql/shape/statement-shape.interface';
import type { WorkloadStatement } from './index-advice.interface';
import type { CostedStatement } from './plan-coster';

/** A statement of the workload, parsed once and ranked. */
export interface WorkItem extends CostedStatement {
  fingerprint: string;
  normalizedSql: string;
  shape: StatementShape;
  calls: number;
  totalTimeMs: number;
}

const ADVISED_KINDS = new Set(['select', 'update', 'delete']);

/**
 * Parses the workload, merges texts of one fingerprint (summing calls and
 * time), ranks by total time then calls, and keeps the `max` costliest.
 * What cannot be advised on is reported, by normalized text only.
 */
export function prepareWorkload(
  classifier: SqlClassifier,
  statements: readonly WorkloadStatement[],
  max: number,
): { items: WorkItem[]; skipped: Array<{ query: string; reason: string }> } {
  const byFingerprint = new Map<string, WorkItem>();
  const skipped: Array<{ query: string; reason: string }> = [];
  for (const input of statements) {
    let checked: ReturnType<typeof explainableStatement>;
    try {
      checked = explainableStatement(classifier, input.sql);
    } catch (error) {
      skipped.push({ query: classifier.classify(input.sql).normalizedSql, reason: (error as Error).message });
      continue;
    }
    const { classification, statement } = checked;
    const shape = readStatementShape(statement.stmt, input.params ?? []);
    if (!shape || !ADVISED_KINDS.has(shape.kind)) {
      skipped.push({ query: classification.normalizedSql, reason: 'only SELECT, UPDATE and DELETE filter rows an index can find' });
      continue;
    }
    const known = byFingerprint.get(classification.fingerprint);
    if (known) {
      known.calls += input.calls ?? 0;
      known.totalTimeMs += input.totalTimeMs ?? 0;
      continue;
    }
    byFingerprint.set(classification.fingerprint, {
      fingerprint: classification.fingerprint,
      normalizedSql: classification.normalizedSql,
      shape,
      text: statement.text,
      parameterCount: highestParameter(statement.stmt),
      calls: input.calls ?? 0,
      totalTimeMs: input.totalTimeMs ?? 0,
    });
  }
  const ranked = [...byFingerprint.values()].sort((a, b) => b.totalTimeMs - a.totalTimeMs || b.calls - a.calls);
  return { items: ranked.slice(0, max), skipped };
}

/** The highest `$n` in a statement: PREPARE must be given that many arguments. */
function highestParameter(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((highest: number, item) => Math.max(highest, highestParameter(item)), 0);
  if (!isRecord(value)) return 0;
  let highest = 0;
  for (const key in value) {
    const child = value[key];
    if (key === 'ParamRef' && isRecord(child)) highest = Math.max(highest, Number(child['number'] ?? 0));
    else highest = Math.max(highest, highestParameter(child));
  }
  return highest;
}

