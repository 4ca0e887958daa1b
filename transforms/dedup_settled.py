"""Dedup, settled early: which clips of one source need no OCR, their fate as a duplicate known.

OCR runs before the near-duplicate pass (it needs the sampled frames, which do not cross the
checkpoint), so today every copy of a repeated shot is OCR'd and all but one dropped after.
A clip B is settled as a duplicate when a clip A of the same source ranks before it
(`clip_rank`, the survivor order `DedupClips` uses), is a verified near-duplicate pair with it
(the same LSH candidates and `visual_match` as `DedupClips`) and is certain to reach
`DedupClips` (A passed OCR, or was itself settled). Then B's label is A's or better after the
first propagation round, so `DedupClips` drops B, with the `duplicate_of` of its whole group,
new and previous clips alike, as it would have; B goes on unscanned (its OCR columns null).

OCR runs in rank order over a source's clips, so each clip's better neighbours are decided
before it: a group is OCR'd best first until one passes, and a clip dropped for text lets the
next one be tried, as before. What can differ from OCR'ing every clip (README, "Dedup"):
- a settled B that would have failed OCR was dropped for text and was no node of the global
  graph; now it is one (dropped as `duplicate`). Where B alone joined two groups (a
  non-transitive chain across sources or a previous corpus) they become one, with one survivor;
  in a group wider than `dedup.component_rounds` it may bring a better label within reach.
- a pair whose only shared buckets are crowded across the corpus (over `dedup.max_bucket`) may
  not be paired in any window there: `DedupClips` would keep B, so it drops B as a duplicate of
  the clip it was settled by (`duplicate_of` set here is that mark), never keeping it unscanned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from schemas import Clip
from transforms.dedup_candidates import (
    candidate_pairs,
    entry_for_clip,
    verify,
    visual_keys,
    visual_match,
)
from transforms.dedup_resolve import clip_rank

if TYPE_CHECKING:
    from transforms.dedup import DedupConfig


def better_matches(clips: Sequence[Clip], config: DedupConfig) -> dict[str, list[str]]:
    """clip_id -> the ids of the clips it is a verified near-duplicate pair with that rank
    before it, best first, among `clips` (signed: `phash` set); clips with none are left out."""
    if config.max_hamming is None:
        return {}
    entries = {c.clip_id: entry_for_clip(c, config) for c in clips if c.phash}
    pairs = candidate_pairs(
        entries.values(),
        lambda e: visual_keys(e, config),
        config.max_bucket,
        config.max_hamming,
    )
    better: dict[str, list] = {}
    for a, b in pairs:
        ea, eb = entries[a], entries[b]
        if not verify(ea, eb, visual_match, config):
            continue
        first, second = (ea, eb) if ea.rank < eb.rank else (eb, ea)
        better.setdefault(second.clip_id, []).append((first.rank, first.clip_id))
    return {clip_id: [c for _, c in sorted(ranked)] for clip_id, ranked in better.items()}


def in_rank_order(clips: Sequence, clip=lambda c: c) -> list:
    """`clips` in survivor order (`clip_rank` of `clip(c)`): each one's better matches first."""
    return sorted(clips, key=lambda c: clip_rank(clip(c)))


def settled_by(better: Sequence[str], reaching: set[str]) -> str | None:
    """The best of a clip's better matches that is certain to reach dedup, or None."""
    return next((clip_id for clip_id in better if clip_id in reaching), None)
