import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { QueryClassification } from '../core/query-classification.interface';

/** What stands for a statement's text in the cache's keys. */
export interface StatementIdentity {
  /**
   * A digest of the parse tree: the same on every instance, so it goes into the key shared
   * through Redis. The read path receives the classification, not the text, and
   * `normalizedSql` would merge texts that differ only in constants. The parse tree holds
   * every constant, name and operator of the statement, so its hash tells apart any two
   * texts that mean different things (texts differing only in comments or spacing may get
   * different keys, which costs a miss, never a wrong answer).
   */
  digest: string;
  /**
   * A number for this digest in this process: what the in-memory key holds instead of the
   * 43-character digest. An L1 lookup hashes its whole key, a few ns per character, so a
   * short key makes a hit cheaper.
   */
  slot: number;
}

/**
 * Digests classified lately and their slots, so a text classified again (the classifier's
 * cache forgot it, or it is too large to keep) finds its memory entries again. Looked up
 * once per classification, so a statement the classifier keeps does not stay recent here.
 * Bounded: a digest forgotten here gets a new slot when it comes back, which costs its old
 * entries (they age out of the LRU), never a wrong answer, since a slot is never given out
 * twice.
 */
const MAX_REMEMBERED_DIGESTS = 10_000;
const slotsByDigest = new LRUCache<string, number>({ max: MAX_REMEMBERED_DIGESTS });
const identities = new WeakMap<QueryClassification, StatementIdentity>();
let nextSlot = 0;

/**
 * The statement's identity for cache keys, computed once per classification (the classifier
 * caches them per text). Undefined for an unparseable text (never cacheable anyway).
 */
export function statementIdentity(classification: QueryClassification): StatementIdentity | undefined {
  const known = identities.get(classification);
  if (known !== undefined) return known;
  if (classification.parseTree === undefined) return undefined;
  const digest = createHash('sha256').update(JSON.stringify(classification.parseTree)).digest('base64url');
  let slot = slotsByDigest.get(digest);
  if (slot === undefined) {
    slot = nextSlot++;
    slotsByDigest.set(digest, slot);
  }
  const identity = { digest, slot };
  identities.set(classification, identity);
  return identity;
}
