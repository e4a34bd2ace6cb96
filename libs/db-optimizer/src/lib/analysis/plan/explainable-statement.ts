import type { Node, ParseResult } from 'libpg-query';
import type { QueryClassification } from '../../core/query-classification.interface';
import { ALREADY_EXPLAIN, NOT_EXPLAINABLE, NOT_ONE_STATEMENT, UNPARSEABLE_STATEMENT } from '../analysis.messages';
import type { SqlClassifier } from '../explain-runner.interface';
import { explainableKind } from '../../sql/shape/statement-kind';
import { statementText } from '../../sql/shape/statement-text';
import { UnexplainableQueryError } from '../unexplainable-query.error';

/** A text checked to hold exactly one statement EXPLAIN accepts. */
export interface ExplainableStatement {
  classification: QueryClassification;
  statement: { stmt: Node; text: string };
}

/**
 * Classifies the text (cached) and refuses, before anything runs, what EXPLAIN
 * must not see: unparseable text, several statements (the classifier counts
 * them with the real parser, so `SELECT 1; DELETE ...` cannot slip through),
 * an EXPLAIN, or a statement kind EXPLAIN does not take.
 */
export function explainableStatement(classifier: SqlClassifier, sql: string): ExplainableStatement {
  const classification = classifier.classify(sql);
  if (classification.parseError !== undefined) throw new UnexplainableQueryError(UNPARSEABLE_STATEMENT(classification.parseError));
  if (classification.statementCount !== 1) throw new UnexplainableQueryError(NOT_ONE_STATEMENT(classification.statementCount));
  const raw = (classification.parseTree as ParseResult | undefined)?.stmts?.[0];
  const stmt = raw?.stmt;
  const kind = stmt ? Object.keys(stmt)[0] : 'An empty statement';
  if (kind === 'ExplainStmt') throw new UnexplainableQueryError(ALREADY_EXPLAIN());
  if (!raw || !stmt || explainableKind(stmt) === undefined) throw new UnexplainableQueryError(NOT_EXPLAINABLE(kind.replace(/Stmt$/, '')));
  return { classification, statement: { stmt, text: statementText(sql, raw) } };
}
