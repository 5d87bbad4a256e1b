// The deterministic train / validation split by a held-out fraction: a sample is held out when
// the hash of its key, deriveSeed(splitSeed, 'split', key) / 2^32, is below the fraction. It
// depends on the key alone (not on the shard, its position, the read order or the training seed),
// so the same image lands on the same side however the data is sharded, shuffled or re-read.
import { deriveSeed } from '../../rng.ts';

/** The key's position in [0, 1) for the split. */
export function splitHash(key: string, splitSeed: number): number {
  return deriveSeed(splitSeed, 'split', key) / 4294967296;
}

export function isHeldOut(key: string, fraction: number, splitSeed: number): boolean {
  return fraction > 0 && splitHash(key, splitSeed) < fraction;
}
