"""Gate: drop whole videos on metadata alone, before anything is decoded.

Cheapest filter in the pipeline (FIELD: probe and gate first). A gated video still gets one
manifest row, with every failed check as a reason, so users can see and re-threshold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import apache_beam as beam

from schemas import Clip, VideoInfo
from schemas.records import clip_id_for
from transforms.common import StageCounters

STAGE = "gate"
GATED = "gated"


class GateReason(StrEnum):
    TOO_SHORT = "video_too_short"
    TOO_LONG = "video_too_long"
    LOW_FPS = "low_fps"
    HIGH_FPS = "high_fps"
    LOW_RESOLUTION = "low_resolution"
    BAD_ASPECT = "bad_aspect_ratio"
    LOW_BITRATE = "low_bitrate"


@dataclass(frozen=True)
class GateConfig:
    min_duration_s: float | None = 2.0
    max_duration_s: float | None = None
    min_fps: float | None = 10.0
    max_fps: float | None = 240.0
    min_short_side: int | None = 240
    aspect_min: float | None = 0.4
    aspect_max: float | None = 2.5
    min_bits_per_pixel: float | None = None

    def __post_init__(self):
        if self.aspect_min and self.aspect_max and self.aspect_min > self.aspect_max:
            raise ValueError("gate.aspect_min must not exceed gate.aspect_max")


def check_video(info: VideoInfo, config: GateConfig) -> list[str]:
    """Every metadata check `info` fails, as reasons; empty when it passes."""
    reasons = []
    c = config
    if c.min_duration_s is not None and info.duration_s < c.min_duration_s:
        reasons.append(GateReason.TOO_SHORT)
    if c.max_duration_s is not None and info.duration_s > c.max_duration_s:
        reasons.append(GateReason.TOO_LONG)
    if c.min_fps is not None and info.fps < c.min_fps:
        reasons.append(GateReason.LOW_FPS)
    if c.max_fps is not None and info.fps > c.max_fps:
        reasons.append(GateReason.HIGH_FPS)
    if c.min_short_side is not None and min(info.width, info.height) < c.min_short_side:
        reasons.append(GateReason.LOW_RESOLUTION)
    aspect = info.width / info.height if info.height else 0.0
    if (c.aspect_min is not None and aspect < c.aspect_min) or (
        c.aspect_max is not None and aspect > c.aspect_max
    ):
        reasons.append(GateReason.BAD_ASPECT)
    bpp = info.bits_per_pixel
    if c.min_bits_per_pixel is not None and bpp is not None and bpp < c.min_bits_per_pixel:
        reasons.append(GateReason.LOW_BITRATE)
    return [str(r) for r in reasons]


def video_row(info: VideoInfo, reasons: list[str], note: str | None = None) -> Clip:
    """The single manifest row of a video dropped as a whole (scene_index is null)."""
    return Clip(
        clip_id=clip_id_for(info.source_sha256, 0.0, info.duration_s, salt=info.source),
        source=info.source,
        source_sha256=info.source_sha256,
        scene_index=None,
        scene_start_s=None,
        scene_end_s=None,
        start_s=0.0,
        end_s=info.duration_s,
        duration_s=info.duration_s,
        width=info.width,
        height=info.height,
        fps=info.fps,
        source_duration_s=info.duration_s,
        note=note,
    ).with_reasons(*reasons)


class _GateFn(beam.DoFn):
    def __init__(self, config: GateConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, info: VideoInfo):
        self.counters.inc("total")
        reasons = check_video(info, self.config)
        if not reasons:
            self.counters.inc("kept")
            yield info
            return
        for reason in reasons:
            self.counters.inc(f"dropped.{reason}")
        yield beam.pvalue.TaggedOutput(GATED, video_row(info, reasons))


class GateVideos(beam.PTransform):
    """VideoInfo -> passing VideoInfo (main) and manifest rows of gated videos (`gated`)."""

    def __init__(self, config: GateConfig):
        super().__init__()
        self.config = config

    def expand(self, videos):
        return videos | "Gate" >> beam.ParDo(_GateFn(self.config)).with_outputs(
            GATED, main="videos"
        )
