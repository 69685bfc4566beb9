#!/usr/bin/env python3
# The expected values of test_resample.c, computed independently of the C
# code: splitmix64 and xoshiro256** as published by Vigna
# (prng.di.unimi.it) in Python integers masked to 64 bits, and indices by
# Lemire's rule on 16-bit chunks (32-bit when n > 65536), low chunk first,
# rejecting (chunk * n) mod 2^bits < 2^bits mod n.
# Usage: python3 tests/unit/resample_ref.py
M = (1 << 64) - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & M
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return x, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


def seeded(seed):
    state = []
    for _ in range(4):
        seed, v = splitmix64(seed)
        state.append(v)
    return state


def next64(s):
    result = (rotl((s[1] * 5) & M, 7) * 9) & M
    t = (s[1] << 17) & M
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 45)
    return result


def indices(seed, n, count):
    s = seeded(seed)
    bits = 16 if n <= 65536 else 32
    mask = (1 << bits) - 1
    threshold = (1 << bits) % n
    out, rejected, word, left = [], 0, 0, 0
    while len(out) < count:
        if not left:
            word, left = next64(s), 64 // bits
        chunk = word & mask
        word >>= bits
        left -= 1
        m = chunk * n
        if (m & mask) < threshold:
            rejected += 1
            continue
        out.append(m >> bits)
    return out, rejected


for seed in (0, 20240612):
    s = seeded(seed)
    print("seed", seed, "state", [hex(v) for v in s],
          "next", [hex(next64(s)) for _ in range(3)])
for seed, n, count in ((1, 10, 12), (7, 40000, 10), (1, 100000, 6),
                       (1, 3000000000, 8)):
    out, rejected = indices(seed, n, count)
    print("seed", seed, "n", n, out, "rejected", rejected)
