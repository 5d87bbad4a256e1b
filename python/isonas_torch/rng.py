"""The lab's seeded RNG (src/core/rng.ts), integer outputs bit for bit: xoshiro128** seeded by four
SplitMix32 steps, and deriveSeed = fmix32(FNV-1a-32(seed, labels)). The path sampler of every rank
is this generator, so every rank (and the lab) draws the same path sequence."""
from __future__ import annotations

import struct
from typing import List, Sequence, Union

M32 = 0xFFFFFFFF


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & M32


def _splitmix32(seed: int) -> List[int]:
    state = seed & M32
    out = []
    for _ in range(4):
        state = (state + 0x9E3779B9) & M32
        z = state
        z = ((z ^ (z >> 16)) * 0x21F0AAAD) & M32
        z = ((z ^ (z >> 15)) * 0x735A2D97) & M32
        z = z ^ (z >> 15)
        out.append(z)
    return out


class Rng:
    def __init__(self, seed: int):
        self.seed = seed & M32
        self.s = _splitmix32(self.seed)
        self.cached = [0, 0.0]  # hasCachedNormal, cachedNormal (kept for state round trips)

    def next_uint32(self) -> int:
        s0, s1, s2, s3 = self.s
        result = (_rotl((s1 * 5) & M32, 7) * 9) & M32
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def int(self, n: int) -> int:
        limit = 2 ** 32 - (2 ** 32 % n)
        x = self.next_uint32()
        while x >= limit:
            x = self.next_uint32()
        return x % n

    def shuffle(self, a: list) -> list:
        for i in range(len(a) - 1, 0, -1):
            j = self.int(i + 1)
            a[i], a[j] = a[j], a[i]
        return a

    def get_state(self) -> list:
        return [*self.s, self.cached[0], self.cached[1]]

    def set_state(self, st: Sequence[float]) -> None:
        if len(st) != 6 or not all(isinstance(w, int) and 0 <= w <= M32 for w in st[:4]) or not any(st[:4]):
            raise ValueError(f"rng state must be [s0, s1, s2, s3, hasCachedNormal, cachedNormal], got {st!r}")
        self.s = [int(w) for w in st[:4]]
        self.cached = [int(st[4]), float(st[5])]


def _fnv(h: int, data: bytes) -> int:
    for b in data:
        h ^= b
        h = (h * 0x01000193) & M32
    return h


def derive_seed(seed: int, *labels: Union[str, int, float]) -> int:
    h = _fnv(0x811C9DC5, struct.pack("<I", seed & M32))
    for label in labels:
        if isinstance(label, str):
            b = label.encode("utf-8")
            h = _fnv(h, b"\x01" + struct.pack("<I", len(b)))
            h = _fnv(h, b)
        else:
            x = float(label)
            h = _fnv(h, b"\x02" + struct.pack("<d", 0.0 if x == 0 else x))
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & M32
    h ^= h >> 16
    return h


def derive_rng(seed: int, *labels) -> Rng:
    return Rng(derive_seed(seed, *labels))


def sampler_rng(seed: int) -> Rng:
    """The trainer's path sampler (src/core/train/trainer.ts)."""
    return Rng(derive_rng(seed, "sampler").next_uint32())


def sample_paths(choices: Sequence[Sequence[int]], kind: str, rng: Rng) -> List[List[int]]:
    """src/core/train/sampler.ts: `fair` = m = max choices paths, each layer a fresh permutation
    (refilled for layers with fewer choices); `uniform` = one uniformly random path."""
    if kind == "uniform":
        return [[c[rng.int(len(c))] for c in choices]]
    m = max(len(c) for c in choices)
    cols = []
    for c in choices:
        seq: list = []
        while len(seq) < m:
            seq.extend(rng.shuffle(list(c)))
        cols.append(seq[:m])
    return [[col[i] for col in cols] for i in range(m)]
