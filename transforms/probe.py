"""Probe: read container and stream metadata of each source without decoding it.

Decodes one frame only, to prove the video stream is decodable and to read the display
matrix. Everything later (gate, scenes, encode) trusts these numbers, rotation included.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import apache_beam as beam

from schemas import VideoInfo
from transforms.common import FAILED, StageCounters, as_failure
from transforms.media import (
    MediaError,
    file_url,
    is_local,
    local_copy,
    open_options,
    sha256_file,
    sniff,
    source_size,
    upright_rotation,
)

log = logging.getLogger(__name__)
STAGE = "probe"


@dataclass(frozen=True)
class ProbeConfig:
    # ffmpeg demuxers; playlist and concat demuxers (hls, concat, image2) are never allowed.
    allowed_formats: tuple[str, ...] = (
        *("mov", "mp4", "matroska", "webm", "avi", "flv", "mpegts", "mpeg", "asf", "ogg"),
        *("ivf", "mxf", "nut", "h264", "hevc", "m4v"),
    )
    max_size_mb: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "allowed_formats", tuple(self.allowed_formats))
        if not self.allowed_formats:
            raise ValueError("probe.allowed_formats must not be empty")


def _rate(value) -> float:
    return float(value) if value else 0.0


def probe_file(path: str, source: str, config: ProbeConfig) -> VideoInfo:
    """Metadata of the video at local `path`; raises MediaError for unusable input."""
    import av

    sniff(path)
    size = os.path.getsize(path)
    if config.max_size_mb is not None and size > config.max_size_mb * 1e6:
        raise MediaError("too_large", f"{size} bytes > probe.max_size_mb={config.max_size_mb}")
    try:
        container = av.open(file_url(path), options=open_options(list(config.allowed_formats)))
    except av.ArgumentError as e:  # EINVAL: the demuxer is not on the allowlist
        allowed = ",".join(config.allowed_formats)
        raise MediaError("unsupported_format", f"not one of probe.allowed_formats={allowed}") from e
    except av.FFmpegError as e:
        raise MediaError("corrupt_container", str(e)) from e
    with container:
        cover_art = av.stream.Disposition.attached_pic
        streams = [s for s in container.streams.video if not s.disposition & cover_art]
        if not streams:
            raise MediaError("no_video_stream", f"container {container.format.name} has no video")
        stream = streams[0]
        codec = stream.codec_context
        try:
            frame = next(container.decode(stream), None)
        except av.FFmpegError as e:
            raise MediaError("undecodable", str(e)) from e
        if frame is None:
            raise MediaError("undecodable", "the video stream holds no decodable frame")
        rotation = upright_rotation(frame.rotation or 0)
        if rotation == 0 and "rotate" in stream.metadata:  # legacy clockwise tag
            rotation = int(float(stream.metadata["rotate"])) % 360
        duration_s = 0.0
        if stream.duration and stream.time_base:
            duration_s = float(stream.duration * stream.time_base)
        elif container.duration:
            duration_s = container.duration / 1e6
        width, height = codec.width, codec.height
        if rotation in (90, 270):
            width, height = height, width
        start_time_s = container.start_time / 1e6 if container.start_time else 0.0
        return VideoInfo(
            source=source,
            source_sha256=sha256_file(path),
            size_bytes=size,
            container=container.format.name,
            codec=codec.name,
            pix_fmt=codec.pix_fmt or "",
            width=width,
            height=height,
            rotation_deg=rotation,
            duration_s=duration_s,
            fps=_rate(stream.average_rate) or _rate(stream.guessed_rate),
            fps_real=_rate(stream.base_rate),
            bit_rate=stream.bit_rate or container.bit_rate or None,
            frame_count=stream.frames or None,
            has_audio=bool(container.streams.audio),
            start_time_s=start_time_s,
        )


class _ProbeFn(beam.DoFn):
    def __init__(self, config: ProbeConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, source: str):
        self.counters.inc("total")
        try:
            if self.config.max_size_mb is not None and not is_local(source):
                size, _ = source_size(source)  # refused before it is fetched
                if size > self.config.max_size_mb * 1e6:
                    limit = self.config.max_size_mb
                    raise MediaError("too_large", f"{size} bytes > probe.max_size_mb={limit}")
            with local_copy(source) as path:
                info = probe_file(path, source, self.config)
        except (MediaError, OSError) as e:
            failure = as_failure(source, STAGE, e)
            self.counters.inc(f"failed.{failure.error}")
            yield beam.pvalue.TaggedOutput(FAILED, failure)
            return
        self.counters.inc("ok")
        yield info


class ProbeVideos(beam.PTransform):
    """URIs -> VideoInfo, with unusable inputs on the `failed` output."""

    def __init__(self, config: ProbeConfig):
        super().__init__()
        self.config = config

    def expand(self, uris):
        return uris | "Probe" >> beam.ParDo(_ProbeFn(self.config)).with_outputs(
            FAILED, main="videos"
        )
