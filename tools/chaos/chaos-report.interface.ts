import type { FaultKind } from './faults';
import type { ErrorCount, PhaseStats, Violation } from './recorder';

/** One fault as it happened: its window and what the workload saw inside it. */
export interface FaultWindowReport {
  kind: FaultKind;
  description: string;
  startedAt?: string;
  durationMs?: number;
  /** Not injected because the operations ran out first, or injection failed. */
  skipped?: string;
  /** Successful reads / attempted reads inside the window (1 when none were attempted). */
  readAvailability: number;
  stats: PhaseStats;
}

/** A must-be-zero check: its count, and samples that say where to look. */
export interface ZeroCheck {
  count: number;
  /** Where they happened, for violations seen during the workload. */
  byPhase?: Record<string, number>;
  samples: unknown[];
}

export interface ChaosReport {
  seed: number;
  operations: number;
  callers: number;
  /** The instances' `multiplexReads` (0: every read on its own connection). */
  multiplexReads: number;
  durationMs: number;
  faults: FaultWindowReport[];
  /** Outcomes outside any fault window. */
  calm: PhaseStats;
  checks: {
    lostWrites: ZeroCheck;
    readYourWritesViolations: ZeroCheck;
    staleCacheReads: ZeroCheck;
    processCrashes: ZeroCheck;
    clientsCheckedOutAtEnd: ZeroCheck;
  };
  info: {
    acknowledgedWrites: number;
    inDoubtWrites: number;
    staleTokenlessMisses: number;
    hungOperations: number;
    crossInstanceWindowMs: number;
    redisOutageWindowMs: number;
    expectedErrors: Record<string, ErrorCount>;
    unexpectedSuccesses: Violation[];
    notes: string[];
  };
  passed: boolean;
}
