"""One analysed frame and the views the per-frame analyzers take of it, each computed once.

The decode pass hands every analyzer the same BGR frame at analysis size. Several of them want
the same derived image (the grey frame for blur, sharpness and watermark edges, its Laplacian for
blur and the boundary detector; the frame and its grey at the flow size for motion and objects),
so the pass wraps the frame in an `AnalysisFrame` that computes each view on first use and keeps
it for the next analyzer. Views are exactly what each analyzer computed on its own before (same
OpenCV calls, same interpolation), so sharing them changes no score. Pure numpy/OpenCV, no Beam.
"""

from __future__ import annotations

import numpy as np

# Rows and columns of a picture next to a black bar that its scores leave out: scaling blends
# the bar's edge into them (a row of the area filter, one of chroma), and their Laplacian was
# most of a soft picture's blur_var (a plane in haze, letterboxed: 46.7 against 31.1 unboxed;
# without the two rows next to each bar, 31.4).
BAR_EDGE_PX = 2


def size_at(width: int, height: int, short_side: int, minimum: int = 8) -> tuple[int, int]:
    """(width, height) with the short side at most `short_side`, aspect kept, each >= minimum."""
    scale = min(1.0, short_side / min(width, height))
    return max(minimum, round(width * scale)), max(minimum, round(height * scale))


def laplacian_moments(grey: np.ndarray) -> tuple[int, int, int]:
    """(count, sum, sum of squares) of the 4-neighbour Laplacian of an 8-bit grey image, exact.

    The Laplacian is an integer in [-1020, 1020], so 16-bit output holds it and both sums are
    exact integers: any statistic of it taken from them (a variance, OpenCV's `meanStdDev` of
    a float Laplacian) is the same to the bit, for a third of the float Laplacian's cost.
    """
    import cv2

    lap = cv2.Laplacian(grey, cv2.CV_16S)
    return lap.size, round(cv2.sumElems(lap)[0]), round(cv2.norm(lap, cv2.NORM_L2SQR))


class AnalysisFrame:
    """A BGR frame (HxWx3 uint8) with cached derived views.

    `box` is the picture inside the frame's black bars as pixel bounds (x0, y0, x1, y1), set by
    the decode pass before any analyzer sees the frame (transforms/borders.py); None: the
    whole frame is picture. Analyzers that score the picture read `picture()`.
    """

    __slots__ = ("_cache", "bgr", "box")

    def __init__(self, bgr: np.ndarray, box: tuple[int, int, int, int] | None = None):
        self.bgr = bgr
        self.box = box
        self._cache: dict = {}

    @property
    def shape(self) -> tuple[int, ...]:
        return self.bgr.shape

    def view(self, key, make):
        """`make(self)`, computed on first use under `key` and kept: a view of an analyzer's
        own that another thread or analyzer may read too."""
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = make(self)
        return value

    def with_box(self, box: tuple[int, int, int, int] | None) -> AnalysisFrame:
        """This frame with picture box `box` instead, sharing the views of the whole frame."""
        other = AnalysisFrame(self.bgr, box)
        other._cache = {
            k: v for k, v in self._cache.items() if k not in ("picture", "inner", "edge_px")
        }
        return other

    def set_picture(self, bgr: np.ndarray, edge_px: int = BAR_EDGE_PX) -> None:
        """`picture()` is `bgr` (the picture inside `box` scaled on its own by the decode pass,
        `edge_px` its rows blended with a bar) instead of the crop of this frame."""
        self._cache["picture"] = AnalysisFrame(bgr)
        self._cache["edge_px"] = edge_px

    def picture(self, inner: bool = False) -> AnalysisFrame:
        """The frame inside `box`, a view with views of its own; itself without a box. `inner`:
        less the rows and columns next to a bar that scaling blended with its edge
        (`BAR_EDGE_PX`), for measures a hard edge would dominate (the Laplacian)."""
        if self.box is None:
            return self
        picture = self._cache.get("picture")
        if picture is None:
            x0, y0, x1, y1 = self.box
            picture = self._cache["picture"] = AnalysisFrame(self.bgr[y0:y1, x0:x1])
            # grey is per pixel: the crop of the frame's (which the bars were found on)
            picture._cache["grey"] = self.grey()[y0:y1, x0:x1]
        if not inner:
            return picture
        trimmed = self._cache.get("inner")
        if trimmed is None:
            height, width = self.bgr.shape[:2]
            x0, y0, x1, y1 = self.box
            edge = self._cache.get("edge_px", BAR_EDGE_PX)
            rows, cols = picture.shape[:2]
            top, left = (edge if y0 > 0 else 0), (edge if x0 > 0 else 0)
            bottom = rows - edge if y1 < height else rows
            right = cols - edge if x1 < width else cols
            trimmed = self._cache["inner"] = AnalysisFrame(picture.bgr[top:bottom, left:right])
            grey = picture._cache.get("grey")
            if grey is not None:
                trimmed._cache["grey"] = grey[top:bottom, left:right]
        return trimmed

    def channel_sums(self) -> tuple[float, float, float]:
        """Exact sums of the B, G and R channels (one pass over the frame)."""
        sums = self._cache.get("sums")
        if sums is None:
            import cv2

            b, g, r, _ = cv2.sumElems(self.bgr)
            sums = self._cache["sums"] = (b, g, r)
        return sums

    def grey(self) -> np.ndarray:
        """The frame in grey (OpenCV's BT.601 weights), at analysis size."""
        grey = self._cache.get("grey")
        if grey is None:
            import cv2

            grey = self._cache["grey"] = cv2.cvtColor(self.bgr, cv2.COLOR_BGR2GRAY)
        return grey

    def laplacian_moments(self) -> tuple[int, int, int]:
        """`laplacian_moments` of `grey()`: the blur measure's and the boundary detector's."""
        moments = self._cache.get("laplacian")
        if moments is None:
            moments = self._cache["laplacian"] = laplacian_moments(self.grey())
        return moments

    def edges(self, low: float, high: float) -> np.ndarray:
        """Canny edges of `grey()` (uint8, 255 on an edge)."""
        key = ("edges", low, high)
        edges = self._cache.get(key)
        if edges is None:
            import cv2

            edges = self._cache[key] = cv2.Canny(self.grey(), low, high)
        return edges

    def resized(self, size: tuple[int, int]) -> np.ndarray:
        """The BGR frame area-resized to `size` (width, height).

        Kept as is (issue 12, measured on testdata and the bench input): INTER_LINEAR here,
        ~0.3 ms less a 320x180 -> 228x128 frame, moved motion_top5_px by up to 24 % and
        flipped camera labels (cockatoo's second clip complex -> pan_right); resizing the grey
        frame instead of the colour one (rounding-level changes) moved motion_top5_px by up to
        31 % and camera_jitter_px 3.2 -> 13.9 on good_zoom (DIS flow follows single grey
        levels); swscale's grey at the flow size straight from the decoded frame (0.17 against
        0.37 ms a frame) turned the bench input's camera label static -> complex (speed 0.91 ->
        1.19), and those of 5 of its 31 4-s windows, and moved motion_top5_px by up to 20 %
        (round 23). A shrink at a non-integer ratio goes through OpenCV's float32 build of this
        area resize, rounded: the same bytes (checked on every frame of testdata/real and the
        bench input), views.resized 0.47 -> 0.41 thread-CPU s in the pass on the bench input.
        """
        key = ("bgr", size)
        small = self._cache.get(key)
        if small is None:
            import cv2

            height, width = self.bgr.shape[:2]
            if width >= size[0] and height >= size[1] and (width % size[0] or height % size[1]):
                # A shrink at a non-integer ratio (the flow size's 1.4): OpenCV's uint8 area
                # resize sums in float32, scalar; its float32 one does the same sums faster,
                # rounded as it rounds: the same bytes in ~0.75x the time (issue 12).
                wide = self.bgr.astype(np.float32)
                wide = cv2.resize(wide, size, interpolation=cv2.INTER_AREA)
                small = cv2.convertScaleAbs(wide)
            else:  # integer ratios and enlargements round otherwise in uint8
                small = cv2.resize(self.bgr, size, interpolation=cv2.INTER_AREA)
            self._cache[key] = small
        return small

    def resized_grey(self, size: tuple[int, int]) -> np.ndarray:
        """Grey of `resized(size)` (resized in colour first, as the flow analyzers always did)."""
        key = ("grey", size)
        grey = self._cache.get(key)
        if grey is None:
            import cv2

            grey = self._cache[key] = cv2.cvtColor(self.resized(size), cv2.COLOR_BGR2GRAY)
        return grey

    def resized_hsv(self, size: tuple[int, int]) -> np.ndarray:
        key = ("hsv", size)
        hsv = self._cache.get(key)
        if hsv is None:
            import cv2

            hsv = self._cache[key] = cv2.cvtColor(self.resized(size), cv2.COLOR_BGR2HSV)
        return hsv


def as_frame(frame: AnalysisFrame | np.ndarray) -> AnalysisFrame:
    return frame if isinstance(frame, AnalysisFrame) else AnalysisFrame(frame)


class Pacer:
    """Takes a frame when it is at least `min_gap_s` after the last one taken (the first always):
    how the analyzers that work on a few frames a second choose theirs."""

    __slots__ = ("last_s", "min_gap_s")

    def __init__(self, min_gap_s: float):
        self.min_gap_s = min_gap_s
        self.last_s: float | None = None

    def take(self, t_s: float) -> bool:
        if self.last_s is not None and t_s - self.last_s < self.min_gap_s:
            return False
        self.last_s = t_s
        return True


class SharedViewsAnalyzer:
    """Base of the analyzers that read an `AnalysisFrame` (`update_frame`): `update`, the
    `FrameAnalyzer` protocol's call with a bare BGR frame, wraps it for them.

    `prepare(t_s, frame)`, where an analyzer defines it, is called by the decode pass on its
    decode thread for every frame, in order and ahead of `update_frame`: it computes the views
    that `update_frame` will read (the same calls, so no score changes), so that this work runs
    beside the analysis instead of in it. It keeps state of its own (its own `Pacer`), never
    the state `update_frame` uses, as the two run on different threads.
    """

    def update(self, t_s: float, frame_bgr: np.ndarray) -> None:
        self.update_frame(t_s, AnalysisFrame(frame_bgr))

    def update_frame(self, t_s: float, frame: AnalysisFrame) -> None:
        raise NotImplementedError
