/**
 * A required position no replica reaches, so reads that need it go to the primary: what a read
 * must see while a committed write's own position is unknown (`ConsistencyTracker`).
 */
export const PRIMARY_ONLY_LSN = (1n << 64n) - 1n;

/** A WAL position ("16/B374D848") as a comparable number of bytes. */
export function parseLsn(text: string): bigint | undefined {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The later of two optional positions. */
export function laterLsn(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
