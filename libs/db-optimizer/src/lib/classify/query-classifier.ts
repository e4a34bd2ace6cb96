import { LRUCache } from 'lru-cache';
import type { QueryClassification } from '../core/query-classification.interface';
import { classifyText } from '../sql/classify-text';

/** Counters of the classification cache. */
export interface ClassificationCacheStats {
  /** Texts cached now. */
  size: number;
  /** Estimated bytes held (text, parse tree and the rest), at most the byte bound. */
  bytes: number;
  hits: number;
  misses: number;
}

/**
 * Classifies SQL texts with the real PostgreSQL parser (libpg-query) and
 * caches the result per exact text in a bounded LRU. A cache hit is one map
 * look-up; parsing (35 µs to 0.5 ms, blocking) happens once per text.
 * Whenever the text leaves any doubt, the target is the primary.
 *
 * Requires `await loadSqlParser()` once before the first classify().
 *
 * @example
 * await loadSqlParser();
 * const classifier = new QueryClassifier(5000);
 * classifier.classify('SELECT * FROM users WHERE id = $1 FOR UPDATE').target; // 'primary'
 * @publicApi
 */
export class QueryClassifier {
  private readonly cache: LRUCache<string, QueryClassification>;
  private hitCount = 0;
  private missCount = 0;

  /**
   * @param cacheSize how many distinct texts to keep classified; the least recently used go first.
   * @param maxBytes estimated bytes the cached classifications may hold (texts and parse trees);
   *   a single text larger than this is classified but not kept.
   */
  constructor(cacheSize = 5000, maxBytes = DEFAULT_CLASSIFICATION_CACHE_BYTES) {
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`QueryClassifier cacheSize must be a positive integer, got ${cacheSize}.`);
    }
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`QueryClassifier maxBytes must be a positive integer, got ${maxBytes}.`);
    }
    this.cache = new LRUCache<string, QueryClassification>({ max: cacheSize, maxSize: maxBytes, sizeCalculation: (value, key) => estimatedBytes(key, value) });
  }

  /** Texts cached now (at most the cacheSize given to the constructor). */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** How many texts the cache holds at most. */
  get cacheCapacity(): number {
    return this.cache.max;
  }

  /** classify() calls answered from the cache. */
  get hits(): number {
    return this.hitCount;
  }

  /** classify() calls that had to parse. */
  get misses(): number {
    return this.missCount;
  }

  stats(): ClassificationCacheStats {
    return { size: this.cache.size, bytes: this.cache.calculatedSize, hits: this.hitCount, misses: this.missCount };
  }

  /** Forgets every cached classification (counters are kept). */
  clear(): void {
    this.cache.clear();
  }

  /**
   * Classification of one SQL text. The same object is returned for the same
   * text while it stays cached; it is frozen, do not mutate it.
   * @throws Error when loadSqlParser() has not completed.
   */
  classify(sql: string): QueryClassification {
    const cached = this.cache.get(sql);
    if (cached !== undefined) {
      this.hitCount++;
      return cached;
    }
    this.missCount++;
    const classification = classifyText(sql);
    // lru-cache refuses (without throwing) an entry larger than maxSize: it is then simply not kept.
    this.cache.set(sql, classification);
    return classification;
  }
}

/** 64 MiB: thousands of ordinary texts, while a flood of huge distinct texts cannot exhaust memory. */
export const DEFAULT_CLASSIFICATION_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * A cheap estimate of what one cached classification holds: the text twice (key and normalized
 * text, 2 bytes a character) and the parse tree, which JSON-encodes to roughly 15-25 times the
 * text; never walked here, since the hot path must stay cheap.
 */
function estimatedBytes(sql: string, classification: QueryClassification): number {
  const text = sql.length + classification.normalizedSql.length;
  return 512 + text * 2 + (classification.parseTree === undefined ? 0 : sql.length * 40);
}

