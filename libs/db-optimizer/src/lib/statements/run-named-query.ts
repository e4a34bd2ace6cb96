import type { ClientBase, QueryResult, QueryResultRow } from 'pg';
import type { ResultShape } from '../core/result-shape';
import type { StatementClient } from './statement-cache-options.interface';

type QueryCallback = (error: Error | null, result: QueryResult) => void;

/** pg's query class, as pg's `Client` exposes it (`Client.Query`). */
type PgQueryClass = new (text: string, values: unknown[], callback: QueryCallback) => { name?: string };

/**
 * Runs the named statement `name` (text `sql`) on `client`.
 *
 * pg copies every query config object it is given, property by property
 * (`Object.getOwnPropertyDescriptors`): about 1.5 µs per call, and the copy is a slow
 * dictionary-mode object. A query built from the text, with the name set before it is
 * submitted, skips that copy, and settles through one promise instead of pg's two. pg reads
 * `name` only when it sends the query. With a result shape (rows as arrays, own parsers), which
 * pg reads in its constructor, or a client without pg's query class, the config object is used.
 */
export function runNamedQuery<T extends QueryResultRow>(
  client: StatementClient,
  name: string,
  sql: string,
  params: unknown[],
  shape: ResultShape | undefined,
): Promise<QueryResult<T>> {
  const Query = shape === undefined ? queryClassOf(client) : undefined;
  if (Query === undefined) return (client as ClientBase).query<T>({ name, text: sql, values: params, ...shape });
  return new Promise<QueryResult<T>>((resolve, reject) => {
    const query = new Query(sql, params, (error, result) => (error ? reject(error) : resolve(result as QueryResult<T>)));
    query.name = name;
    (client as unknown as { query(submittable: object): unknown }).query(query);
  });
}

function queryClassOf(client: StatementClient): PgQueryClass | undefined {
  const Query = (client.constructor as { Query?: unknown }).Query;
  return typeof Query === 'function' ? (Query as PgQueryClass) : undefined;
}
