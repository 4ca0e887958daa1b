"""Encode: cut each kept clip from its source and transcode it for training, plus a thumbnail.

One ffmpeg run per clip (argument list, no shell) writes the H.264 mp4, a second one takes
the middle-frame JPEG from that small file. Input seeking with re-encoding is frame-accurate.
x264's thread count is fixed so that a re-run gives byte-identical files; metadata is stripped
(phone footage carries GPS tags). ffmpeg autorotates, so output frames are upright.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tempfile
from dataclasses import dataclass

import apache_beam as beam

from schemas import Clip, ClipMedia, SampledClip
from transforms.common import FAILED, StageCounters, as_failure
from transforms.media import MediaError, ffmpeg_exe, file_url, local_copy, open_options

STAGE = "encode"
DROPPED = "dropped"
ENCODE_FAILED = "encode_failed"


@dataclass(frozen=True)
class EncodeConfig:
    max_long_side: int = 1080
    max_fps: float = 30.0
    codec: str = "libx264"
    preset: str = "veryfast"
    crf: int = 23
    threads: int = 1
    keep_audio: bool = False
    jpeg_quality: int = 3
    timeout_s: float = 600.0
    allowed_formats: tuple[str, ...] = ("mov", "mp4", "matroska", "webm")

    def __post_init__(self):
        object.__setattr__(self, "allowed_formats", tuple(self.allowed_formats))
        if self.max_long_side < 16 or self.max_fps <= 0:
            raise ValueError("encode.max_long_side and encode.max_fps must be positive")
        if not 2 <= self.jpeg_quality <= 31:
            raise ValueError("encode.jpeg_quality must be in 2..31")


def output_size(width: int, height: int, max_long_side: int) -> tuple[int, int]:
    """Even dimensions with the long side capped, aspect kept."""
    scale = min(1.0, max_long_side / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def output_fps(fps: float, max_fps: float) -> float:
    return round(min(fps, max_fps), 3) if fps > 0 else max_fps


def _compile(stream) -> list[str]:
    return stream.global_args("-nostdin", "-hide_banner", "-loglevel", "error").compile(
        cmd=ffmpeg_exe(), overwrite_output=True
    )


def ffmpeg_args(clip: Clip, path: str, mp4: str, config: EncodeConfig) -> list[str]:
    """The ffmpeg argument list that cuts `clip` from `path` into `mp4`."""
    import ffmpeg

    width, height = output_size(clip.width, clip.height, config.max_long_side)
    fps = output_fps(clip.fps, config.max_fps)
    source = ffmpeg.input(
        file_url(path),
        ss=f"{clip.start_s:.3f}",
        t=f"{clip.duration_s:.3f}",
        # A single decoder thread: frame-threaded error concealment on damaged streams differs
        # run to run, and with it the encoded bytes.
        threads=1,
        **open_options(list(config.allowed_formats)),
    )
    video = source.video.filter("fps", fps=fps).filter("scale", width, height).filter("setsar", 1)
    streams = [video]
    if config.keep_audio:
        streams.append(source.audio)
        audio = {"acodec": "aac", "b:a": "128k"}
    else:
        audio = {"an": None}
    return _compile(
        ffmpeg.output(
            *streams,
            mp4,
            vcodec=config.codec,
            preset=config.preset,
            crf=config.crf,
            pix_fmt="yuv420p",
            threads=config.threads,
            movflags="+faststart",
            map_metadata=-1,
            map_chapters=-1,
            format="mp4",
            fflags="+bitexact",
            **{"flags:v": "+bitexact"},
            **audio,
        )
    )


def thumbnail_args(mp4: str, jpg: str, mid_s: float, config: EncodeConfig) -> list[str]:
    """The middle frame of the encoded clip as JPEG.

    Taken from the small encoded file, not through a split of the encode's filter graph: ffmpeg
    9 with split outputs gave different x264 bytes run to run.
    """
    import ffmpeg

    source = ffmpeg.input(mp4, ss=f"{mid_s:.3f}", protocol_whitelist="file", format="mp4")
    return _compile(
        ffmpeg.output(source.video, jpg, vframes=1, format="mjpeg", **{"q:v": config.jpeg_quality})
    )


def _run(args: list[str], timeout_s: float, what: str) -> None:
    try:
        done = subprocess.run(
            args, capture_output=True, timeout=timeout_s, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as e:
        raise MediaError("encode_timeout", f"{what}: ffmpeg ran over {timeout_s}s") from e
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip()[-2000:]
        raise MediaError("encode_error", f"{what}: ffmpeg exited {done.returncode}: {err}")


def encode_clip(clip: Clip, path: str, config: EncodeConfig) -> ClipMedia:
    """Run ffmpeg for one clip from a local source file; raises MediaError on failure."""
    with tempfile.TemporaryDirectory(prefix="cliploom-enc-") as tmp:
        mp4, jpg = os.path.join(tmp, "clip.mp4"), os.path.join(tmp, "clip.jpg")
        _run(ffmpeg_args(clip, path, mp4, config), config.timeout_s, "clip")
        if not os.path.exists(mp4) or not os.path.getsize(mp4):
            raise MediaError("encode_error", "ffmpeg wrote no video for this span")
        _run(thumbnail_args(mp4, jpg, clip.duration_s / 2, config), config.timeout_s, "thumbnail")
        with open(mp4, "rb") as f:
            mp4_bytes = f.read()
        with open(jpg, "rb") as f:
            jpg_bytes = f.read()
    width, height = output_size(clip.width, clip.height, config.max_long_side)
    encoded = dataclasses.replace(
        clip,
        out_width=width,
        out_height=height,
        out_fps=output_fps(clip.fps, config.max_fps),
        out_bytes=len(mp4_bytes),
    )
    return ClipMedia(clip=encoded, mp4=mp4_bytes, jpg=jpg_bytes)


class _EncodeFn(beam.DoFn):
    def __init__(self, config: EncodeConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, sampled: SampledClip):
        clip = sampled.clip
        self.counters.inc("total")
        try:
            with local_copy(clip.source) as path:
                media = encode_clip(clip, path, self.config)
        except (MediaError, OSError) as e:
            context = f"clip {clip.clip_id} [{clip.start_s}, {clip.end_s}]: "
            failure = as_failure(clip.source, STAGE, e, context)
            self.counters.inc(f"failed.{failure.error}")
            yield beam.pvalue.TaggedOutput(FAILED, failure)
            yield beam.pvalue.TaggedOutput(DROPPED, clip.with_reasons(ENCODE_FAILED))
            return
        self.counters.inc("kept")
        self.counters.inc("bytes_out", media.clip.out_bytes or 0)
        yield media


class EncodeClips(beam.PTransform):
    """Kept SampledClips -> ClipMedia; a clip that fails to encode is a dropped row and a failure.

    Clips are reshuffled first so that one long video's clips spread over all workers.
    """

    def __init__(self, config: EncodeConfig):
        super().__init__()
        self.config = config

    def expand(self, clips):
        return (
            clips
            | "Spread" >> beam.Reshuffle()
            | "Encode"
            >> beam.ParDo(_EncodeFn(self.config)).with_outputs(FAILED, DROPPED, main="media")
        )
