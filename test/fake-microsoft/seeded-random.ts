import { createHash } from 'node:crypto';

/**
 * Deterministic randomness for the seeded directory. Everything a test can observe (ids,
 * names, event times) derives from strings such as "tenant-guid:user:17", so two runs
 * of the fake produce byte-identical data and a failing test can be replayed.
 */

/** A GUID whose bytes are the SHA-256 of the seed, shaped like a v4 GUID as Entra issues them. */
export function guidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `byteCount` bytes of SHA-256(seed) in standard base64, for Outlook-style ids and change keys. */
export function base64From(seed: string, byteCount: number): string {
  const bytes = Buffer.alloc(byteCount);
  for (let block = 0; block * 32 < byteCount; block++) {
    createHash('sha256').update(`${seed}#${block}`).digest().copy(bytes, block * 32);
  }
  return bytes.toString('base64');
}

/** A small seeded PRNG (mulberry32): fast enough to call per event, never Math.random. */
export class SeededRandom {
  private state: number;

  constructor(seed: string) {
    this.state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
