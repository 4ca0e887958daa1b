"""Encode: cut the kept clips from their source for training, with thumbnails.

`encode.mode` decides how a clip is written:
- `reencode`: ffmpeg decodes the clip's span (input seek to the keyframe before it, never the
  gap between clips) and writes H.264 yuv420p at the source's display shape with square
  pixels (sample aspect ratio and rotation applied, long side capped), at a constant rate
  from the frames' real timestamps (`fps` filter: frames are dropped or repeated, never
  retimed, so a variable-frame-rate source keeps real time).
- `smart`: a source that already meets that output contract (H.264 4:2:0, square pixels,
  upright, constant rate, within the caps), length-prefixed (MP4, Matroska) or an Annex B
  byte stream (MPEG-TS, PS), is cut frame-exactly by `transforms.smartcut`: packets copied
  from an IDR inside the clip, only the frames before it (and a few at the end) re-encoded.
  Other sources, and spans that cannot be spliced, are re-encoded (counted
  `reencoded.<reason>`: `parameter_sets_changed`, `corrupt_packet`...).
- `auto` (default): as `smart`, and a clip whose scene starts with a keyframe within
  `max_early_start_s` before the clip is copied from that keyframe, never from before its
  scene's start (the frames in between are the scene's trimmed margin); and a copy whose
  B-frames at the end depend on the frame at the clip's end ends on that frame (one frame
  late, never past the scene's end) instead of re-encoding them.
- A clip of such a source that only needs its black bars cut off (`crop_box`) is re-encoded
  whole in this process (`smartcut.Crop`: ffmpeg's crop and scale filters through libavfilter,
  the splice settings), from the demuxer and decoder the cuts use; where its span cannot be
  (a damaged frame, uneven frame times), by ffmpeg.
- `copy`: copies only, never re-encoding a frame of a contract-meeting source: the clip
  spans the whole copyable packets inside it (it may start late and end early; the manifest
  says where). Other sources are re-encoded.
Every clip records `encode_mode`, the source times of its first and last frame and its
written duration.

Thumbnails are the middle frame sampled for the clip in the decode pass (already upright
JPEG), never a second decode. Clips of a source are encoded in chunks: one local copy of the
source and one ffmpeg process per chunk; a chunk that fails is retried clip by clip, so one
bad span costs one clip. One x264 thread per clip and one decoder thread give byte-identical
files on a re-run; metadata is stripped (phone footage carries GPS tags).
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import apache_beam as beam

from schemas import Clip, ClipMedia, SampledClip
from transforms import tables
from transforms.common import FAILED, StageCounters, as_failure
from transforms.hdr import sdr_chain
from transforms.media import (
    MediaError,
    ffmpeg_exe,
    file_url,
    local_copy,
    open_options,
    open_video,
    seek_before,
    start_time_s,
)
from transforms.smartcut import (
    REENCODE,
    Crop,
    CutResult,
    CutSettings,
    DecodeSession,
    NotCopyable,
    cut_clip,
    frame_rotation,
    keyframe_before,
)

STAGE = "encode"
DROPPED = "dropped"
ENCODE_FAILED = "encode_failed"
MODES = ("auto", "copy", "smart", "reencode")
# Frame rates a variable-frame-rate source is written at: the nearest to its average.
STANDARD_FPS = (24000 / 1001, 24.0, 25.0, 30000 / 1001, 30.0, 50.0, 60000 / 1001, 60.0)


@dataclass(frozen=True)
class EncodeConfig:
    mode: str = "auto"
    max_long_side: int = 1920
    max_fps: float = 30.0
    codec: str = "libx264"
    preset: str = "superfast"
    crf: int = 16  # SSIM >= 0.98 on real footage (configs/default.yaml)
    x264_params: str = "mbtree=1:rc-lookahead=10"
    splice_preset: str = "ultrafast"
    splice_crf: int = 15
    splice_x264_params: str = "subme=1:8x8dct=1:deblock=1,1"
    threads: int = 1
    parallel_cuts: int = 2
    max_early_start_s: float = 0.1
    copy_from_i: bool = True
    clips_per_run: int = 8
    thumbnail_quality: int = 90
    timeout_s: float = 600.0
    # A re-encode whose decoder reports damage (ffmpeg's "error while decoding") is done again
    # decoding from the stream's start, when the clip starts within this many seconds: a
    # damaged IDR decoded after a seek is concealed from nothing (green, and not the same
    # bytes run to run); decoded through, it is concealed from the frame before, as the decode
    # pass saw it. null: never.
    damaged_reread_max_s: float | None = 120.0
    allowed_formats: tuple[str, ...] = ("mov", "mp4", "matroska", "webm")

    def __post_init__(self):
        object.__setattr__(self, "allowed_formats", tuple(self.allowed_formats))
        if self.mode not in MODES:
            raise ValueError(f"encode.mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.max_long_side < 16 or self.max_fps <= 0:
            raise ValueError("encode.max_long_side and encode.max_fps must be positive")
        if self.clips_per_run < 1 or self.parallel_cuts < 1:
            raise ValueError("encode.clips_per_run and encode.parallel_cuts must be >= 1")
        if not 1 <= self.thumbnail_quality <= 100:
            raise ValueError("encode.thumbnail_quality must be in 1..100")
        if self.max_early_start_s < 0:
            raise ValueError("encode.max_early_start_s must be >= 0")
        for key in ("x264_params", "splice_x264_params"):
            params = [p for p in getattr(self, key).split(":") if p]
            if any(p.count("=") != 1 or p.startswith("=") for p in params):
                raise ValueError(f"encode.{key} must be key=value pairs joined by ':'")

    def cut_settings(self) -> CutSettings:
        return CutSettings(
            max_long_side=self.max_long_side,
            max_fps=self.max_fps,
            preset=self.splice_preset,
            crf=self.splice_crf,
            max_early_start_s=self.max_early_start_s if self.mode == "auto" else 0.0,
            copy_only=self.mode == "copy",
            allowed_formats=self.allowed_formats,
            x264_params=self.splice_x264_params,
            copy_from_i=self.copy_from_i,
        )


def output_size(width: float, height: float, max_long_side: int) -> tuple[int, int]:
    """Even dimensions with the long side capped, at the aspect closest to `width`/`height`.

    Each side goes to an even number below or above its scaled size; of those (at most four)
    the pair nearest the aspect wins, the smaller on a tie. Rounded apart, one side could go up
    and the other down: 643x273 was written 644x272, 0.5 % wide (now 644x274, 0.2 %).
    """
    aspect = width / height
    scale = min(1.0, max_long_side / max(width, height))
    long_side, short_side = max(width, height) * scale, min(width, height) * scale
    cap = max_long_side - max_long_side % 2
    best: tuple[float, int, int, int] | None = None
    for long_even in _even_neighbours(long_side, cap):
        for short_even in _even_neighbours(long_even * short_side / long_side, long_even):
            w, h = (long_even, short_even) if width >= height else (short_even, long_even)
            error = round(abs(w / h / aspect - 1), 9)
            if best is None or (error, w * h) < best[:2]:
                best = (error, w * h, w, h)
    return best[2], best[3]


def _even_neighbours(size: float, cap: int) -> list[int]:
    """The even numbers at and around `size` (one if it is even), at least 2, at most `cap`."""
    below, above = math.floor(size / 2) * 2, math.ceil(size / 2) * 2
    return sorted({min(max(2, n), max(2, cap)) for n in (below, above)})


def display_size(clip: Clip) -> tuple[int, int]:
    """Upright size with square pixels: probe's display size, else width/height with the SAR.

    `width`/`height` are upright (rotation applied); the SAR stretches the stored rows, which
    are the upright columns after a quarter turn.
    """
    if clip.display_width and clip.display_height:
        return clip.display_width, clip.display_height
    sar = clip.sample_aspect_ratio or 1.0
    if sar == 1.0:
        return clip.width, clip.height
    if clip.rotation in (90, 270):
        return clip.width, max(2, round(clip.height * sar))
    return max(2, round(clip.width * sar)), clip.height


def picture_size(clip: Clip) -> tuple[float, float]:
    """`display_size` inside the clip's black bars (`crop_box`), unrounded (`output_size`
    rounds it once, keeping the aspect)."""
    width, height = display_size(clip)
    if not clip.crop_box:
        return width, height
    _, _, w, h = clip.crop_box
    return max(2.0, width * w), max(2.0, height * h)


def clip_output_size(clip: Clip, max_long_side: int) -> tuple[int, int]:
    return output_size(*picture_size(clip), max_long_side)


def output_fps(fps: float, max_fps: float, vfr: bool = False) -> float:
    """The constant rate a clip is written at; a VFR average within 10 % of a standard rate
    (a phone's 30 fps with gaps averages 28) snaps to it."""
    if fps <= 0:
        return max_fps
    if vfr:
        nearest = min(STANDARD_FPS, key=lambda r: abs(r - fps))
        fps = nearest if abs(nearest - fps) <= 0.1 * nearest else fps
    return round(min(fps, max_fps), 3)


def clip_fps(clip: Clip, max_fps: float) -> float:
    return output_fps(clip.fps, max_fps, bool(clip.vfr))


def square_upright(clip: Clip) -> bool:
    """Whether the clip's source needs no display-shape fix (unknown fields count as fine)."""
    sar = clip.sample_aspect_ratio or 1.0
    if abs(sar - 1.0) > 1e-3 or (clip.rotation or 0) % 360:
        return False
    display = (clip.display_width, clip.display_height)
    return not clip.display_width or display == (clip.width, clip.height)


def chunks(items: Sequence, size: int) -> list[list]:
    """(clip, thumbnail) pairs of one source in time order, in runs of at most `size`."""
    ordered = sorted(items, key=lambda item: (item[0].start_s, item[0].clip_id))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


THUMBNAIL_PICK = 1  # the `SampledClip.pick` count whose frame is the thumbnail


def middle_sample(sampled: SampledClip) -> bytes | None:
    """The sampled frame nearest the clip's middle (upright JPEG), if the decode pass kept any."""
    if not sampled.frames_jpg:
        return None
    return sampled.frames_jpg[sampled.pick(THUMBNAIL_PICK)[0]]


# Filters that turn a frame clockwise by 0/90/180/270 degrees (ffmpeg's autorotation, by hand)
TURNS = {0: "", 90: "transpose=clock,", 180: "hflip,vflip,", 270: "transpose=cclock,"}


def ffmpeg_args(
    clips: Sequence[Clip],
    path: str,
    outputs: Sequence[str],
    config: EncodeConfig,
    seeks_s: Sequence[float] | None = None,
):
    """The ffmpeg argument list that re-encodes each of `clips` (one source) to `outputs`.

    Each clip is its own input, seeked to its start (ffmpeg decodes from the keyframe before
    it and drops what precedes the start), so nothing between clips is decoded. A clip whose
    `seeks_s` entry is earlier than its start (a demuxer that seeks by bytes lands a GOP late,
    `media.seek_before`) is seeked there and trimmed to its start in the filter, with the same
    timestamps as a seek to the start.
    """
    starts_s = [float(f"{clip.start_s:.3f}") for clip in clips]
    durations_s = [float(f"{clip.end_s - clip.start_s:.3f}") for clip in clips]
    seeks_s = seeks_s or starts_s
    # How far before each clip's start its input is seeked (0: at the start, as always).
    leads_s = [start - min(start, seek) for start, seek in zip(starts_s, seeks_s, strict=True)]
    args = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    options = open_options(list(config.allowed_formats))
    for clip, start_s, duration_s, lead_s in zip(
        clips, starts_s, durations_s, leads_s, strict=True
    ):
        # A single decoder thread: frame-threaded error concealment on damaged streams differs
        # run to run, and with it the encoded bytes.
        args += ["-threads", "1"]
        for key, value in options.items():
            args += [f"-{key}", value]
        if clip.interlaced:
            args.append("-noautorotate")  # fields are rows: deinterlace first, then turn
        args += ["-ss", f"{start_s - lead_s:.3f}", "-t", f"{duration_s + lead_s:.3f}"]
        args += ["-i", file_url(path)]
    for i, (clip, out, duration_s, lead_s) in enumerate(
        zip(clips, outputs, durations_s, leads_s, strict=True)
    ):
        width, height = clip_output_size(clip, config.max_long_side)
        fps = clip_fps(clip, config.max_fps)
        # ffmpeg turns the frames upright first; `fps` keeps each frame at its real time.
        chain = f"fps=fps={fps}:round=near,scale={width}:{height},setsar=1"
        if clip.crop_box:  # the picture inside its black bars, on the upright frame
            chain = f"crop={crop_args(clip.crop_box)},{chain}"
        if clip.hdr:
            chain = f"{sdr_chain(clip.hdr)},{chain}"  # SDR BT.709, as the decode pass saw it
        if clip.interlaced:
            # Frames flagged interlaced are deinterlaced by bwdif, one frame out per frame in
            # (the rate stays the source's); then turned upright as ffmpeg would have.
            turn = TURNS[clip.rotation or 0]
            chain = f"bwdif=mode=send_frame:parity=auto:deint=interlaced,{turn}{chain}"
        if lead_s > 0:  # seeked early: from the clip's start on, timed from it
            trim = f"trim=start={lead_s:.3f}:duration={duration_s:.3f},setpts=PTS-{lead_s:.3f}/TB"
            chain = f"{trim},{chain}"
        args += ["-map", f"{i}:v:0", "-filter:v", chain]
        preset, crf, x264_params = x264_settings(clip, config)
        args += ["-c:v", config.codec, "-preset", preset, "-crf", str(crf)]
        if config.codec == "libx264" and x264_params:
            args += ["-x264-params", x264_params]
        args += ["-pix_fmt", "yuv420p", "-threads", str(config.threads)]
        args += ["-movflags", "+faststart", "-map_metadata", "-1", "-map_chapters", "-1"]
        args += ["-an", "-sn", "-dn", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
        args += ["-f", "mp4", out]
    return args


def crop_args(crop_box: Sequence[float]) -> str:
    """libavfilter `crop` arguments for a clip's `crop_box` (fractions of the frame)."""
    x, y, w, h = crop_box
    return f"w=iw*{w}:h=ih*{h}:x=iw*{x}:y=ih*{y}:exact=1"


def clip_crop(clip: Clip, config: EncodeConfig) -> Crop:
    """The filters of a clip re-encoded in-process only to cut its bars off (`crop_only`):
    ffmpeg's chain in `ffmpeg_args` without its `fps` filter (the cut checks that the span's
    frames are evenly spaced, so each keeps its time)."""
    width, height = clip_output_size(clip, config.max_long_side)
    filters = (("crop", crop_args(clip.crop_box)), ("scale", f"{width}:{height}"), ("setsar", "1"))
    return Crop(filters, width, height)


def count_frames(mp4: bytes) -> int:
    """Video packets in an encoded clip (one per frame), without decoding."""
    import av

    try:
        with av.open(io.BytesIO(mp4)) as container:
            stream = container.streams.video[0]
            return sum(1 for p in container.demux(stream) if p.size)
    except (av.FFmpegError, IndexError) as e:
        raise MediaError("encode_error", f"the encoded clip does not open: {e}") from e


def first_frame_jpg(mp4: bytes, quality: int) -> bytes:
    """The first frame of an encoded clip as JPEG: only for clips sampled without frames."""
    import av
    import cv2

    try:
        with av.open(io.BytesIO(mp4)) as container:
            frame = next(container.decode(video=0), None)
    except av.FFmpegError as e:
        raise MediaError("encode_error", f"the encoded clip does not decode: {e}") from e
    if frame is None:
        raise MediaError("encode_error", "the encoded clip holds no frame")
    image = frame.to_ndarray(format="bgr24")
    return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes()


def source_frame_times(container, clip: Clip, seek_s: float) -> list[float]:
    """Times (s from the source's start, as the decode pass counts them) of the source's frames
    from the keyframe the seek to `seek_s` (`seek_before`'s answer for the clip) reaches to a
    second past the clip's end, from the packets' timestamps: demuxed, not decoded."""
    stream = container.streams.video[0]
    tb = stream.time_base
    origin_s = start_time_s(container)
    container.seek(int((seek_s + origin_s) / tb), stream=stream)
    times = []
    for packet in container.demux(stream):
        if packet.pts is None or not packet.size:
            continue
        times.append(float(packet.pts * tb) - origin_s)
        if packet.dts is not None and float(packet.dts * tb) - origin_s > clip.end_s + 1.0:
            break
    return sorted(times)


def shown_span(
    times_s: Sequence[float], start_s: float, duration_s: float, fps: float, frames: int
) -> tuple[float, float] | None:
    """(first, last) source frame times in an ffmpeg re-encode of `frames` frames at `fps` from
    the input seek `start_s` (`ffmpeg_args`): the seek keeps the frames at or after `start_s`
    and less than `duration_s` after the first kept one; the `fps` filter (round=near) puts
    each on the output slot nearest its time and shows in each slot the latest frame placed
    at or before it (drops and repeats). None when no frame is in the span."""
    eps = 1e-6
    kept = [t for t in times_s if t >= start_s - eps]
    kept = [t for t in kept if t - kept[0] < duration_s - eps] if kept else []
    if not kept or frames < 1:
        return None

    def slot(t: float) -> int:
        return math.floor((t - start_s) * fps + 0.5 + eps)

    first_slot = slot(kept[0])
    last_slot = first_slot + frames - 1
    # A source faster than `fps` has several frames in the first slot: the latest is shown.
    return (
        max(t for t in kept if slot(t) <= first_slot),
        max(t for t in kept if slot(t) <= last_slot),
    )


def reencode_clips(
    clips: Sequence[Clip], path: str, config: EncodeConfig, from_start: bool = False
) -> list[tuple]:
    """(clip with output fields, mp4) of each clip re-encoded by one ffmpeg run; clips whose
    decode reports damage again one by one, decoded from the start (`damaged_reread_max_s`)."""
    with (
        open_video(path, config.allowed_formats) as source,  # one demuxer for every span
        tempfile.TemporaryDirectory(prefix="cliploom-enc-") as tmp,
    ):
        stream, origin_s = source.streams.video[0], start_time_s(source)
        seeks_s = [
            0.0 if from_start else seek_before(source, stream, float(f"{c.start_s:.3f}"), origin_s)
            for c in clips
        ]
        outputs = [os.path.join(tmp, f"{i}.mp4") for i in range(len(clips))]
        done = _run_ffmpeg(ffmpeg_args(clips, path, outputs, config, seeks_s), config)
        reread = config.damaged_reread_max_s
        damaged = not from_start and b"error while decoding" in done.stderr
        if damaged and reread is not None and any(0 < s <= reread for s in seeks_s):
            if len(clips) > 1:  # which clip's decoder it was, ffmpeg does not say
                return [r for c in clips for r in reencode_clips([c], path, config)]
            return reencode_clips(clips, path, config, from_start=True)
        written = []  # (clip, mp4, frames)
        for clip, out in zip(clips, outputs, strict=True):
            if not os.path.exists(out) or not os.path.getsize(out):
                raise MediaError("encode_error", f"ffmpeg wrote no video for clip {clip.clip_id}")
            with open(out, "rb") as f:
                mp4 = f.read()
            frames = count_frames(mp4)
            if not frames:
                raise MediaError("encode_error", f"no frame in clip {clip.clip_id}")
            written.append((clip, mp4, frames))
        return [
            (_reencoded(clip, mp4, n, source, seek_s, config), mp4)
            for (clip, mp4, n), seek_s in zip(written, seeks_s, strict=True)
        ]


def _run_ffmpeg(args: list[str], config: EncodeConfig) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            args, capture_output=True, timeout=config.timeout_s, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as e:
        raise MediaError("encode_timeout", f"ffmpeg ran over {config.timeout_s}s") from e
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip()[-2000:]
        raise MediaError("encode_error", f"ffmpeg exited {done.returncode}: {err}")
    return done


def _reencoded(
    clip: Clip, mp4: bytes, frames: int, source, seek_s: float, config: EncodeConfig
) -> Clip:
    """`clip` with the output fields of its ffmpeg re-encode: the source frames shown first
    and last as ffmpeg picked them (`ffmpeg_args`), from `source`'s packet times."""
    width, height = clip_output_size(clip, config.max_long_side)
    fps = clip_fps(clip, config.max_fps)
    start_s = float(f"{clip.start_s:.3f}")
    duration_s = float(f"{clip.end_s - clip.start_s:.3f}")
    times = source_frame_times(source, clip, seek_s)
    first_s, last_s = shown_span(times, start_s, duration_s, fps, frames) or (
        start_s,
        start_s + (frames - 1) / fps,
    )
    return dataclasses.replace(
        clip,
        encode_mode=REENCODE,
        first_frame_s=round(first_s, 6),
        last_frame_s=round(last_s, 6),
        out_duration_s=round(frames / fps, 6),
        out_width=width,
        out_height=height,
        out_fps=fps,
        out_bytes=len(mp4),
    )


def _cut_fields(clip: Clip, cut: CutResult) -> Clip:
    fps = round(cut.fps, 3)
    return dataclasses.replace(
        clip,
        encode_mode=cut.mode,
        first_frame_s=cut.first_frame_s,
        last_frame_s=cut.last_frame_s,
        out_duration_s=round(cut.frames / cut.fps, 6),
        out_width=cut.width,
        out_height=cut.height,
        out_fps=fps,
        out_bytes=len(cut.mp4),
    )


def copyable(clip: Clip, config: EncodeConfig) -> bool:
    """Whether the clip's fields allow a copy at all (the source is checked when opened)."""
    if config.mode == "reencode" or config.codec != "libx264":
        return False  # copied packets are H.264: another output codec re-encodes everything
    if clip.vfr or clip.interlaced or clip.hdr or clip.crop_box or not square_upright(clip):
        return False
    width, height = clip_output_size(clip, config.max_long_side)
    return (width, height) == (clip.width, clip.height) and clip.fps <= config.max_fps + 1e-3


def crop_only(clip: Clip, config: EncodeConfig) -> bool:
    """Whether only the clip's black bars keep it from a copy: it is re-encoded whole in this
    process, from the decoder the cuts use (`smartcut.Crop`), with the splice settings."""
    return bool(clip.crop_box) and copyable(dataclasses.replace(clip, crop_box=None), config)


def x264_settings(clip: Clip, config: EncodeConfig) -> tuple[str, int, str]:
    """(preset, crf, x264 params) of a clip's whole re-encode: the splice settings where only
    its crop keeps it from a copy (the source meets the output contract, as the smart cuts'
    do); the whole-clip ones for a source that does not (`encode.preset`). Measured on the
    bench input's pillar-boxed clip (876x720, 3.8 s): ffmpeg's CPU 0.71x (0.80 vs 1.13 s),
    SSIM min 0.9937 vs 0.9922, 2.1x the bytes; on real footage re-encoded whole
    (bench/bench_encode.py, anamorphic and fire2) SSIM min 0.9841 vs 0.9808 and the same."""
    if crop_only(clip, config):
        return config.splice_preset, config.splice_crf, config.splice_x264_params
    return config.preset, config.crf, config.x264_params


def latest_end_s(clip: Clip, config: EncodeConfig) -> float:
    """Frames before this may be shown: one frame past the clip's end, never past its scene
    (auto only; a copy then ends on that frame rather than re-encoding the few before it)."""
    if config.mode != "auto" or clip.scene_end_s is None or clip.fps <= 0 or clip.crop_box:
        return clip.end_s
    return min(clip.scene_end_s, clip.end_s + 1 / clip.fps)


def earliest_start_s(clip: Clip, config: EncodeConfig) -> float:
    """How early a copy may start: within `max_early_start_s`, never before the scene."""
    if config.mode != "auto" or clip.scene_start_s is None or clip.crop_box:
        return clip.start_s
    return max(clip.scene_start_s, clip.start_s - config.max_early_start_s)


def encode_clips(
    items: Sequence[tuple[Clip, bytes | None]],
    path: str,
    config: EncodeConfig,
    counters: StageCounters | None = None,
) -> list[ClipMedia]:
    """Encode (clip, thumbnail) pairs of one source from the local file `path`."""
    done: dict[str, tuple[Clip, bytes]] = {}
    # copies, smart cuts and crops; what is known to need ffmpeg's re-encode
    candidates, known = [], []
    for clip, _ in items:
        (candidates if copyable(clip, config) or crop_only(clip, config) else known).append(clip)
    candidates.sort(key=lambda clip: (clip.start_s, clip.clip_id))
    with ThreadPoolExecutor(1) as aside:
        # What cannot be copied is re-encoded by ffmpeg (a process of its own) while the cuts
        # run, not after them; the same ffmpeg run and bytes either way.
        early = aside.submit(reencode_clips, known, path, config) if known and candidates else None
        _cut_clips(candidates, path, config, counters, done)
        for clip, mp4 in early.result() if early else []:
            done[clip.clip_id] = (clip, mp4)
    rest = [clip for clip, _ in items if clip.clip_id not in done]
    if rest:
        for clip, mp4 in reencode_clips(rest, path, config):
            done[clip.clip_id] = (clip, mp4)
    media = []
    for clip, thumb in items:
        encoded, mp4 = done[clip.clip_id]
        if thumb is None:
            if counters:
                counters.inc("thumbnail_decoded")
            thumb = first_frame_jpg(mp4, config.thumbnail_quality)
        if counters:
            counters.inc(f"mode.{encoded.encode_mode}")
        media.append(ClipMedia(encoded, mp4=mp4, jpg=thumb))
    return media


def _cut_clips(
    candidates: Sequence[Clip],
    path: str,
    config: EncodeConfig,
    counters: StageCounters | None,
    done: dict[str, tuple[Clip, bytes]],
) -> None:
    """Copy or smart-cut each of `candidates` (time order) into `done`; a clip that cannot be
    copied is left out (and counted) for a re-encode."""
    if candidates:
        settings = config.cut_settings()
        with open_video(path, config.allowed_formats) as container:
            try:
                turned = frame_rotation(container)
            except NotCopyable as e:
                if counters:
                    counters.inc(f"reencoded.{e.reason}", len(candidates))
                turned, candidates = 0, []
            if turned:  # a display matrix the clip's fields did not mention
                if counters:
                    counters.inc("reencoded.display_shape", len(candidates))
                candidates = []
            # Clips that decode from one keyframe stay in one run (one decoder goes on from
            # the last re-encode to the next head); split apart, both would decode from it.
            bound = shared_keyframes(candidates, container, config)
            runs = contiguous_runs(candidates, config.parallel_cuts, bound)
            if len(runs) < 2:
                cuts = _cut_run(candidates, path, config, settings, container)
        if len(runs) >= 2:
            # PyAV and x264 let go of the GIL: runs of adjacent clips cut at once, each from
            # its own container (a demuxer is not shared between threads); results in order.
            with ThreadPoolExecutor(len(runs)) as pool:
                done_runs = pool.map(lambda r: _cut_run(r, path, config, settings, None), runs)
                cuts = [cut for run in done_runs for cut in run]
        for clip, (cut, reason) in zip(candidates, cuts, strict=True):
            if cut is None:
                if counters:
                    counters.inc(f"reencoded.{reason}")
                continue
            if counters:
                for note in cut.notes:
                    counters.inc(note)
            done[clip.clip_id] = (_cut_fields(clip, cut), cut.mp4)


def shared_keyframes(clips: Sequence[Clip], container, config: EncodeConfig) -> list[bool]:
    """For each clip (time order), whether the keyframe a cut of it decodes from (the one at or
    before its earliest start) is before the previous clip's end: the previous clip's last
    re-encode (a whole clip or a tail) decodes from that keyframe too, and the head of this
    one can go on from where it stopped. False where unknown (a byte-seeking demuxer)."""
    bound = [False] * len(clips)
    for i in range(1, len(clips)):
        key_s = keyframe_before(container, earliest_start_s(clips[i], config))
        bound[i] = key_s is not None and key_s < clips[i - 1].end_s - 1e-3
    return bound


def contiguous_runs(
    clips: Sequence[Clip], parts: int, bound: Sequence[bool] | None = None
) -> list[list[Clip]]:
    """Clips (time order) in at most `parts` runs of adjacent clips, about equal in seconds;
    a clip whose `bound` is true stays in the run of the clip before it.

    One thread cuts a run in order with one decoder (adjacent clips often decode from the
    same keyframe: the next head goes on from where the last re-encode stopped).
    """
    bound = bound or [False] * len(clips)
    groups: list[list[Clip]] = []
    for clip, tied in zip(clips, bound, strict=True):
        if tied and groups:
            groups[-1].append(clip)
        else:
            groups.append([clip])
    parts = max(1, min(parts, len(groups)))
    seconds = [sum(max(c.end_s - c.start_s, 0.0) for c in group) for group in groups]
    total = sum(seconds) or 1.0
    runs: list[list[Clip]] = [[]]
    done = 0.0
    for k, (group, length) in enumerate(zip(groups, seconds, strict=True)):
        left = len(groups) - k  # groups not yet placed, this one included
        need = parts - len(runs)  # runs still to open after the current one
        full = done >= total * len(runs) / parts
        if runs[-1] and need > 0 and (full or left <= need):
            runs.append([])
        runs[-1].extend(group)
        done += length
    return runs


def _cut_run(clips: Sequence[Clip], path, config: EncodeConfig, settings: CutSettings, container):
    """(cut, None), or (None, the reason) when a clip cannot be copied and is re-encoded;
    for adjacent clips in time order, from one container (opened here if None) and decoder."""
    own = container is None
    if own:
        container = open_video(path, config.allowed_formats)
    session = DecodeSession()
    try:
        return [_try_cut(clip, path, config, settings, container, session) for clip in clips]
    finally:
        if own:
            container.close()


def _try_cut(clip: Clip, path, config: EncodeConfig, settings: CutSettings, container, session):
    """(cut, None), or (None, the reason) when the clip cannot be copied and is re-encoded."""
    try:
        start, end = earliest_start_s(clip, config), latest_end_s(clip, config)
        crop = clip_crop(clip, config) if clip.crop_box else None
        cut = cut_clip(
            path, clip.start_s, clip.end_s, start, settings, True, container, end, session, crop
        )
        return cut, None
    except NotCopyable as e:
        return None, e.reason


def encode_clip(clip: Clip, path: str, config: EncodeConfig, thumb: bytes | None = None):
    return encode_clips([(clip, thumb)], path, config)[0]


# OUT/.tmp/media/{clip_id}.mp4: an encoded clip between the encode and write stages.
STAGED_MEDIA = "media"


def staged_media_dir(out_dir: str) -> str:
    return tables.join(out_dir, tables.TMP, STAGED_MEDIA)


def stage_mp4(media: ClipMedia, staging: str) -> ClipMedia:
    """`media` with its mp4 committed to `staging` and only the path left in the record."""
    path = tables.join(staging, f"{media.clip.clip_id}.mp4")
    tables.commit(path, lambda stream: stream.write(media.mp4), tables.parent(staging))
    return dataclasses.replace(media, mp4=b"", mp4_path=path)


class _EncodeFn(beam.DoFn):
    def __init__(self, config: EncodeConfig, staging: str | None = None):
        self.config, self.staging = config, staging

    def setup(self):
        self.counters = StageCounters(STAGE)
        if self.staging:
            tables.ensure_dir(self.staging)

    def process(self, chunk: list[tuple[Clip, bytes | None]]):
        self.counters.inc("total", len(chunk))
        source = chunk[0][0].source
        try:
            with local_copy(source) as path:
                try:
                    media = encode_clips(chunk, path, self.config, self.counters)
                except MediaError:
                    if len(chunk) == 1:
                        raise
                    self.counters.inc("chunk_retried")
                    yield from self._one_by_one(chunk, path)
                    return
        except (MediaError, OSError) as e:
            yield from self._failed([clip for clip, _ in chunk], e)
            return
        self.counters.inc("kept", len(media))
        yield from map(self._staged, media)

    def _one_by_one(self, chunk: list[tuple[Clip, bytes | None]], path: str):
        for item in chunk:
            try:
                media = encode_clips([item], path, self.config, self.counters)[0]
            except MediaError as e:
                yield from self._failed([item[0]], e)
                continue
            self.counters.inc("kept")
            yield self._staged(media)

    def _staged(self, media: ClipMedia) -> ClipMedia:
        return stage_mp4(media, self.staging) if self.staging else media

    def _failed(self, clips: list[Clip], error: Exception):
        for clip in clips:
            context = f"clip {clip.clip_id} [{clip.start_s}, {clip.end_s}]: "
            failure = as_failure(clip.source, STAGE, error, context)
            self.counters.inc(f"failed.{failure.error}")
            yield beam.pvalue.TaggedOutput(FAILED, failure)
            yield beam.pvalue.TaggedOutput(DROPPED, clip.with_reasons(ENCODE_FAILED))


class EncodeClips(beam.PTransform):
    """Kept SampledClips -> ClipMedia; a clip that fails to encode is a dropped row and a failure.

    Only the clip and its thumbnail travel on (the other sampled frames are left behind before
    the shuffle); clips are grouped by source into chunks, then reshuffled so that one long
    video's chunks spread over all workers. mp4 bytes first appear after the shuffle; with
    `out_dir` they are staged under OUT/.tmp/media and the records carry their path (the write
    stage reads and removes them).
    """

    def __init__(self, config: EncodeConfig, out_dir: str | None = None):
        super().__init__()
        self.config = config
        self.staging = staged_media_dir(out_dir) if out_dir else None

    def expand(self, sampled):
        size = self.config.clips_per_run
        return (
            sampled
            | "BySource" >> beam.Map(lambda s: (s.clip.source, (s.clip, middle_sample(s))))
            | "GroupBySource" >> beam.GroupByKey()
            | "Chunk" >> beam.FlatMap(lambda kv: chunks(list(kv[1]), size))
            | "Spread" >> beam.Reshuffle()
            | "Encode"
            >> beam.ParDo(_EncodeFn(self.config, self.staging)).with_outputs(
                FAILED, DROPPED, main="media"
            )
        )
