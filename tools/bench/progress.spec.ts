import { formatDuration, PlannedStep, Progress } from './progress';

const plan: PlannedStep[] = [
  { workload: 'pk-lookup', client: 'pg unnamed', callers: 1, estimateMs: 5000 },
  { workload: 'pk-lookup', client: 'pg named', callers: 64, estimateMs: 5000 },
  { workload: 'memory', client: 'DbOptimizerService', estimateMs: 10_000 },
];

function run(): { lines: string[]; progress: Progress; clock: { now: number } } {
  const lines: string[] = [];
  const clock = { now: 0 };
  return { lines, progress: new Progress(plan, (line) => lines.push(line), () => clock.now), clock };
}

describe('Progress', () => {
  it('names the step, its caller count and the whole plan left', () => {
    const { lines, progress } = run();
    progress.begin('pk-lookup', 'pg unnamed', 1);
    expect(lines).toEqual(['1/3 pk-lookup · pg unnamed · 1 caller · ~20s left']);
  });

  it('scales what is left by how the finished steps ran against their estimates', () => {
    const { lines, progress, clock } = run();
    progress.begin('pk-lookup', 'pg unnamed', 1);
    clock.now = 10_000; // twice the estimate
    progress.begin('pk-lookup', 'pg named', 64);
    expect(lines[1]).toBe('2/3 pk-lookup · pg named · 64 callers · ~30s left');
  });

  it('within a step, extrapolates from the fraction done', () => {
    const { lines, progress, clock } = run();
    progress.begin('pk-lookup', 'pg unnamed', 1);
    clock.now = 5000;
    progress.begin('pk-lookup', 'pg named', 64);
    clock.now = 10_000;
    progress.begin('memory', 'DbOptimizerService');
    clock.now = 30_000; // a quarter in 20 s: 60 s to go
    progress.advance(0.25, '250k/1M statements');
    expect(lines[3]).toBe('3/3 memory · 250k/1M statements · ~1m00s left');
  });

  it('never shows a step number above the total', () => {
    const { lines, progress } = run();
    for (let i = 0; i < 4; i++) progress.begin('extra', 'client');
    expect(lines[3]).toMatch(/^4\/4 extra · client · ~0s left$/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [44_600, '45s'],
    [130_000, '2m10s'],
    [3_720_000, '1h02m'],
  ])('%p ms reads %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
