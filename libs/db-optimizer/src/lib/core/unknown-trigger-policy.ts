/**
 * What the result cache does when a write reaches a trigger, rule or function whose own writes
 * cannot be known (dynamic SQL, C code, DDL): `flush_all` drops every cached result, `ignore`
 * invalidates only what is known (and may serve stale results from the tables it missed).
 * @publicApi
 */
export type UnknownTriggerPolicy = 'flush_all' | 'ignore';

/** The accepted values, for validation and messages. */
export const UNKNOWN_TRIGGER_POLICIES: readonly UnknownTriggerPolicy[] = ['flush_all', 'ignore'];
