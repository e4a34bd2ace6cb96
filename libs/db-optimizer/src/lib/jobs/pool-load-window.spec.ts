import { PoolLoadWindow } from './pool-load-window';

/** The counters a window reads, writable so a test can move them. */
interface LiveCounters {
  busyCount: number;
  waitingCount: number;
  acquisitions: number;
}

describe('PoolLoadWindow', () => {
  const pool = (): LiveCounters => ({ busyCount: 0, waitingCount: 0, acquisitions: 0 });

  describe('#take', () => {
    it('reports the peaks sampled during the interval, not just the values at the end', () => {
      const live = pool();
      const window = new PoolLoadWindow(live);
      Object.assign(live, { busyCount: 4, waitingCount: 3 });
      window.sample();
      Object.assign(live, { busyCount: 1, waitingCount: 0 });
      window.sample();
      expect(window.take()).toMatchObject({ peakBusy: 4, peakWaiting: 3 });
    });

    it('counts the acquisitions of the interval only', () => {
      const live = { ...pool(), acquisitions: 100 };
      const window = new PoolLoadWindow(live);
      live.acquisitions = 130;
      expect(window.take().acquisitions).toBe(30);
      live.acquisitions = 131;
      expect(window.take().acquisitions).toBe(1);
    });

    it('starts the next interval from the counters now: a client still out counts as busy there too', () => {
      const live = pool();
      const window = new PoolLoadWindow(live);
      Object.assign(live, { busyCount: 5 });
      window.sample();
      live.busyCount = 2;
      window.take();
      expect(window.take()).toMatchObject({ peakBusy: 2, peakWaiting: 0 });
    });

    it('includes a sample taken at the tick itself', () => {
      const live = pool();
      const window = new PoolLoadWindow(live);
      live.waitingCount = 7;
      expect(window.take().peakWaiting).toBe(7);
    });
  });

  describe('#recordAcquisition', () => {
    it('reports the p99 of the interval and forgets it afterwards', () => {
      const window = new PoolLoadWindow(pool());
      expect(window.take().acquisitionP99Ms).toBeUndefined();
      for (let i = 0; i < 99; i++) window.recordAcquisition(0.2);
      window.recordAcquisition(40);
      window.recordAcquisition(40);
      expect(window.take().acquisitionP99Ms).toBeGreaterThan(35);
      window.recordAcquisition(0.2);
      expect(window.take().acquisitionP99Ms).toBeLessThan(1);
    });
  });
});
