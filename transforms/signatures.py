"""Near-duplicate signatures and locality-sensitive hashing, with no Beam in sight.

A clip's visual signature is one 64-bit DCT perceptual hash (pHash) per informative sampled frame,
taken twice: over the whole frame and over its central 90%. Re-encoding, scaling and small logos
barely move a pHash; a crop of ~10% moves it by 12-14 bits on our test footage, but the crop's
full-frame hash lands within a few bits of the original's central hash, so two frames are
compared by the smallest distance over (full, full), (center, full) and (full, center).

Two clips match when, at their best time offset, enough frames of the shorter one find a frame
within `max_hamming` bits at that offset (± `frame_tolerance` samples: sample grids of two encodes
of the same video do not line up exactly), counted on both clips so that a held still frame
cannot match many frames of the other clip. Frames that are nearly uniform (black, white, the
bottom of a fade) say nothing about content and are not hashed.

Candidate pairs come from bands: `lsh_bands` fixed, seeded choices of `lsh_band_bits` bit
positions of a frame hash; a band's value is a bucket key, so two clips become candidates when any
of their frames share every bit of one band. Two frames `d` bits apart share a given band with
probability C(64-d, k)/C(64, k) (k = band bits), so the banding is sized for the verification
radius: 16 bands of 24 bits put a frame pair 8 bits apart (`max_hamming`) in a common bucket with
probability 0.24 and one 4 bits apart with 0.92, and a clip pair gets one chance per aligned frame
pair, whole and central hash (`band_probability`; `bench/bench_dedup.py` measures both).
Unrelated frames share a 24-bit band with probability 16 * 2^-24 per frame pair.

Hashes that a nearly uniform frame gives (black, flat, a smooth gradient: most DCT coefficients
tie with the median) are not hashed at all: the frame's grey-level std is below `min_frame_std`,
or the hash has fewer than `MIN_HASH_ONES` or more than 64 - `MIN_HASH_ONES` bits set (a pHash
of real content sets about half its bits, as it thresholds at the median).

Captions: MinHash over token shingles (words for English, jieba words for Chinese), banded the
same way; candidates are verified by the estimated Jaccard similarity.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence

import numpy as np

HASH_BITS = 64
CENTER_FRACTION = 0.9  # central crop hashed beside the full frame
MIN_HASH_ONES = 16  # a median-thresholded pHash sets ~32 bits; far fewer or more means ties


def to_int64(value: int) -> int:
    """An unsigned 64-bit hash as a signed int64 (the manifest's column type)."""
    return value - (1 << 64) if value >= 1 << 63 else value


def phash(gray: np.ndarray) -> int:
    """64-bit DCT perceptual hash of a grayscale image, as a signed int64.

    The image is shrunk to 32x32, its 8x8 lowest DCT frequencies compared with their median
    (the classic pHash of Zauner 2010, as in the `imagehash` package).
    """
    import cv2

    small = cv2.resize(gray, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:8, :8].flatten()
    bits = np.packbits(low > np.median(low))
    return to_int64(int.from_bytes(bits.tobytes(), "big"))


def informative(hash_value: int) -> bool:
    """Whether a pHash came from a frame with content (not a flat frame's tied coefficients)."""
    ones = (hash_value & ((1 << 64) - 1)).bit_count()
    return MIN_HASH_ONES <= ones <= HASH_BITS - MIN_HASH_ONES


def center_crop(gray: np.ndarray, fraction: float = CENTER_FRACTION) -> np.ndarray:
    h, w = gray.shape[:2]
    ch, cw = max(1, round(h * fraction)), max(1, round(w * fraction))
    y, x = (h - ch) // 2, (w - cw) // 2
    return gray[y : y + ch, x : x + cw]


def frame_hashes(frames_jpg: Sequence[bytes], min_frame_std: float) -> tuple[list[int], list[int]]:
    """(full-frame hashes, central-crop hashes) of the informative frames, in time order."""
    import cv2

    full, center = [], []
    for jpg in frames_jpg:
        gray = cv2.imdecode(np.frombuffer(jpg, np.uint8), cv2.IMREAD_GRAYSCALE)
        if gray is None or float(gray.std()) < min_frame_std:
            continue
        whole, middle = phash(gray), phash(center_crop(gray))
        if informative(whole) and informative(middle):
            full.append(whole)
            center.append(middle)
    return full, center


def _as_u64(hashes: Sequence[int]) -> np.ndarray:
    return np.asarray(hashes, dtype=np.int64).view(np.uint64)


def hamming_matrix(a: Sequence[int], b: Sequence[int]) -> np.ndarray:
    """Pairwise Hamming distances (len(a) x len(b)) between two lists of 64-bit hashes."""
    xor = _as_u64(a)[:, None] ^ _as_u64(b)[None, :]
    return np.unpackbits(xor.view(np.uint8).reshape(*xor.shape, 8), axis=-1).sum(-1)


def frame_distances(
    full_a: Sequence[int], center_a: Sequence[int], full_b: Sequence[int], center_b: Sequence[int]
) -> np.ndarray:
    """Per frame pair, the smallest distance over (full, full), (center, full), (full, center)."""
    return np.minimum(
        hamming_matrix(full_a, full_b),
        np.minimum(hamming_matrix(center_a, full_b), hamming_matrix(full_a, center_b)),
    )


def _dilate(match: np.ndarray, tolerance: int, axis: int) -> np.ndarray:
    """True where a match lies within `tolerance` positions along `axis`."""
    if not tolerance:
        return match
    pad = [(0, 0), (0, 0)]
    pad[axis] = (tolerance, tolerance)
    padded = np.pad(match, pad)
    size = match.shape[axis]
    return np.logical_or.reduce(
        [np.take(padded, range(k, k + size), axis=axis) for k in range(2 * tolerance + 1)]
    )


def matched_frames(distances: np.ndarray, max_hamming: int, tolerance: int) -> int:
    """Frames matched at the best time offset: at an offset, a frame of either clip matches
    when the other clip has a frame within `max_hamming` bits and `tolerance` samples of the
    aligned position; the count is the smaller of the two clips' counts, so a still shot
    repeated many times cannot match one frame many times over. Symmetric in the two clips."""
    if distances.size == 0:
        return 0
    match = distances <= max_hamming
    rows = _dilate(match, tolerance, axis=1)  # frame i of a, near its aligned frame of b
    cols = _dilate(match, tolerance, axis=0)  # frame j of b, near its aligned frame of a
    n_a, n_b = match.shape
    return max(
        min(int(np.trace(rows, offset=k)), int(np.trace(cols, offset=k)))
        for k in range(-n_a + 1, n_b)
    )


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    va, vb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norm = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb / norm) if norm else 0.0


@functools.lru_cache(maxsize=8)
def band_positions(bands: int, bits: int, seed: int) -> tuple[tuple[int, ...], ...]:
    """`bands` fixed choices of `bits` bit positions out of 64: the same on every worker."""
    rng = np.random.default_rng(seed)
    return tuple(
        tuple(sorted(int(i) for i in rng.choice(HASH_BITS, bits, replace=False)))
        for _ in range(bands)
    )


def band_probability(distance: int, bands: int, bits: int) -> float:
    """Probability that two hashes `distance` bits apart share at least one of `bands` random
    bands of `bits` positions (each band: all its positions avoid the differing bits)."""
    share = math.comb(HASH_BITS - distance, bits) / math.comb(HASH_BITS, bits)
    return 1.0 - (1.0 - share) ** bands


def frame_band_keys(
    hashes: Sequence[int], bands: int, bits: int, seed: int
) -> dict[tuple[int, int], tuple[int, ...]]:
    """(band index, band value) -> the distinct hashes that have it: the LSH bucket keys of a
    set of frames, each with the hashes it stands for (compared within the bucket)."""
    if not len(hashes):
        return {}
    positions = band_positions(bands, bits, seed)
    values = np.asarray(hashes, dtype=np.int64)
    # bit i of a hash is column 63 - i of its big-endian bit matrix
    matrix = np.unpackbits(
        values.view(np.uint64).astype(">u8").view(np.uint8).reshape(-1, 8), axis=1
    )
    weights = np.left_shift(np.uint64(1), np.arange(bits - 1, -1, -1, dtype=np.uint64))
    keys: dict[tuple[int, int], set[int]] = {}
    for index, picks in enumerate(positions):
        columns = matrix[:, [HASH_BITS - 1 - p for p in picks]].astype(np.uint64)
        for value, h in zip((columns @ weights).tolist(), values.tolist(), strict=True):
            keys.setdefault((index, value), set()).add(h)
    return {key: tuple(sorted(found)) for key, found in keys.items()}


def hamming(a: int, b: int) -> int:
    """Bits in which two signed int64 hashes differ."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def pick_evenly(items: Sequence, n: int) -> list:
    """`n` items spread evenly over `items` (all of them when fewer)."""
    count = len(items)
    if count <= n:
        return list(items)
    return [items[round((i + 0.5) * count / n - 0.5)] for i in range(n)]


_WORD = re.compile(r"[\w']+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")


def caption_tokens(text: str | None, language: str) -> list[str]:
    """Words of a caption: jieba words for Chinese, lower-cased word characters otherwise."""
    if not text:
        return []
    if language == "zh":
        import jieba

        return [t for t in jieba.lcut(text) if _WORD.fullmatch(t) or _HAN.search(t)]
    return _WORD.findall(text.lower())


def caption_shingles(captions: dict[str, str | None], n: int) -> set[str]:
    """Word n-grams of each language's caption, prefixed by the language."""
    shingles = set()
    for language, text in sorted(captions.items()):
        tokens = caption_tokens(text, language)
        for i in range(max(0, len(tokens) - n + 1)):
            shingles.add(f"{language}:{' '.join(tokens[i : i + n])}")
    return shingles


def minhash_values(shingles: Iterable[str], num_perm: int, seed: int) -> list[int]:
    """MinHash signature (datasketch) of a set of shingles, as plain ints."""
    from datasketch import MinHash

    sketch = MinHash(num_perm=num_perm, seed=seed)
    sketch.update_batch([s.encode() for s in sorted(shingles)])
    return [int(v) for v in sketch.hashvalues]


def minhash_params(shingle: int, num_perm: int, seed: int) -> str:
    """What a stored MinHash was computed with: only equal parameters compare."""
    return f"words{shingle}-perm{num_perm}-seed{seed}"


def _digest(values: Sequence[int]) -> int:
    import hashlib

    data = np.asarray(values, dtype=np.uint64).tobytes()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") >> 1


def minhash_band_keys(
    values: Sequence[int], bands: int, rows: int
) -> dict[tuple[int, int], tuple[int, ...]]:
    """(band index, hash of `rows` consecutive MinHash values) -> (a hash of the whole
    signature,): the LSH bucket keys of a caption (equal captions sort together)."""
    whole = (_digest(values),)
    return {
        (index, _digest(values[index * rows : (index + 1) * rows])): whole for index in range(bands)
    }


def jaccard_estimate(a: Sequence[int], b: Sequence[int]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))
