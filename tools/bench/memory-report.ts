/** Process memory at one point of the memory run. */
export interface MemoryPoint {
  /** Distinct statement texts run so far. */
  statements: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface MemoryReport {
  /** Distinct texts asked for; `statements` is lower when the run hit its time limit. */
  requestedStatements: number;
  statements: number;
  sessions: number;
  executions: number;
  errors: number;
  durationMs: number;
  /** False when node ran without --expose-gc: "after GC" points are then plain readings. */
  gcForced: boolean;
  before: MemoryPoint;
  after: MemoryPoint;
  afterGc: MemoryPoint;
  /** RSS and heap after a forced GC, every sample interval of statements. */
  samples: MemoryPoint[];
  plateau?: Plateau;
}

export interface Plateau {
  /** Heap growth from the sample at half the statements to the last one, in percent. */
  lastHalfGrowthPercent: number;
  plateaued: boolean;
}

/** Below this growth over the second half of the run, the heap counts as flat. */
export const PLATEAU_GROWTH_PERCENT = 10;

/** Compares the heap at the first sample at or past half the statements with the last sample. */
export function plateauOf(samples: MemoryPoint[]): Plateau | undefined {
  const last = samples[samples.length - 1];
  if (last === undefined) return undefined;
  const middle = samples.find((sample) => sample.statements >= last.statements / 2);
  if (middle === undefined || middle === last) return undefined;
  const lastHalfGrowthPercent = ((last.heapUsedBytes - middle.heapUsedBytes) / middle.heapUsedBytes) * 100;
  return { lastHalfGrowthPercent, plateaued: lastHalfGrowthPercent < PLATEAU_GROWTH_PERCENT };
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
const count = (n: number): string => (n >= 1_000_000 && n % 100_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

/** The one-line summary printed with the table. */
export function memoryLine(report: MemoryReport): string {
  const gc = report.gcForced ? 'after GC' : 'no GC (run node with --expose-gc)';
  const plateau =
    report.plateau === undefined
      ? 'plateau: too few samples'
      : `plateaued: ${report.plateau.plateaued ? 'yes' : 'NO'} (last half ${report.plateau.lastHalfGrowthPercent >= 0 ? '+' : ''}${report.plateau.lastHalfGrowthPercent.toFixed(1)}%)`;
  const statements =
    report.statements < report.requestedStatements
      ? `${count(report.statements)} of ${count(report.requestedStatements)} distinct statements (time limit reached)`
      : `${count(report.statements)} distinct statements`;
  const every = `every ${count(report.samples[0]?.statements ?? 0)}`;
  return (
    `${statements}, ${count(report.sessions)} sessions (${report.executions} executions, ${report.errors} errors, ` +
    `${(report.durationMs / 1000).toFixed(0)} s): RSS ${mib(report.before.rssBytes)} → ${mib(report.after.rssBytes)} MiB (${gc} ${mib(report.afterGc.rssBytes)}), ` +
    `heapUsed ${mib(report.before.heapUsedBytes)} → ${mib(report.after.heapUsedBytes)} MiB (${gc} ${mib(report.afterGc.heapUsedBytes)}); ` +
    `heap ${gc} ${every}: ${report.samples.map((sample) => mib(sample.heapUsedBytes)).join(', ')} MiB; ` +
    `RSS ${every}: ${report.samples.map((sample) => mib(sample.rssBytes)).join(', ')} MiB; ${plateau}`
  );
}
