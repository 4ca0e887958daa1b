"""Black bars: letterbox and pillar-box borders baked into the picture, found in the decode pass
and cropped away when the clip is written.

A 4:3 film pillar-boxed into 16:9, or a 2.39:1 film letterboxed into it, carries flat black
bars that a video model learns to draw. Every `every_s` the analyser measures, on the grey
analysis frame, how many rows (top, bottom) and columns (left, right) from each edge are bars:
dark (mean at most `max_luma`) and flat (standard deviation at most `max_std`). A clip's bar
on a side is the smallest over its frames, so the crop never cuts into the picture of any frame
(a dark scene next to a bar widens it in some frames only); bars under `min_frac` of the side
are left (a few rows of encoder padding), and a side over `max_frac` is no bar (a dark clip).
`crop_box` (x, y, w, h as fractions of the upright frame) is what the encoder keeps; the
samples (thumbnails, OCR, captions, signatures) are cropped the same way.

The frame's own bars (`find_picture`, on every analysed frame, before any analyzer sees it) set
its picture box, so that the scores of the decode pass (brightness, blur, sharpness, motion)
and the text band describe the picture and not the bars: a bar's flat black darkened a
pillar-boxed clip and its hard edge read as sharp detail (letterboxed bikes.mp4: blur_var
1603 against 715 without the bars). A frame without bars costs the sums of its four edge
rows and columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BorderConfig:
    """`borders`: how black bars are found (changing these needs a re-run)."""

    enabled: bool = True
    every_s: float = 0.5  # one measurement per this interval
    max_luma: float = 24.0  # a bar's row or column: mean grey level at most this (0-255)
    max_std: float = 6.0  # ... and flat: standard deviation at most this
    min_frac: float = 0.02  # bars thinner than this share of the side are left
    max_frac: float = 0.3  # a "bar" over this share of the side is a dark picture
    min_frames: int = 2  # fewer measurements in a clip: no crop

    def __post_init__(self):
        if self.every_s <= 0 or self.min_frames < 1:
            raise ValueError("borders.every_s must be > 0 and min_frames >= 1")
        if not 0 <= self.min_frac < self.max_frac < 0.5:
            raise ValueError("borders needs 0 <= min_frac < max_frac < 0.5")
        if self.max_luma < 0 or self.max_std < 0:
            raise ValueError("borders.max_luma and max_std must be >= 0")

    def make_analyzer(self, info=None) -> BorderAnalyzer:
        return BorderAnalyzer(self)


def leading_bars(dark: np.ndarray) -> tuple[int, int]:
    """(count from the start, count from the end) of the leading True values of `dark`."""
    if dark.all():
        return len(dark), len(dark)
    return int(np.argmin(dark)), int(np.argmin(dark[::-1]))


def bars_of(grey: np.ndarray, config: BorderConfig) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) rows and columns of bars in one grey frame."""
    import cv2

    # A side whose edge row or column is brighter than a bar has none: most frames end here,
    # at ~4 us (the whole measure below costs ~20 us at 424x180, on every analysed frame).
    edges = (grey[0], grey[-1], grey[:, 0], grey[:, -1])
    if all(cv2.sumElems(line)[0] > config.max_luma * line.size for line in edges):
        return 0, 0, 0, 0
    grey = grey.astype(np.float32)
    rows = (grey.mean(axis=1) <= config.max_luma) & (grey.std(axis=1) <= config.max_std)
    cols = (grey.mean(axis=0) <= config.max_luma) & (grey.std(axis=0) <= config.max_std)
    top, bottom = leading_bars(rows)
    left, right = leading_bars(cols)
    return top, bottom, left, right


def crop_box(bars: np.ndarray, width: int, height: int, config: BorderConfig) -> list[float] | None:
    """The picture inside the bars every frame has (`bars`: frames x (top, bottom, left,
    right)), as [x, y, w, h] fractions of the frame; None when there are none to crop."""
    sides = bars.min(axis=0).astype(float)
    limits = (height, height, width, width)
    sides = [
        s if config.min_frac * n <= s <= config.max_frac * n else 0.0
        for s, n in zip(sides, limits, strict=True)
    ]
    top, bottom, left, right = sides
    if not any(sides):
        return None
    return [
        round(left / width, 4),
        round(top / height, 4),
        round((width - left - right) / width, 4),
        round((height - top - bottom) / height, 4),
    ]


def picture_box(
    bars: tuple[int, int, int, int], width: int, height: int, config: BorderConfig
) -> tuple[int, int, int, int] | None:
    """One frame's picture inside its bars (`bars_of`) as pixel bounds (x0, y0, x1, y1), each
    side's bar within [min_frac, max_frac] of the side as `crop_box` keeps a clip's; None when
    no side has one."""
    limits = (height, height, width, width)
    top, bottom, left, right = (
        s if config.min_frac * n <= s <= config.max_frac * n else 0
        for s, n in zip(bars, limits, strict=True)
    )
    if not (top or bottom or left or right):
        return None
    return left, top, width - right, height - bottom


class BorderAnalyzer:
    """Bars of the analysed frames every `every_s`: four small ints per measurement. Its
    `find_picture` sets every analysed frame's picture box (`AnalysisFrame.box`)."""

    def __init__(self, config: BorderConfig):
        self.config = config
        self.times_s: list[float] = []
        self.bars: list[tuple[int, int, int, int]] = []
        self.shape: tuple[int, int] | None = None
        self._next_s = -math.inf

    def frame_bars(self, frame) -> tuple[int, int, int, int]:
        """`bars_of` the frame's grey, once per frame."""
        return frame.view(("bars", self.config), lambda f: bars_of(f.grey(), self.config))

    def find_picture(self, t_s: float, frame) -> None:
        """Sets `frame.box` from the frame's own bars (called by the decode pass on every
        analysed frame before the analyzers' `prepare`; no state of its own)."""
        if self.config.enabled:
            height, width = frame.shape[:2]
            frame.box = picture_box(self.frame_bars(frame), width, height, self.config)

    def update_frame(self, t_s: float, frame) -> None:
        if not self.config.enabled or t_s < self._next_s:
            return
        self._next_s = t_s + self.config.every_s * 0.999
        self.shape = frame.shape[:2]
        self.times_s.append(t_s)
        self.bars.append(self.frame_bars(frame))

    def update(self, t_s: float, frame_bgr) -> None:
        from transforms.frames import AnalysisFrame

        self.update_frame(t_s, AnalysisFrame(frame_bgr))

    def clip_scores(self, start_s: float, end_s: float) -> dict:
        import bisect

        lo = bisect.bisect_left(self.times_s, start_s - 1e-6)
        hi = bisect.bisect_right(self.times_s, end_s + 1e-6)
        if self.shape is None or hi - lo < self.config.min_frames:
            return {}
        height, width = self.shape
        return {"crop_box": crop_box(np.array(self.bars[lo:hi]), width, height, self.config)}


def crop_fraction(image: np.ndarray, box: list[float]) -> np.ndarray:
    """`image` (height x width x ...) cut to `box` ([x, y, w, h] fractions)."""
    height, width = image.shape[:2]
    x0, y0 = round(box[0] * width), round(box[1] * height)
    x1, y1 = round((box[0] + box[2]) * width), round((box[1] + box[3]) * height)
    return image[y0:y1, x0:x1]
