"""Probe: read container and stream metadata of each source without decoding it.

Decodes one frame only, to prove the video stream is decodable and to read the display
matrix and the sample aspect ratio. Everything later (gate, scenes, encode) trusts these
numbers: rotation, display shape (SAR then rotation applied, square pixels) and whether the
frame rate varies, which is read from the first packets' timestamps without decoding them.
A Dolby Vision stream without a compatible base layer (profile 5) is failed here
(transforms/dovi.py).
"""

from __future__ import annotations

import itertools
import logging
import math
import os
from dataclasses import dataclass

import apache_beam as beam

from schemas import VideoInfo
from transforms import dovi
from transforms.common import FAILED, StageCounters, as_failure
from transforms.hdr import hdr_transfer
from transforms.media import (
    MediaError,
    file_url,
    is_interlaced,
    is_local,
    local_copy,
    open_options,
    sha256_file,
    sniff,
    source_size,
    start_time_s,
    upright_rotation,
)

log = logging.getLogger(__name__)
STAGE = "probe"
DOVI_CODECS = ("hevc", "av1", "h264")  # the codecs Dolby Vision streams use (transforms/dovi.py)


@dataclass(frozen=True)
class ProbeConfig:
    # ffmpeg demuxers; playlist and concat demuxers (hls, concat, image2) are never allowed.
    allowed_formats: tuple[str, ...] = (
        *("mov", "mp4", "matroska", "webm", "avi", "flv", "mpegts", "mpeg", "asf", "ogg"),
        *("ivf", "mxf", "nut", "h264", "hevc", "m4v"),
    )
    max_size_mb: float | None = None
    # A sample aspect ratio outside [1/max_sar, max_sar] is a broken header, not a lens: treated
    # as square and counted `probe.bad_sar` (anamorphic video stays within 2:1).
    max_sar: float = 4.0
    # VFR: timestamps of the first `vfr_packets` packets; the source is VFR when any frame
    # duration strays from the median by more than `vfr_tolerance` of it (and 1.5 ticks, so
    # millisecond timestamps of 29.97 fps, 33/34 ms, stay constant).
    vfr_packets: int = 300
    vfr_tolerance: float = 0.05

    def __post_init__(self):
        object.__setattr__(self, "allowed_formats", tuple(self.allowed_formats))
        if not self.allowed_formats:
            raise ValueError("probe.allowed_formats must not be empty")
        if self.max_sar < 1:
            raise ValueError("probe.max_sar must be >= 1")
        if self.vfr_packets < 3 or not 0 < self.vfr_tolerance < 1:
            raise ValueError("probe.vfr_packets >= 3 and 0 < probe.vfr_tolerance < 1")


def _rate(value) -> float:
    return float(value) if value else 0.0


def sane_sar(sar, max_sar: float) -> float | None:
    """The sample aspect ratio as a float, or None when it is missing, zero or absurd."""
    if sar is None:
        return None
    try:
        value = float(sar)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(value) or value <= 0 or not 1 / max_sar <= value <= max_sar:
        return None
    return value


def display_size(width: int, height: int, sar: float, rotation_deg: int) -> tuple[int, int]:
    """Upright size with square pixels of a stored `width` x `height` frame.

    The SAR stretches the stored width (ffmpeg's `scale=iw*sar:ih`: height, the scan lines, is
    kept), then a quarter turn swaps the sides.
    """
    display_w, display_h = max(1, round(width * sar)), height
    if rotation_deg in (90, 270):
        return display_h, display_w
    return display_w, display_h


# Packets are demuxed in decode order: with B-frames, the last packets read can be shown after
# frames not read yet (a false gap at the window's end). Reading this many more than are kept
# (H.264's largest reorder depth) closes every gap among the first `packets` shown.
REORDER_PACKETS = 16


def frame_durations(container, stream, packets: int) -> list[float]:
    """Seconds between the presentation times of the first `packets` frames shown, without
    decoding."""
    pts = []
    for packet in container.demux(stream):
        if packet.pts is not None and packet.size:
            pts.append(packet.pts)
            if len(pts) >= packets + REORDER_PACKETS:
                break
    pts = sorted(pts)[:packets]
    base = float(stream.time_base)
    return [(b - a) * base for a, b in itertools.pairwise(pts) if b > a]


def is_vfr(durations_s: list[float], tick_s: float, tolerance: float) -> bool:
    """Frame durations vary beyond timestamp rounding."""
    if len(durations_s) < 2:
        return False
    median = sorted(durations_s)[len(durations_s) // 2]
    slack = max(tolerance * median, 1.5 * tick_s)
    return any(abs(d - median) > slack for d in durations_s)


def first_frame(container, stream) -> tuple[object | None, list[bytes]]:
    """The first frame decoded, and the Dolby Vision RPU NAL units of the HEVC packets read
    up to it (`dovi.hevc_rpus`; none for other codecs)."""
    codec = stream.codec_context
    extradata = bytes(codec.extradata or b"")
    rpus: list[bytes] = []
    for packet in container.demux(stream):
        if codec.name == "hevc" and packet.size and not rpus:
            rpus = dovi.hevc_rpus(bytes(packet), extradata)
        for frame in codec.decode(packet):
            return frame, rpus
    return None, rpus


def probe_file(
    path: str, source: str, config: ProbeConfig, warnings: list[str] | None = None
) -> VideoInfo:
    """Metadata of the video at local `path`; raises MediaError for unusable input.

    Oddities that are repaired, not fatal (`bad_sar`), are appended to `warnings`.
    """
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
        record = None
        if codec.name in DOVI_CODECS:  # colours only libplacebo could show: failed, not wrong
            record = dovi.record_of(path, container.format.name)
            reason = dovi.unsupported_reason(record, codec.codec_tag)
            if reason is not None:
                raise MediaError("dolby_vision_unsupported", reason)
        try:
            frame, rpus = first_frame(container, stream)
        except av.FFmpegError as e:
            raise MediaError("undecodable", str(e)) from e
        if frame is None:
            raise MediaError("undecodable", "the video stream holds no decodable frame")
        if record is None and rpus:  # Dolby Vision with no record to say so
            transfer = hdr_transfer(frame.color_trc) or hdr_transfer(codec.color_trc)
            reason = dovi.unsupported_reason(dovi.rpu_config(rpus[0], transfer), None)
            if reason is not None:
                raise MediaError("dolby_vision_unsupported", f"{reason} (read from its RPUs)")
        if frame.pts is None:  # raw H.264/HEVC: frames have no times to cut or seek by
            raise MediaError(
                "no_timestamps",
                f"the {container.format.name} stream carries no timestamps (a raw elementary "
                "stream): remux it at its frame rate, e.g. ffmpeg -r 25 -i IN -c copy OUT.mp4",
            )
        rotation = upright_rotation(frame.rotation or 0)
        if rotation == 0 and "rotate" in stream.metadata:  # legacy clockwise tag
            rotation = int(float(stream.metadata["rotate"])) % 360
        start_s = start_time_s(container)
        duration_s = 0.0
        if stream.duration and stream.time_base:
            # Source times count from the container's start: a video stream that starts later
            # (after its audio, or shifted) ends its start offset later than its duration.
            offset_s = 0.0
            if stream.start_time is not None:
                offset_s = max(0.0, float(stream.start_time * stream.time_base) - start_s)
            duration_s = offset_s + float(stream.duration * stream.time_base)
        elif container.duration:
            duration_s = container.duration / 1e6
        stored_w, stored_h = codec.width, codec.height
        width, height = (stored_h, stored_w) if rotation in (90, 270) else (stored_w, stored_h)
        # The container's SAR wins over the bitstream's (ffprobe's rule); 0:1 means unknown.
        raw_sar = stream.sample_aspect_ratio or codec.sample_aspect_ratio
        sar = sane_sar(raw_sar, config.max_sar)
        if sar is None:
            if raw_sar is not None and warnings is not None:
                warnings.append("bad_sar")
            sar = 1.0
        display_w, display_h = display_size(stored_w, stored_h, sar, rotation)
        fps = _rate(stream.average_rate) or _rate(stream.guessed_rate)
        try:
            container.seek(0, stream=stream)  # back to the start after the decoded frame
            durations = frame_durations(container, stream, config.vfr_packets)
        except av.FFmpegError:
            durations = []
        if not fps and durations:
            fps = len(durations) / sum(durations)
        vfr = is_vfr(durations, float(stream.time_base), config.vfr_tolerance)
        interlaced = bool(frame.interlaced_frame) or is_interlaced(codec.field_order)
        hdr = hdr_transfer(frame.color_trc) or hdr_transfer(codec.color_trc)
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
            fps=fps,
            fps_real=_rate(stream.base_rate),
            bit_rate=stream.bit_rate or container.bit_rate or None,
            frame_count=stream.frames or None,
            has_audio=bool(container.streams.audio),
            start_time_s=start_s,
            sample_aspect_ratio=round(sar, 6),
            display_width=display_w,
            display_height=display_h,
            vfr=vfr,
            interlaced=interlaced,
            hdr=hdr,
        )


class _ProbeFn(beam.DoFn):
    def __init__(self, config: ProbeConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, source: str):
        self.counters.inc("total")
        warnings: list[str] = []
        try:
            if self.config.max_size_mb is not None and not is_local(source):
                size, _ = source_size(source)  # refused before it is fetched
                if size > self.config.max_size_mb * 1e6:
                    limit = self.config.max_size_mb
                    raise MediaError("too_large", f"{size} bytes > probe.max_size_mb={limit}")
            with local_copy(source) as path:
                info = probe_file(path, source, self.config, warnings)
        except (MediaError, OSError) as e:
            failure = as_failure(source, STAGE, e)
            self.counters.inc(f"failed.{failure.error}")
            yield beam.pvalue.TaggedOutput(FAILED, failure)
            return
        for warning in warnings:
            self.counters.inc(warning)
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
