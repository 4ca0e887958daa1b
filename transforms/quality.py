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
from dataclasses import dataclass, fields
from enum import StrEnum

import numpy as np

from schemas import Clip


class QualityReason(StrEnum):
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRY = "blurry"
    LOW_MOTION = "low_motion"
    CHAOTIC_MOTION = "chaotic_motion"
    TEXT_OVERLAY = "text_overlay"
    LOW_AESTHETIC = "low_aesthetic"


QUALITY_REASONS = frozenset(str(r) for r in QualityReason)


@dataclass(frozen=True)
class QualityConfig:
    """Thresholds on stored scores; `None` turns a check off. `cliploom rescore` re-applies them."""

    max_dark_frac: float | None = 0.5
    max_bright_frac: float | None = 0.5
    min_blur: float | None = 10.0
    min_motion_top5_px: float | None = 1.0
    max_motion_mean_px: float | None = 30.0
    max_camera_jitter_px: float | None = 15.0
    max_luma_flicker: float | None = 10.0
    text_min_area_frac: float = 0.02  # a frame "has text" above this share of its area
    max_text_frames_frac: float | None = 0.05  # text_overlay above this share of such frames
    min_aesthetic: float | None = 4.5

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value < 0:
                raise ValueError(f"quality.{f.name} must be >= 0 or null")
        for name in ("max_dark_frac", "max_bright_frac", "max_text_frames_frac"):
            value = getattr(self, name)
            if value is not None and value > 1:
                raise ValueError(f"quality.{name} is a fraction in [0, 1]")

    def check(self, clip: Clip) -> list[str]:
        return check_clip(clip, self)


def text_frames_frac(clip: Clip, min_area_frac: float) -> float | None:
    """Share of the OCR'd frames whose text covers more than `min_area_frac` of the frame."""
    if not clip.text_area_fracs:
        return None
    return sum(a > min_area_frac for a in clip.text_area_fracs) / len(clip.text_area_fracs)


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
    if below(clip.blur_var, c.min_blur):
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
    if below(clip.aesthetic, c.min_aesthetic):
        reasons.append(QualityReason.LOW_AESTHETIC)
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

    def __post_init__(self):
        if not 0 <= self.dark_luma < self.bright_luma <= 255:
            raise ValueError("need 0 <= frame_quality.dark_luma < bright_luma <= 255")
        if self.blur_short_side < 16:
            raise ValueError("frame_quality.blur_short_side must be at least 16")

    def make_analyzer(self, info) -> FrameQualityAnalyzer:
        return FrameQualityAnalyzer(self)


def frame_luma(frame_bgr: np.ndarray) -> float:
    """Mean BT.601 luma on 0-255."""
    b, g, r = (float(frame_bgr[..., i].mean()) for i in range(3))
    return 0.114 * b + 0.587 * g + 0.299 * r


def laplacian_var(frame_bgr: np.ndarray, short_side: int) -> float:
    import cv2

    grey = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    if min(h, w) != short_side:
        scale = short_side / min(h, w)
        grey = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))))
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


class FrameQualityAnalyzer:
    """A `FrameAnalyzer`: mean luma and Laplacian variance of every analysed frame."""

    def __init__(self, config: FrameQualityConfig):
        self.config = config
        self.times_s: list[float] = []
        self.luma: list[float] = []
        self.blur: list[float] = []

    def update(self, t_s: float, frame_bgr: np.ndarray) -> None:
        if not self.config.enabled:
            return
        self.times_s.append(t_s)
        self.luma.append(frame_luma(frame_bgr))
        self.blur.append(laplacian_var(frame_bgr, self.config.blur_short_side))

    def clip_scores(self, start_s: float, end_s: float) -> dict:
        import bisect

        lo = bisect.bisect_left(self.times_s, start_s - 1e-6)
        hi = bisect.bisect_right(self.times_s, end_s + 1e-6)
        if lo >= hi:
            return {}
        luma = np.array(self.luma[lo:hi])
        c = self.config
        return {
            "luma_mean": round(float(luma.mean()), 3),
            "dark_frac": round(float((luma < c.dark_luma).mean()), 4),
            "bright_frac": round(float((luma > c.bright_luma).mean()), 4),
            # The median is a vote: a clip is blurry when most of its frames are.
            "blur_var": round(float(np.median(self.blur[lo:hi])), 3),
            # Flicker: the typical jump in mean luma from one analysed frame to the next. A fade
            # moves a few levels per frame; strobing or exposure pumping moves tens.
            "luma_flicker": round(float(np.median(np.abs(np.diff(luma)))), 3)
            if hi - lo > 1
            else None,
        }
