import { RollingWindow, type WindowSlot } from './rolling-window';

class Tally implements WindowSlot<Tally> {
  value = 0;
  reset(): void {
    this.value = 0;
  }
  merge(other: Tally): void {
    this.value += other.value;
  }
}

describe('RollingWindow', () => {
  const window = (retired?: Tally) =>
    new RollingWindow(60_000, 6, () => new Tally(), retired && ((slot: Tally) => retired.merge(slot)));
  const sum = (w: RollingWindow<Tally>, nowMs: number) => w.addWindowTo(new Tally(), nowMs).value;

  it('merges every slot of the last six periods', () => {
    const w = window();
    for (let t = 0; t < 60_000; t += 10_000) w.slotAt(t).value += 1;
    expect(sum(w, 59_999)).toBe(6);
  });

  it('drops a slot whole once it is six periods old', () => {
    const w = window();
    w.slotAt(0).value += 5;
    w.slotAt(10_000).value += 1;
    expect(sum(w, 59_999)).toBe(6);
    expect(sum(w, 60_000)).toBe(1);
    expect(sum(w, 70_000)).toBe(0);
  });

  it('clears a reused slot before recording into it', () => {
    const w = window();
    w.slotAt(0).value += 5;
    w.slotAt(60_000).value += 2;
    expect(sum(w, 60_000)).toBe(2);
  });

  it('ignores slots from the future after the clock steps back', () => {
    const w = window();
    w.slotAt(100_000).value += 3;
    expect(sum(w, 50_000)).toBe(0);
  });

  it('retires a slot exactly once, when it is reused, so totals count every sample once', () => {
    const retired = new Tally();
    const w = window(retired);
    for (let t = 0; t < 200_000; t += 1_000) w.slotAt(t).value += 1;
    expect(retired.value + w.addUnretiredTo(new Tally()).value).toBe(200);
    expect(sum(w, 199_999)).toBe(60);
  });

  it('forgets everything on reset', () => {
    const w = window();
    w.slotAt(0).value += 3;
    w.reset();
    expect(sum(w, 0)).toBe(0);
  });
});
