"""The whole data flow on one screen: inputs -> probe -> dedup sources -> gate -> scenes (with the
cheap quality and motion scores) -> OCR/aesthetics -> near-duplicate video -> captions ->
repeated captions and per-source cap -> encode -> shards, with every dropped clip and every
failure flowing into the manifest and failures tables, written per group of sources beside the
report's example strips (from the decode pass's samples); stats are
combined from the groups' summaries. Each source's per-source results are checkpointed before
the dedup passes. A resumed run (`resume`) skips the sources an earlier attempt completed,
restores the checkpointed ones without decoding them, and dedups the rest against what it kept.
"""

from __future__ import annotations

import apache_beam as beam

from pipelines.config import PipelineConfig
from transforms import score
from transforms.caption import CaptionClips, PreflightModels
from transforms.checkpoint import (
    FAILURES,
    KEPT,
    ROWS,
    STILLS,
    CheckpointSources,
    ReadCheckpoints,
    RestoreCheckpoints,
)
from transforms.common import FAILED
from transforms.dedup import (
    CAPTION_STAGE,
    DUPLICATES,
    SIGNATURES,
    VIDEO_STAGE,
    DedupClips,
    DedupSources,
    SignClips,
    unsigned,
)
from transforms.dedup_previous import find_previous
from transforms.detect import DetectObjects
from transforms.encode import DROPPED, THUMBNAIL_PICK, EncodeClips
from transforms.gate import GATED, GateVideos
from transforms.inputs import ListInputs, names_list
from transforms.probe import ProbeVideos
from transforms.scenes import SplitScenes
from transforms.score import ScoreClips
from transforms.strips import PickStills
from transforms.write import ReadProgress, SkipCompleted, WriteCorpus, WriteStats, box_rows


def build(
    p: beam.Pipeline,
    inputs: list[str],
    out_dir: str,
    config: PipelineConfig,
    previous: str | None = None,
    resume: bool = False,
) -> None:
    listed = (
        p
        | "Inputs" >> beam.Create(sorted(inputs))
        | "PreflightModels" >> PreflightModels(config.caption)
        | "ListInputs" >> ListInputs(config.inputs, lists=any(map(names_list, inputs)))
    )
    uris, unlisted = listed["uris"], listed[FAILED]
    completed = checkpoints = None  # a fresh run has no completed or checkpointed source
    if resume:
        completed = p | "ReadProgress" >> ReadProgress(out_dir)
        uris = uris | "SkipCompleted" >> SkipCompleted(completed)
        unlisted = unlisted | "SkipCompletedSpecs" >> SkipCompleted(completed, lambda f: f.source)
        checkpoints = (
            p
            | "ReadCheckpoints" >> ReadCheckpoints(out_dir)
            | "SkipCompletedCheckpoints" >> SkipCompleted(completed, lambda c: c["sources"][0])
        )
        if find_previous(out_dir):  # its kept clips win, as they did in the first attempt
            previous = previous or out_dir
    probed = uris | "ProbeVideos" >> ProbeVideos(config.probe)
    unique = probed.videos | "DedupSources" >> DedupSources()
    gated = unique.videos | "GateVideos" >> GateVideos(config.gate)
    videos = gated.videos
    if resume:  # checkpointed sources are restored below, not decoded again
        videos = videos | "SkipCheckpointed" >> SkipCompleted(checkpoints, lambda v: v.source)
    split = videos | "SplitScenes" >> SplitScenes(
        config.scenes,
        config.clips,
        analyzers=(
            config.frame_quality,
            config.motion,
            config.watermark,
            config.objects,
            config.borders,
        ),
        check=config.quality.check,
    )
    stills = split.clips | "PickStills" >> PickStills(config.report.strips())
    kept, dropped = split.clips | "KeptOrDropped" >> beam.Partition(
        lambda sampled, _: 0 if sampled.clip.kept else 1, 2
    )
    # Each clip's visual signature is made here, from its sampled frames, so OCR can leave
    # unscanned the clips whose fate as a near-duplicate is already settled (ocr.skip_duplicates).
    video_pass = config.dedup.video_pass()
    signed = kept | "SignClips" >> SignClips(video_pass)
    scored = signed | "ScoreClips" >> ScoreClips(
        config.ocr,
        config.aesthetics,
        config.quality.check,
        config.watermark.classifier,
        duplicates=video_pass,
    )
    labelled = scored["clips"] | "DetectObjects" >> DetectObjects(config.detect)
    # Of the sampled frames only the ones a later stage reads (`SampledClip.pick` counts: the
    # thumbnail, the captioner's frames when captions are on) go on, into the checkpoint's
    # shuffle and the dedup joins.
    captioning = config.caption.backend != "none"
    later = (THUMBNAIL_PICK, config.caption.frames if captioning else 0)
    slim = labelled | "KeepFrames" >> beam.Map(lambda sampled: sampled.keeping(*later))
    saved = {
        KEPT: slim,
        ROWS: (
            dropped | "DroppedRows" >> beam.Map(lambda sampled: sampled.clip),
            scored[score.DROPPED] | "UnsignedRows" >> beam.Map(unsigned),
        )
        | "SourceRows" >> beam.Flatten(),
        FAILURES: split[FAILED],
        STILLS: stills,
    } | "CheckpointSources" >> CheckpointSources(out_dir)
    sources = [saved]  # each source's results: this run's, and the checkpointed ones restored
    if resume:
        sources.append(checkpoints | "RestoreCheckpoints" >> RestoreCheckpoints())
    clips = [s.kept for s in sources] | "SourceClips" >> beam.Flatten()
    deduped = clips | "DedupClips" >> DedupClips(video_pass, previous, VIDEO_STAGE)
    captioned = deduped.clips | "CaptionClips" >> CaptionClips(config.caption, config.caption_qa)
    final = captioned["clips"] | "DedupCaptions" >> DedupClips(
        config.dedup.caption_pass(captioning), previous, CAPTION_STAGE
    )
    encoded = final.clips | "EncodeClips" >> EncodeClips(config.encode, out_dir)
    rows = (
        *(s[ROWS] for s in sources),
        captioned[DROPPED],
        encoded[DROPPED],
        gated[GATED],
        unique[DUPLICATES],
        deduped[DUPLICATES],
        final[DUPLICATES],
    ) | "ManifestRows" >> beam.Flatten()
    failures = (
        unlisted,
        probed[FAILED],
        *(s[FAILURES] for s in sources),
        captioned[FAILED],
        encoded[FAILED],
    ) | "FailureRows" >> beam.Flatten()
    boxes = final.clips | "Boxes" >> beam.FlatMap(box_rows)
    written = {
        "media": encoded.media,
        "rows": rows,
        "failures": failures,
        "signatures": final[SIGNATURES],
        "boxes": boxes,
        "stills": [s[STILLS] for s in sources] | "Stills" >> beam.Flatten(),
    } | "WriteCorpus" >> WriteCorpus(
        out_dir, config.write, listed["uris"], config.buckets, config.report.strips()
    )
    summaries = [written]
    if resume:
        summaries.append(completed | "CompletedSummaries" >> beam.Map(lambda r: r["summary"]))
    _ = summaries | "Summaries" >> beam.Flatten() | "WriteStats" >> WriteStats(out_dir)


class RunOptions(beam.options.pipeline_options.PipelineOptions):
    """A run's Beam options whose views (`view_as(TypeOptions)`, ...) are made once per class.
    Beam asks for a view at each step it applies and builds each one anew, an argparse parser of
    that class's flags parsed again: ~400 views, ~0.2 CPU s of a one-video run. Every view of
    one options object reads and writes the same option values, so a kept view answers as a new
    one would. Adds no flags of its own."""

    def view_as(self, cls):
        views = self.__dict__.setdefault("_views", {})
        if cls not in views:
            views[cls] = super().view_as(cls)
        return views[cls]
