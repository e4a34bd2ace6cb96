import type { ClientBase, QueryResult, QueryResultRow } from 'pg';
import type { ResultShape } from '../core/result-shape';
import { describeOnceQueryClass, type PgQueryClass } from './describe-once-query';
import type { StatementClient } from './statement-cache-options.interface';

/**
 * Runs the named statement `name` (text `sql`) on `client`, describing its columns only on its
 * first run on the connection (`describeOnceQueryClass`).
 *
 * pg copies every query config object it is given, property by property
 * (`Object.getOwnPropertyDescriptors`): about 1.5 µs per call, and the copy is a slow
 * dictionary-mode object. A query built from the text, with the name set before it is
 * submitted, skips that copy, and settles through one promise instead of pg's two. pg reads
 * `name` only when it sends the query. With a result shape (rows as arrays, own parsers), which
 * pg reads in its constructor, the query is built from a config object. A client without pg's
 * query class gets the config object.
 */
export function runNamedQuery<T extends QueryResultRow>(
  client: StatementClient,
  name: string,
  sql: string,
  params: unknown[],
  shape: ResultShape | undefined,
): Promise<QueryResult<T>> {
  const Query = queryClassOf(client);
  if (Query === undefined) return (client as ClientBase).query<T>({ name, text: sql, values: params, ...shape });
  return new Promise<QueryResult<T>>((resolve, reject) => {
    const settle = (error: Error | null, result: QueryResult): void => (error ? reject(error) : resolve(result as QueryResult<T>));
    const query = shape === undefined ? new Query(sql, params, settle) : new Query({ name, text: sql, values: params, ...shape }, undefined, settle);
    query.name = name;
    (client as unknown as { query(submittable: object): unknown }).query(query);
  });
}

function queryClassOf(client: StatementClient): PgQueryClass | undefined {
  const Query = (client.constructor as { Query?: unknown }).Query;
  return typeof Query === 'function' ? describeOnceQueryClass(Query as PgQueryClass) : undefined;
}
