"""Encode: cut the kept clips from their source and transcode them for training, with thumbnails.

Kept clips are grouped by source and encoded in chunks of neighbouring clips: one ffmpeg run
(argument list, no shell) decodes the chunk's span once and writes one H.264 mp4 per clip
through `split` + `trim`, each clip with its own x264 instance. Cutting clip by clip instead
would decode every clip's span again from its previous keyframe. A chunk that fails is retried
clip by clip, so one bad span costs one clip.

The thumbnail is the middle frame of the encoded clip, decoded in-process from the small file.
One x264 thread per clip and one decoder thread give byte-identical files on a re-run; metadata
is stripped (phone footage carries GPS tags); ffmpeg autorotates, so frames are upright.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

import apache_beam as beam

from schemas import Clip, ClipMedia
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
    clips_per_run: int = 8
    thumbnail_quality: int = 90
    timeout_s: float = 600.0
    allowed_formats: tuple[str, ...] = ("mov", "mp4", "matroska", "webm")

    def __post_init__(self):
        object.__setattr__(self, "allowed_formats", tuple(self.allowed_formats))
        if self.max_long_side < 16 or self.max_fps <= 0:
            raise ValueError("encode.max_long_side and encode.max_fps must be positive")
        if self.clips_per_run < 1:
            raise ValueError("encode.clips_per_run must be >= 1")
        if not 1 <= self.thumbnail_quality <= 100:
            raise ValueError("encode.thumbnail_quality must be in 1..100")


def output_size(width: int, height: int, max_long_side: int) -> tuple[int, int]:
    """Even dimensions with the long side capped, aspect kept."""
    scale = min(1.0, max_long_side / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def output_fps(fps: float, max_fps: float) -> float:
    return round(min(fps, max_fps), 3) if fps > 0 else max_fps


def chunks(clips: Sequence[Clip], size: int) -> list[list[Clip]]:
    """Clips of one source in time order, in runs of at most `size`."""
    ordered = sorted(clips, key=lambda c: (c.start_s, c.clip_id))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def ffmpeg_args(clips: Sequence[Clip], path: str, outputs: Sequence[str], config: EncodeConfig):
    """The ffmpeg argument list that cuts each of `clips` (one source) from `path` to `outputs`."""
    import ffmpeg

    first = clips[0]
    start = min(c.start_s for c in clips)
    end = max(c.end_s for c in clips)
    width, height = output_size(first.width, first.height, config.max_long_side)
    source = ffmpeg.input(
        file_url(path),
        ss=f"{start:.3f}",
        t=f"{end - start:.3f}",
        # A single decoder thread: frame-threaded error concealment on damaged streams differs
        # run to run, and with it the encoded bytes.
        threads=1,
        **open_options(list(config.allowed_formats)),
    )
    video = source.video.filter("fps", fps=output_fps(first.fps, config.max_fps))
    video = video.filter("scale", width, height).filter("setsar", 1)
    parts = video.split() if len(clips) > 1 else None
    encoded = []
    for i, (clip, out) in enumerate(zip(clips, outputs, strict=True)):
        part = parts[i] if parts is not None else video
        part = part.trim(start=f"{clip.start_s - start:.3f}", end=f"{clip.end_s - start:.3f}")
        encoded.append(
            ffmpeg.output(
                part.setpts("PTS-STARTPTS"),
                out,
                vcodec=config.codec,
                preset=config.preset,
                crf=config.crf,
                pix_fmt="yuv420p",
                threads=config.threads,
                movflags="+faststart",
                map_metadata=-1,
                map_chapters=-1,
                format="mp4",
                an=None,
                fflags="+bitexact",
                **{"flags:v": "+bitexact"},
            )
        )
    merged = ffmpeg.merge_outputs(*encoded).global_args(
        "-nostdin", "-hide_banner", "-loglevel", "error"
    )
    return merged.compile(cmd=ffmpeg_exe(), overwrite_output=True)


def thumbnail(mp4: bytes, quality: int) -> bytes:
    """The middle frame of an encoded clip as JPEG."""
    import av
    import cv2

    try:
        with av.open(io.BytesIO(mp4)) as container:
            streams = container.streams.video
            frames = list(container.decode(streams[0])) if streams else []
    except av.FFmpegError as e:
        raise MediaError("encode_error", f"the encoded clip does not decode: {e}") from e
    if not frames:
        raise MediaError("encode_error", "the encoded clip holds no frame")
    image = frames[len(frames) // 2].to_ndarray(format="bgr24")
    return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes()


def encode_clips(clips: Sequence[Clip], path: str, config: EncodeConfig) -> list[ClipMedia]:
    """Encode clips of one source from the local file `path` in one ffmpeg run."""
    with tempfile.TemporaryDirectory(prefix="cliploom-enc-") as tmp:
        outputs = [os.path.join(tmp, f"{i}.mp4") for i in range(len(clips))]
        args = ffmpeg_args(clips, path, outputs, config)
        try:
            done = subprocess.run(
                args, capture_output=True, timeout=config.timeout_s, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired as e:
            raise MediaError("encode_timeout", f"ffmpeg ran over {config.timeout_s}s") from e
        if done.returncode != 0:
            err = done.stderr.decode(errors="replace").strip()[-2000:]
            raise MediaError("encode_error", f"ffmpeg exited {done.returncode}: {err}")
        media = []
        for clip, out in zip(clips, outputs, strict=True):
            if not os.path.exists(out) or not os.path.getsize(out):
                raise MediaError("encode_error", f"ffmpeg wrote no video for clip {clip.clip_id}")
            with open(out, "rb") as f:
                mp4 = f.read()
            width, height = output_size(clip.width, clip.height, config.max_long_side)
            encoded = dataclasses.replace(
                clip,
                out_width=width,
                out_height=height,
                out_fps=output_fps(clip.fps, config.max_fps),
                out_bytes=len(mp4),
            )
            media.append(ClipMedia(encoded, mp4=mp4, jpg=thumbnail(mp4, config.thumbnail_quality)))
        return media


def encode_clip(clip: Clip, path: str, config: EncodeConfig) -> ClipMedia:
    return encode_clips([clip], path, config)[0]


class _EncodeFn(beam.DoFn):
    def __init__(self, config: EncodeConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, chunk: list[Clip]):
        self.counters.inc("total", len(chunk))
        source = chunk[0].source
        try:
            with local_copy(source) as path:
                try:
                    media = encode_clips(chunk, path, self.config)
                except MediaError:
                    if len(chunk) == 1:
                        raise
                    self.counters.inc("chunk_retried")
                    yield from self._one_by_one(chunk, path)
                    return
        except (MediaError, OSError) as e:
            yield from self._failed(chunk, e)
            return
        self.counters.inc("kept", len(media))
        yield from media

    def _one_by_one(self, chunk: list[Clip], path: str):
        for clip in chunk:
            try:
                media = encode_clip(clip, path, self.config)
            except MediaError as e:
                yield from self._failed([clip], e)
                continue
            self.counters.inc("kept")
            yield media

    def _failed(self, clips: list[Clip], error: Exception):
        for clip in clips:
            context = f"clip {clip.clip_id} [{clip.start_s}, {clip.end_s}]: "
            failure = as_failure(clip.source, STAGE, error, context)
            self.counters.inc(f"failed.{failure.error}")
            yield beam.pvalue.TaggedOutput(FAILED, failure)
            yield beam.pvalue.TaggedOutput(DROPPED, clip.with_reasons(ENCODE_FAILED))


class EncodeClips(beam.PTransform):
    """Kept SampledClips -> ClipMedia; a clip that fails to encode is a dropped row and a failure.

    Clips are grouped by source into chunks, then reshuffled so that one long video's chunks
    spread over all workers.
    """

    def __init__(self, config: EncodeConfig):
        super().__init__()
        self.config = config

    def expand(self, sampled):
        size = self.config.clips_per_run
        return (
            sampled
            | "BySource" >> beam.Map(lambda s: (s.clip.source, s.clip))
            | "GroupBySource" >> beam.GroupByKey()
            | "Chunk" >> beam.FlatMap(lambda kv: chunks(list(kv[1]), size))
            | "Spread" >> beam.Reshuffle()
            | "Encode"
            >> beam.ParDo(_EncodeFn(self.config)).with_outputs(FAILED, DROPPED, main="media")
        )
