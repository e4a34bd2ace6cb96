import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distinctFreePorts, findFreePort, portsOutsideEphemeralRange } from './free-port';

function rangeFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'free-port-')), 'ip_local_port_range');
  writeFileSync(file, text);
  return file;
}

describe('findFreePort', () => {
  it('hands out ports below the ephemeral range, where outgoing connections never take a port', async () => {
    const range = portsOutsideEphemeralRange();
    if (!range) throw new Error('This machine has no /proc/sys/net/ipv4/ip_local_port_range with room below it; the suite runs on Linux.');
    const ports = await distinctFreePorts(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(range.from);
      expect(port).toBeLessThanOrEqual(range.to);
    }
    expect(new Set(ports).size).toBe(20);
  });

  it('hands out a port a server can bind at once', async () => {
    const port = await findFreePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads the range from the kernel file, and gives up on one that leaves too little room', () => {
    expect(portsOutsideEphemeralRange(rangeFile('32768\t60999\n'))).toEqual({ from: 10_000, to: 32_767 });
    expect(portsOutsideEphemeralRange(rangeFile('10500 65000\n'))).toBeUndefined();
    expect(portsOutsideEphemeralRange(rangeFile('garbage'))).toBeUndefined();
    expect(portsOutsideEphemeralRange('/no/such/file')).toBeUndefined();
  });

  it('never hands out the same port twice, also where the kernel chooses them', async () => {
    const ports = await distinctFreePorts(40, '/no/such/file');
    expect(new Set(ports).size).toBe(40);
  });
});
