"""Split scenes: one decode pass per video at analysis resolution, scenes, then clips.

The pass feeds PySceneDetect's detector frame by frame and hands the same frames to any
`FrameAnalyzer` (later stages add their per-frame signals here, so a video is decoded once).
On codecs with non-reference frames (H.264, HEVC) only reference frames are decoded: about
half the frames for ~0.57x the decode cost (FIELD). Scene bounds stay conservative: a scene
ends one frame after its last analysed frame and the next starts at its first, so no frame
of the other scene can leak into a clip whatever was skipped in between.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Protocol

import apache_beam as beam

from schemas import Clip, Failure, SampledClip, VideoInfo
from schemas.records import clip_id_for
from transforms.common import FAILED, StageCounters, as_failure
from transforms.media import MediaError, file_url, local_copy, open_options, rotate_image

STAGE = "scenes"


class SceneReason(StrEnum):
    TOO_SHORT = "too_short"


@dataclass(frozen=True)
class SceneConfig:
    detector: str = "content"
    threshold: float = 27.0
    adaptive_threshold: float = 3.0
    min_scene_s: float = 0.5
    analysis_short_side: int = 180
    skip_nonref_codecs: tuple[str, ...] = ("h264", "hevc")
    trim_s: float = 0.1
    sample_every_s: float = 0.5
    sample_short_side: int = 256
    sample_jpeg_quality: int = 90
    allowed_formats: tuple[str, ...] = ("mov", "mp4", "matroska", "webm")

    def __post_init__(self):
        object.__setattr__(self, "skip_nonref_codecs", tuple(self.skip_nonref_codecs))
        object.__setattr__(self, "allowed_formats", tuple(self.allowed_formats))
        if self.detector not in ("content", "adaptive"):
            raise ValueError(f"scenes.detector must be content or adaptive, not {self.detector!r}")
        if self.analysis_short_side < 16:
            raise ValueError("scenes.analysis_short_side must be at least 16")
        if self.trim_s < 0 or self.min_scene_s < 0:
            raise ValueError("scenes.trim_s and scenes.min_scene_s must be >= 0")
        if self.sample_every_s <= 0 or self.sample_short_side < 16:
            raise ValueError("scenes.sample_every_s must be > 0, sample_short_side >= 16")


@dataclass(frozen=True)
class ClipConfig:
    min_clip_s: float = 2.0
    max_clip_s: float = 8.0

    def __post_init__(self):
        if self.min_clip_s <= 0:
            raise ValueError("clips.min_clip_s must be > 0")
        # Equal pieces of a long scene are then never shorter than min_clip_s.
        if self.max_clip_s < 2 * self.min_clip_s:
            raise ValueError("clips.max_clip_s must be at least twice clips.min_clip_s")


class FrameAnalyzer(Protocol):
    """A per-frame signal computed inside the decode pass."""

    def update(self, t_s: float, frame_bgr) -> None: ...

    def clip_scores(self, start_s: float, end_s: float) -> dict: ...


class AnalyzerFactory(Protocol):
    """A config that makes a fresh `FrameAnalyzer` for each video (picklable, from YAML)."""

    def make_analyzer(self, info: VideoInfo) -> FrameAnalyzer: ...


ClipCheck = Callable[[Clip], list[str]]  # a clip's stored scores -> drop reasons


@dataclass
class Analysis:
    """What one decode pass found: analysed frame times and the frames that start scenes."""

    frame_times_s: list[float] = field(default_factory=list)
    cut_indices: list[int] = field(default_factory=list)
    frame_s: float = 0.0  # one frame's duration at the source's average rate
    partial_error: str | None = None  # decoding stopped early with this error
    skipped_nonref: bool = False
    sample_times_s: list[float] = field(default_factory=list)
    samples_jpg: list[bytes] = field(default_factory=list)


def analysis_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Even (width, height) with the short side at most `short_side`, aspect kept."""
    scale = min(1.0, short_side / min(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def make_detector(config: SceneConfig):
    from scenedetect import AdaptiveDetector, ContentDetector

    if config.detector == "adaptive":
        return AdaptiveDetector(
            adaptive_threshold=config.adaptive_threshold, min_scene_len=float(config.min_scene_s)
        )
    return ContentDetector(threshold=config.threshold, min_scene_len=float(config.min_scene_s))


def analyze_video(
    path: str,
    info: VideoInfo,
    config: SceneConfig,
    analyzers: Sequence[FrameAnalyzer] = (),
) -> Analysis:
    """Decode `path` once at analysis resolution, detecting cuts and feeding `analyzers`."""
    import av
    import cv2
    from scenedetect import FrameTimecode
    from scenedetect.common import Timecode

    try:
        container = av.open(file_url(path), options=open_options(list(config.allowed_formats)))
    except av.FFmpegError as e:
        raise MediaError("corrupt_container", str(e)) from e
    analysis = Analysis(frame_s=1.0 / info.fps if info.fps else 1 / 30)
    detector = make_detector(config)
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if info.codec in config.skip_nonref_codecs:
            stream.codec_context.skip_frame = "NONREF"
            analysis.skipped_nonref = True
        rate = Fraction(stream.average_rate or info.fps or 30).limit_denominator(100000)
        # Decoded frames are not rotated; size them so that they are upright after rotation.
        up_w, up_h = analysis_size(info.width, info.height, config.analysis_short_side)
        dec_w, dec_h = (up_h, up_w) if info.rotation_deg in (90, 270) else (up_w, up_h)
        sw, sh = analysis_size(info.width, info.height, config.sample_short_side)
        sample_w, sample_h = (sh, sw) if info.rotation_deg in (90, 270) else (sw, sh)
        jpeg_params = [cv2.IMWRITE_JPEG_QUALITY, config.sample_jpeg_quality]
        next_sample_s = 0.0
        times = analysis.frame_times_s
        cut_times: list[float] = []
        last_tc = None
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                t_s = float(frame.pts * stream.time_base) - info.start_time_s
                if times and t_s <= times[-1]:
                    continue  # out-of-order or duplicate timestamp
                image = frame.reformat(width=dec_w, height=dec_h, format="bgr24").to_ndarray()
                image = rotate_image(image, info.rotation_deg)
                last_tc = FrameTimecode(Timecode(pts=frame.pts, time_base=stream.time_base), rate)
                cut_times += [tc.seconds for tc in detector.process_frame(last_tc, image)]
                for analyzer in analyzers:
                    analyzer.update(t_s, image)
                if t_s >= next_sample_s:
                    sample = frame.reformat(width=sample_w, height=sample_h, format="bgr24")
                    sample = rotate_image(sample.to_ndarray(), info.rotation_deg)
                    analysis.sample_times_s.append(t_s)
                    analysis.samples_jpg.append(
                        cv2.imencode(".jpg", sample, jpeg_params)[1].tobytes()
                    )
                    next_sample_s = t_s + config.sample_every_s
                times.append(t_s)
        except av.FFmpegError as e:
            if not times:
                raise MediaError("undecodable", str(e)) from e
            analysis.partial_error = str(e)
        if last_tc is not None:
            cut_times += [tc.seconds for tc in detector.post_process(last_tc)]
    offset = info.start_time_s
    indices = {bisect.bisect_left(times, t - offset - 1e-6) for t in cut_times}
    analysis.cut_indices = sorted(i for i in indices if 0 < i < len(times))
    return analysis


def scene_spans(analysis: Analysis) -> list[tuple[float, float]]:
    """(start_s, end_s) of each scene: from its first analysed frame to one frame past its last."""
    times = analysis.frame_times_s
    if not times:
        return []
    bounds = [0, *analysis.cut_indices, len(times)]
    return [(times[a], times[b - 1] + analysis.frame_s) for a, b in itertools.pairwise(bounds)]


def clip_spans(
    scene_start_s: float, scene_end_s: float, trim_s: float, config: ClipConfig
) -> list[tuple[float, float]]:
    """Clip spans in a scene after trimming, long scenes cut into equal pieces.

    Empty when the trimmed scene is shorter than `min_clip_s`.
    """
    start, end = scene_start_s + trim_s, scene_end_s - trim_s
    if end - start < config.min_clip_s:
        return []
    pieces = math.ceil((end - start) / config.max_clip_s - 1e-9)
    step = (end - start) / pieces
    return [(start + i * step, start + (i + 1) * step) for i in range(pieces)]


def build_clips(
    info: VideoInfo,
    analysis: Analysis,
    scene_config: SceneConfig,
    clip_config: ClipConfig,
    analyzers: Sequence[FrameAnalyzer] = (),
    check: ClipCheck | None = None,
) -> list[SampledClip]:
    """Candidate clips of every scene, each with the frames sampled inside it.

    Each clip gets the scores of every analyzer over its span, then the reasons of `check`;
    a clip dropped for any reason keeps all its scores.
    """
    clips = []
    for index, (scene_start, scene_end) in enumerate(scene_spans(analysis)):
        spans = clip_spans(scene_start, scene_end, scene_config.trim_s, clip_config)
        too_short = not spans
        for start, end in spans or [(scene_start, scene_end)]:
            start, end = round(start, 3), round(end, 3)
            clip = Clip(
                clip_id=clip_id_for(info.source_sha256, start, end),
                source=info.source,
                source_sha256=info.source_sha256,
                scene_index=index,
                scene_start_s=round(scene_start, 3),
                scene_end_s=round(scene_end, 3),
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
            )
            scores: dict = {}
            for analyzer in analyzers:
                scores.update(analyzer.clip_scores(start, end))
            if scores:
                clip = dataclasses.replace(clip, **scores)
            if too_short:
                clip = clip.with_reasons(SceneReason.TOO_SHORT)
            if check is not None:
                clip = clip.with_reasons(*check(clip))
            lo = bisect.bisect_left(analysis.sample_times_s, start)
            hi = bisect.bisect_right(analysis.sample_times_s, end)
            clips.append(
                SampledClip(
                    clip=clip,
                    frame_times_s=tuple(analysis.sample_times_s[lo:hi]),
                    frames_jpg=tuple(analysis.samples_jpg[lo:hi]),
                )
            )
    return clips


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

    def process(self, info: VideoInfo) -> Iterable:
        self.counters.inc("total")
        analyzers = [factory.make_analyzer(info) for factory in self.analyzers]
        try:
            with local_copy(info.source) as path:
                analysis = analyze_video(path, info, self.scene_config, analyzers)
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
        self.counters.inc("scenes", len(analysis.cut_indices) + 1)
        clips = build_clips(
            info, analysis, self.scene_config, self.clip_config, analyzers, self.check
        )
        for sampled in clips:
            self.counters.inc("clips")
            for reason in sampled.clip.drop_reasons:
                self.counters.inc(f"dropped.{reason}")
            yield sampled


class SplitScenes(beam.PTransform):
    """VideoInfo -> SampledClips (kept or dropped), undecodable videos on `failed`.

    `analyzers` make the per-frame signals computed in the same decode pass (brightness,
    blur, motion); `check` turns a clip's scores into drop reasons.
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
        return videos | "Split" >> beam.ParDo(
            _SplitFn(self.scene_config, self.clip_config, self.analyzers, self.check)
        ).with_outputs(FAILED, main="clips")


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
