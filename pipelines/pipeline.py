"""The whole data flow on one screen: inputs -> probe -> dedup sources -> gate -> scenes (with the
cheap quality and motion scores) -> OCR/aesthetics -> near-duplicate video -> captions ->
repeated captions and per-source cap -> encode -> shards, with every dropped clip and every
failure flowing into the manifest and failures table.
"""

from __future__ import annotations

import apache_beam as beam

from pipelines.config import PipelineConfig
from transforms import score
from transforms.caption import CaptionClips, PreflightModels
from transforms.common import FAILED
from transforms.dedup import DUPLICATES, DedupClips, DedupSources
from transforms.encode import DROPPED, EncodeClips
from transforms.gate import GATED, GateVideos
from transforms.inputs import ListInputs
from transforms.probe import ProbeVideos
from transforms.scenes import SplitScenes
from transforms.score import ScoreClips
from transforms.write import WriteShards, failures_transform, manifest_transform


def build(
    p: beam.Pipeline,
    inputs: list[str],
    out_dir: str,
    config: PipelineConfig,
    previous: str | None = None,
) -> None:
    listed = (
        p
        | "Inputs" >> beam.Create(sorted(inputs))
        | "PreflightModels" >> PreflightModels(config.caption)
        | "ListInputs" >> ListInputs(config.inputs)
    )
    probed = listed["uris"] | "ProbeVideos" >> ProbeVideos(config.probe)
    unique = probed.videos | "DedupSources" >> DedupSources()
    gated = unique.videos | "GateVideos" >> GateVideos(config.gate)
    split = gated.videos | "SplitScenes" >> SplitScenes(
        config.scenes,
        config.clips,
        analyzers=(config.frame_quality, config.motion),
        check=config.quality.check,
    )
    kept, dropped = split.clips | "KeptOrDropped" >> beam.Partition(
        lambda sampled, _: 0 if sampled.clip.kept else 1, 2
    )
    scored = kept | "ScoreClips" >> ScoreClips(config.ocr, config.aesthetics, config.quality.check)
    deduped = scored["clips"] | "DedupClips" >> DedupClips(config.dedup.video_pass(), previous)
    captioned = deduped.clips | "CaptionClips" >> CaptionClips(config.caption, config.caption_qa)
    final = captioned["clips"] | "DedupCaptions" >> DedupClips(
        config.dedup.caption_pass(), previous
    )
    encoded = final.clips | "EncodeClips" >> EncodeClips(config.encode)
    written = encoded.media | "WriteShards" >> WriteShards(out_dir, config.write)

    _ = (
        (
            written,
            dropped | "DroppedRows" >> beam.Map(lambda sampled: sampled.clip),
            scored[score.DROPPED],
            captioned[DROPPED],
            encoded[DROPPED],
            gated[GATED],
            unique[DUPLICATES],
            deduped[DUPLICATES],
            final[DUPLICATES],
        )
        | "ManifestRows" >> beam.Flatten()
        | "WriteManifest" >> manifest_transform(out_dir)
    )
    _ = (
        (listed[FAILED], probed[FAILED], split[FAILED], captioned[FAILED], encoded[FAILED])
        | "FailureRows" >> beam.Flatten()
        | "WriteFailures" >> failures_transform(out_dir)
    )
