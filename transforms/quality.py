"""Quality: brightness and blur of every analysed frame, and the thresholds that decide a clip.

The cheap signals (brightness, blur; motion lives in `transforms/motion.py`) are computed in the
scene split's decode pass by `FrameAnalyzer`s, so no clip is decoded twice. Every score is
recorded on every clip, and `check_clip` turns stored scores into drop reasons with the
thresholds of `QualityConfig`. It is the one place thresholds are applied: the pipeline calls
it after the decode pass and again after OCR/aesthetics, and `cliploom rescore` calls it on an
existing manifest, so a re-threshold never needs a decode.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, fields
from enum import StrEnum

import numpy as np

from schemas import Clip
from transforms.frames import AnalysisFrame, SharedViewsAnalyzer, as_frame, laplacian_moments
from transforms.motion import largest_candidates


class QualityReason(StrEnum):
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRY = "blurry"
    LOW_MOTION = "low_motion"
    CHAOTIC_MOTION = "chaotic_motion"
    TEXT_OVERLAY = "text_overlay"
    SUBTITLES = "subtitles"
    WATERMARK = "watermark"
    LOW_AESTHETIC = "low_aesthetic"
    # VBench-style scores (transforms/objects.py)
    TEMPORAL_FLICKER = "temporal_flicker"
    JERKY_MOTION = "jerky_motion"
    INCONSISTENT_SUBJECT = "inconsistent_subject"
    INCONSISTENT_BACKGROUND = "inconsistent_background"


QUALITY_REASONS = frozenset(str(r) for r in QualityReason)


@dataclass(frozen=True)
class QualityConfig:
    """Thresholds on stored scores; `None` turns a check off. `cliploom rescore` re-applies them."""

    max_dark_frac: float | None = 0.5
    max_bright_frac: float | None = 0.5
    min_blur: float | None = 10.0
    min_edge_sharpness: float | None = 0.72
    # A Laplacian variance above this is sharp whatever the edge sharpness says: pixel-fine
    # textures (foliage, gravel, noise) smear the edge measure at analysis size.
    sharp_blur_var: float | None = 1000.0
    min_motion_top5_px: float | None = 1.0
    max_motion_mean_px: float | None = 30.0
    max_camera_jitter_px: float | None = 15.0
    max_luma_flicker: float | None = 10.0
    text_min_area_frac: float = 0.02  # a frame "has text" above this share of its area
    max_text_frames_frac: float | None = 0.5  # text_overlay above this share of such frames
    # subtitles: a frame has one when its widest subtitle-shaped line (ocr.subtitle_*) spans at
    # least this share of the width; the clip when more than this share of its frames do.
    subtitle_min_width_frac: float | None = 0.12
    max_subtitle_frames_frac: float | None = 0.5
    min_aesthetic: float | None = 4.5
    # watermark: a static overlay (transforms/watermark.py) covering more than this share
    max_watermark_frac: float | None = 0.0005
    # ... or from the optional classifier (watermark.classifier): a frame has a watermark at this
    # model probability or more (above 1: never), the clip when at least this share of its
    # classified frames have one.
    watermark_min_prob: float = 0.8
    min_watermark_frames_frac: float | None = 0.5
    # VBench-style floors, all in [0, 1] (transforms/objects.py); off until set for a corpus
    min_temporal_flicker: float | None = None
    min_motion_smoothness: float | None = None
    min_subject_consistency: float | None = None
    min_background_consistency: float | None = None

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value < 0:
                raise ValueError(f"quality.{f.name} must be >= 0 or null")
        for name in (
            "max_dark_frac",
            "max_bright_frac",
            "max_text_frames_frac",
            "subtitle_min_width_frac",
            "max_subtitle_frames_frac",
            "max_watermark_frac",
            "min_watermark_frames_frac",
            "min_temporal_flicker",
            "min_motion_smoothness",
            "min_subject_consistency",
            "min_background_consistency",
        ):
            value = getattr(self, name)
            if value is not None and value > 1:
                raise ValueError(f"quality.{name} is a fraction in [0, 1]")
        if self.min_watermark_frames_frac == 0:
            raise ValueError("quality.min_watermark_frames_frac is a share in (0, 1] or null")

    def check(self, clip: Clip) -> list[str]:
        return check_clip(clip, self)


def text_frames_frac(clip: Clip, min_area_frac: float) -> float | None:
    """Share of the OCR'd frames whose text covers more than `min_area_frac` of the frame."""
    if not clip.text_area_fracs:
        return None
    return sum(a > min_area_frac for a in clip.text_area_fracs) / len(clip.text_area_fracs)


def subtitle_frames_frac(clip: Clip, min_width_frac: float | None) -> float | None:
    """Share of the OCR'd frames with a subtitle-shaped line at least `min_width_frac` wide."""
    if not clip.subtitle_width_fracs or min_width_frac is None:
        return None
    widths = clip.subtitle_width_fracs
    return sum(w > 0 and w >= min_width_frac for w in widths) / len(widths)


def watermark_frames_frac(clip: Clip, min_prob: float) -> float | None:
    """Share of the classified frames whose watermark probability is at least `min_prob`."""
    if not clip.watermark_probs:
        return None
    return sum(p >= min_prob for p in clip.watermark_probs) / len(clip.watermark_probs)


def check_clip(clip: Clip, config: QualityConfig) -> list[str]:
    """Every quality check `clip`'s stored scores fail; a score that is null is not checked."""
    c = config
    reasons = []

    def below(value, floor) -> bool:
        return value is not None and floor is not None and value < floor

    def above(value, ceiling) -> bool:
        return value is not None and ceiling is not None and value > ceiling

    if above(clip.dark_frac, c.max_dark_frac):
        reasons.append(QualityReason.TOO_DARK)
    if above(clip.bright_frac, c.max_bright_frac):
        reasons.append(QualityReason.TOO_BRIGHT)
    surely_sharp = clip.blur_var is not None and above(clip.blur_var, c.sharp_blur_var)
    if below(clip.blur_var, c.min_blur) or (
        below(clip.edge_sharpness, c.min_edge_sharpness) and not surely_sharp
    ):
        reasons.append(QualityReason.BLURRY)
    if below(clip.motion_top5_px, c.min_motion_top5_px):
        reasons.append(QualityReason.LOW_MOTION)
    if (
        above(clip.motion_mean_px, c.max_motion_mean_px)
        or above(clip.camera_jitter_px, c.max_camera_jitter_px)
        or above(clip.luma_flicker, c.max_luma_flicker)
    ):
        reasons.append(QualityReason.CHAOTIC_MOTION)
    if above(text_frames_frac(clip, c.text_min_area_frac), c.max_text_frames_frac):
        reasons.append(QualityReason.TEXT_OVERLAY)
    if above(subtitle_frames_frac(clip, c.subtitle_min_width_frac), c.max_subtitle_frames_frac):
        reasons.append(QualityReason.SUBTITLES)
    classified = watermark_frames_frac(clip, c.watermark_min_prob)
    if above(clip.watermark_frac, c.max_watermark_frac) or (
        classified is not None
        and c.min_watermark_frames_frac is not None
        and classified >= c.min_watermark_frames_frac
    ):
        reasons.append(QualityReason.WATERMARK)
    if below(clip.aesthetic, c.min_aesthetic):
        reasons.append(QualityReason.LOW_AESTHETIC)
    if below(clip.temporal_flicker, c.min_temporal_flicker):
        reasons.append(QualityReason.TEMPORAL_FLICKER)
    if below(clip.motion_smoothness, c.min_motion_smoothness):
        reasons.append(QualityReason.JERKY_MOTION)
    if below(clip.subject_consistency, c.min_subject_consistency):
        reasons.append(QualityReason.INCONSISTENT_SUBJECT)
    if below(clip.background_consistency, c.min_background_consistency):
        reasons.append(QualityReason.INCONSISTENT_BACKGROUND)
    return [str(r) for r in reasons]


NEEDS_RERUN = "needs_rerun"  # passes the thresholds but was never encoded nor fully scored


def rescore(clip: Clip, config: QualityConfig) -> Clip:
    """`clip` with its quality reasons recomputed from its stored scores; other reasons stay.

    A clip that now passes but has no shard (it was dropped before OCR, aesthetics and
    encoding) is not kept: it gets `needs_rerun`, since only a run can score and encode it.
    A clip newly dropped keeps its `shard`: its media stays in that shard, and the manifest's
    status is what readers filter on.
    """
    others = [r for r in clip.drop_reasons if r not in QUALITY_REASONS and r != NEEDS_RERUN]
    reasons = others + check_clip(clip, config)
    if not reasons and clip.shard is None:
        reasons = [NEEDS_RERUN]
    return dataclasses.replace(clip, drop_reasons=[]).with_reasons(*reasons)


@dataclass(frozen=True)
class FrameQualityConfig:
    """How the decode pass measures brightness and blur (changing these needs a re-run)."""

    enabled: bool = True
    dark_luma: float = 20.0  # a frame whose mean luma (0-255) is below this is near-black
    bright_luma: float = 235.0  # ... above this, blown out
    # Blur is measured on grey frames resized to this short side, so that a score means the
    # same thing whatever the source's resolution (the Laplacian's variance grows as an image
    # is shrunk).
    blur_short_side: int = 180
    # Sharpness: how steep the frame's strongest edges are for their contrast (Sobel gradient
    # over the grey range in a `sharpness_window_px` square, at pixels whose range is at least
    # `sharpness_min_contrast`; the `sharpness_quantile` of that ratio). Defocus spreads every
    # edge, so it reads low however much texture the scene has; the Laplacian's variance scored
    # a sharp plane on a grey sky (27.7) below footage out of focus (bench_calibration.py).
    sharpness_min_contrast: float = 24.0
    sharpness_window_px: int = 5
    sharpness_quantile: float = 0.98
    sharpness_every_s: float = 0.25  # measured on frames this far apart (a median needs few)

    def __post_init__(self):
        if not 0 <= self.dark_luma < self.bright_luma <= 255:
            raise ValueError("need 0 <= frame_quality.dark_luma < bright_luma <= 255")
        if self.blur_short_side < 16:
            raise ValueError("frame_quality.blur_short_side must be at least 16")
        if self.sharpness_window_px < 3 or not 0 <= self.sharpness_quantile <= 1:
            raise ValueError("frame_quality.sharpness_window_px >= 3, quantile in [0, 1]")
        if self.sharpness_every_s < 0:
            raise ValueError("frame_quality.sharpness_every_s must be >= 0")

    def make_analyzer(self, info) -> FrameQualityAnalyzer:
        return FrameQualityAnalyzer(self)


def frame_luma(frame: AnalysisFrame | np.ndarray) -> float:
    """Mean BT.601 luma on 0-255 (from exact channel sums: the mean of each channel)."""
    frame = as_frame(frame)
    n = float(frame.shape[0] * frame.shape[1])
    b, g, r = (s / n for s in frame.channel_sums())
    return 0.114 * b + 0.587 * g + 0.299 * r


def grey_at(frame: AnalysisFrame | np.ndarray, short_side: int) -> np.ndarray:
    """The grey frame resized to `short_side`."""
    import cv2

    grey = as_frame(frame).grey()
    h, w = grey.shape
    if min(h, w) != short_side:
        scale = short_side / min(h, w)
        grey = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))))
    return grey


def laplacian_var(
    frame: AnalysisFrame | np.ndarray, short_side: int, grey: np.ndarray | None = None
) -> float:
    """`grey_laplacian_var` of the frame's grey at `short_side` (`grey`, when the caller has it
    already): from the frame's own Laplacian (`AnalysisFrame.laplacian_moments`, which the
    boundary detector reads too) where that grey is the frame's."""
    frame = as_frame(frame)
    if grey is None:
        grey = grey_at(frame, short_side)
    if grey is frame.grey():
        return moments_var(*frame.laplacian_moments())
    return grey_laplacian_var(grey)


def grey_laplacian_var(grey: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian, exactly, from integer sums (`laplacian_moments`):
    correctly rounded (numpy's over a float64 copy agrees to 1e-15 and cost 4x as much)."""
    return moments_var(*laplacian_moments(grey))


def moments_var(n: int, total: int, squares: int) -> float:
    return (n * squares - total * total) / (n * n)


def edge_sharpness(
    frame: AnalysisFrame | np.ndarray,
    short_side: int,
    min_contrast: float,
    window_px: int,
    quantile: float,
    grey: np.ndarray | None = None,
) -> float | None:
    """Steepness of the frame's strongest edges for their contrast: about 1 for a step edge,
    lower as focus spreads edges over more pixels; None when the frame has no such edge.
    `grey`: the frame's grey at `short_side`, when the caller has it already."""
    import cv2

    if grey is None:
        grey = grey_at(frame, short_side)
    window = np.ones((window_px, window_px), np.uint8)
    contrast = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, window)  # max - min in the window
    edges = np.flatnonzero(contrast >= min_contrast)  # flat indices, taken from each image
    if edges.size < 50:
        return None
    # 3x3 Sobel in 16 bits (exact integers; the same values as a float Sobel), both at once.
    dx, dy = cv2.spatialGradient(grey)
    gx = dx.take(edges).astype(np.float32)
    gy = dy.take(edges).astype(np.float32)
    # Sobel's 3x3 kernel answers 4x the step height at a step: /4 puts a step near 1.
    ratio = np.sqrt(gx * gx + gy * gy) / (4 * contrast.take(edges).astype(np.float32))
    if min_contrast <= 0:  # a zero contrast divides by zero: numpy's NaN handling
        return float(np.quantile(ratio, quantile))
    return quantile_linear(ratio, quantile)


def quantile_linear(values: np.ndarray, q: float) -> float:
    """`np.quantile(values, q)` (linear method) of a float32 array without NaN, to the bit:
    the same two order statistics and numpy's interpolation, without np.quantile's overhead
    (~0.1 ms a call, more than the selection itself at these sizes). The two are selected
    among the largest values only (`largest_candidates`: 0.98 of ~20k edge ratios in 0.3x
    the time), which hold them with the same ranks from the top."""
    n = values.size
    virtual = (n - 1) * q
    lo = math.floor(virtual)
    if virtual >= n - 1:
        return float(np.partition(values, n - 1)[n - 1])
    candidates = largest_candidates(values, n - lo)  # order statistics lo..n-1 at least
    at = lo - (n - candidates.size)  # the rank of statistic lo among them
    part = np.partition(candidates, [at, at + 1])
    below, above = part[at], part[at + 1]
    gamma = virtual - lo
    diff = above - below
    # numpy's _lerp: from the nearer end, in the array's precision
    return float(above - diff * (1 - gamma) if gamma >= 0.5 else below + diff * gamma)


@dataclass
class QualitySeries:
    """Per-frame brightness and blur, and sharpness every `sharpness_every_s`."""

    times_s: list[float] = dataclasses.field(default_factory=list)
    luma: list[float] = dataclasses.field(default_factory=list)
    blur: list[float] = dataclasses.field(default_factory=list)
    sharpness_times_s: list[float] = dataclasses.field(default_factory=list)
    sharpness: list[float] = dataclasses.field(default_factory=list)

    def wants(self, t_s: float, every_s: float) -> bool:
        """Whether sharpness is due: `every_s` after the last value kept (0.9: slack, frame
        times jitter around the grid)."""
        last = self.sharpness_times_s[-1] if self.sharpness_times_s else float("-inf")
        return t_s - last >= every_s * 0.9

    def add(self, t_s: float, luma: float, blur: float, sharpness: float | None) -> None:
        self.times_s.append(t_s)
        self.luma.append(luma)
        self.blur.append(blur)
        if sharpness is not None:
            self.sharpness_times_s.append(t_s)
            self.sharpness.append(sharpness)

    def scores(self, start_s: float, end_s: float, config: FrameQualityConfig) -> dict:
        import bisect

        lo = bisect.bisect_left(self.times_s, start_s - 1e-6)
        hi = bisect.bisect_right(self.times_s, end_s + 1e-6)
        if lo >= hi:
            return {}
        luma = np.array(self.luma[lo:hi])
        c = config
        s_lo = bisect.bisect_left(self.sharpness_times_s, start_s - 1e-6)
        s_hi = bisect.bisect_right(self.sharpness_times_s, end_s + 1e-6)
        sharpness = self.sharpness[s_lo:s_hi]
        return {
            "luma_mean": round(float(luma.mean()), 3),
            "dark_frac": round(float((luma < c.dark_luma).mean()), 4),
            "bright_frac": round(float((luma > c.bright_luma).mean()), 4),
            # The median is a vote: a clip is blurry when most of its frames are.
            "blur_var": round(float(np.median(self.blur[lo:hi])), 3),
            "edge_sharpness": round(float(np.median(sharpness)), 4) if sharpness else None,
            # Flicker: the typical jump in mean luma from one analysed frame to the next. A fade
            # moves a few levels per frame; strobing or exposure pumping moves tens.
            "luma_flicker": round(float(np.median(np.abs(np.diff(luma)))), 3)
            if hi - lo > 1
            else None,
        }


class FrameQualityAnalyzer(SharedViewsAnalyzer):
    """A `FrameAnalyzer`: mean luma and Laplacian variance of every analysed frame, and the same
    of its picture inside black bars (`AnalysisFrame.picture`) where it has bars: a clip written
    cropped (`crop_box`) is scored on its pictures (`clip_scores_cropped`), one written whole on
    its frames (a frame's own bars, a dark edge in a fade, are no crop of a clip that keeps
    them)."""

    def __init__(self, config: FrameQualityConfig):
        self.config = config
        self.frames = QualitySeries()
        self.pictures = QualitySeries()

    def prepare(self, t_s: float, frame: AnalysisFrame) -> None:
        if self.config.enabled:
            picture = frame.picture(inner=True)
            for view in (frame,) if picture is frame else (frame, picture):
                view.grey()
                view.channel_sums()

    def _measure(
        self, frame: AnalysisFrame, short_side: int, sharpness: bool
    ) -> tuple[float, float, float | None]:
        """(luma, blur, edge sharpness or None) of one frame or picture."""
        c = self.config
        grey = grey_at(frame, short_side)
        value = None
        if sharpness:
            value = edge_sharpness(
                frame,
                short_side,
                c.sharpness_min_contrast,
                c.sharpness_window_px,
                c.sharpness_quantile,
                grey=grey,
            )
        return frame_luma(frame), laplacian_var(frame, short_side, grey), value

    def update_frame(self, t_s: float, frame: AnalysisFrame) -> None:
        if not self.config.enabled:
            return
        c = self.config
        every_s = c.sharpness_every_s
        # black bars are no part of a cropped clip (borders.py), nor the rows blended with them
        picture = frame.picture(inner=True)
        if picture is frame:
            measured = self._measure(frame, c.blur_short_side, self.frames.wants(t_s, every_s))
            self.frames.add(t_s, *measured)
            self.pictures.add(t_s, *measured)
            return
        # A letterboxed picture cut from the frame is short: measured at its own size, never
        # scaled up, whose interpolation smooths the Laplacian away (a 2.39:1 picture in 16:9,
        # 134 rows scaled to 180: blur_var 96 against 521 at 134, 500 unboxed). The decode pass
        # scales it on its own where the source has the pixels.
        short_side = min(c.blur_short_side, *picture.shape[:2])
        luma, blur, sharpness = self._measure(
            picture, short_side, self.pictures.wants(t_s, every_s)
        )
        self.pictures.add(t_s, luma, blur, sharpness)
        # The whole frame's brightness and blur; its sharpness is the picture's (the steepest
        # edges of what is not bar: the frame's measure cost 1.4 ms, ~9 % of a pillar-boxed
        # pass, for the rare clip not cropped although its frames had bars).
        whole_luma, whole_blur, _ = self._measure(frame, c.blur_short_side, False)
        self.frames.add(t_s, whole_luma, whole_blur, sharpness)

    def clip_scores(self, start_s: float, end_s: float) -> dict:
        return self.frames.scores(start_s, end_s, self.config)

    def clip_scores_cropped(self, start_s: float, end_s: float) -> dict:
        """The scores of the frames' pictures inside their black bars, for a clip written
        cropped to them (`crop_box`)."""
        return self.pictures.scores(start_s, end_s, self.config)
