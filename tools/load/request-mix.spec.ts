import { RequestMix } from './request-mix';

describe('RequestMix', () => {
  const draw = (writeRatio: number, count: number, seed = 3) => {
    const mix = new RequestMix(seed, 1000, writeRatio);
    return Array.from({ length: count }, () => mix.next());
  };

  it('writes about the requested share, and only reads at 0', () => {
    const writes = draw(0.2, 5000).filter((request) => request.method !== 'GET').length;
    expect(writes / 5000).toBeGreaterThan(0.17);
    expect(writes / 5000).toBeLessThan(0.23);
    expect(draw(0, 2000).every((request) => request.method === 'GET')).toBe(true);
  });

  it('reads only lead ids that exist, and sends a session with every request', () => {
    for (const request of draw(0.5, 3000)) {
      const id = /^\/leads\/(\d+)/.exec(request.path)?.[1];
      if (id !== undefined) expect(Number(id)).toBeGreaterThanOrEqual(1);
      if (id !== undefined) expect(Number(id)).toBeLessThanOrEqual(1000);
      expect(request.sessionKey).toMatch(/^load-user-\d+$/);
    }
  });

  it('gives the same requests for the same seed', () => {
    const strip = (requests: ReturnType<typeof draw>) => requests.map(({ name, path }) => `${name} ${path}`);
    expect(strip(draw(0.1, 200, 9))).toEqual(strip(draw(0.1, 200, 9)));
    expect(strip(draw(0.1, 200, 9))).not.toEqual(strip(draw(0.1, 200, 10)));
  });
});
