import { spawnRedis } from '@db-optimizer/cluster';

type SpawnedRedis = Awaited<ReturnType<typeof spawnRedis>>;

/** A private `redis-server` the run may stop and start again on the same port (so the module's URL stays valid). */
export class RedisControl {
  private constructor(private handle: SpawnedRedis | undefined, readonly port: number) {}

  static async start(): Promise<RedisControl> {
    const handle = await spawnRedis();
    return new RedisControl(handle, handle.port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  async stop(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }

  async restart(): Promise<void> {
    if (this.handle) return;
    this.handle = await spawnRedis(this.port);
  }
}
