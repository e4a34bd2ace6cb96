import type { ColumnUse, QueryBlock } from './statement-shape.interface';

/** Resolves a column's name parts (`o.customer_id`) to the relation in scope. */
export type ColumnResolver = (names: string[]) => ColumnUse;

/** Resolves `alias.column` to the relation with that alias (or that name when it has none). */
export function resolverFor(block: Pick<QueryBlock, 'relations'>): ColumnResolver {
  return (names) => {
    const column = names[names.length - 1] ?? '';
    if (names.length < 2) return { relation: block.relations.length === 1 ? block.relations[0] : undefined, column };
    const qualifier = names[names.length - 2];
    const schema = names.length > 2 ? names[names.length - 3] : undefined;
    const relation = block.relations.find(
      (candidate) => (candidate.alias ?? candidate.name) === qualifier && (schema === undefined || candidate.schema === schema),
    );
    return { relation, column };
  };
}
