"""OVS's string hash and the iteration order of an `sset` built from it, for
the few flows northd prints by walking a string set (lib/hash.c murmur
hash_bytes, lib/hmap.c bucket chains and resizes)."""
from __future__ import annotations

import functools

_M32 = 0xFFFFFFFF


def _rot(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _M32


def _mhash_add(h: int, data: int) -> int:
    if data:
        data = (data * 0xCC9E2D51) & _M32
        data = _rot(data, 15)
        data = (data * 0x1B873593) & _M32
        h ^= data
    h = _rot(h, 13)
    return (h * 5 + 0xE6546B64) & _M32


def _mhash_finish(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    return h ^ (h >> 16)


@functools.lru_cache(maxsize=1 << 16)
def hash_string(s: str, basis: int = 0) -> int:
    """hash_string(): hash_bytes() of the UTF-8 bytes, little-endian words."""
    data = s.encode()
    h = basis
    for i in range(0, len(data) - len(data) % 4, 4):
        h = _mhash_add(h, int.from_bytes(data[i:i + 4], "little"))
    if len(data) % 4:
        h = _mhash_add(h, int.from_bytes(data[len(data) - len(data) % 4:], "little"))
    return _mhash_finish(h ^ len(data))


def _calc_mask(capacity: int) -> int:
    mask = capacity // 2
    for shift in (1, 2, 4, 8, 16, 32):
        mask |= mask >> shift
    return mask | (mask & 1) << 1


def sset_order(strings: list[str], reserve: int = 0) -> list[str]:
    """The order SSET_FOR_EACH visits `strings` added one by one (duplicates
    ignored): buckets in index order, each chain newest first, chains
    rebuilt (reversed) whenever the hmap grows. `reserve`: a set sized for
    that many strings beforehand (sset_clone()'s copy behaves so in the
    reference: observed, not read in OVS)."""
    mask = _calc_mask(reserve) if reserve else 0
    buckets, n, seen = [[] for _ in range(mask + 1)], 0, set()
    for s in strings:
        if s in seen:
            continue
        seen.add(s)
        h = hash_string(s)
        buckets[h & mask].insert(0, (s, h))
        n += 1
        if n // 2 > mask and _calc_mask(n) > mask:
            mask = _calc_mask(n)
            grown = [[] for _ in range(mask + 1)]
            for chain in buckets:
                for t, th in chain:
                    grown[th & mask].insert(0, (t, th))
            buckets = grown
    return [s for chain in buckets for s, _ in chain]
