import { ConsistencyTracker } from './consistency-tracker';
import { ReplicaLagMonitor } from './replica-lag-monitor.service';
import { PRIMARY_ONLY_LSN } from '../core/lsn';

describe('ReplicaLagMonitor', () => {
  describe('#checkNow, after a write whose position is unknown', () => {
    it('covers it only with a primary position read after it, never with a check it joined', async () => {
      const tracker = new ConsistencyTracker();
      // A primary check already under way (a read started it after a failover) may have read before the write.
      const watch = { checking: true, check: async () => ({ covering: 0x500n, shipped: 0x480n }) };
      const monitor = new ReplicaLagMonitor({ replicas: [] } as never, watch as never, {} as never, tracker);
      tracker.noteUnpositionedWrite('alice');

      await monitor.checkNow();
      expect(tracker.requiredLsn('alice', undefined)).toBe(PRIMARY_ONLY_LSN);

      watch.checking = false;
      await monitor.checkNow();
      // The covering (insert) position, not the flushed one the lag is measured against.
      expect(tracker.requiredLsn('alice', undefined)).toBe(0x500n);
    });
  });
});
