"""Dedup: exact copies of a source, near-duplicate clips, repeated captions, clips per source.

- Sources: byte-identical files are processed once. Clip ids hash the source's content, so two
  identical files would yield the same clips; the copy with the smallest URI is kept (a total
  order, so any runner picks the same one) and the others get one manifest row, reason
  `duplicate`, `duplicate_of` the kept file's URI.
- Clips: a visual signature per clip (frame pHashes, `transforms.signatures`) from the frames
  sampled in the decode pass; candidates from LSH buckets (`transforms.dedup_candidates`),
  verified on the full signatures (and an image embedding's cosine when clips carry one); groups
  and survivors by keyed label propagation (`transforms.dedup_resolve`). The others are dropped
  as `duplicate` with `duplicate_of` (the kept id) and `dup_group`. A clip OCR left unscanned,
  settled as a duplicate before it (`transforms.dedup_settled`), arrives marked with the clip it
  was settled by (`duplicate_of`) and is never kept.
- Captions: MinHash over caption shingles, banded the same way; repeats are dropped
  (`caption_duplicate`) or only flagged, per config, with `caption_duplicate_of`.
- Per source: at most `per_source_cap` clips survive per source video, the first by rank.
- A previous corpus (`--previous OUT_OLD`, `transforms.dedup_previous`): its published clips'
  stored signatures join the candidates and win every group they are in.

Everything is keyed: small signature records (`Entry`) go through the bucket, pair and label
shuffles; the decisions (clip_id -> Decision) meet the clips in one keyed join by clip_id
(each join is one `GroupByKey` of tagged values, `common.by_tag`); the pipeline signs the
clips before its checkpoint and sends on only the frames later stages read. No
step gathers a list or broadcasts a dict that grows with the corpus. A label propagation round
is one `GroupByKey`: each node's neighbours travel with its label from round to round.
The stage runs twice (before captions for video, after for captions and the cap), each pass with
its own counters (`dedup_video.*`, `dedup_caption.*`), each clip counted once per pass.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

import apache_beam as beam

from schemas import Clip, SampledClip, VideoInfo
from transforms import signatures as sig
from transforms.common import StageCounters, by_tag
from transforms.dedup_candidates import (
    Entry,
    bucket_pairs,
    caption_keys,
    caption_match,
    entry_for_clip,
    members,
    verify,
    visual_keys,
    visual_match,
)
from transforms.dedup_previous import (
    PreviousCorpus,
    entry_from_row,
    find_previous,
    signature_row,
)
from transforms.dedup_resolve import (
    Decision,
    DedupReason,
    Edge,
    adjacency,
    apply_decision,
    caption_decision,
    clip_id_of,
    edge_labels,
    is_previous,
    merge_decisions,
    over_cap,
    settle,
    spread,
    visual_decision,
)
from transforms.gate import video_row

log = logging.getLogger(__name__)

STAGE = "dedup"  # counters of a pass that does everything (tests); the pipeline names its two
VIDEO_STAGE = "dedup_video"
CAPTION_STAGE = "dedup_caption"
SOURCE_STAGE = "dedup_source"
DUPLICATES = "duplicates"
SIGNATURES = "signatures"
DUPLICATE = str(DedupReason.DUPLICATE)

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
    lsh_frames: int = 16  # frames per clip whose bands are bucket keys
    lsh_bands: int = 16
    lsh_band_bits: int = 24
    lsh_seed: int = 20240601
    max_bucket: int = 64  # larger buckets are paired within overlapping windows of this size
    component_rounds: int = 8  # label-propagation rounds: groups up to this many hops wide
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

    def caption_pass(self, captioned: bool = True) -> DedupConfig:
        """Repeated captions and the per-source cap: runs once captions exist. A run without
        captions (`captioned=False`) has no caption to match, so its caption search is off: with
        no per-source cap either, the pass is one Beam step that only counts and signs."""
        return dataclasses.replace(
            self, max_hamming=None, caption_mode=self.caption_mode if captioned else None
        )

    def __post_init__(self):
        if self.max_hamming is not None and not 0 <= self.max_hamming < sig.HASH_BITS:
            raise ValueError("dedup.max_hamming must be in 0..63")
        if not 0 < self.min_matched_frac <= 1 or self.min_matched_frames < 1:
            raise ValueError("dedup.min_matched_frac must be in (0, 1], min_matched_frames >= 1")
        if self.frame_tolerance < 0 or self.max_frames < 1 or self.lsh_frames < 1:
            raise ValueError("dedup.frame_tolerance >= 0, max_frames and lsh_frames >= 1")
        if self.lsh_bands < 1 or not 1 <= self.lsh_band_bits <= sig.HASH_BITS:
            raise ValueError("dedup.lsh_bands >= 1 and lsh_band_bits in 1..64")
        if self.max_bucket < 2 or self.component_rounds < 1:
            raise ValueError("dedup.max_bucket must be at least 2, component_rounds at least 1")
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
        self.counters = StageCounters(SOURCE_STAGE)

    def process(self, keyed):
        _, infos = keyed
        infos = sorted(infos, key=lambda info: info.source)
        keep = infos[0]
        self.counters.inc("total", len(infos))
        self.counters.inc("kept")
        yield keep
        for info in infos[1:]:
            self.counters.inc(f"dropped.{DUPLICATE}")
            row = video_row(info, [DUPLICATE], f"byte-identical to {keep.source}")
            yield beam.pvalue.TaggedOutput(
                DUPLICATES, dataclasses.replace(row, duplicate_of=keep.source)
            )


class DedupSources(beam.PTransform):
    """VideoInfo -> one VideoInfo per content hash (main) and rows for the copies, whose
    `duplicate_of` is the kept file's URI."""

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


# ---- near duplicates: signatures and candidates ---------------------------------------------

# Tags of the keyed joins (one GroupByKey each, see `transforms.common.by_tag`).
ENTRY, PARTNER, HALF = "entry", "partner", "half"  # _VerifiedEdges
OWN, OFFER, NEIGHBOURS = "own", "offer", "neighbours"  # LabelComponents
CLIP, DECISION = "clip", "decision"  # DedupClips' final join


def sign_clip(sampled: SampledClip, config: DedupConfig) -> SampledClip:
    """The clip with its visual signature set, computed from its sampled frames (a clip that
    comes without them keeps the signature it has: signed before its frames were dropped, as
    the pipeline does before the checkpoint, or carried over from an earlier corpus)."""
    if config.max_hamming is None:
        return sampled
    frames = [sampled.frames_jpg[i] for i in sampled.pick(config.max_frames)]
    if not frames or not all(frames):
        return sampled
    full, center = sig.frame_hashes(frames, config.min_frame_std)
    clip = dataclasses.replace(sampled.clip, phash=full, phash_center=center)
    return dataclasses.replace(sampled, clip=clip)


def unsigned(clip: Clip) -> Clip:
    """A dropped clip's row without the signature it was given on its way: only the clips that
    reach the near-duplicate pass keep theirs in the manifest."""
    return dataclasses.replace(clip, phash=None, phash_center=None)


def sign_keeping(
    sampled: SampledClip, config: DedupConfig, keep: tuple[int, ...] | None
) -> SampledClip:
    """The clip signed (`sign_clip`), with only the frames of the `pick` counts `keep` left
    (all of them when `keep` is None)."""
    signed = sign_clip(sampled, config)
    return signed if keep is None else signed.keeping(*keep)


class SignClips(beam.PTransform):
    """SampledClips -> the same, signed for `config`'s visual pass, each with only the frames
    of the `SampledClip.pick` counts `keep` (those later stages read; None: all of them): the
    others never reach a shuffle. `DedupClips` keeps a signature made here (`sign_clip`)."""

    def __init__(self, config: DedupConfig, keep: tuple[int, ...] | None = None):
        super().__init__()
        self.config, self.keep = config, keep

    def expand(self, clips):
        return clips | "Sign" >> beam.Map(sign_keeping, self.config, self.keep)


def _bucket_members(entry, keys: Callable, config: DedupConfig):
    """An entry's bucket members (main) and the entry keyed by node (`entry`)."""
    yield from members(entry, keys(entry, config))
    yield beam.pvalue.TaggedOutput(ENTRY, (entry.node, (ENTRY, entry)))


class _BucketPairsFn(beam.DoFn):
    """A bucket -> (a, (partner, b)) for each candidate pair."""

    def __init__(self, stage: str, kind: str, max_bucket: int, max_distance: int | None):
        self.stage, self.kind, self.max_bucket = stage, kind, max_bucket
        self.max_distance = max_distance

    def setup(self):
        self.counters = StageCounters(self.stage)

    def process(self, keyed):
        key, bucket = keyed
        bucket = list(bucket)
        if len(bucket) > self.max_bucket:
            self.counters.inc(f"lsh.{self.kind}.crowded_buckets")
        for a, b in bucket_pairs(key, bucket, self.max_bucket, self.max_distance):
            yield a, (PARTNER, b)


def _first_half(keyed):
    """At node a: its entry, once to each distinct partner b (the pairs' Distinct and first
    join in one shuffle)."""
    _, values = keyed
    joined = by_tag(values)
    if not joined.get(ENTRY):
        return
    entry = joined[ENTRY][0]
    for b in sorted(set(joined.get(PARTNER, ()))):
        yield b, (HALF, entry)


class _VerifyFn(beam.DoFn):
    def __init__(self, stage: str, kind: str, match: Callable, config: DedupConfig):
        self.stage, self.kind, self.match, self.config = stage, kind, match, config

    def setup(self):
        self.counters = StageCounters(self.stage)

    def process(self, keyed):
        _, values = keyed
        joined = by_tag(values)
        if not joined.get(ENTRY):
            return
        b = joined[ENTRY][0]
        for a in joined.get(HALF, ()):
            self.counters.inc(f"pairs.{self.kind}.candidates")
            if verify(a, b, self.match, self.config):
                self.counters.inc(f"pairs.{self.kind}.verified")
                yield Edge(a.node, a.rank, b.node, b.rank)


class _VerifiedEdges(beam.PTransform):
    """Entries -> verified Edges: bucket keys, GroupByKey, pairs, joined with both entries."""

    def __init__(self, stage: str, kind: str, keys: Callable, match: Callable, config, radius):
        super().__init__()
        self.stage, self.kind, self.keys, self.match, self.config = stage, kind, keys, match, config
        self.radius = radius  # bits within which two members' hashes pair (None: any)

    def expand(self, entries):
        config = self.config
        keyed = entries | "BucketKeys" >> beam.FlatMap(
            _bucket_members, self.keys, config
        ).with_outputs(ENTRY, main="members")
        by_node = keyed[ENTRY]
        pairs = (
            keyed.members
            | "GroupByBucket" >> beam.GroupByKey()
            | "BucketPairs"
            >> beam.ParDo(_BucketPairsFn(self.stage, self.kind, config.max_bucket, self.radius))
        )
        halves = (
            (pairs, by_node)
            | "FirstInputs" >> beam.Flatten()
            | "JoinFirst" >> beam.GroupByKey()
            | "FirstHalf" >> beam.FlatMap(_first_half)
        )
        return (
            (halves, by_node)
            | "SecondInputs" >> beam.Flatten()
            | "JoinSecond" >> beam.GroupByKey()
            | "Verify" >> beam.ParDo(_VerifyFn(self.stage, self.kind, self.match, config))
        )


# ---- near duplicates: groups by label propagation -------------------------------------------


def _start_labels(edge: Edge):
    """Each end of an edge: its own starting label, and the other end as a neighbour."""
    for (node, label), (_, other) in zip(edge_labels(edge), adjacency(edge), strict=True):
        yield node, (OWN, label)
        yield node, (NEIGHBOURS, (other,))


def _offers(joined: dict[str, list]) -> list[tuple[tuple, bool]]:
    """A node's offers as `settle` takes them: its own label, and its neighbours' labels."""
    own, offered = joined.get(OWN, ()), joined.get(OFFER, ())
    return [(label, True) for label in own] + [(label, False) for label in offered]


def _spread_round(keyed):
    """One round at one node: its label is the smallest of its own and its neighbours' offers;
    it goes to itself (with its neighbours, for the next round) and to each neighbour."""
    node, values = keyed
    joined = by_tag(values)
    neighbours = sorted({n for group in joined.get(NEIGHBOURS, ()) for n in group})
    label = settle(_offers(joined))[0]
    yield node, (NEIGHBOURS, tuple(neighbours))
    for target, (offer, own) in spread(node, [label], neighbours):
        yield target, (OWN if own else OFFER, offer)


class _SettleFn(beam.DoFn):
    """A node's final label: the smallest offer; counts the nodes whose label still moved."""

    def __init__(self, stage: str, kind: str):
        self.stage, self.kind = stage, kind

    def setup(self):
        self.counters = StageCounters(self.stage)

    def process(self, keyed):
        node, values = keyed
        joined = by_tag(values)
        label, moved = settle(_offers(joined))
        if moved:
            self.counters.inc(f"components.{self.kind}.unsettled")
        yield node, label


class LabelComponents(beam.PTransform):
    """Edges -> (node, label) with label = (rank, node) of the best node within `rounds` hops
    (see `transforms.dedup_resolve`). Each round is one GroupByKey of a node's own label, its
    neighbours (carried along from round to round) and its neighbours' offers."""

    def __init__(self, stage: str, kind: str, rounds: int):
        super().__init__()
        self.stage, self.kind, self.rounds = stage, kind, rounds

    def expand(self, edges):
        messages = edges | "StartLabels" >> beam.FlatMap(_start_labels)
        for r in range(self.rounds):
            messages = (
                messages
                | f"Join{r}" >> beam.GroupByKey()
                | f"Spread{r}" >> beam.FlatMap(_spread_round)
            )
        return (
            messages
            | "JoinSettle" >> beam.GroupByKey()
            | "Settle" >> beam.ParDo(_SettleFn(self.stage, self.kind))
        )


# ---- the previous corpus --------------------------------------------------------------------


class _ReadPrevious(beam.PTransform):
    """A previous corpus's published clips as Entries, reading only the columns one pass needs."""

    def __init__(self, corpus: PreviousCorpus, config: DedupConfig, visual: bool, caption: bool):
        super().__init__()
        self.corpus, self.config = corpus, config
        self.visual, self.caption = visual, caption

    def expand(self, pipeline):
        corpus, config = self.corpus, self.config
        columns = corpus.columns_for(config, self.visual, self.caption)
        return (
            pipeline
            | "Read" >> beam.io.ReadFromParquet(corpus.pattern, columns=columns)
            | "Entries"
            >> beam.FlatMap(
                lambda row: [e] if (e := entry_from_row(row, corpus.kind, config)) else []
            )
        )


# ---- the stage -------------------------------------------------------------------------------


def _signed(sampled: SampledClip, config: DedupConfig) -> tuple[SampledClip, Entry]:
    signed = sign_clip(sampled, config)
    return signed, entry_for_clip(signed.clip, config)


def _sign(sampled: SampledClip, config: DedupConfig):
    """A clip signed, with its entry: keyed for the decisions' join (main) and to `entry`."""
    signed, entry = _signed(sampled, config)
    yield signed.clip.clip_id, (CLIP, (signed, entry))
    yield beam.pvalue.TaggedOutput(ENTRY, entry)


def _survivors(entries, decisions, label: str):
    """Entries whose clip no decision drops (a keyed join on clip_id)."""
    return (
        (entries | f"{label}ById" >> beam.Map(lambda e: (e.clip_id, (ENTRY, e))), decisions)
        | f"{label}Inputs" >> beam.Flatten()
        | f"{label}Join" >> beam.GroupByKey()
        | f"{label}Left"
        >> beam.FlatMap(
            lambda kv: (
                []
                if any(tag == DECISION and d.reason for tag, d in kv[1])
                else [e for tag, e in kv[1] if tag == ENTRY]
            )
        )
    )


class _ApplyFn(beam.DoFn):
    """(clip_id, tagged clips and decisions) -> the clip with its decisions applied; or, where
    no check is on (`joined=False`), a SampledClip, signed here, with no decision."""

    def __init__(self, stage: str, config: DedupConfig, joined: bool = True):
        self.stage, self.config, self.joined = stage, config, joined

    def setup(self):
        self.counters = StageCounters(self.stage)

    def process(self, element):
        if self.joined:
            joined = by_tag(element[1])
            decision = merge_decisions(joined.get(DECISION, ()))
            clips = joined.get(CLIP, ())
        else:
            decision, clips = None, [_signed(element, self.config)]
        for sampled, entry in clips:
            self.counters.inc("total")
            clip = apply_decision(sampled.clip, decision)
            settled = sampled.clip.duplicate_of  # set by OCR on a clip it left unscanned
            if settled and self.config.max_hamming is not None and clip.kept:
                # Its pair was missed here (crowded buckets): never keep an unscanned clip.
                self.counters.inc("settled_kept")
                clip = apply_decision(clip, Decision(DUPLICATE, settled, settled))
            if decision is not None and decision.caption_duplicate_of and not decision.reason:
                self.counters.inc("flagged.caption_duplicate")
            if not clip.kept:
                for reason in clip.drop_reasons:
                    self.counters.inc(f"dropped.{reason}")
                yield beam.pvalue.TaggedOutput(DUPLICATES, clip)
                continue
            self.counters.inc("kept")
            yield dataclasses.replace(sampled, clip=clip)
            yield beam.pvalue.TaggedOutput(SIGNATURES, signature_row(clip, entry, self.config))


class DedupClips(beam.PTransform):
    """Kept SampledClips -> survivors with their signature (main), dropped Clip rows
    (`duplicates`) and the survivors' signature rows (`signatures`, committed with each group
    of sources by `transforms.write.WriteCorpus`): near-duplicate video, repeated captions,
    clips over the per-source cap.

    `previous` names an earlier run's output (or manifest): its published clips win every group.
    `stage` names the counters (`dedup_video`, `dedup_caption` in the pipeline).
    """

    def __init__(self, config: DedupConfig, previous: str | None = None, stage: str = STAGE):
        super().__init__()
        self.config, self.previous, self.stage = config, previous, stage

    def expand(self, clips):
        config, stage = self.config, self.stage
        p = clips.pipeline
        corpus = find_previous(self.previous) if self.previous else None
        if self.previous and corpus is None:
            raise ValueError(f"--previous {self.previous}: no signatures or manifest there")
        outputs = (DUPLICATES, SIGNATURES)
        if config.max_hamming is None and not config.caption_mode and not config.per_source_cap:
            # No check is on (the caption pass of a run without captions): nothing to join.
            return clips | "Apply" >> beam.ParDo(
                _ApplyFn(stage, config, joined=False)
            ).with_outputs(*outputs, main="clips")
        signed = clips | "Sign" >> beam.FlatMap(_sign, config).with_outputs(ENTRY, main="clips")
        live, decisions = signed[ENTRY], []

        def pass_decisions(kind, keys, match, decide, visual):
            radius = config.max_hamming if visual else None
            pool = live
            if corpus is not None:
                prior = p | f"{kind}Previous" >> _ReadPrevious(corpus, config, visual, not visual)
                pool = (live, prior) | f"{kind}WithPrevious" >> beam.Flatten()
            name = kind.lower()  # counters: pairs.visual.*, components.caption.*
            edges = pool | f"{kind}Edges" >> _VerifiedEdges(
                stage, name, keys, match, config, radius
            )
            labels = edges | f"{kind}Groups" >> LabelComponents(
                stage, name, config.component_rounds
            )
            return labels | f"{kind}Decisions" >> beam.FlatMap(
                lambda kv: (
                    []
                    if is_previous(kv[0]) or (d := decide(kv[0], kv[1])) is None
                    else [(clip_id_of(kv[0]), (DECISION, d))]
                )
            )

        if config.max_hamming is not None:
            visual = pass_decisions("Visual", visual_keys, visual_match, visual_decision, True)
            decisions.append(visual)
            if config.caption_mode or config.per_source_cap:
                live = _survivors(live, visual, "Visual")
        if config.caption_mode:
            mode = config.caption_mode
            caption = pass_decisions(
                "Caption",
                caption_keys,
                caption_match,
                lambda node, label: caption_decision(node, label, mode),
                False,
            )
            decisions.append(caption)
            if mode == "drop" and config.per_source_cap:
                live = _survivors(live, caption, "Caption")
        if config.per_source_cap:
            cap = config.per_source_cap
            decisions.append(
                live
                | "BySource" >> beam.Map(lambda e: (e.source_sha256, (e.rank, e.clip_id)))
                | "GroupBySource" >> beam.GroupByKey()
                | "OverCap"
                >> beam.FlatMap(
                    lambda kv: [
                        (clip_id, (DECISION, Decision(reason=str(DedupReason.SOURCE_CAP))))
                        for clip_id in over_cap(kv[1], cap)
                    ]
                )
            )
        return (
            (signed.clips, *decisions)
            | "JoinInputs" >> beam.Flatten()
            | "JoinDecisions" >> beam.GroupByKey()
            | "Apply" >> beam.ParDo(_ApplyFn(stage, config)).with_outputs(*outputs, main="clips")
        )
