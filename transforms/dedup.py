"""Dedup: exact copies of a source, near-duplicate clips, repeated captions, clips per source.

- Sources: byte-identical files are processed once. Clip ids hash the source's content, so two
  identical files would yield the same clips; the copy with the smallest URI is kept (a total
  order, so any runner picks the same one) and the others get one manifest row, reason
  `duplicate`, with a note naming the kept file.
- Clips: a visual signature per clip (frame pHashes, see `transforms.signatures`) from the frames
  sampled in the decode pass; candidate pairs from LSH buckets (band value -> `GroupByKey`, never
  all pairs); each candidate verified on the full signatures (and, when the clips carry an image
  embedding, on its cosine); a union-find over verified pairs gives groups. One clip per group
  is kept, the first by a total order: a previously published clip, then aesthetic (desc, when
  scored), resolution, duration, sharpness (desc), then clip_id, so any runner keeps the same
  one. The others are dropped as `duplicate` with `duplicate_of` (the kept id) and `dup_group`.
- Captions: MinHash over caption shingles, banded the same way; repeats are dropped
  (`caption_duplicate`) or only flagged, per config, with `caption_duplicate_of`.
- Per source: at most `per_source_cap` clips survive per source video, the first by that order.
- A previous corpus (`--previous OUT_OLD`): its kept clips' signatures, stored in its manifest,
  join the candidates and win every group they are in, so a refresh never republishes them.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import apache_beam as beam

from schemas import Clip, SampledClip, VideoInfo
from transforms import signatures as sig
from transforms.common import StageCounters
from transforms.gate import video_row

log = logging.getLogger(__name__)

STAGE = "dedup"
DUPLICATES = "duplicates"
DUPLICATE = "duplicate"
PREVIOUS_PREFIX = "previous:"


class DedupReason(StrEnum):
    DUPLICATE = DUPLICATE
    CAPTION_DUPLICATE = "caption_duplicate"
    SOURCE_CAP = "source_cap"


CAPTION_MODES = ("drop", "flag")


@dataclass(frozen=True)
class DedupConfig:
    """Thresholds of near-duplicate, caption and per-source dedup; None turns a check off."""

    max_hamming: int | None = 8  # bits of 64 for two frames to match; None: no visual dedup
    min_matched_frac: float = 0.75  # of the shorter clip's informative frames
    min_matched_frames: int = 3
    frame_tolerance: int = 1  # samples either side of the best offset
    min_frame_std: float = 5.0  # grey-level std below which a frame is uninformative
    max_frames: int = 16  # frames hashed per clip
    lsh_frames: int = 8  # frames per clip whose bands are bucket keys
    lsh_bands: int = 6
    lsh_band_bits: int = 32
    lsh_seed: int = 20240601
    max_bucket: int = 1000  # larger buckets are chained in sorted order, not paired
    embedding_field: str | None = "image_embedding"  # a Clip field holding an image embedding
    min_cosine: float | None = 0.95
    caption_mode: str | None = "flag"  # drop | flag | None
    caption_threshold: float = 0.7  # estimated Jaccard of caption shingles
    caption_shingle: int = 2  # words per shingle
    caption_num_perm: int = 128
    caption_bands: int = 20
    caption_rows: int = 6
    caption_min_shingles: int = 4
    caption_seed: int = 1
    per_source_cap: int | None = None

    def video_pass(self) -> DedupConfig:
        """Near-duplicate video only: runs before captioning, so duplicates cost no captions."""
        return dataclasses.replace(self, caption_mode=None, per_source_cap=None)

    def caption_pass(self) -> DedupConfig:
        """Repeated captions and the per-source cap: runs once captions exist."""
        return dataclasses.replace(self, max_hamming=None)

    def __post_init__(self):
        if self.max_hamming is not None and not 0 <= self.max_hamming < sig.HASH_BITS:
            raise ValueError("dedup.max_hamming must be in 0..63")
        if not 0 < self.min_matched_frac <= 1 or self.min_matched_frames < 1:
            raise ValueError("dedup.min_matched_frac must be in (0, 1], min_matched_frames >= 1")
        if self.frame_tolerance < 0 or self.max_frames < 1 or self.lsh_frames < 1:
            raise ValueError("dedup.frame_tolerance >= 0, max_frames and lsh_frames >= 1")
        if self.lsh_bands < 1 or not 1 <= self.lsh_band_bits <= sig.HASH_BITS:
            raise ValueError("dedup.lsh_bands >= 1 and lsh_band_bits in 1..64")
        if self.max_bucket < 2:
            raise ValueError("dedup.max_bucket must be at least 2")
        if self.min_cosine is not None and not -1 <= self.min_cosine <= 1:
            raise ValueError("dedup.min_cosine must be in [-1, 1]")
        if self.caption_mode not in (None, *CAPTION_MODES):
            raise ValueError(f"dedup.caption_mode must be drop, flag or null: {self.caption_mode}")
        if not 0 < self.caption_threshold <= 1 or self.caption_shingle < 1:
            raise ValueError("dedup.caption_threshold in (0, 1], caption_shingle >= 1")
        if self.caption_bands * self.caption_rows > self.caption_num_perm:
            raise ValueError("dedup.caption_bands * caption_rows must not exceed caption_num_perm")
        if self.per_source_cap is not None and self.per_source_cap < 1:
            raise ValueError("dedup.per_source_cap must be >= 1 or null")


# ---- exact: byte-identical sources ----------------------------------------------------------


class _PickSourceFn(beam.DoFn):
    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, keyed):
        _, infos = keyed
        infos = sorted(infos, key=lambda info: info.source)
        keep = infos[0]
        yield keep
        for info in infos[1:]:
            self.counters.inc(f"dropped.{DUPLICATE}")
            note = f"byte-identical to {keep.source}"
            yield beam.pvalue.TaggedOutput(DUPLICATES, video_row(info, [DUPLICATE], note))


class DedupSources(beam.PTransform):
    """VideoInfo -> one VideoInfo per content hash (main) and rows for the copies."""

    def expand(self, videos):
        return (
            videos
            | "KeyByHash"
            >> beam.Map(lambda info: (info.source_sha256, info)).with_output_types(
                tuple[str, VideoInfo]
            )
            | "GroupByHash" >> beam.GroupByKey()
            | "Pick" >> beam.ParDo(_PickSourceFn()).with_outputs(DUPLICATES, main="videos")
        )


# ---- near duplicates: pure logic ------------------------------------------------------------


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


@dataclass(frozen=True)
class Edge:
    """A verified near-duplicate pair."""

    a: str
    a_rank: tuple
    b: str
    b_rank: tuple


@dataclass(frozen=True)
class Decision:
    reason: str | None = None
    duplicate_of: str | None = None
    dup_group: str | None = None
    caption_duplicate_of: str | None = None


def rank(
    previous: bool,
    aesthetic: float | None,
    width: int,
    height: int,
    duration_s: float,
    clip_id: str,
    sharpness: float | None = None,
) -> tuple:
    """Sort key, smallest first: previously published, aesthetic desc (scored first),
    resolution desc, duration desc, sharpness desc (a re-encoded copy is blurrier), clip_id."""
    return (
        not previous,
        aesthetic is None,
        -(aesthetic or 0.0),
        -(width * height),
        -round(duration_s, 3),
        -round(sharpness or 0.0, 3),
        clip_id,
    )


def clip_rank(clip: Clip, previous: bool = False) -> tuple:
    return rank(
        previous,
        clip.aesthetic,
        clip.width,
        clip.height,
        clip.duration_s,
        clip.clip_id,
        clip.blur_var,
    )


def caption_signature(captions: dict, config: DedupConfig) -> tuple[int, ...] | None:
    shingles = sig.caption_shingles(captions, config.caption_shingle)
    if len(shingles) < config.caption_min_shingles:
        return None
    return tuple(sig.minhash_values(shingles, config.caption_num_perm, config.caption_seed))


def _embedding(value) -> tuple[float, ...] | None:
    return tuple(float(v) for v in value) if value is not None and len(value) else None


def sign_clip(sampled: SampledClip, config: DedupConfig) -> SampledClip:
    """The clip with its visual signature set, computed from its sampled frames."""
    if config.max_hamming is None:
        return sampled
    frames = [sampled.frames_jpg[i] for i in sampled.pick(config.max_frames)]
    full, center = sig.frame_hashes(frames, config.min_frame_std)
    clip = dataclasses.replace(sampled.clip, phash=full, phash_center=center)
    return dataclasses.replace(sampled, clip=clip)


def _captions(get) -> dict:
    return {"en": get("caption_en"), "zh": get("caption_zh")}


def entry_for_clip(clip: Clip, config: DedupConfig) -> Entry:
    get = lambda name: getattr(clip, name, None)  # noqa: E731
    field = config.embedding_field
    return Entry(
        clip_id=clip.clip_id,
        source_sha256=clip.source_sha256,
        previous=False,
        rank=clip_rank(clip),
        phash=tuple(clip.phash or ()),
        phash_center=tuple(clip.phash_center or ()),
        embedding=_embedding(get(field)) if field else None,
        caption_minhash=caption_signature(_captions(get), config) if config.caption_mode else None,
    )


def entry_for_row(row: dict, config: DedupConfig) -> Entry:
    """An Entry for a kept row of a previous corpus's manifest."""
    field = config.embedding_field
    return Entry(
        clip_id=row["clip_id"],
        source_sha256=row["source_sha256"],
        previous=True,
        rank=rank(
            True,
            row.get("aesthetic"),
            row["width"],
            row["height"],
            row["duration_s"],
            row["clip_id"],
            row.get("blur_var"),
        ),
        phash=tuple(row.get("phash") or ()),
        phash_center=tuple(row.get("phash_center") or ()),
        embedding=_embedding(row.get(field)) if field else None,
        caption_minhash=caption_signature(_captions(row.get), config)
        if config.caption_mode
        else None,
    )


def visual_keys(entry: Entry, config: DedupConfig) -> set:
    if len(entry.phash) < config.min_matched_frames:
        return set()
    hashes = sig.pick_evenly(entry.phash, config.lsh_frames) + sig.pick_evenly(
        entry.phash_center, config.lsh_frames
    )
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


def caption_keys(entry: Entry, config: DedupConfig) -> set:
    if entry.caption_minhash is None:
        return set()
    return sig.minhash_band_keys(entry.caption_minhash, config.caption_bands, config.caption_rows)


def caption_match(a: Entry, b: Entry, config: DedupConfig) -> bool:
    if a.caption_minhash is None or b.caption_minhash is None:
        return False
    return sig.jaccard_estimate(a.caption_minhash, b.caption_minhash) >= config.caption_threshold


def candidate_pairs(
    entries: Iterable[Entry], keys: Callable[[Entry], set], max_bucket: int
) -> set[tuple[str, str]]:
    """LSH candidates without Beam (what the `_VerifiedEdges` transform does): node pairs a < b
    that share a bucket key. Used by tests and the benchmark."""
    buckets: dict = {}
    for entry in entries:
        for key in keys(entry):
            buckets.setdefault(key, []).append(entry.node)
    pairs = set()
    for members in buckets.values():
        pairs.update(sig.bucket_pairs(members, max_bucket))
    return pairs


def connected_groups(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Union-find over edges: each group's members, sorted; groups sorted by first member."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    return sorted(sorted(g) for g in groups.values())


def _winners(edges: list[Edge]) -> dict[str, str]:
    """node -> the node its group keeps (the smallest rank)."""
    ranks = {}
    for e in edges:
        ranks[e.a], ranks[e.b] = e.a_rank, e.b_rank
    winners = {}
    for group in connected_groups((e.a, e.b) for e in edges):
        best = min(group, key=lambda node: ranks[node])
        winners.update(dict.fromkeys(group, best))
    return winners


def _clip_id(node: str) -> str:
    return node.removeprefix(PREVIOUS_PREFIX)


def resolve(
    visual: list[Edge], caption: list[Edge], caption_mode: str | None
) -> dict[str, Decision]:
    """Decisions for every new clip in a group; the global step over the (few) verified edges.

    Caption groups are formed among clips that survive visual dedup.
    """
    decisions: dict[str, Decision] = {}
    for node, winner in _winners(visual).items():
        if node.startswith(PREVIOUS_PREFIX):
            continue
        group = _clip_id(winner)
        if node == winner:
            decisions[node] = Decision(dup_group=group)
        else:
            decisions[node] = Decision(str(DedupReason.DUPLICATE), group, group)
    dropped = {n for n, d in decisions.items() if d.reason}
    survivors = [e for e in caption if e.a not in dropped and e.b not in dropped]
    reason = str(DedupReason.CAPTION_DUPLICATE) if caption_mode == "drop" else None
    for node, winner in _winners(survivors).items():
        if node == winner or node.startswith(PREVIOUS_PREFIX):
            continue
        current = decisions.get(node, Decision())
        decisions[node] = dataclasses.replace(
            current, reason=reason, caption_duplicate_of=_clip_id(winner)
        )
    return decisions


def over_cap(
    ranked: Iterable[tuple[tuple, str]], decisions: dict[str, Decision], cap: int
) -> list[str]:
    """Clip ids of one source beyond the first `cap` survivors by rank."""
    survivors = sorted(r for r in ranked if not (d := decisions.get(r[1])) or not d.reason)
    return [clip_id for _, clip_id in survivors[cap:]]


def apply_decision(clip: Clip, decision: Decision | None, capped: bool) -> Clip:
    if decision is not None:
        clip = dataclasses.replace(
            clip,
            duplicate_of=decision.duplicate_of,
            dup_group=decision.dup_group,
            caption_duplicate_of=decision.caption_duplicate_of,
        )
        if decision.reason:
            clip = clip.with_reasons(decision.reason)
    if capped:
        clip = clip.with_reasons(str(DedupReason.SOURCE_CAP))
    return clip


def load_previous(path: str, config: DedupConfig) -> list[Entry]:
    """Entries for the kept clips of a previous corpus (a run's output dir or its manifest)."""
    from transforms.tables import MANIFEST, iter_tables, read_file

    tables = [read_file(path)] if path.endswith(".parquet") else iter_tables(path, MANIFEST)
    entries = []
    for table in tables:
        if "phash" not in table.column_names:
            log.warning(
                "%s has no phash column: no near-duplicate signatures to dedup against", path
            )
        rows = [r for r in table.to_pylist() if r["status"] == "kept"]
        entries += [entry_for_row(r, config) for r in rows]
    return entries


# ---- near duplicates: Beam shells -----------------------------------------------------------


class _BucketPairsFn(beam.DoFn):
    def __init__(self, kind: str, max_bucket: int):
        self.kind, self.max_bucket = kind, max_bucket

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, keyed):
        _, nodes = keyed
        nodes = list(nodes)
        if len(nodes) > self.max_bucket:
            self.counters.inc(f"lsh.{self.kind}.oversized_buckets")
        yield from sig.bucket_pairs(nodes, self.max_bucket)


class _VerifyFn(beam.DoFn):
    def __init__(self, kind: str, match: Callable[[Entry, Entry, DedupConfig], bool], config):
        self.kind, self.match, self.config = kind, match, config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, keyed):
        _, joined = keyed
        b = next(iter(joined["entries"]))
        for a in joined["halves"]:
            if a.previous and b.previous:
                continue
            self.counters.inc(f"pairs.{self.kind}.candidates")
            if self.match(a, b, self.config):
                self.counters.inc(f"pairs.{self.kind}.verified")
                yield Edge(a.node, a.rank, b.node, b.rank)


def _half_edges(keyed):
    _, joined = keyed
    a = next(iter(joined["entries"]))
    for b in joined["pairs"]:
        yield b, a


class _VerifiedEdges(beam.PTransform):
    """Entries -> verified Edges: bucket keys, GroupByKey, pairs, joined with both entries."""

    def __init__(self, kind: str, keys, match, config: DedupConfig):
        super().__init__()
        self.kind, self.keys, self.match, self.config = kind, keys, match, config

    def expand(self, entries):
        keys, config = self.keys, self.config
        by_node = entries | "ByNode" >> beam.Map(lambda e: (e.node, e))
        pairs = (
            entries
            | "BucketKeys" >> beam.FlatMap(lambda e: [(k, e.node) for k in sorted(keys(e, config))])
            | "GroupByBucket" >> beam.GroupByKey()
            | "BucketPairs" >> beam.ParDo(_BucketPairsFn(self.kind, config.max_bucket))
            | "DistinctPairs" >> beam.Distinct()
        )
        halves = {"pairs": pairs, "entries": by_node} | "JoinFirst" >> beam.CoGroupByKey()
        return (
            {"halves": halves | "HalfEdges" >> beam.FlatMap(_half_edges), "entries": by_node}
            | "JoinSecond" >> beam.CoGroupByKey()
            | "Verify" >> beam.ParDo(_VerifyFn(self.kind, self.match, config))
        )


def _resolve_all(tagged: list, caption_mode: str | None) -> dict[str, Decision]:
    visual = sorted((e for kind, e in tagged if kind == "visual"), key=lambda e: (e.a, e.b))
    caption = sorted((e for kind, e in tagged if kind == "caption"), key=lambda e: (e.a, e.b))
    return resolve(visual, caption, caption_mode)


class _ApplyFn(beam.DoFn):
    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, sampled: SampledClip, decisions: dict, capped):
        clip = sampled.clip
        self.counters.inc("total")
        decision = decisions.get(clip.clip_id)
        clip = apply_decision(clip, decision, clip.clip_id in capped)
        if decision is not None and decision.caption_duplicate_of and not decision.reason:
            self.counters.inc("flagged.caption_duplicate")
        if clip.kept:
            self.counters.inc("kept")
            yield dataclasses.replace(sampled, clip=clip)
            return
        for reason in clip.drop_reasons:
            self.counters.inc(f"dropped.{reason}")
        yield beam.pvalue.TaggedOutput(DUPLICATES, clip)


class DedupClips(beam.PTransform):
    """Kept SampledClips -> survivors with their signature (main) and dropped Clip rows
    (`duplicates`): near-duplicate video, repeated captions, clips over the per-source cap.

    `previous` names an earlier run's output (or manifest): its kept clips win every group.
    """

    def __init__(self, config: DedupConfig, previous: str | None = None):
        super().__init__()
        self.config = config
        self.previous = previous

    def expand(self, clips):
        config = self.config
        signed = clips | "Sign" >> beam.Map(sign_clip, config)
        entries = signed | "Entries" >> beam.Map(lambda s: entry_for_clip(s.clip, config))
        everyone = entries
        if self.previous:
            prior = (
                clips.pipeline
                | "Previous" >> beam.Create([self.previous])
                | "LoadPrevious" >> beam.FlatMap(load_previous, config)
            )
            everyone = (entries, prior) | "WithPrevious" >> beam.Flatten()
        edges = []
        if config.max_hamming is not None:
            visual = everyone | "VisualEdges" >> _VerifiedEdges(
                "visual", visual_keys, visual_match, config
            )
            edges.append(visual | "TagVisual" >> beam.Map(lambda e: ("visual", e)))
        if config.caption_mode:
            caption = everyone | "CaptionEdges" >> _VerifiedEdges(
                "caption", caption_keys, caption_match, config
            )
            edges.append(caption | "TagCaption" >> beam.Map(lambda e: ("caption", e)))
        if not edges:
            edges.append(clips.pipeline | "NoEdges" >> beam.Create([]))
        decisions = (
            tuple(edges)
            | "AllEdges" >> beam.Flatten()
            | "EdgeList" >> beam.combiners.ToList()
            | "Resolve" >> beam.Map(_resolve_all, config.caption_mode)
        )
        decided = beam.pvalue.AsSingleton(decisions)
        if config.per_source_cap:
            capped = (
                entries
                | "BySource" >> beam.Map(lambda e: (e.source_sha256, (e.rank, e.clip_id)))
                | "GroupBySource" >> beam.GroupByKey()
                | "OverCap"
                >> beam.FlatMap(
                    lambda kv, d: [(c, True) for c in over_cap(kv[1], d, config.per_source_cap)],
                    decided,
                )
            )
        else:
            capped = clips.pipeline | "NoCap" >> beam.Create([])
        return signed | "Apply" >> beam.ParDo(
            _ApplyFn(), decided, beam.pvalue.AsDict(capped)
        ).with_outputs(DUPLICATES, main="clips")
