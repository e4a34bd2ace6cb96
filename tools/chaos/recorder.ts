import { errorType, shortMessage } from './error-type';

export type OpKind =
  | 'read'
  | 'read-token'
  | 'read-session'
  | 'read-uncached'
  | 'write'
  | 'transaction'
  | 'batch'
  | 'bad-sql'
  | 'oversized-param';

const READ_KINDS: ReadonlySet<OpKind> = new Set(['read', 'read-token', 'read-session', 'read-uncached']);

/** Errors of one type: how many, which operations hit them, one message as a sample. */
export interface ErrorCount {
  count: number;
  byOperation: Partial<Record<OpKind, number>>;
  sample: string;
  /** First and last time seen (ISO), to line errors up with the fault windows. */
  firstAt: string;
  lastAt: string;
}

/** Violations of one kind: how many in each phase, and the first few in full. */
export interface ViolationLog {
  count: number;
  byPhase: Record<string, number>;
  samples: Violation[];
}

/** What happened while one fault (or no fault: `calm`) was in force. */
export interface PhaseStats {
  operations: number;
  succeeded: number;
  reads: number;
  readsSucceeded: number;
  errors: Record<string, ErrorCount>;
}

/** A broken promise, with enough detail to find it again. */
export interface Violation {
  phase: string;
  /** When it was seen (ISO), to line it up with the fault windows. */
  at: string;
  detail: string;
}

const MAX_SAMPLES = 20;

/**
 * Counts outcomes per phase and keeps the violations. Expected failures
 * (bad SQL, oversized parameters) are counted apart so they do not hide or
 * inflate the faults' errors.
 */
export class Recorder {
  readonly phases: Record<string, PhaseStats> = {};
  readonly expectedErrors: Record<string, ErrorCount> = {};
  unexpectedSuccesses: Violation[] = [];
  readonly readYourWrites: ViolationLog = { count: 0, byPhase: {}, samples: [] };
  readonly staleCacheReads: ViolationLog = { count: 0, byPhase: {}, samples: [] };
  /** Tokenless reads that missed the cache and still returned an old value (no promise covers them across instances; shown for information). */
  staleTokenlessMisses = 0;
  hungOperations = 0;
  errorsSoFar = 0;

  ok(phase: string, kind: OpKind): void {
    const stats = this.phase(phase);
    stats.operations++;
    stats.succeeded++;
    if (READ_KINDS.has(kind)) {
      stats.reads++;
      stats.readsSucceeded++;
    }
  }

  failed(phase: string, kind: OpKind, error: unknown): void {
    const stats = this.phase(phase);
    stats.operations++;
    if (READ_KINDS.has(kind)) stats.reads++;
    count(stats.errors, kind, error);
    this.errorsSoFar++;
  }

  /** A failure the operation was designed to cause (bad SQL); it is still an outcome of the phase. */
  expectedFailure(phase: string, kind: OpKind, error: unknown): void {
    const stats = this.phase(phase);
    stats.operations++;
    stats.succeeded++;
    count(this.expectedErrors, kind, error);
  }

  unexpectedSuccess(phase: string, detail: string): void {
    if (this.unexpectedSuccesses.length < MAX_SAMPLES) this.unexpectedSuccesses.push({ phase, at: new Date().toISOString(), detail });
  }

  readYourWritesViolation(phase: string, detail: string): void {
    log(this.readYourWrites, phase, detail);
  }

  staleCacheRead(phase: string, detail: string): void {
    log(this.staleCacheReads, phase, detail);
  }

  phase(name: string): PhaseStats {
    return (this.phases[name] ??= { operations: 0, succeeded: 0, reads: 0, readsSucceeded: 0, errors: {} });
  }
}

function log(violations: ViolationLog, phase: string, detail: string): void {
  violations.count++;
  violations.byPhase[phase] = (violations.byPhase[phase] ?? 0) + 1;
  if (violations.samples.length < MAX_SAMPLES) violations.samples.push({ phase, at: new Date().toISOString(), detail });
}

function count(table: Record<string, ErrorCount>, kind: OpKind, error: unknown): void {
  const type = errorType(error);
  const now = new Date().toISOString();
  const entry = (table[type] ??= { count: 0, byOperation: {}, sample: shortMessage(error), firstAt: now, lastAt: now });
  entry.count++;
  entry.lastAt = now;
  entry.byOperation[kind] = (entry.byOperation[kind] ?? 0) + 1;
}
