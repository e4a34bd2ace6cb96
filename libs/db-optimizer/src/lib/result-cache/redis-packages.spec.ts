import { loadRedisModule } from './redis-packages';

/** The error Node's require throws for a package that is not installed. */
function notInstalled(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/redis-client.js`), { code: 'MODULE_NOT_FOUND' });
}

describe('loadRedisModule', () => {
  it('returns what the loader gives', async () => {
    await expect(loadRedisModule(async () => ({ loaded: true }))).resolves.toEqual({ loaded: true });
  });

  it.each(['ioredis', 'cache-manager-ioredis-yet', 'keyv/dist/index.cjs'])('names the install when %s is missing', async (name) => {
    const failure = loadRedisModule(() => Promise.reject(notInstalled(name)));
    await expect(failure).rejects.toThrow(`the package "${name.split('/')[0]}" is not installed`);
    await expect(failure).rejects.toThrow('npm install ioredis cache-manager cache-manager-ioredis-yet keyv');
  });

  it('passes other failures through unchanged, a missing module that is not a Redis package included', async () => {
    const other = notInstalled('./redis-side');
    await expect(loadRedisModule(() => Promise.reject(other))).rejects.toBe(other);
    const broken = new TypeError('boom');
    await expect(loadRedisModule(() => Promise.reject(broken))).rejects.toBe(broken);
  });
});
