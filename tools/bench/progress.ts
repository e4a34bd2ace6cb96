import { performance } from 'node:perf_hooks';

/** One step of the run as planned before it starts: what it measures and how long it should take. */
export interface PlannedStep {
  workload: string;
  client: string;
  callers?: number;
  estimateMs: number;
}

/**
 * Prints a line per step with the estimated time left for the whole run:
 * `[bench] 7/38 pk-lookup · pg named · 64 callers · ~2m10s left`. The plan's
 * estimates are scaled by how the finished steps compared with theirs, so
 * setup time (booting the module, loading tables) is counted as it shows up.
 */
export class Progress {
  /** When the first step began: setup before it (loading tables) is not a step's time. */
  private startedAt = 0;
  private current = 0;
  private currentStartedAt = 0;

  constructor(
    private readonly plan: PlannedStep[],
    private readonly print: (line: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts the next planned step and prints its line. */
  begin(workload: string, client: string, callers?: number): void {
    this.current++;
    this.currentStartedAt = this.now();
    if (this.current === 1) this.startedAt = this.currentStartedAt;
    const total = Math.max(this.plan.length, this.current);
    const left = this.scaled(this.estimateFrom(this.current - 1));
    this.print(`${this.current}/${total} ${describe(workload, client, callers)} · ~${formatDuration(left)} left`);
  }

  /** Within a long step: `fraction` of it done, with a detail such as `300k/1M statements`. */
  advance(fraction: number, detail: string): void {
    const step = this.plan[this.current - 1];
    const elapsedInStep = this.now() - this.currentStartedAt;
    const clamped = Math.min(1, Math.max(fraction, 1e-6));
    const restOfStep = (elapsedInStep * (1 - clamped)) / clamped;
    const left = restOfStep + this.scaled(this.estimateFrom(this.current));
    this.print(`${this.current}/${Math.max(this.plan.length, this.current)} ${step ? `${step.workload} · ` : ''}${detail} · ~${formatDuration(left)} left`);
  }

  private estimateFrom(index: number): number {
    return this.plan.slice(index).reduce((sum, step) => sum + step.estimateMs, 0);
  }

  /** Estimates times how slow the finished steps ran against theirs (1 before any finished). */
  private scaled(estimateMs: number): number {
    const finished = this.plan.slice(0, Math.max(0, this.current - 1)).reduce((sum, step) => sum + step.estimateMs, 0);
    const elapsed = this.currentStartedAt - this.startedAt;
    return finished > 0 && elapsed > 0 ? (estimateMs * elapsed) / finished : estimateMs;
  }
}

function describe(workload: string, client: string, callers?: number): string {
  return [workload, client, callers === undefined ? undefined : `${callers} caller${callers === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
}

/** `2m10s`, `45s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
