/**
 * A node of libpg-query's JSON parse tree, read generically: the walkers in this folder
 * look at a few keys of many node kinds, where @pgsql/types' per-kind unions would need a
 * cast at every step. The one declaration of it.
 */
export type ParseNode = Record<string, unknown>;
