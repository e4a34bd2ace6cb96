import { answersPing, resolveRedis, spawnRedis } from './resolve-redis';

describe('resolveRedis', () => {
  it('prefers REDIS_URL when set', async () => {
    const handle = await resolveRedis({ REDIS_URL: 'redis://example.invalid:1' });
    expect(handle).toMatchObject({ url: 'redis://example.invalid:1', source: 'env' });
  });

  it('starts a redis-server on a free port and stops it', async () => {
    const handle = await spawnRedis();
    expect(await answersPing('127.0.0.1', handle.port)).toBe(true);
    await handle.stop();
    expect(await answersPing('127.0.0.1', handle.port)).toBe(false);
  });
});
