import { parseClusterNodes } from './cluster-topology';

const afterFailover = [
  'a1 127.0.0.1:7001@17001 master,fail - 1700000000000 1700000000000 1 disconnected',
  'b2 127.0.0.1:7002@17002 myself,master - 0 1700000000000 2 connected 5461-10922',
  'c3 127.0.0.1:7004@17004 slave b2 0 1700000000000 2 connected',
  'd4 127.0.0.1:7003@17003 master - 0 1700000000000 7 connected 0-5460 10923 [10924->-b2]',
].join('\n');

describe('parseClusterNodes', () => {
  it('reads roles, masters, failures and slot counts from CLUSTER NODES', () => {
    expect(parseClusterNodes(afterFailover)).toEqual([
      { id: 'a1', port: 7001, role: 'master', masterId: undefined, failing: true, slotCount: 0 },
      { id: 'b2', port: 7002, role: 'master', masterId: undefined, failing: false, slotCount: 5462 },
      { id: 'c3', port: 7004, role: 'replica', masterId: 'b2', failing: false, slotCount: 0 },
      { id: 'd4', port: 7003, role: 'master', masterId: undefined, failing: false, slotCount: 5462 },
    ]);
  });

  it('names the line it cannot read', () => {
    expect(() => parseClusterNodes('garbage')).toThrow('Unexpected CLUSTER NODES line: "garbage".');
  });
});
