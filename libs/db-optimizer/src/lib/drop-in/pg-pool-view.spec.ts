import { EventEmitter } from 'node:events';
import { Pool } from 'pg';
import { pgPoolView } from './pg-pool-view';

/** A stand-in with state, a method that uses `this`, and events: what a routing pool has. */
class Counter extends EventEmitter {
  calls = 0;
  query(text: string): string {
    this.calls += 1;
    return `ran ${text}`;
  }
}

describe('pgPoolView', () => {
  it('passes instanceof pg.Pool, the check Prisma\'s PrismaPg uses to tell a pool from a config', () => {
    const target = new Counter();
    expect(target).not.toBeInstanceOf(Pool);
    expect(pgPoolView(target)).toBeInstanceOf(Pool);
  });

  it('sends every call and write to the target: the view keeps no state of its own', () => {
    const target = new Counter();
    const view = pgPoolView(target) as unknown as Counter;
    expect(view.query('SELECT 1')).toBe('ran SELECT 1');
    expect(target.calls).toBe(1);
    (view as unknown as { options: unknown }).options = { seen: true };
    expect((target as unknown as { options: unknown }).options).toEqual({ seen: true });
  });

  it('shares the target\'s listeners: one attached on the view hears the target, and is removed there', () => {
    const target = new Counter();
    const view = pgPoolView(target);
    const heard: Error[] = [];
    const listener = (error: Error): void => void heard.push(error);
    view.on('error', listener);
    const fromTarget = new Error('from the target');
    target.emit('error', fromTarget);
    view.removeListener('error', listener);
    expect(heard).toEqual([fromTarget]);
    expect(target.listenerCount('error')).toBe(0);
  });
});
