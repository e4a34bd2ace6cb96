import type { CustomTypesConfig } from 'pg';
import { POOL_QUERY_WITHOUT_TEXT } from './drop-in.messages';
import type { RowFormat } from './pg-result';

/** A pg-style callback: `(err, result)`. */
export type QueryCallback = (error: Error | null, result?: unknown) => void;

/** One `query()` call of pg's API, whichever of its forms it came in. */
export interface PoolQuery extends RowFormat {
  text: string;
  values: unknown[];
  callback?: QueryCallback;
}

interface QueryConfigLike {
  text?: unknown;
  values?: unknown;
  rowMode?: unknown;
  types?: CustomTypesConfig;
}

/**
 * Reads pg's `query(text | config, values?, callback?)` forms. A config's `name` is ignored:
 * the module prepares repeated statements itself, per connection.
 */
export function readQueryArgs(config: unknown, valuesOrCallback?: unknown, callback?: unknown): PoolQuery {
  const asConfig: QueryConfigLike = typeof config === 'string' ? { text: config } : ((config ?? {}) as QueryConfigLike);
  if (typeof asConfig.text !== 'string') throw new TypeError(POOL_QUERY_WITHOUT_TEXT());
  const values = typeof valuesOrCallback === 'function' || valuesOrCallback === undefined ? asConfig.values : valuesOrCallback;
  const done = typeof valuesOrCallback === 'function' ? valuesOrCallback : callback;
  return {
    text: asConfig.text,
    values: Array.isArray(values) ? values : [],
    rowMode: asConfig.rowMode === 'array' ? 'array' : undefined,
    types: asConfig.types,
    callback: typeof done === 'function' ? (done as QueryCallback) : undefined,
  };
}

/** Settles `work` through pg's callback when one was given (and returns undefined, as pg does), else returns the promise. */
export function settle<R>(work: Promise<R>, callback: QueryCallback | undefined): Promise<R> | undefined {
  if (callback === undefined) return work;
  work.then(
    (result) => callback(null, result),
    (error: Error) => callback(error),
  );
  return undefined;
}
