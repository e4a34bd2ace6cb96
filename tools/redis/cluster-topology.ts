/** One line of `CLUSTER NODES`, reduced to what the harness needs. */
export interface ClusterNodeLine {
  id: string;
  port: number;
  role: 'master' | 'replica';
  /** The master's id for a replica; undefined for a master. */
  masterId: string | undefined;
  /** Flagged `fail` or `fail?` by the node that answered. */
  failing: boolean;
  /** Number of slots it serves (0 for replicas and for masters that lost their slots). */
  slotCount: number;
}

/**
 * Parses `CLUSTER NODES` (`<id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot>...`).
 * Importing slots (`[n-<-id]`) and migrating slots (`[n->-id]`) are not counted.
 */
export function parseClusterNodes(text: string): ClusterNodeLine[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [id, address, flagText, master, , , , , ...slots] = line.split(' ');
      const port = Number(address?.split('@')[0].split(':').pop());
      if (!flagText || !master || !Number.isInteger(port)) throw new Error(`Unexpected CLUSTER NODES line: "${line}".`);
      const flags = flagText.split(',');
      return {
        id,
        port,
        role: flags.includes('slave') ? 'replica' : 'master',
        masterId: master === '-' ? undefined : master,
        failing: flags.includes('fail') || flags.includes('fail?'),
        slotCount: slots.filter((slot) => !slot.startsWith('[')).reduce((sum, range) => sum + countSlots(range), 0),
      };
    });
}

function countSlots(range: string): number {
  const [from, to] = range.split('-').map(Number);
  return to === undefined ? 1 : to - from + 1;
}
