"""Split scenes: one decode pass per video at analysis resolution, scenes, then clips.

The pass finds shot boundaries (`transforms/transitions.py`: hard cuts and gradual transitions,
flashes excluded) and hands the same frames to any `FrameAnalyzer` (later stages add their
per-frame signals here, so a video is decoded once). Frames are scaled and converted once, in
libav (swscale, area filter), to the source's display shape: sample aspect ratio and rotation
applied, square pixels. On codecs with non-reference frames (H.264, HEVC) only reference frames
are decoded: about half the frames for ~0.57x the decode cost (FIELD). Scene bounds stay
conservative: a scene ends one frame after its last analysed frame before a boundary and the
next starts at its first analysed frame after it, and a gradual transition's whole span lies
between the two, so no frame of another shot or of a transition can leak into a clip.

Long videos are split into time segments (`segment_s`) that are processed as separate elements
after a `Reshuffle`: each seeks to the keyframe before its start and decodes `segment_overlap_s`
on both sides so that boundaries at the border are seen whole. A scene that crosses a segment
border is split there (both halves record the `segment` kind at the border; no trim there, as
it is not a shot change); every other scene is the same as in one pass over the whole video.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Protocol

import apache_beam as beam
import numpy as np

from schemas import Clip, Failure, SampledClip, VideoInfo
from schemas.records import SEGMENT_SCENES, clip_id_for
from transforms.borders import crop_fraction
from transforms.common import FAILED, StageCounters, as_failure
from transforms.frames import BAR_EDGE_PX, AnalysisFrame
from transforms.hdr import sdr_frame
from transforms.media import (
    MediaError,
    first_field,
    local_copy,
    open_video,
    rotate_image,
    seek_before,
)
from transforms.shot_model import (
    ShotModelConfig,
    ShotPredictor,
    boundaries_from,
    load_shot_model,
    windows_per_pass,
)
from transforms.text_band import BandSampler, cropped_band
from transforms.transitions import (
    Boundary,
    BoundaryConfig,
    BoundaryFeatures,
    BoundaryKind,
    PictureBars,
    find_boundaries,
    refine_boundaries,
    window_decoder,
)

STAGE = "scenes"


class SceneReason(StrEnum):
    TOO_SHORT = "too_short"


@dataclass(frozen=True)
class SceneConfig(BoundaryConfig):
    """The `scenes` section: the boundary detector's settings (`BoundaryConfig`, one flat
    section in YAML) and the decode pass's."""

    analysis_short_side: int = 180
    skip_nonref_codecs: tuple[str, ...] = ("h264", "hevc")
    trim_s: float = 0.1
    sample_every_s: float = 0.5
    sample_short_side: int = 256
    sample_jpeg_quality: int = 90
    # Beside each sample, the bottom sample_band_frac (or a little more) of the upright frame at
    # this short side (the whole frame's, capped at the source's), for OCR to find subtitles
    # too small for the sample (transforms/text_band.py). null: no band.
    sample_band_short_side: int | None = 448
    sample_band_frac: float = 0.2
    segment_s: float | None = 600.0
    segment_overlap_s: float = 3.0
    allowed_formats: tuple[str, ...] = ("mov", "mp4", "matroska", "webm")
    # TransNetV2 (transforms/shot_model.py) instead of the model-free detector; null: off.
    model: ShotModelConfig | None = None

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "skip_nonref_codecs", tuple(self.skip_nonref_codecs))
        object.__setattr__(self, "allowed_formats", tuple(self.allowed_formats))
        if self.detector not in ("content", "adaptive"):
            raise ValueError(f"scenes.detector must be content or adaptive, not {self.detector!r}")
        if self.analysis_short_side < 16:
            raise ValueError("scenes.analysis_short_side must be at least 16")
        if self.trim_s < 0 or self.min_scene_s < 0 or self.flash_s < 0:
            raise ValueError("scenes.trim_s, min_scene_s and flash_s must be >= 0")
        if self.sample_every_s <= 0 or self.sample_short_side < 16:
            raise ValueError("scenes.sample_every_s must be > 0, sample_short_side >= 16")
        if self.sample_band_short_side is not None and self.sample_band_short_side < 16:
            raise ValueError("scenes.sample_band_short_side must be null or >= 16")
        if not 0 < self.sample_band_frac <= 1:
            raise ValueError("scenes.sample_band_frac must be in (0, 1]")
        if self.gradual_window_s <= 0 or not 0 < self.gradual_min_hist <= 1:
            raise ValueError("scenes.gradual_window_s > 0 and 0 < gradual_min_hist <= 1")
        if self.segment_s is not None and self.segment_s < 4 * self.segment_overlap_s:
            raise ValueError("scenes.segment_s must be null or >= 4 x segment_overlap_s")
        if self.segment_overlap_s < self.gradual_window_s * 2:
            raise ValueError("scenes.segment_overlap_s must be >= 2 x gradual_window_s")


@dataclass(frozen=True)
class ClipConfig:
    min_clip_s: float = 2.0
    max_clip_s: float = 8.0
    # A long scene's pieces are split on source keyframes where the pieces still fit
    # [min_clip_s, max_clip_s]: the piece after such a split is copied by the encode step
    # instead of re-encoding its head (`keyframe_splits`). False: equal pieces.
    split_on_keyframes: bool = True

    def __post_init__(self):
        if self.min_clip_s <= 0:
            raise ValueError("clips.min_clip_s must be > 0")
        # Equal pieces of a long scene are then never shorter than min_clip_s.
        if self.max_clip_s < 2 * self.min_clip_s:
            raise ValueError("clips.max_clip_s must be at least twice clips.min_clip_s")


class FrameAnalyzer(Protocol):
    """A per-frame signal computed inside the decode pass.

    An analyzer may also define `update_frame(t_s, frame: AnalysisFrame)`: the pass then calls
    it instead of `update`, with the frame's derived views (grey, smaller sizes) computed once
    for all analyzers (`transforms/frames.py`); and `prepare(t_s, frame: AnalysisFrame)`,
    called on the decode thread ahead of it to compute the views it will read there. Black
    bars: `find_picture(t_s, frame)` (transforms/borders.py) sets each frame's picture box
    before any `prepare`; `clip_scores_cropped(start_s, end_s)`, where defined, replaces
    `clip_scores`'s values for a clip written cropped (its `crop_box`).
    """

    def update(self, t_s: float, frame_bgr) -> None: ...

    def clip_scores(self, start_s: float, end_s: float) -> dict: ...


class AnalyzerFactory(Protocol):
    """A config that makes a fresh `FrameAnalyzer` for each video (picklable, from YAML)."""

    def make_analyzer(self, info: VideoInfo) -> FrameAnalyzer: ...


ClipCheck = Callable[[Clip], list[str]]  # a clip's stored scores -> drop reasons


@dataclass(frozen=True)
class VideoSegment:
    """A time segment of a video, processed as its own element: [start_s, end_s)."""

    info: VideoInfo
    index: int
    count: int
    start_s: float
    end_s: float  # math.inf for the last segment

    @property
    def first(self) -> bool:
        return self.index == 0

    @property
    def last(self) -> bool:
        return self.index == self.count - 1


def segments_of(info: VideoInfo, segment_s: float | None) -> list[VideoSegment]:
    """Equal time segments no longer than `segment_s`; one for a short or unknown-length video."""
    count = 1
    if segment_s and info.duration_s > segment_s:
        count = math.ceil(info.duration_s / segment_s - 1e-9)
    step = info.duration_s / count
    return [
        VideoSegment(
            info,
            i,
            count,
            round(i * step, 3),
            math.inf if i == count - 1 else round((i + 1) * step, 3),
        )
        for i in range(count)
    ]


@dataclass(frozen=True)
class Scene:
    start_s: float
    end_s: float
    start_kind: str
    end_kind: str


@dataclass
class Analysis:
    """What one decode pass found over a video (or one segment of it)."""

    frame_times_s: list[float] = field(default_factory=list)  # analysed frames in the segment
    boundaries: list[Boundary] = field(default_factory=list)  # shot changes, in time order
    frame_s: float = 0.0  # one frame's duration at the source's average rate
    partial_error: str | None = None  # decoding stopped early with this error
    skipped_nonref: bool = False
    sample_times_s: list[float] = field(default_factory=list)
    samples_jpg: list[bytes] = field(default_factory=list)
    sample_bands_jpg: list[bytes | None] = field(default_factory=list)  # per sample, or None
    start_kind: str = BoundaryKind.VIDEO_START
    end_kind: str = BoundaryKind.VIDEO_END
    max_end_s: float = math.inf  # no scene ends past this (the source's duration)
    segment_end_s: float = math.inf  # nor past the end of its segment
    keyframe_times_s: list[float] = field(default_factory=list)  # decoded keyframes (segment)

    @property
    def cut_times_s(self) -> list[float]:
        """Where each next scene starts (the end of a boundary)."""
        return [b.end_s for b in self.boundaries]


# OpenCV's calls in the pass work on frames of a few ten thousand pixels, where handing work to
# its thread pool costs more CPU than it saves; the decode and scaling threads keep the other
# cores busy.
ANALYSIS_OPENCV_THREADS = 1


@contextlib.contextmanager
def opencv_threads(count: int) -> Iterator[None]:
    """OpenCV's thread count set to `count` for a block (a process-wide setting), then restored."""
    import cv2

    before = cv2.getNumThreads()
    cv2.setNumThreads(count)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


def analysis_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Even (width, height) with the short side at most `short_side`, aspect kept."""
    scale = min(1.0, short_side / min(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def display_size(info: VideoInfo) -> tuple[int, int]:
    """Upright size with square pixels: the probe's display size, else width x height."""
    if info.display_width and info.display_height:
        return info.display_width, info.display_height
    return info.width, info.height


def decode_size(info: VideoInfo, short_side: int) -> tuple[int, int]:
    """Size to scale decoded (unrotated) frames to, so that they are upright-correct after
    rotation at the display aspect with `short_side` at most."""
    w, h = analysis_size(*display_size(info), short_side)
    return (h, w) if info.rotation_deg in (90, 270) else (w, h)


def analyze_video(
    path: str,
    info: VideoInfo,
    config: SceneConfig,
    analyzers: Sequence[FrameAnalyzer] = (),
    segment: VideoSegment | None = None,
) -> Analysis:
    """Decode `path` once at analysis resolution, finding shot boundaries and feeding
    `analyzers`; with `segment`, only that time span (plus the overlap for boundaries)."""
    import av

    container = open_video(path, config.allowed_formats)
    analysis = Analysis(frame_s=1.0 / info.fps if info.fps else 1 / 30)
    if info.duration_s > 0:
        analysis.max_end_s = info.duration_s
    seg_start, seg_end = 0.0, math.inf
    if segment is not None:
        seg_start, seg_end = segment.start_s, segment.end_s
        analysis.segment_end_s = seg_end
        if not segment.first:
            analysis.start_kind = BoundaryKind.SEGMENT
        if not segment.last:
            analysis.end_kind = BoundaryKind.SEGMENT
    read_from = max(0.0, seg_start - config.segment_overlap_s) if seg_start > 0 else 0.0
    read_to = seg_end + config.segment_overlap_s
    features = BoundaryFeatures(bars=PictureBars(config) if config.inside_bars else None)
    with container, opencv_threads(ANALYSIS_OPENCV_THREADS):
        stream = container.streams.video[0]
        # One decoder thread (see `_decode`). Deblocking stays on: skip_loop_filter saved ~15 %
        # of decoding on the bench input but moved blur_var by a median 3-58 % on real footage
        # (cockatoo 58 %, low-bitrate re-encodes 16-49 %) and samples to SSIM 0.84-0.99.
        # flags2 +fast, idct simple and skip_loop_filter noref (non-reference frames are not
        # decoded anyway) give the same frames to the bit and no saving: PyAV's decoder thread
        # took 3.9-4.9 CPU s on the bench input with or without them, as the ffmpeg CLI does.
        stream.thread_type = "SLICE"
        stream.thread_count = 1
        predictor = None
        if config.model is not None:  # the model reads every frame
            network, device = load_shot_model(config.model)
            windows = windows_per_pass(config.model, device)
            predictor = ShotPredictor(network, device, windows)
        elif info.codec in config.skip_nonref_codecs:
            stream.codec_context.skip_frame = "NONREF"
            analysis.skipped_nonref = True
        if read_from > 0:
            seek_before(container, stream, read_from, info.start_time_s)
        # Analyzers' `prepare` (transforms/frames.py) runs on the decode thread, after the
        # `find_picture` that sets the frame's picture box (transforms/borders.py).
        finders = [a.find_picture for a in analyzers if hasattr(a, "find_picture")]
        prepares = [a.prepare for a in analyzers if hasattr(a, "prepare")]
        # An interlaced source is seen through its first field: a woven frame's combs read as
        # sharp detail and motion (bikes.mp4 at 25i: blur_var 2227 against 100 progressive).
        field = first_field(stream.codec_context.field_order) if info.interlaced else None
        decoded = _decode(
            container,
            stream,
            info,
            config,
            (read_from, read_to),
            (seg_start, seg_end),
            prepares,
            field,
            finders,
            features,
        )
        updates = [getattr(a, "update_frame", None) for a in analyzers]
        updates = [
            (fn, True) if fn is not None else (a.update, False)
            for fn, a in zip(updates, analyzers, strict=True)
        ]
        times = analysis.frame_times_s
        # Decoding runs on a thread of its own (`_decode`), and scaling, samples, the boundary
        # features and the analyzers' `prepare` on another, each a few frames ahead of the
        # next stage, the analyzers here (libav and OpenCV release the GIL); the reader is
        # closed (its threads joined) before the container.
        with contextlib.closing(
            read_ahead(decoded, READ_AHEAD_FRAMES, batch=READ_AHEAD_BATCH)
        ) as frames:
            try:
                for item in frames:
                    if predictor is not None:
                        predictor.add(item.image)
                    if not item.in_segment:
                        continue
                    # The analyzers share the frame's derived views (grey, flow size) through
                    # `views`, some of them computed on the decode thread already.
                    t_s, image, views = item.t_s, item.image, item.views
                    for update, takes_views in updates:
                        update(t_s, views if takes_views else image)
                    if item.sample_jpg is not None:
                        analysis.sample_times_s.append(t_s)
                        analysis.samples_jpg.append(item.sample_jpg)
                        analysis.sample_bands_jpg.append(item.band_jpg)
                    if item.key_frame:
                        analysis.keyframe_times_s.append(t_s)
                    times.append(t_s)
            except (av.FFmpegError, StreamChange) as e:
                if not times:
                    raise MediaError("undecodable", str(e)) from e
                analysis.partial_error = str(e)
    if times:
        if predictor is not None:
            single, many = predictor.finish()
            boundaries = boundaries_from(
                features.times_s, single, many, analysis.frame_s, config.model
            )
        else:
            boundaries = find_boundaries(features, analysis.frame_s, config)
        if predictor is None and config.refine:  # full rate around transitions (transitions.py)
            decoder = window_decoder(
                path,
                info.start_time_s,
                info.rotation_deg,
                config.allowed_formats,
                analysis.skipped_nonref,
                None if features.bars is None else features.bars.fraction(),
                seek=analysis.partial_error is None,
            )
            boundaries = refine_boundaries(
                boundaries,
                features,
                decoder,
                analysis.frame_s,
                config,
                (read_from, read_to),
                analysis.keyframe_times_s,
            )
        first, end = times[0], times[-1] + analysis.frame_s
        analysis.boundaries = [b for b in boundaries if b.end_s > first and b.start_s < end]
    return analysis


READ_AHEAD_FRAMES = 8  # decoded frames the decode thread may hold ahead of the analysis
# Frames handed from one thread of the pass to the next at a time: each hand-over wakes the
# waiting thread, and one per frame cost ~0.4 of ~10 CPU s on the bench input (issue 12).
READ_AHEAD_BATCH = 4  # 16 (32 ahead) for the analysis frames: 0.95-1.03x the CPU, no gain
# Timestamps that go back more than this are a discontinuity (two MPEG-TS captures joined, a
# splice): libav does not join the timelines (the ffmpeg CLI does, its own way), so what
# follows would be misplaced. The pass stops there (a `partial_decode` failure row), as it
# does where the picture size changes (a broadcast's SD advert in an HD capture): the clips
# after it would be written at the probed shape, squashed.
TIMESTAMP_JUMP_S = 1.0


class StreamChange(Exception):
    """Frame timestamps went back by more than TIMESTAMP_JUMP_S, or the picture size changed."""


@dataclass(frozen=True)
class DecodedFrame:
    t_s: float
    image: np.ndarray  # BGR at analysis size, upright
    in_segment: bool  # False: in the overlap read around the segment, for boundaries only
    sample_jpg: bytes | None  # the sample, when the frame is the first of its sample bin
    views: AnalysisFrame | None = None  # `image` with its views, for the analyzers (in segment)
    key_frame: bool = False  # the decoder flags it a keyframe (an IDR for H.264)
    band_jpg: bytes | None = None  # the sample's text band (transforms/text_band.py), if any


def _decode(
    container,
    stream,
    info: VideoInfo,
    config: SceneConfig,
    read: tuple[float, float],
    segment: tuple[float, float],
    prepares: Sequence[Callable[[float, AnalysisFrame], None]] = (),
    field: str | None = None,
    finders: Sequence[Callable[[float, AnalysisFrame], None]] = (),
    features: BoundaryFeatures | None = None,
) -> Iterator[DecodedFrame]:
    """The frames in the `read` window, in time order, scaled and converted once in swscale;
    each frame in the segment is handed to `prepares` (the analyzers' `prepare`). With `field`
    ("top" or "bottom"), each frame is that field of an interlaced frame (`FieldReader`).
    `finders` set each frame's picture box first (`picture_view`). Each frame yielded is
    added to `features` first (the boundary detector's, transforms/transitions.py)."""
    # libav decodes on a thread of its own (one decoder thread: frame threads cost ~10 % more
    # decoder CPU for the same frames; two slice threads the same as one on a source of one
    # slice a frame, as x264's), a few frames ahead of the scaling here; the reader is
    # closed (its thread joined) when this generator is.
    with contextlib.closing(
        read_ahead(container.decode(stream), READ_AHEAD_FRAMES, "cliploom-libav", READ_AHEAD_BATCH)
    ) as frames:
        if field is not None:
            frames = map(FieldReader(field), frames)
        yield from _scaled(
            frames, info, config, read, segment, prepares, stream.time_base, finders, features
        )


def _scaled(
    frames: Iterator,
    info: VideoInfo,
    config: SceneConfig,
    read: tuple[float, float],
    segment: tuple[float, float],
    prepares: Sequence[Callable[[float, AnalysisFrame], None]],
    time_base,
    finders: Sequence[Callable[[float, AnalysisFrame], None]] = (),
    features: BoundaryFeatures | None = None,
) -> Iterator[DecodedFrame]:
    import cv2
    from av.video.reformatter import VideoReformatter

    read_from, read_to = read
    seg_start, seg_end = segment
    tb_num, tb_den = time_base.numerator, time_base.denominator
    dec_w, dec_h = decode_size(info, config.analysis_short_side)
    sample_w, sample_h = decode_size(info, config.sample_short_side)
    jpeg_params = [cv2.IMWRITE_JPEG_QUALITY, config.sample_jpeg_quality]
    # One reformatter per output size for the whole pass: `frame.reformat` builds (and frees) a
    # swscale context with its slice threads for every frame, which cost more than the scaling
    # itself; and one thread each, as at these sizes slice threads cost more than they save.
    to_analysis, to_sample, to_picture = VideoReformatter(), VideoReformatter(), VideoReformatter()
    to_features = VideoReformatter()  # the picture in the features' box, where it is another
    to_band = text_band_sampler(info, config)
    last_bin = -1
    last_t = -math.inf
    size = None  # the first frame's (a field of an interlaced one has half its rows)
    for frame in frames:
        if frame.pts is None:
            continue
        # pts x time base as one correctly rounded int division: float(Fraction) to the bit
        t_s = frame.pts * tb_num / tb_den - info.start_time_s
        if t_s < last_t - TIMESTAMP_JUMP_S:
            raise StreamChange(
                f"timestamps jump back from {last_t:.3f}s to {t_s:.3f}s (a discontinuity: "
                "joined or spliced streams); what follows is not read"
            )
        if size is None:
            size = (frame.width, frame.height)
        elif (frame.width, frame.height) != size:
            raise StreamChange(
                f"the picture changes from {size[0]}x{size[1]} to "
                f"{frame.width}x{frame.height} at {t_s:.3f}s; what follows is not read"
            )
        if t_s <= last_t or t_s < read_from - 1e-6:
            continue  # out-of-order or duplicate timestamp, or before the window
        if t_s > read_to:
            return
        last_t = t_s
        image = upright_bgr(to_analysis, frame, dec_w, dec_h, info)
        in_segment = seg_start - 1e-6 <= t_s < seg_end
        views = AnalysisFrame(image)
        if in_segment:  # the picture box first, then the analyzers' views and the band
            for find in finders:
                find(t_s, views)
            if views.box is not None:
                scale_picture(to_picture, frame, views, info, config.analysis_short_side)
            for prepare in prepares:
                prepare(t_s, views)
        sample_jpg = band_jpg = None
        # The first frame in each sample_every_s bin: the same grid in every segment.
        sample_bin = math.floor(t_s / config.sample_every_s + 1e-6)
        if in_segment and sample_bin > last_bin:
            sample = upright_bgr(to_sample, frame, sample_w, sample_h, info)
            sample_jpg = cv2.imencode(".jpg", sample, jpeg_params)[1].tobytes()
            if to_band is not None:
                picture = scaled = None
                if views.box is not None:  # the band follows the picture inside the bars
                    x0, y0, x1, y1 = views.box
                    height, width = image.shape[:2]
                    picture = (y0 / height, y1 / height)
                    # ... at the scale where the picture's short side is the band's
                    ratio = min(width, height) / min(x1 - x0, y1 - y0)
                    scaled = decode_size(info, round(config.sample_band_short_side * ratio))
                band_jpg = to_band(frame, picture, scaled)
            last_bin = sample_bin
        if features is not None:
            # Every frame read, overlap included (those in the segment with their views), here
            # while the frame just scaled is in cache, and off the analysis thread (~0.9 of its
            # ~3.4 CPU s on the bench input; the same features, whichever thread adds them).
            # They are read inside the bars found so far (`PictureBars`), on the analyzers'
            # picture where its box is that one.
            box = features.picture_box(t_s, views)
            seen = views
            if box != views.box:
                seen = views.with_box(box)
                if box is not None:
                    scale_picture(to_features, frame, seen, info, config.analysis_short_side)
            features.add(t_s, seen)
        views = views if in_segment else None
        yield DecodedFrame(
            t_s, image, in_segment, sample_jpg, views, bool(frame.key_frame), band_jpg
        )


def scale_picture(
    reformatter, frame, views: AnalysisFrame, info: VideoInfo, short_side: int
) -> None:
    """Sets `views`' picture to `picture_view`'s, where it scales one."""
    picture = picture_view(reformatter, frame, views, info, short_side)
    if picture is not None:  # its rows next to the bars scaled as it was
        scale = picture.shape[0] / (views.box[3] - views.box[1])
        views.set_picture(picture, math.ceil(BAR_EDGE_PX * scale))


def picture_view(
    reformatter, frame, views: AnalysisFrame, info: VideoInfo, short_side: int
) -> np.ndarray | None:
    """The picture inside a frame's black bars (`views.box`) scaled in swscale so that its short
    side is `short_side` (as an analysis frame without bars has it), at most the source's own
    resolution; None where the analysis frame's crop has that already (a pillar box keeps the
    height). A letterbox's picture cut from the analysis frame is short: 2.35:1 in 16:9 at
    180 rows has 136, where blur_var read 2.2x as high as the same footage unboxed (shrinking
    concentrates detail) and a scale back up 0.2x (interpolation smooths it)."""
    x0, y0, x1, y1 = views.box
    height, width = views.shape[:2]
    own = min(display_size(info)) / min(width, height)  # the source's own resolution
    scale = min(short_side / min(x1 - x0, y1 - y0), own)
    if scale > 0.97 * own:
        # within a bar's rounding in the analysis frame (a row of 136) of it: unscaled, as
        # an unboxed source of that size is read (320x180 letterboxed into 320x240 was read
        # at 318x238, where a fine texture blurred: contrast 93 against 126 unboxed)
        scale = own
    if scale < 1.05:
        return None
    big_w, big_h = round(width * scale / 2) * 2, round(height * scale / 2) * 2
    stored = (big_h, big_w) if info.rotation_deg in (90, 270) else (big_w, big_h)
    image = upright_bgr(reformatter, frame, *stored, info)
    sx, sy = big_w / width, big_h / height
    return image[round(y0 * sy) : round(y1 * sy), round(x0 * sx) : round(x1 * sx)]


class FieldReader:
    """One field of each interlaced frame (libav's `field` filter: the frame's every other row
    by stride, no copy), half its height, its timestamp kept; scaling it to the analysis size
    restores the aspect. No temporal deinterlacer: the pass skips non-reference frames, so
    neighbours are missing, and a field is all the analysis size needs. A frame of another
    size or format than the last rebuilds the graph."""

    def __init__(self, field: str):
        self.field = field
        self._graph = None
        self._key: tuple | None = None

    def _build(self, frame) -> None:
        import av

        graph = av.filter.Graph()
        source = graph.add(
            "buffer",
            f"video_size={frame.width}x{frame.height}:pix_fmt={frame.format.name}"
            f":time_base={frame.time_base or Fraction(1, 90000)}:pixel_aspect=1/1"
            f":colorspace={int(frame.colorspace)}:range={int(frame.color_range)}",
        )
        chain = [source, graph.add("field", self.field), graph.add("buffersink")]
        for a, b in itertools.pairwise(chain):
            a.link_to(b)
        graph.configure()
        self._graph = graph

    def __call__(self, frame):
        key = (frame.width, frame.height, frame.format.name, frame.colorspace, frame.color_range)
        if key != self._key:
            self._key = key
            self._build(frame)
        self._graph.push(frame)
        return self._graph.pull()


def upright_bgr(reformatter, frame, width: int, height: int, info: VideoInfo) -> np.ndarray:
    """A decoded frame scaled to (width, height) in swscale, as BGR (an HDR one turned SDR on
    the few pixels left), then turned upright. The area filter is both the right one for a
    downscale and ~3x cheaper than PyAV's default here. Kept as is (issue 12, round 28, the
    bench input): FULL_CHR_H_INP, DIRECT_BGR and the unstable flag give the same bytes at the
    same cost, ACCURATE_RND and BITEXACT other bytes; yuv420p at the size, then BGR, saved
    ~0.05 of the decode thread's ~2.6 CPU s but moved scores (motion_top5_px by up to 8.3,
    blur_var 41, 5 tracks more in a clip)."""
    if info.hdr:
        image = sdr_frame(reformatter, frame, width, height, info.hdr)
    else:
        image = reformatter.reformat(
            frame, width, height, "bgr24", interpolation="AREA", threads=1
        ).to_ndarray()
    return rotate_image(image, info.rotation_deg)


def text_band_sampler(info: VideoInfo, config: SceneConfig) -> BandSampler | None:
    """The sampler of the samples' text bands, or None when off or when the band would be no
    sharper than the sample (a source at most sample_short_side on its short side)."""
    if config.sample_band_short_side is None:
        return None
    if min(display_size(info)) <= config.sample_short_side:
        return None
    scaled = decode_size(info, config.sample_band_short_side)
    return BandSampler(
        scaled, config.sample_band_frac, info.rotation_deg, config.sample_jpeg_quality, info.hdr
    )


_END = object()


def read_ahead(
    items: Iterator, depth: int, name: str = "cliploom-decode", batch: int = 1
) -> Iterator:
    """`items`, produced on a background thread up to `depth` ahead of the caller, handed over
    `batch` at a time (each hand-over wakes a thread: fewer of them cost less CPU).

    An exception in the producer is raised here after the items before it, as if iterating
    `items` directly. Close the returned generator (it stops and joins the thread) before
    anything the producer uses is released.
    """
    import queue
    import threading

    ready: queue.Queue = queue.Queue(maxsize=max(1, depth // batch))
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        chunk: list = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) >= batch:
                    if not put(chunk):
                        return
                    chunk = []
            if chunk and not put(chunk):
                return
            put(_END)
        except BaseException as e:  # handed to the consumer after the items before it
            if not chunk or put(chunk):
                put(e)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            chunk = ready.get()
            if chunk is _END:
                return
            if isinstance(chunk, BaseException):
                raise chunk
            yield from chunk
    finally:
        stop.set()
        thread.join()


def scenes_of(analysis: Analysis) -> list[Scene]:
    """The scenes between boundaries, from the first analysed frame to one frame past the last.

    A boundary's span (a transition, or the frames not analysed around a cut) belongs to no
    scene; a boundary that straddles the segment's first or last frame moves that scene end.
    """
    times = analysis.frame_times_s
    if not times:
        return []
    start, start_kind = times[0], analysis.start_kind
    limit = min(times[-1] + analysis.frame_s, analysis.max_end_s, analysis.segment_end_s)
    scenes = []
    for b in analysis.boundaries:
        if b.end_s <= start:
            continue
        if b.start_s >= limit:
            break
        if b.start_s > start:
            scenes.append(Scene(start, b.start_s, start_kind, b.kind))
        start, start_kind = b.end_s, b.kind
    if start < limit:
        scenes.append(Scene(start, limit, start_kind, analysis.end_kind))
    return scenes


def scene_spans(analysis: Analysis) -> list[tuple[float, float]]:
    """(start_s, end_s) of each scene."""
    return [(s.start_s, s.end_s) for s in scenes_of(analysis)]


def clip_spans(
    scene_start_s: float,
    scene_end_s: float,
    trim_s: float,
    config: ClipConfig,
    trim_end_s: float | None = None,
    keyframes_s: Sequence[float] = (),
) -> list[tuple[float, float]]:
    """Clip spans in a scene after trimming (`trim_s` at the start, `trim_end_s` at the end,
    the same by default), long scenes cut into equal pieces, or on the source keyframes
    `keyframes_s` (sorted) where `config.split_on_keyframes` allows (`keyframe_splits`).

    Empty when the trimmed scene is shorter than `min_clip_s`.
    """
    start = scene_start_s + trim_s
    end = scene_end_s - (trim_s if trim_end_s is None else trim_end_s)
    if end - start < config.min_clip_s - 1e-6:  # frame times in floats: 2.0 may be 1.99...
        return []
    pieces = math.ceil((end - start) / config.max_clip_s - 1e-9)
    if config.split_on_keyframes and keyframes_s and pieces > 1:
        bounds = [start, *keyframe_splits(start, end, pieces, keyframes_s, config), end]
        return list(itertools.pairwise(bounds))
    step = (end - start) / pieces
    return [(start + i * step, start + (i + 1) * step) for i in range(pieces)]


def keyframe_splits(
    start_s: float, end_s: float, pieces: int, keyframes_s: Sequence[float], config: ClipConfig
) -> list[float]:
    """The `pieces - 1` split points of [start_s, end_s): each on the keyframe nearest the equal
    split of what is left where one keeps every piece within [min_clip_s, max_clip_s], else that
    equal split. The pieces cover the same span as equal pieces; a piece that starts on a
    keyframe is copied whole instead of re-encoding the frames before its first keyframe, and
    no piece re-encodes more than it would between equal splits.
    """
    splits, at = [], start_s
    for left in range(pieces, 1, -1):  # pieces from `at` to the end, this one included
        lo = max(at + config.min_clip_s, end_s - (left - 1) * config.max_clip_s)
        hi = min(at + config.max_clip_s, end_s - (left - 1) * config.min_clip_s)
        equal = at + (end_s - at) / left
        inside = keyframes_s[
            bisect.bisect_left(keyframes_s, lo) : bisect.bisect_right(keyframes_s, hi)
        ]
        at = min(inside, key=lambda k: abs(k - equal)) if inside else equal
        splits.append(at)
    return splits


def trimmed_span(scene: Scene, trim_s: float) -> tuple[float, float]:
    """The scene after trimming (never trimmed at a segment border, which is no shot change);
    a scene shorter than both trims collapses to its midpoint."""
    start = scene.start_s + (0.0 if scene.start_kind == BoundaryKind.SEGMENT else trim_s)
    end = scene.end_s - (0.0 if scene.end_kind == BoundaryKind.SEGMENT else trim_s)
    if end < start:
        start = end = (scene.start_s + scene.end_s) / 2
    return start, end


def build_clips(
    info: VideoInfo,
    analysis: Analysis,
    scene_config: SceneConfig,
    clip_config: ClipConfig,
    analyzers: Sequence[FrameAnalyzer] = (),
    check: ClipCheck | None = None,
    first_scene_index: int = 0,
) -> list[SampledClip]:
    """Candidate clips of every scene, each with the frames sampled inside it.

    Each clip gets the scores of every analyzer over its span, then the reasons of `check`;
    a clip dropped for any reason keeps all its scores. A scene too short for a clip gives one
    `too_short` row over the trimmed span that was judged.
    """
    clips = []
    for index, scene in enumerate(scenes_of(analysis), start=first_scene_index):
        trim_start, trim_end = trimmed_span(scene, scene_config.trim_s)
        spans = clip_spans(trim_start, trim_end, 0.0, clip_config, None, analysis.keyframe_times_s)
        too_short = not spans
        for start, end in spans or [(trim_start, trim_end)]:
            start, end = round(start, 3), round(end, 3)
            clip = Clip(
                clip_id=clip_id_for(info.source_sha256, start, end),
                source=info.source,
                source_sha256=info.source_sha256,
                scene_index=index,
                scene_start_s=round(scene.start_s, 3),
                scene_end_s=round(scene.end_s, 3),
                start_s=start,
                end_s=end,
                duration_s=round(end - start, 3),
                width=info.width,
                height=info.height,
                fps=info.fps,
                source_duration_s=info.duration_s,
                sample_aspect_ratio=info.sample_aspect_ratio,
                display_width=info.display_width or info.width,
                display_height=info.display_height or info.height,
                rotation=info.rotation_deg,
                source_fps_avg=info.fps,
                vfr=info.vfr,
                interlaced=info.interlaced,
                hdr=info.hdr,
                scene_start_kind=str(scene.start_kind),
                scene_end_kind=str(scene.end_kind),
            )
            scores: dict = {}
            for analyzer in analyzers:
                scores.update(analyzer.clip_scores(start, end))
            if scores.get("crop_box"):  # written cropped: scored on the picture inside bars
                for analyzer in analyzers:
                    if hasattr(analyzer, "clip_scores_cropped"):
                        scores.update(analyzer.clip_scores_cropped(start, end))
                if scores.get("watermark_box"):
                    scores.update(watermark_in_crop(scores, scores["crop_box"]))
            if scores:
                clip = dataclasses.replace(clip, **scores)
            if too_short:
                clip = clip.with_reasons(SceneReason.TOO_SHORT)
            if check is not None:
                clip = clip.with_reasons(*check(clip))
            lo = bisect.bisect_left(analysis.sample_times_s, start)
            hi = bisect.bisect_right(analysis.sample_times_s, end)
            samples = analysis.samples_jpg[lo:hi]
            bands = analysis.sample_bands_jpg[lo:hi] if clip.kept else []  # OCR reads kept clips
            if clip.crop_box:  # the samples show what the clip will: no bars
                samples = [cropped_jpg(jpg, clip.crop_box) for jpg in samples]
                # ... and the bands the bottom of that picture, as wide as the samples
                aspect = display_size(info)[0] / display_size(info)[1]
                bands = [cropped_band_jpg(b, clip.crop_box, aspect) for b in bands]
            clips.append(
                SampledClip(
                    clip=clip,
                    frame_times_s=tuple(analysis.sample_times_s[lo:hi]),
                    frames_jpg=tuple(samples),
                    bands_jpg=tuple(bands),
                    boxes_json=boxes_json(clip, analyzers) if clip.kept else None,
                )
            )
    return clips


def cropped_jpg(jpg: bytes, box: list[float]) -> bytes:
    """A sample JPEG cut to `box` ([x, y, w, h] fractions), re-encoded at high quality."""
    import cv2

    image = cv2.imdecode(np.frombuffer(jpg, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return jpg
    ok, out = cv2.imencode(".jpg", crop_fraction(image, box), [cv2.IMWRITE_JPEG_QUALITY, 95])
    return out.tobytes() if ok else jpg


def cropped_band_jpg(jpg: bytes | None, box: list[float], frame_aspect: float) -> bytes | None:
    """A text band JPEG cut to the picture in `box` (`text_band.cropped_band`)."""
    import cv2

    if jpg is None:
        return None
    image = cv2.imdecode(np.frombuffer(jpg, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return jpg
    band = cropped_band(image, box, frame_aspect)
    ok, out = cv2.imencode(".jpg", band, [cv2.IMWRITE_JPEG_QUALITY, 95])
    return out.tobytes() if ok else jpg


def within_crop(boxes: list[dict], crop: list[float]) -> list[dict]:
    """Object boxes (xywh fractions of the frame) as fractions of the cropped picture, cut at
    its edges; boxes wholly in the bars are left out."""
    cx, cy, cw, ch = crop
    out = []
    for box in boxes:
        x, y, w, h = box["xywh"]
        x0, y0 = max(0.0, (x - cx) / cw), max(0.0, (y - cy) / ch)
        x1, y1 = min(1.0, (x + w - cx) / cw), min(1.0, (y + h - cy) / ch)
        if x1 > x0 and y1 > y0:
            xywh = [round(x0, 4), round(y0, 4), round(x1 - x0, 4), round(y1 - y0, 4)]
            out.append({**box, "xywh": xywh})
    return out


def watermark_in_crop(scores: dict, crop: list[float]) -> dict:
    """`watermark_frac` and `watermark_box` (of the upright frame) as shares of the cropped
    picture: the box cut at the crop's edges, the share scaled by the part of the box kept over
    the picture's area; 0 where the box lies in the bars (cropped away with them)."""
    cx, cy, cw, ch = crop
    x, y, w, h = scores["watermark_box"]
    x0, y0 = max(0.0, (x - cx) / cw), max(0.0, (y - cy) / ch)
    x1, y1 = min(1.0, (x + w - cx) / cw), min(1.0, (y + h - cy) / ch)
    if x1 <= x0 or y1 <= y0 or w <= 0 or h <= 0:
        return {"watermark_frac": 0.0, "watermark_box": None}
    kept = (x1 - x0) * (y1 - y0) * cw * ch / (w * h)  # share of the box in the picture
    box = [round(x0, 4), round(y0, 4), round(x1 - x0, 4), round(y1 - y0, 4)]
    frac = scores["watermark_frac"] * kept / (cw * ch)
    return {"watermark_frac": round(frac, 5), "watermark_box": box}


def boxes_json(clip: Clip, analyzers: Sequence[FrameAnalyzer]) -> str | None:
    """The clip's `{clip_id}.boxes.json` from an analyzer that tracks objects (None without)."""
    import json

    for analyzer in analyzers:
        clip_boxes = getattr(analyzer, "clip_boxes", None)
        if clip_boxes is None or not getattr(analyzer.config, "enabled", True):
            continue
        frames = clip_boxes(clip.start_s, clip.end_s)
        if clip.crop_box:
            frames = [{**f, "boxes": within_crop(f["boxes"], clip.crop_box)} for f in frames]
        doc = {
            "clip_id": clip.clip_id,
            # the display frame; the writer puts the encoded size here
            "width": clip.display_width or clip.width,
            "height": clip.display_height or clip.height,
            "frames": frames,
        }
        return json.dumps(doc, ensure_ascii=False, sort_keys=True)
    return None


class _SplitFn(beam.DoFn):
    def __init__(
        self,
        scene_config: SceneConfig,
        clip_config: ClipConfig,
        analyzers: Sequence[AnalyzerFactory] = (),
        check: ClipCheck | None = None,
    ):
        self.scene_config = scene_config
        self.clip_config = clip_config
        self.analyzers = tuple(analyzers)
        self.check = check

    def setup(self):
        self.counters = StageCounters(STAGE)
        if self.scene_config.model is not None:
            load_shot_model(self.scene_config.model)  # once per worker process, kept

    def process(self, segment: VideoSegment) -> Iterable:
        info = segment.info
        if segment.first:
            self.counters.inc("total")
        if segment.count > 1:
            self.counters.inc("segments")
        analyzers = [factory.make_analyzer(info) for factory in self.analyzers]
        try:
            with local_copy(info.source) as path:
                analysis = analyze_video(path, info, self.scene_config, analyzers, segment)
        except (MediaError, OSError) as e:
            failure = as_failure(info.source, STAGE, e)
            self.counters.inc(f"failed.{failure.error}")
            yield beam.pvalue.TaggedOutput(FAILED, failure)
            return
        if analysis.partial_error:
            self.counters.inc("failed.partial_decode")
            detail = f"decoded up to {analysis.frame_times_s[-1]:.3f}s: {analysis.partial_error}"
            yield beam.pvalue.TaggedOutput(
                FAILED, Failure(info.source, STAGE, "partial_decode", detail)
            )
        # Scene indices stay unique across segments: the segment's index in the high digits.
        first_index = segment.index * SEGMENT_SCENES
        clips = build_clips(
            info, analysis, self.scene_config, self.clip_config, analyzers, self.check, first_index
        )
        self.counters.inc("scenes", len(scenes_of(analysis)))
        self.counters.inc("boundaries.cut", sum(b.kind == "cut" for b in analysis.boundaries))
        self.counters.inc(
            "boundaries.gradual", sum(b.kind == "gradual" for b in analysis.boundaries)
        )
        for sampled in clips:
            self.counters.inc("clips")
            for reason in sampled.clip.drop_reasons:
                self.counters.inc(f"dropped.{reason}")
            yield sampled


class SplitScenes(beam.PTransform):
    """VideoInfo -> SampledClips (kept or dropped), undecodable videos on `failed`.

    Videos longer than `segment_s` are split into time segments, spread by a `Reshuffle`, so
    one long video does not pin one worker nor hold all its samples at once. `analyzers` make
    the per-frame signals computed in the same decode pass (brightness, blur, motion); `check`
    turns a clip's scores into drop reasons.
    """

    def __init__(
        self,
        scene_config: SceneConfig,
        clip_config: ClipConfig,
        analyzers: Sequence[AnalyzerFactory] = (),
        check: ClipCheck | None = None,
    ):
        super().__init__()
        self.scene_config = scene_config
        self.clip_config = clip_config
        self.analyzers = tuple(analyzers)
        self.check = check

    def expand(self, videos):
        segment_s = self.scene_config.segment_s
        return (
            videos
            | "Segments" >> beam.FlatMap(segments_of, segment_s)
            | "SpreadSegments" >> beam.Reshuffle()
            | "Split"
            >> beam.ParDo(
                _SplitFn(self.scene_config, self.clip_config, self.analyzers, self.check)
            ).with_outputs(FAILED, main="clips")
        )


def score_cuts(
    found_s: Sequence[float], truth: Sequence[float | tuple[float, float]], tolerance_s: float
) -> tuple[float, float]:
    """(precision, recall) of cut times; a truth entry is a time or a transition window.

    Each truth cut matches at most one found cut within `tolerance_s` (of the window's edges).
    """
    windows = [(t, t) if isinstance(t, int | float) else tuple(t) for t in truth]
    unmatched = sorted(found_s)
    hits = 0
    for lo, hi in windows:
        match = next((f for f in unmatched if lo - tolerance_s <= f <= hi + tolerance_s), None)
        if match is not None:
            unmatched.remove(match)
            hits += 1
    precision = hits / len(found_s) if found_s else float(not windows)
    recall = hits / len(windows) if windows else 1.0
    return precision, recall
