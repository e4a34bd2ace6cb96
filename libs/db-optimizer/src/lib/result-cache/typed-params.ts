/**
 * Parameters as text for a cache key, each value tagged with its type so that `1`, `'1'`,
 * `1n` and `true` make different keys (PostgreSQL may compare them differently).
 *
 * Returns undefined for a value whose text sent to PostgreSQL cannot be told from the
 * value alone (class instances, objects with `toPostgres`): such a read is not cached.
 *
 * @example
 * encodeParamsForKey([1, '1']); // '[["n","1"],["s","1"]]'
 */
export function encodeParamsForKey(params: readonly unknown[]): string | undefined {
  // Strings and numbers written out (the text JSON.stringify gives for their tags) without
  // building the tags: every cached read, hits included, builds this.
  let text = '[';
  for (let index = 0; index < params.length; index++) {
    const encoded = encodeValue(params[index]);
    if (encoded === undefined) return undefined;
    text += index === 0 ? encoded : `,${encoded}`;
  }
  return `${text}]`;
}

/** One parameter's tag as JSON: `JSON.stringify(tagValue(value, 0))`. */
function encodeValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return `["s",${JSON.stringify(value)}]`;
    case 'number':
      // No character of a number's text needs escaping in JSON.
      return `["n","${numberText(value)}"]`;
    default: {
      const tag = tagValue(value, 0);
      return tag === undefined ? undefined : JSON.stringify(tag);
    }
  }
}

/** Nesting deeper than this is not worth a cache key (and guards against cycles). */
const MAX_DEPTH = 32;

function tagValue(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return undefined;
  switch (typeof value) {
    case 'string':
      return ['s', value];
    case 'number':
      return ['n', numberText(value)];
    case 'bigint':
      return ['b', value.toString()];
    case 'boolean':
      return ['t', value];
    case 'undefined':
      return ['u'];
    case 'object':
      return tagObject(value, depth);
    default:
      // Functions and symbols are not values PostgreSQL can receive.
      return undefined;
  }
}

/** String() keeps NaN and Infinity apart from null (pg sends them as such); -0 is kept apart from 0 too. */
function numberText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

function tagObject(value: object | null, depth: number): unknown {
  if (value === null) return null;
  // pg sends a Date as local time text: the offset belongs in the key with the instant.
  if (value instanceof Date) return ['d', value.getTime(), value.getTimezoneOffset()];
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return ['x', Buffer.from(value).toString('base64')];
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const tag = tagValue(item, depth + 1);
      if (tag === undefined) return undefined;
      items.push(tag);
    }
    return ['a', items];
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  if ('toPostgres' in value) return undefined;
  // pg sends plain objects as JSON.stringify(value): the same text makes the same key.
  try {
    return ['j', JSON.stringify(value)];
  } catch {
    return undefined;
  }
}
