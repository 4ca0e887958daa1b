"""Near-duplicate candidate step: recall at each bit distance, crowded buckets, pairs at scale.

1. Recall per distance (the banding against the verification radius `max_hamming`): for each
   d in 0..max_hamming, frame pairs d bits apart (measured share of pairs with a common band, and
   the formula `band_probability`), and clip pairs whose every frame, whole and central hash, is
   d bits off the original (half of them also trimmed by one sample): the share the LSH step
   makes candidates, and the share verification accepts. Clips of 16 frames (8 s) and of 4
   frames (2 s, the shortest clip) are measured apart: a clip pair gets one chance per frame.
2. A crowded bucket: 5 exact copies among 1,205 members: pairs found, pairs compared (vs
   all-to-all), and the largest number of partners of one member.
3. Scale: signatures of N random clips (16 frames, whole and central): candidate pairs from the
   very code the stage runs (`visual_keys` -> buckets -> `bucket_pairs`) with seconds, precision
   (verified / candidates) and recall against an exhaustive all-pairs check on a subsample.
   Random hashes are the worst case for unrelated band collisions (about 32^2 * 16 * 2^-24 =
   1e-3 per clip pair); such members are dropped inside the bucket (their hashes are ~20 bits
   apart), so what leaves the buckets is close to the true pairs.

    PYTHONPATH=. python bench/bench_dedup.py --pairs 400 --sizes 1000 3000
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from transforms import signatures as sig
from transforms.dedup import DedupConfig
from transforms.dedup_candidates import (
    Entry,
    bucket_pairs,
    candidate_pairs,
    visual_keys,
    visual_match,
    windows,
)
from transforms.dedup_resolve import connected_groups, rank


def _flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return sig.to_int64(value & (2**64 - 1))


def _entry(name: str, full: list[int], center: list[int]) -> Entry:
    return Entry(name, name, False, rank(False, None, 1, 1, 1.0, name), tuple(full), tuple(center))


def _random_frames(rng: random.Random, n: int) -> list[int]:
    """Random hashes with about half their bits set (as a median-thresholded pHash has)."""
    out = []
    while len(out) < n:
        h = sig.to_int64(rng.getrandbits(64))
        if sig.informative(h):
            out.append(h)
    return out


# ---- 1. recall per distance ------------------------------------------------------------------


def frame_recall(distance: int, config: DedupConfig, trials: int, rng: random.Random) -> float:
    hits = 0
    bands, bits, seed = config.lsh_bands, config.lsh_band_bits, config.lsh_seed
    for _ in range(trials):
        (h,) = _random_frames(rng, 1)
        a = sig.frame_band_keys([h], bands, bits, seed)
        b = sig.frame_band_keys([_flip(h, distance, rng)], bands, bits, seed)
        hits += bool(a.keys() & b.keys())
    return hits / trials


def clip_recall(
    distance: int, frames: int, config: DedupConfig, pairs: int, rng: random.Random
) -> tuple[float, float]:
    """(share made candidates, share verified) of clip pairs whose frames are all d bits off."""
    found = verified = 0
    for i in range(pairs):
        trim = i % 2
        full = _random_frames(rng, frames + trim)
        center = _random_frames(rng, frames + trim)
        a = _entry(f"a{i}", full[:frames], center[:frames])
        b = _entry(
            f"b{i}",
            [_flip(h, distance, rng) for h in full[trim:]],
            [_flip(h, distance, rng) for h in center[trim:]],
        )
        found += bool(
            candidate_pairs(
                [a, b], lambda e: visual_keys(e, config), config.max_bucket, config.max_hamming
            )
        )
        verified += visual_match(a, b, config)
    return found / pairs, verified / pairs


# ---- 2. a crowded bucket ---------------------------------------------------------------------


def crowded_bucket(config: DedupConfig, rng: random.Random) -> dict:
    bucket = [(f"n{i:04d}", h, False) for i, h in enumerate(_random_frames(rng, 1200))]
    (copy,) = _random_frames(rng, 1)
    copies = {f"copy{i}" for i in range(5)}
    bucket += [(name, copy, False) for name in sorted(copies)]
    rng.shuffle(bucket)
    t0 = time.perf_counter()
    pairs = bucket_pairs((0, 0), bucket, config.max_bucket, config.max_hamming)
    seconds = time.perf_counter() - t0
    spans = windows(len(bucket), config.max_bucket)
    partners = max(sum(len(w) - 1 for w in spans if i in w) for i in range(len(bucket)))
    groups = connected_groups(p for p in pairs if p[0] in copies and p[1] in copies)
    return {
        "members": len(bucket),
        "compared": sum(len(w) * (len(w) - 1) // 2 for w in spans),
        "pairs": len(pairs),
        "all_pairs": len(bucket) * (len(bucket) - 1) // 2,
        "copy_pairs_found": sum(1 for a, b in pairs if a in copies and b in copies),
        "copies_in_one_group": groups == [sorted(copies)],
        "max_partners": partners,
        "seconds": seconds,
    }


# ---- 3. scale --------------------------------------------------------------------------------


def make_signatures(n: int, frames: int, seed: int = 0) -> tuple[list[Entry], dict[str, int]]:
    """`n` entries, half in families of 2-4 near-duplicates (every hash 0-3 bits off, half
    trimmed by one sample), half random; and each one's family (-1: a random negative)."""
    rng = random.Random(seed)
    entries, family_of, family = [], {}, 0
    while len(entries) < n:
        if rng.random() < 0.5:
            name = f"n{len(entries):07d}"
            family_of[name] = -1
            entries.append(_entry(name, _random_frames(rng, frames), _random_frames(rng, frames)))
            continue
        base_full, base_center = _random_frames(rng, frames + 1), _random_frames(rng, frames + 1)
        for member in range(min(rng.randint(2, 4), n - len(entries))):
            shift = rng.randint(0, 1)
            name = f"f{family:06d}m{member}"
            full = [_flip(h, rng.randint(0, 3), rng) for h in base_full[shift : shift + frames]]
            center = [_flip(h, rng.randint(0, 3), rng) for h in base_center[shift : shift + frames]]
            family_of[name] = family
            entries.append(_entry(name, full, center))
        family += 1
    return entries, family_of


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
    found = set()
    chunk = 8
    for start in range(0, len(entries), chunk):
        block = hashes[start : start + chunk]
        xor = block[:, :, None, None] ^ hashes[None, None, :, :]
        near = (np.bitwise_count(xor) <= config.max_hamming).any(axis=(1, 3))
        for i, j in zip(*np.nonzero(near), strict=True):
            a, b = start + int(i), int(j)
            if a < b and visual_match(entries[a], entries[b], config):
                found.add((entries[a].node, entries[b].node))
    return found


def scale(n: int, exhaustive_max: int, config: DedupConfig) -> dict:
    entries, family_of = make_signatures(n, 16)
    t0 = time.perf_counter()
    keys = {e.node: visual_keys(e, config) for e in entries}
    t1 = time.perf_counter()
    candidates = candidate_pairs(
        entries, lambda e: keys[e.node], config.max_bucket, config.max_hamming
    )
    t2 = time.perf_counter()
    by_node = {e.node: e for e in entries}
    verified = {(a, b) for a, b in candidates if visual_match(by_node[a], by_node[b], config)}
    t3 = time.perf_counter()
    sample = subsample(entries, family_of, exhaustive_max)
    names = {e.node for e in sample}
    truth = exhaustive_pairs(sample, config)
    found = {p for p in candidates if p[0] in names and p[1] in names}
    return {
        "clips": n,
        "keys_per_clip": sum(len(k) for k in keys.values()) / n,
        "candidates": len(candidates),
        "verified": len(verified),
        "keys_s": t1 - t0,
        "buckets_s": t2 - t1,
        "verify_s": t3 - t2,
        "sample": len(sample),
        "true_pairs": len(truth),
        "recall": len(found & truth) / len(truth) if truth else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400, help="clip pairs per distance")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 3_000])
    parser.add_argument("--exhaustive", type=int, default=1_000, help="clips compared all-pairs")
    args = parser.parse_args()
    config = DedupConfig()
    rng = random.Random(0)
    print(
        f"config: {config.lsh_bands} bands x {config.lsh_band_bits} bits over up to "
        f"{config.lsh_frames} frames (whole and central hash), max_hamming={config.max_hamming}, "
        f"min_matched_frac={config.min_matched_frac}, max_bucket={config.max_bucket}"
    )
    print(
        "d  frame pair: formula measured | 16-frame clips: candidate verified "
        "| 4-frame clips: candidate verified"
    )
    for d in range(config.max_hamming + 1):
        formula = sig.band_probability(d, config.lsh_bands, config.lsh_band_bits)
        measured = frame_recall(d, config, 4 * args.pairs, rng)
        c16, v16 = clip_recall(d, 16, config, args.pairs, rng)
        c4, v4 = clip_recall(d, 4, config, args.pairs, rng)
        print(
            f"{d}  {formula:.3f} {measured:.3f}          | {c16:.3f} {v16:.3f}"
            f"                        | {c4:.3f} {v4:.3f}"
        )
    b = crowded_bucket(config, rng)
    print(
        f"crowded bucket: {b['members']} members, {b['compared']} hash pairs compared "
        f"(all-to-all {b['all_pairs']}, x{b['all_pairs'] / b['compared']:.1f} more), at most "
        f"{b['max_partners']} per member; {b['pairs']} candidate pairs out, "
        f"{b['copy_pairs_found']}/10 pairs of the 5 exact copies, one group: "
        f"{b['copies_in_one_group']}; "
        f"{b['seconds'] * 1000:.0f} ms"
    )
    previous = None
    for n in args.sizes:
        r = scale(n, args.exhaustive, config)
        total = r["keys_s"] + r["buckets_s"] + r["verify_s"]
        print(
            f"{n:>7} clips: {r['keys_per_clip']:.0f} keys/clip, {r['candidates']} candidate pairs "
            f"({r['candidates'] / (n * (n - 1) / 2):.2e} of all pairs), {r['verified']} verified "
            f"(precision {r['verified'] / max(1, r['candidates']):.3f}); keys {r['keys_s']:.1f}s "
            f"+ buckets {r['buckets_s']:.1f}s + verify {r['verify_s']:.1f}s; recall "
            f"{r['recall']:.4f} vs all-pairs on {r['sample']} clips ({r['true_pairs']} true pairs)"
        )
        if previous:
            x = n / previous["clips"]
            print(
                f"  x{x:g} clips: candidates x{r['candidates'] / previous['candidates']:.2f}, "
                f"seconds x{total / previous['total']:.2f}"
            )
        previous = {**r, "total": total}


if __name__ == "__main__":
    main()
