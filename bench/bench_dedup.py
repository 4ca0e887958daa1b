"""Near-duplicate candidate step at scale: pairs compared, seconds, precision and recall.

Synthetic clip signatures shaped like the pipeline's (8 frame pHashes, whole and centre):
half of the clips come in families of 2-4 near-duplicates (each member: every frame hash with
0-3 bits flipped, half of them trimmed by one sample), the rest are random negatives. The LSH
step is the code the Beam stage runs (`visual_keys` -> buckets -> `bucket_pairs`), here in
one process; verification is `visual_match`.

Recall is measured against exhaustive comparison: every pair of clips is checked for a frame
pair within `max_hamming` (numpy, a necessary condition of a match) and those are verified
with `visual_match`. On more than `--exhaustive` clips (default 10,000) the exhaustive check
runs on a subsample of whole families and negatives of that size (all-pairs on 100,000 clips is
5e9 pairs), and recall is computed on the pairs inside it.

Unrelated clips still collide in a 32-bit band now and then: about
N^2/2 * (2*lsh_frames)^2 * bands / 2^32 pairs (~18 at 10,000 clips, ~1,800 at 100,000), a
quadratic term that stays small next to the linear one up to ~1M clips; beyond that, raise
`lsh_band_bits` or lower `lsh_frames`.

    PYTHONPATH=. python bench/bench_dedup.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import itertools
import random
import time

import numpy as np

from transforms import signatures as sig
from transforms.dedup import DedupConfig, Entry, candidate_pairs, rank, visual_keys, visual_match

FRAMES = 8


def _flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return sig.to_int64(value)


def make_signatures(n: int, seed: int = 0) -> tuple[list[Entry], dict[str, int]]:
    """`n` entries and their family ids (-1 for a random negative)."""
    rng = random.Random(seed)
    entries, family_of = [], {}
    family = 0
    while len(entries) < n:
        if rng.random() < 0.5:  # a random negative
            name = f"n{len(entries):07d}"
            full = [sig.to_int64(rng.getrandbits(64)) for _ in range(FRAMES)]
            center = [sig.to_int64(rng.getrandbits(64)) for _ in range(FRAMES)]
            family_of[name] = -1
            entries.append(_entry(name, full, center))
            continue
        base_full = [rng.getrandbits(64) for _ in range(FRAMES + 1)]
        base_center = [rng.getrandbits(64) for _ in range(FRAMES + 1)]
        for member in range(min(rng.randint(2, 4), n - len(entries))):
            shift = rng.randint(0, 1)  # a trim by one sample
            name = f"f{family:06d}m{member}"
            full = [_flip(h, rng.randint(0, 3), rng) for h in base_full[shift : shift + FRAMES]]
            center = [_flip(h, rng.randint(0, 3), rng) for h in base_center[shift : shift + FRAMES]]
            family_of[name] = family
            entries.append(_entry(name, full, center))
        family += 1
    return entries, family_of


def _entry(name: str, full: list[int], center: list[int]) -> Entry:
    return Entry(name, name, False, rank(False, None, 1, 1, 1.0, name), tuple(full), tuple(center))


def subsample(entries: list[Entry], family_of: dict[str, int], size: int, seed: int = 1):
    """About `size` entries: whole families and negatives, each kept with one probability."""
    if len(entries) <= size:
        return entries
    rng = random.Random(seed)
    keep_p = size / len(entries)
    families = {f for f in set(family_of.values()) if f >= 0 and rng.random() < keep_p}
    return [
        e
        for e in entries
        if (family_of[e.clip_id] in families)
        or (family_of[e.clip_id] < 0 and rng.random() < keep_p)
    ]


def exhaustive_pairs(entries: list[Entry], config: DedupConfig) -> set[tuple[str, str]]:
    """Every verified pair, from all pairs: numpy prefilter, then `visual_match`."""
    hashes = np.array([e.phash + e.phash_center for e in entries], dtype=np.int64).view(np.uint64)
    n = len(entries)
    found = set()
    chunk = 8
    for start in range(0, n, chunk):
        block = hashes[start : start + chunk]
        xor = block[:, :, None, None] ^ hashes[None, None, :, :]
        near = (np.bitwise_count(xor) <= config.max_hamming).any(axis=(1, 3))
        for i, j in zip(*np.nonzero(near), strict=True):
            a, b = start + int(i), int(j)
            if a < b and visual_match(entries[a], entries[b], config):
                found.add((entries[a].node, entries[b].node))
    return found


def bench(n: int, exhaustive_max: int, config: DedupConfig) -> dict:
    entries, family_of = make_signatures(n)
    t0 = time.perf_counter()
    keys = {e.node: visual_keys(e, config) for e in entries}
    t1 = time.perf_counter()
    candidates = candidate_pairs(entries, lambda e: keys[e.node], config.max_bucket)
    t2 = time.perf_counter()
    by_node = {e.node: e for e in entries}
    verified = {(a, b) for a, b in candidates if visual_match(by_node[a], by_node[b], config)}
    t3 = time.perf_counter()

    sample = subsample(entries, family_of, exhaustive_max)
    names = {e.node for e in sample}
    t4 = time.perf_counter()
    truth = exhaustive_pairs(sample, config)
    t5 = time.perf_counter()
    found = {p for p in candidates if p[0] in names and p[1] in names}
    return {
        "clips": n,
        "all_pairs": n * (n - 1) // 2,
        "candidate_pairs": len(candidates),
        "verified_pairs": len(verified),
        "keys_s": t1 - t0,
        "buckets_s": t2 - t1,
        "verify_s": t3 - t2,
        "lsh_total_s": t3 - t0,
        "precision": len(verified) / len(candidates) if candidates else 1.0,
        "exhaustive_clips": len(sample),
        "exhaustive_pairs": len(sample) * (len(sample) - 1) // 2,
        "exhaustive_s": t5 - t4,
        "true_pairs": len(truth),
        "recall": len(found & truth) / len(truth) if truth else 1.0,
        "false_candidates_in_sample": len(found - truth),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--exhaustive", type=int, default=10_000, help="max clips compared all-pairs"
    )
    args = parser.parse_args()
    config = DedupConfig()
    print(
        f"config: lsh_frames={config.lsh_frames} bands={config.lsh_bands}x{config.lsh_band_bits}"
        f" bits, max_hamming={config.max_hamming}, min_matched_frac={config.min_matched_frac}"
    )
    results = []
    for n in args.sizes:
        r = bench(n, args.exhaustive, config)
        results.append(r)
        print(
            f"{r['clips']:>7} clips: {r['candidate_pairs']:>7} candidate pairs compared "
            f"(all-pairs {r['all_pairs']:.2e}), {r['verified_pairs']} verified; "
            f"keys {r['keys_s']:.2f}s + buckets {r['buckets_s']:.2f}s + verify "
            f"{r['verify_s']:.2f}s = {r['lsh_total_s']:.2f}s; precision {r['precision']:.4f}; "
            f"recall {r['recall']:.4f} vs exhaustive on {r['exhaustive_clips']} clips "
            f"({r['exhaustive_pairs']:.2e} pairs, {r['exhaustive_s']:.1f}s, "
            f"{r['true_pairs']} true pairs, {r['false_candidates_in_sample']} false candidates)"
        )
    for small, big in itertools.pairwise(results):
        scale = big["clips"] / small["clips"]
        print(
            f"{small['clips']} -> {big['clips']} clips (x{scale:g}): pairs compared "
            f"x{big['candidate_pairs'] / small['candidate_pairs']:.2f}, seconds "
            f"x{big['lsh_total_s'] / small['lsh_total_s']:.2f} (all-pairs would be "
            f"x{big['all_pairs'] / small['all_pairs']:.0f})"
        )


if __name__ == "__main__":
    main()
