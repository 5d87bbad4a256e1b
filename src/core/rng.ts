// The only source of randomness in the project. Everything random takes an Rng; nothing in core
// calls Math.random.
//
// Algorithm: xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
// 128-bit state as four 32-bit words, 32-bit operations only (Math.imul, shifts, xor).
// Seeding: the 32-bit seed is expanded into the four state words by four steps of SplitMix32:
//   state += 0x9E3779B9; z = state;
//   z = (z ^ z >>> 16) * 0x21F0AAAD; z = (z ^ z >>> 15) * 0x735A2D97; z ^= z >>> 15   (mod 2^32)
// The output function is a bijection of the counter, so the four words are distinct and the
// forbidden all-zero state cannot arise.
//
// Determinism: integer outputs (nextUint32, int, shuffle, permutation) are bit-identical on every
// JavaScript engine. uniform() is exact too. normal() uses Math.log/cos/sin, which ECMAScript does
// not require to be correctly rounded: bit-identical within one engine (V8 in Node and Chrome),
// possibly different in the last ulp across engines.

export interface Rng {
  /** The uint32 seed this generator was created from (after normalisation). */
  readonly seed: number;
  /** Uniform 32-bit unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits (uses two nextUint32 draws). */
  uniform(): number;
  /** Standard Gaussian N(0, 1) by Box-Muller; every other call returns the cached second value. */
  normal(): number;
  /** Uniform integer in [0, n), unbiased (rejection sampling); n an integer in [1, 2^32]. */
  int(n: number): number;
  /** In-place Fisher-Yates shuffle; returns `a`. */
  shuffle<T>(a: T[]): T[];
  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): number[];
  /** Full state as JSON-safe numbers: [s0, s1, s2, s3, hasCachedNormal (0|1), cachedNormal]. */
  getState(): number[];
  /** Restore a state from getState() exactly; throws an Error on a malformed state. */
  setState(s: number[]): void;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_NEG_53 = 1 / 9007199254740992;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Validate a seed (finite integer) and normalise it to uint32 with `>>> 0` (i.e. mod 2^32, so -1 -> 4294967295). */
function normaliseSeed(seed: number): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new Error(`rng: seed must be a finite integer, got ${String(seed)}`);
  }
  return seed >>> 0;
}

/** Four SplitMix32 outputs from a uint32 seed (the xoshiro128** state). */
function splitMix32State(seed: number): [number, number, number, number] {
  let state = seed | 0;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z = z ^ (z >>> 15);
    out.push(z | 0);
  }
  return [out[0], out[1], out[2], out[3]];
}

class Xoshiro128StarStar implements Rng {
  readonly seed: number;
  // State words held as int32 (`| 0`); getState reports them as uint32.
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  // Box-Muller makes two Gaussians per pair of uniforms; the second waits here. Part of the state.
  private hasCachedNormal = false;
  private cachedNormal = 0;

  constructor(seed: number) {
    this.seed = seed;
    [this.s0, this.s1, this.s2, this.s3] = splitMix32State(seed);
  }

  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    let s2 = this.s2 ^ s0;
    let s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    this.s2 = s2;
    this.s3 = s3;
    return result >>> 0;
  }

  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) * TWO_POW_NEG_53;
  }

  normal(): number {
    if (this.hasCachedNormal) {
      this.hasCachedNormal = false;
      const z = this.cachedNormal;
      this.cachedNormal = 0;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.cachedNormal = r * Math.sin(theta);
    this.hasCachedNormal = true;
    return r * Math.cos(theta);
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new Error(`rng.int: n must be an integer in [1, 2^32], got ${String(n)}`);
    }
    // Accept x < limit, the largest multiple of n that fits in 2^32, so x % n is exactly uniform.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`rng.permutation: n must be a non-negative integer, got ${String(n)}`);
    }
    const p = new Array<number>(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  getState(): number[] {
    return [
      this.s0 >>> 0,
      this.s1 >>> 0,
      this.s2 >>> 0,
      this.s3 >>> 0,
      this.hasCachedNormal ? 1 : 0,
      this.cachedNormal,
    ];
  }

  setState(s: number[]): void {
    if (!Array.isArray(s) || s.length !== 6) {
      throw new Error(`rng.setState: expected an array of 6 numbers [s0,s1,s2,s3,hasCachedNormal,cachedNormal], got ${describe(s)}`);
    }
    for (let i = 0; i < 4; i++) {
      const w = s[i];
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w >= TWO_POW_32) {
        throw new Error(`rng.setState: state word ${i} must be an integer in [0, 2^32), got ${String(w)}`);
      }
    }
    if (s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0) {
      throw new Error('rng.setState: the all-zero state is invalid for xoshiro128**');
    }
    if (s[4] !== 0 && s[4] !== 1) {
      throw new Error(`rng.setState: hasCachedNormal (index 4) must be 0 or 1, got ${String(s[4])}`);
    }
    if (typeof s[5] !== 'number' || !Number.isFinite(s[5])) {
      throw new Error(`rng.setState: cachedNormal (index 5) must be a finite number, got ${String(s[5])}`);
    }
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
    this.hasCachedNormal = s[4] === 1;
    this.cachedNormal = this.hasCachedNormal ? s[5] : 0;
  }
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? 'null' : typeof x;
}

/** A generator seeded from `seed` (a finite integer, normalised to uint32 with `>>> 0`). */
export function createRng(seed: number): Rng {
  return new Xoshiro128StarStar(normaliseSeed(seed));
}

// ---- Stream derivation ------------------------------------------------------------------------
// seed' = fmix32(FNV-1a-32(bytes)), where bytes = uint32 LE of the seed, then for each label:
//   string: 0x01, uint32 LE byte length, the UTF-8 bytes
//   number: 0x02, float64 LE (finite; -0 is treated as 0)
// The type tag and length prefix keep ('ab','c'), ('a','bc') and ('1') vs (1) apart; fmix32 (the
// MurmurHash3 finaliser) gives FNV-1a full avalanche.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvBytes(h: number, bytes: ArrayLike<number>): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

function uint32LE(x: number): number[] {
  return [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff];
}

/** UTF-8 encoding (lone surrogates become U+FFFD, as TextEncoder does). */
function utf8(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The uint32 seed deriveRng uses for (seed, ...labels). Exposed for tests and for logging. */
export function deriveSeed(seed: number, ...labels: Array<string | number>): number {
  let h = fnvBytes(FNV_OFFSET, uint32LE(normaliseSeed(seed)));
  const f64 = new DataView(new ArrayBuffer(8));
  for (const label of labels) {
    if (typeof label === 'string') {
      const bytes = utf8(label);
      h = fnvBytes(h, [0x01, ...uint32LE(bytes.length)]);
      h = fnvBytes(h, bytes);
    } else if (typeof label === 'number' && Number.isFinite(label)) {
      f64.setFloat64(0, label === 0 ? 0 : label, true);
      h = fnvBytes(h, [0x02]);
      for (let i = 0; i < 8; i++) h = fnvBytes(h, [f64.getUint8(i)]);
    } else {
      throw new Error(`deriveRng: labels must be strings or finite numbers, got ${String(label)}`);
    }
  }
  return fmix32(h);
}

/**
 * Independent stream for a named purpose, e.g. deriveRng(seed, 'weights', layerIdx, choice, 'pw1').
 * The labels are hashed with the seed into a new uint32 seed (see deriveSeed), so the stream does
 * not depend on how many numbers any other stream has drawn: any single tensor can be regenerated
 * alone. The same (seed, labels) always gives the same stream.
 */
export function deriveRng(seed: number, ...labels: Array<string | number>): Rng {
  return createRng(deriveSeed(seed, ...labels));
}
