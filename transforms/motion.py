"""Motion: dense optical flow inside the decode pass, and a camera-motion label per clip.

Text-to-video corpora drop static clips (a model trained on them learns to freeze) and chaotic
ones (flicker, shake), and keep slow but real camera motion. Flow is computed at low
resolution (`flow_short_side`) between analysed frames about `step_s` apart (VBench samples
at 8 fps), and every magnitude is expressed in pixels of a frame whose short side is 256 over
one `step_s`, so VBench's dynamic-degree threshold (6 px at short side 256, FIELD) reads
directly against `motion_top5_px` whatever the source's resolution or frame rate. A global
similarity transform fitted to the flow (RANSAC) gives the camera's pan, tilt, zoom and roll.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from transforms.frames import AnalysisFrame, Pacer, SharedViewsAnalyzer, size_at

REFERENCE_SHORT_SIDE = 256  # VBench's normalisation: thresholds are 6 * (short side / 256)


class CameraMotion(StrEnum):
    STATIC = "static"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    TILT_UP = "tilt_up"
    TILT_DOWN = "tilt_down"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    COMPLEX = "complex"


@dataclass(frozen=True)
class MotionConfig:
    """How the decode pass measures motion (changing these needs a re-run, not a rescore)."""

    enabled: bool = True
    method: str = "dis"  # dis | farneback
    flow_short_side: int = 128
    step_s: float = 0.125  # VBench samples flow pairs at 8 fps
    max_gap_s: float = 0.5  # a longer gap between analysed frames starts a new pair
    grid_px: int = 8  # spacing of the flow samples used for the global motion fit
    ransac_px: float = 1.0  # RANSAC reprojection threshold, at flow resolution
    # Camera-motion label, all in px at short side 256 per step_s. The camera's speed is the
    # median over pairs of its per-step motion (pan, tilt, zoom together), so a camera that
    # swings back and forth is moving even though its median direction is nil.
    static_px: float = 1.0  # the camera's speed is below this: static
    # A direction is named only when the median motion along it is at least this share of
    # the speed (the camera keeps going one way); otherwise a moving camera is complex.
    consistency: float = 0.5
    dominance: float = 0.6  # the largest component must beat the next by 1/dominance

    def __post_init__(self):
        if self.method not in ("dis", "farneback"):
            raise ValueError(f"motion.method must be dis or farneback, not {self.method!r}")
        if self.flow_short_side < 16 or self.step_s <= 0 or self.grid_px < 2:
            raise ValueError("motion.flow_short_side >= 16, step_s > 0, grid_px >= 2")
        if not 0 < self.dominance <= 1 or not 0 < self.consistency <= 1:
            raise ValueError("motion.dominance and motion.consistency must be in (0, 1]")
        if self.static_px < 0:
            raise ValueError("motion.static_px must be >= 0")

    def make_analyzer(self, info) -> MotionAnalyzer:
        return MotionAnalyzer(self)


@dataclass(frozen=True)
class PairMotion:
    """Flow between two analysed frames, in px at short side 256 per `step_s`."""

    t0_s: float
    t1_s: float
    mean_px: float
    top5_px: float
    pan_px: float  # horizontal motion of the image content at the frame centre (+ = right)
    tilt_px: float  # vertical motion of the content at the centre (+ = down)
    zoom_px: float  # radial motion at the frame's half diagonal (+ = content grows)
    roll_px: float  # tangential motion at the half diagonal
    inlier_frac: float  # share of flow samples explained by the global fit


def flow_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    return size_at(width, height, short_side)


class FlowEngine:
    """Dense flow between two grey frames with OpenCV (DIS ultrafast or Farneback)."""

    def __init__(self, method: str):
        import cv2

        self.method = method
        if method == "dis":
            self._dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST)

    def __call__(self, prev_grey: np.ndarray, grey: np.ndarray) -> np.ndarray:
        import cv2

        if self.method == "dis":
            return self._dis.calc(prev_grey, grey, None)
        return cv2.calcOpticalFlowFarneback(prev_grey, grey, None, 0.5, 3, 15, 3, 5, 1.2, 0)


@functools.lru_cache(maxsize=8)
def _grid_points(h: int, w: int, grid_px: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row and column indices of the flow samples and their (x, y) points, made once per size."""
    ys, xs = np.mgrid[grid_px // 2 : h : grid_px, grid_px // 2 : w : grid_px]
    ys, xs = ys.ravel(), xs.ravel()
    src = np.stack([xs, ys], axis=1).astype(np.float32)
    for array in (ys, xs, src):
        array.flags.writeable = False  # shared between calls
    return ys, xs, src


def fit_similarity(flow: np.ndarray, grid_px: int, ransac_px: float):
    """(2x3 matrix or None, inlier mask) of a similarity fitted (RANSAC) to `flow` sampled on a
    grid: the matrix maps a pixel to where the flow moves it."""
    import cv2

    h, w = flow.shape[:2]
    _, _, src = _grid_points(h, w, grid_px)
    # the flow at the grid points, row by row (a strided view: no index arrays)
    half = grid_px // 2
    dst = src + flow[half::grid_px, half::grid_px].reshape(-1, 2)
    return cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=ransac_px, maxIters=200, refineIters=5
    )


def global_motion(
    flow: np.ndarray, grid_px: int, ransac_px: float
) -> tuple[float, float, float, float, float]:
    """(pan, tilt, zoom, roll, inlier_frac) of a similarity fit to `flow`, in flow pixels."""
    h, w = flow.shape[:2]
    matrix, inliers = fit_similarity(flow, grid_px, ransac_px)
    if matrix is None:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    centre = np.array([w / 2, h / 2])
    moved = matrix[:, :2] @ centre + matrix[:, 2]
    scale = math.hypot(matrix[0, 0], matrix[1, 0])
    angle = math.atan2(matrix[1, 0], matrix[0, 0])
    half_diag = math.hypot(w, h) / 2
    pan, tilt = moved - centre
    return (
        float(pan),
        float(tilt),
        (scale - 1.0) * half_diag,
        angle * half_diag,
        np.count_nonzero(inliers) / inliers.size if inliers is not None else 0.0,
    )


def largest_candidates(values: np.ndarray, count: int) -> np.ndarray:
    """The values at or above a bound taken from every 8th of `values` (1-D): its largest
    ones, `count` of them at least, so that selecting among the largest runs on those; all of
    `values` where the bound leaves too few or `values` is short."""
    if values.size < 1024:
        return values
    sample = values[::8]
    k = min(sample.size, 2 * (count // 8) + 1)  # twice the sample's expected share
    bound = np.partition(sample, sample.size - k)[sample.size - k]
    above = values[values >= bound]
    return above if above.size >= count else values


def top_mean(values: np.ndarray, share: float) -> float:
    """Mean of the largest `share` of `values` (at least one), in float64."""
    top = max(1, int(values.size * share))
    candidates = largest_candidates(values, top)
    largest = np.partition(candidates, candidates.size - top)[-top:]
    return float(largest.mean(dtype=np.float64))


class MotionAnalyzer(SharedViewsAnalyzer):
    """A `FrameAnalyzer`: flow between analysed frames about `step_s` apart."""

    def __init__(self, config: MotionConfig):
        self.config = config
        self.pairs: list[PairMotion] = []
        self._engine: FlowEngine | None = None
        self._prev: np.ndarray | None = None
        self._prev_t = 0.0
        self._prepared = Pacer(config.step_s * 0.8)  # the frames update_frame takes

    def prepare(self, t_s: float, frame: AnalysisFrame) -> None:
        c = self.config
        if c.enabled and self._prepared.take(t_s):
            frame = frame.picture()
            h, w = frame.shape[:2]
            frame.resized_grey(flow_size(w, h, c.flow_short_side))

    def update_frame(self, t_s: float, frame: AnalysisFrame) -> None:
        c = self.config
        if not c.enabled:
            return
        gap = t_s - self._prev_t
        # Half an average frame of slack so that 8 fps steps are taken from 24-30 fps video.
        if self._prev is not None and gap < c.step_s * 0.8:
            return
        frame = frame.picture()  # flow inside black bars, which never move
        h, w = frame.shape[:2]
        # Area-resized in colour, then grey (the object analyzer shares both views).
        grey = frame.resized_grey(flow_size(w, h, c.flow_short_side))
        if self._prev is not None and gap <= c.max_gap_s and self._prev.shape == grey.shape:
            self.pairs.append(self._measure(self._prev, grey, self._prev_t, t_s))
        self._prev, self._prev_t = grey, t_s

    def _measure(self, prev: np.ndarray, grey: np.ndarray, t0: float, t1: float) -> PairMotion:
        import cv2

        c = self.config
        if self._engine is None:
            self._engine = FlowEngine(c.method)
        flow = self._engine(prev, grey)
        # Pixels at short side 256 per step_s: flow is linear in time over a short gap.
        k = REFERENCE_SHORT_SIDE / min(grey.shape[:2]) * c.step_s / (t1 - t0)
        magnitude = cv2.magnitude(*cv2.split(flow)).ravel()
        top5 = top_mean(magnitude, 0.05)
        pan, tilt, zoom, roll, inliers = global_motion(flow, c.grid_px, c.ransac_px)
        return PairMotion(
            t0_s=t0,
            t1_s=t1,
            mean_px=float(magnitude.mean()) * k,
            top5_px=top5 * k,
            pan_px=pan * k,
            tilt_px=tilt * k,
            zoom_px=zoom * k,
            roll_px=roll * k,
            inlier_frac=inliers,
        )

    def clip_scores(self, start_s: float, end_s: float) -> dict:
        pairs = [p for p in self.pairs if p.t0_s >= start_s - 1e-6 and p.t1_s <= end_s + 1e-6]
        if not pairs:
            return {}
        pan = float(np.median([p.pan_px for p in pairs]))
        tilt = float(np.median([p.tilt_px for p in pairs]))
        zoom = float(np.median([p.zoom_px for p in pairs]))
        roll = float(np.median([p.roll_px for p in pairs]))
        # Shake: how far the camera's per-step motion strays from its own median.
        jitter = float(np.median([math.hypot(p.pan_px - pan, p.tilt_px - tilt) for p in pairs]))
        speed = float(np.median([math.hypot(p.pan_px, p.tilt_px, p.zoom_px) for p in pairs]))
        return {
            "motion_mean_px": round(float(np.mean([p.mean_px for p in pairs])), 4),
            # VBench calls a video dynamic when a quarter of its pairs exceed the threshold:
            # that is the upper quartile of the per-pair top-5% magnitudes.
            "motion_top5_px": round(float(np.percentile([p.top5_px for p in pairs], 75)), 4),
            "camera_pan_px": round(pan, 4),
            "camera_tilt_px": round(tilt, 4),
            "camera_zoom_px": round(zoom, 4),
            "camera_jitter_px": round(jitter, 4),
            "camera_speed_px": round(speed, 4),
            "camera_motion": camera_label(pan, tilt, zoom, roll, self.config, speed),
        }


def camera_label(
    pan: float,
    tilt: float,
    zoom: float,
    roll: float,
    config: MotionConfig,
    speed: float | None = None,
) -> str:
    """The camera's motion from the content's: content moving left means a pan right.

    `pan`...`roll` are medians over the clip's pairs, `speed` the median per-pair speed
    (None: the length of the medians, for a camera that never changes direction).
    """
    parts = {
        CameraMotion.PAN_RIGHT if pan < 0 else CameraMotion.PAN_LEFT: abs(pan),
        CameraMotion.TILT_UP if tilt > 0 else CameraMotion.TILT_DOWN: abs(tilt),
        CameraMotion.ZOOM_IN if zoom > 0 else CameraMotion.ZOOM_OUT: abs(zoom),
        CameraMotion.COMPLEX: abs(roll),  # roll is not one of the labels
    }
    ranked = sorted(parts.items(), key=lambda kv: kv[1], reverse=True)
    (label, top), (_, second) = ranked[0], ranked[1]
    if speed is None:
        speed = math.hypot(pan, tilt, zoom)
    if speed < config.static_px:
        return str(CameraMotion.STATIC)
    if top < config.consistency * speed or second > config.dominance * top:
        return str(CameraMotion.COMPLEX)
    return str(label)
