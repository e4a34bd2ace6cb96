/** A host and port, the shape ioredis takes for Cluster `startupNodes` and Sentinel `sentinels`. */
export interface RedisAddress {
  host: string;
  port: number;
}
