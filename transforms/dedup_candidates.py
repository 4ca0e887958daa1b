"""Dedup, candidate search: which pairs of clips are compared at all, and how.

Every clip (new, or of a previous corpus) becomes a small `Entry`: its id, rank, frame pHashes
and caption MinHash, never its frames. Its LSH bucket keys (see `transforms.signatures`) are
`GroupByKey` keys; clips sharing a bucket are candidate pairs, verified on the whole signatures.

Every member of a visual bucket carries the frame hash that put it there, and two members are a
candidate pair only when those hashes are within `max_hamming` bits: unrelated frames that share
a band by chance (2^-24 per band) differ in about 20 of the other 40 bits, so they are dropped in
the bucket, before any shuffle; what leaves a bucket is a pair with at least one frame pair
inside the verification radius, and verification decides on the whole clips.

A crowded bucket (more than `max_bucket` members: a video copied many times, or a common band
value) is never paired all-to-all nor chained: its members are sorted by the hash that put them
there (equal hashes, so exact copies, side by side), ties broken by a hash of (node, bucket) so
every bucket orders copies differently, and cut into windows of `max_bucket` members that
overlap by half. Each window is paired all-to-all: a member meets at most about 2 * `max_bucket`
others per crowded bucket, and any run of equal hashes up to `max_bucket` / 2 long lies inside
one window. Longer runs of copies still connect, window to overlapping window.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemas import Clip
from transforms import signatures as sig
from transforms.dedup_resolve import PREVIOUS_PREFIX, clip_rank

if TYPE_CHECKING:
    from transforms.dedup import DedupConfig


@dataclass(frozen=True)
class Entry:
    """What dedup needs of one clip, new or previously published."""

    clip_id: str
    source_sha256: str
    previous: bool
    rank: tuple  # the total order: the smallest rank of a group is kept
    phash: tuple[int, ...] = ()
    phash_center: tuple[int, ...] = ()
    embedding: tuple[float, ...] | None = None
    caption_minhash: tuple[int, ...] | None = None

    @property
    def node(self) -> str:
        return PREVIOUS_PREFIX + self.clip_id if self.previous else self.clip_id


Member = tuple  # (node, hash, previous): one frame hash (or caption digest) of a clip in a bucket


def caption_signature(
    captions: dict[str, str | None], config: DedupConfig
) -> tuple[int, ...] | None:
    shingles = sig.caption_shingles(captions, config.caption_shingle)
    if len(shingles) < config.caption_min_shingles:
        return None
    return tuple(sig.minhash_values(shingles, config.caption_num_perm, config.caption_seed))


def embedding_tuple(value) -> tuple[float, ...] | None:
    return tuple(float(v) for v in value) if value is not None and len(value) else None


def entry_for_clip(clip: Clip, config: DedupConfig) -> Entry:
    """A new clip's entry; its caption MinHash whenever it has captions (stored for refreshes)."""
    field = config.embedding_field
    captions = {"en": clip.caption_en, "zh": clip.caption_zh}
    return Entry(
        clip_id=clip.clip_id,
        source_sha256=clip.source_sha256,
        previous=False,
        rank=clip_rank(clip),
        phash=tuple(clip.phash or ()),
        phash_center=tuple(clip.phash_center or ()),
        embedding=embedding_tuple(getattr(clip, field, None)) if field else None,
        caption_minhash=caption_signature(captions, config) if any(captions.values()) else None,
    )


# ---- bucket keys and verification ------------------------------------------------------------


def visual_keys(entry: Entry, config: DedupConfig) -> dict[tuple[int, int], tuple[int, ...]]:
    """Bucket key -> the hashes with it, from the informative frame hashes, whole and central."""
    if len(entry.phash) < config.min_matched_frames:
        return {}
    hashes = [
        h
        for h in sig.pick_evenly(entry.phash, config.lsh_frames)
        + sig.pick_evenly(entry.phash_center, config.lsh_frames)
        if sig.informative(h)
    ]
    return sig.frame_band_keys(hashes, config.lsh_bands, config.lsh_band_bits, config.lsh_seed)


def visual_match(a: Entry, b: Entry, config: DedupConfig) -> bool:
    """Whether two signed clips are near-duplicates (see `transforms.signatures`)."""
    shorter = min(len(a.phash), len(b.phash))
    if config.max_hamming is None or shorter < config.min_matched_frames:
        return False
    distances = sig.frame_distances(a.phash, a.phash_center, b.phash, b.phash_center)
    matched = sig.matched_frames(distances, config.max_hamming, config.frame_tolerance)
    if matched < config.min_matched_frames or matched < config.min_matched_frac * shorter:
        return False
    if config.min_cosine is not None and a.embedding and b.embedding:
        return sig.cosine(a.embedding, b.embedding) >= config.min_cosine
    return True


def caption_keys(entry: Entry, config: DedupConfig) -> dict[tuple[int, int], tuple[int, ...]]:
    if entry.caption_minhash is None:
        return {}
    return sig.minhash_band_keys(entry.caption_minhash, config.caption_bands, config.caption_rows)


def caption_match(a: Entry, b: Entry, config: DedupConfig) -> bool:
    if a.caption_minhash is None or b.caption_minhash is None:
        return False
    return sig.jaccard_estimate(a.caption_minhash, b.caption_minhash) >= config.caption_threshold


def members(entry: Entry, keys: dict) -> list[tuple[tuple[int, int], Member]]:
    return [
        (key, (entry.node, h, entry.previous))
        for key, hashes in sorted(keys.items())
        for h in hashes
    ]


# ---- pairs from one bucket ------------------------------------------------------------------


def _tie(node: str, key) -> bytes:
    return hashlib.blake2b(f"{key}|{node}".encode(), digest_size=8).digest()


def windows(count: int, size: int) -> list[range]:
    """Index ranges of overlapping windows over `count` sorted members (one if it fits)."""
    if count <= size:
        return [range(count)]
    step = max(1, size // 2)
    starts = range(0, count - size + step, step)
    return [range(s, min(s + size, count)) for s in starts]


def bucket_pairs(
    key, bucket: Iterable[Member], max_bucket: int, max_distance: int | None = None
) -> list[tuple[str, str]]:
    """Candidate pairs (a < b) from one bucket: members of two clips whose hashes are within
    `max_distance` bits (None: any), all pairs or within the overlapping windows of a crowded
    bucket; never two previously published clips, nothing from a bucket with no new clip."""
    items = sorted(set(bucket), key=lambda m: (m[1], _tie(m[0], key)))
    if all(previous for _, _, previous in items):
        return []
    pairs = set()
    for window in windows(len(items), max_bucket):
        for i, j in itertools.combinations(window, 2):
            (a, ha, pa), (b, hb, pb) = items[i], items[j]
            if a == b or (pa and pb):
                continue
            if max_distance is None or sig.hamming(ha, hb) <= max_distance:
                pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def candidate_pairs(
    entries: Iterable[Entry],
    keys: Callable[[Entry], dict],
    max_bucket: int,
    max_distance: int | None = None,
) -> set[tuple[str, str]]:
    """LSH candidates in one process (what the Beam stage does with GroupByKey): node pairs
    a < b that share a bucket, within windows of crowded buckets. For tests and the bench."""
    buckets: dict = {}
    for entry in entries:
        for key, member in members(entry, keys(entry)):
            buckets.setdefault(key, []).append(member)
    pairs = set()
    for key, bucket in buckets.items():
        pairs.update(bucket_pairs(key, bucket, max_bucket, max_distance))
    return pairs


def verify(a: Entry, b: Entry, match: Callable, config: DedupConfig) -> bool:
    return not (a.previous and b.previous) and match(a, b, config)
