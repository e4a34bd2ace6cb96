import type { QueryClassification } from '../../core/query-classification.interface';
import { readShapeOf } from './read-shape';
import type { ReadShape } from './read-shape';
import { writeShapeOf } from './write-shape';
import type { WriteShape } from './write-shape';

interface Shapes {
  /** null: computed, not cacheable. */
  read?: ReadShape | null;
  write?: WriteShape;
}

/**
 * Shapes are computed once per classification object. The classifier hands
 * out the same frozen object for the same text while it caches it, so a
 * WeakMap keyed by it costs one look-up per call and forgets a shape as soon
 * as the classifier forgets the text.
 */
const shapes = new WeakMap<QueryClassification, Shapes>();

/** The read shape of a classification, computed once; undefined when the read must not be cached. */
export function readShape(classification: QueryClassification): ReadShape | undefined {
  const entry = entryOf(classification);
  if (entry.read === undefined) entry.read = readShapeOf(classification) ?? null;
  return entry.read ?? undefined;
}

/** The write shape of a classification, computed once. */
export function writeShape(classification: QueryClassification): WriteShape {
  const entry = entryOf(classification);
  entry.write ??= computeWriteShape(classification);
  return entry.write;
}

function computeWriteShape(classification: QueryClassification): WriteShape {
  if (classification.parseError !== undefined || classification.parseTree === undefined) {
    return { kind: 'flush', reason: 'the statement does not parse' };
  }
  const stmts = ((classification.parseTree as { stmts?: Array<{ stmt?: Record<string, unknown> }> }).stmts ?? []);
  if (stmts.length === 0) return { kind: 'none' };
  if (stmts.length > 1) return { kind: 'flush', reason: `${stmts.length} statements in one text` };
  return writeShapeOf(stmts[0].stmt ?? {});
}

function entryOf(classification: QueryClassification): Shapes {
  let entry = shapes.get(classification);
  if (!entry) {
    entry = {};
    shapes.set(classification, entry);
  }
  return entry;
}
