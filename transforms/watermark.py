"""Watermark: burned-in logos and static overlays, found without a model in the decode pass.

A broadcaster's logo or a watermark is a small region whose edges stay put while the rest of the
picture changes. Every `every_s` the analyzer keeps the frame's edge map (Canny, at analysis
resolution, bit-packed) and the camera's shift since the last one (phase correlation of small
grey frames); for a clip it takes the share of its frames in which each pixel is an edge.
Pixels that are edges in nearly all frames are persistent. Persistent pixels grouped into
compact components are an overlay when (a) the camera moves and most of the picture's edges
come and go (a fixed camera keeps its whole set still, so a logo cannot be told from a lamp
post: the score is null, never a watermark), (b) a component is small, has edges both ways and
is not a long line (letterbox and pillar-box borders are), and (c) such components hold most of
the persistent edges. `watermark_frac` is the share of the
frame their boxes cover, `watermark_box` the largest box as (x, y, w, h) fractions of the
upright frame; `quality.max_watermark_frac` turns it into the `watermark` reason.

Across shots (any camera, fixed ones included): the analyzer keeps the maps of the whole video
(or segment), so a clip's persistent edges are also compared with maps of the video's other
shots, pictures unlike the clip's (few of its steady edges in the frame's middle remain, or
grey thumbnails that do not correlate). A source's logo stays put across its shots while the
set changes completely; the same small, compact components (not letterbox or pillar-box
lines) kept in most of those maps are an overlay. Where the video has no such other pictures,
a fixed camera's shot stays null, unless:

Over motion (a fixed camera with something moving): an overlay is drawn on top of the picture,
so nothing ever passes in front of it, while a lamp post is hidden whenever someone walks by.
A small compact component near a corner, with many edge pixels, whose edges are present in
every frame (`over_min_presence` of them in the worst frame) while edges come and go around it
(`over_min_activity`: the mean share of frames with a passing edge at the pixels in and around
its box that are not steady) is an overlay. Nothing like that (a static shot of a static
scene, or motion elsewhere) stays null: cannot tell. Regrouped (`over_regroup`): a logo
drawn over a scene object (a lamp, foliage) is one component with it and fails these tests
as a whole, as the object's edges come and go; where no fixed-camera cue finds anything, the
same tests run again on only the pixels that are edges in `over_min_presence` of the frames.
It reads only the maps the analyzer keeps anyway: nothing more in the decode pass.

Frozen (a fixed camera, still scene or not): an overlay composited after capture carries none
of the camera's noise. The analyzer keeps, per map, which pixels of the grey frame (analysis
size) differ from the previous map's; a steady edge pixel unchanged in nearly all of the clip's
steps is frozen. A real scene's steady edges carry sensor, grain and codec noise and are seldom
frozen; where most of them are not, a compact component of frozen edges near a corner is an
overlay. A scene frozen itself (a still frame) stays null: cannot tell. The logo's pixels stay
exactly put only where the last encode left its blocks untouched (over a bar, the sky, a still
backdrop); over a noisy picture they carry the codec's noise too and nothing is found.

Quiet (a fixed camera): there the logo is still far quieter than the scene. The analyzer keeps,
per map, each analysis-size grey pixel's change from the previous map (capped at 15 levels, 4
bits a pixel; `frozen` reads "changed at all" from it). A steady edge pixel's noise is its mean
change over the clip's steps; the scene's is the median over all steady edge pixels, so the
test is a ratio within the same frames, never an absolute level: steady edges at most
`quiet_max_ratio` of the scene's are quiet, and a compact quiet component near a corner is an
overlay where few of the scene's own steady edges are quiet; where a still part of the view
is as quiet (a car's inside beside its window), again at `quiet_strict_ratio`. Bar borders
(rows and columns of steady edges across half the frame) are left out before grouping. A sign
in a static scene carries the scene's grain; a noise-free still or CG shot has no noise to
compare with: null. Where the last encode puts as much change on the logo as on the scene (a
low-noise CG shot, a grainy still smoothed by the codec), nothing is found. Steady edges beside
clipped white (`quiet_saturated`) are never quiet, nor frozen: grain above white is cut off,
so a white sign in a grainy scene is as calm as a logo after a lossy encode.

Quiet over an area (`dense`, a fixed camera, where `quiet` finds no component): after a lossy
encode of a grainy still only part of a logo's steady edges are quiet, and the still's own
quiet edges join them into components too large or too sparse. So windows are judged instead:
a window near a corner where most steady edges are quiet is an overlay where it
stands out, the windows elsewhere in the picture hardly ever half as calm (a still whose
encode calmed whole regions has many: cannot tell), and its quiet edges do not run on out of
it (a noise-free line of a synthetic picture is quiet all along).

Over grain (`over_grain`, a fixed camera): where grain or noise over a moving scene makes
nearly every edge of the picture come and go, as a moving camera does, the few steady edges
left near a corner are the overlay's. Grain breaks some of a logo's edges in every frame, so
over-motion's "all there in every frame" is relaxed to `grain_min_presence`, and the corner
components must hold most of the picture's steady edges (`min_overlay_share`); a picture that
keeps more of its edges (a still, a steady set) is left to the cues above.

Optionally (`classifier`, off by default) an image classifier judges the frames sampled for each
clip that is still kept after the decode pass (transforms/score.py, through the model seam);
its per-frame probabilities feed the same `watermark` reason in `quality`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from transforms.frames import AnalysisFrame, SharedViewsAnalyzer


@dataclass(frozen=True)
class WatermarkClassifierConfig:
    """A Hugging Face image classifier (AutoModelForImageClassification + AutoImageProcessor,
    `from_pretrained`) run on the sampled frames of clips still kept after the decode pass,
    as Data-Juicer's video_watermark_filter runs `amrul-hzz/watermark_detector`. Its
    probabilities are stored per frame; `quality.watermark_min_prob` and
    `quality.min_watermark_frames_frac` turn them into the `watermark` reason."""

    model: str  # a local directory or a hub id (a hub id downloads on the workers)
    # Labels (the model's config id2label, case-insensitive) that mean a watermark; a frame's
    # probability is the sum of their softmax probabilities (sigmoid, max, for a multi-label
    # model).
    labels: tuple[str, ...] = ("watermark",)
    frames: int = 3  # sampled frames per clip, spread evenly over it
    device: str = "auto"  # auto (cuda when the worker has a GPU) | cpu | cuda | cuda:N
    batch_size: int = 16  # clips per forward pass (RunInference batches up to this)
    threads: int | None = None  # torch intra-op threads; null keeps torch's default

    def __post_init__(self):
        if not self.model:
            raise ValueError("watermark.classifier.model names a directory or a hub id")
        if not self.labels or not all(self.labels):
            raise ValueError("watermark.classifier.labels names at least one label")
        if (
            self.frames < 1
            or self.batch_size < 1
            or (self.threads is not None and self.threads < 1)
        ):
            raise ValueError("watermark.classifier: frames, batch_size and threads must be >= 1")


@dataclass(frozen=True)
class WatermarkConfig:
    """How the decode pass looks for static overlays (changing these needs a re-run)."""

    enabled: bool = True
    every_s: float = 0.25  # one edge map per this interval
    min_frames: int = 6  # fewer edge maps in a clip: no score
    canny_low: float = 50.0
    canny_high: float = 150.0
    persist: float = 0.85  # an edge in at least this share of the clip's frames is persistent
    # The picture must change: at least this share of the frames' edges are not persistent.
    min_changing: float = 0.6
    max_box_frac: float = 0.1  # an overlay's box covers at most this share of the frame
    max_side_frac: float = 0.5  # ... and spans at most this share of the frame's width/height
    min_edge_px: int = 12  # persistent edge pixels for a component to count (at ~180 px)
    # ... spread over at least this many rows and columns: text and logos have edges both
    # ways, while a horizontal edge under a horizontal pan stays put as a thin line.
    min_span_px: int = 4
    # The camera must move: median shift between edge maps (phase correlation of small grey
    # frames), in px at short side 256 per 1/8 s like motion.static_px. A fixed camera keeps
    # its whole set still, and a logo cannot be told from a lamp post: the score is null.
    min_camera_px: float = 1.0
    # The overlay components hold at least this share of all persistent edge pixels.
    min_overlay_share: float = 0.5
    # Across shots: edges that stay put in this clip and in at least cross_persist of the maps
    # of other shots of the same video (thumbnails correlating at most cross_max_ncc with the
    # clip's, or keeping few of its steady edges in the middle of the frame: the rest of the
    # picture changed completely), at least cross_min_frames of them.
    cross_shot: bool = True
    cross_persist: float = 0.6
    cross_max_ncc: float = 0.3
    cross_max_overlap: float = 0.35  # ... or keeping at most this share of its middle's edges
    cross_min_frames: int = 8
    cross_max_frames: int = 48  # maps of other shots compared, evenly spread in time
    # Still shots share steady edges here and there by chance. A shared component is an
    # overlay only when, with the other shots' steady edges shifted a few pixels (`_by_chance`),
    # fewer than this share of its matches remain (a logo: 0.11-0.13; chance: 0.5-1.0).
    cross_max_chance: float = 0.35
    # Over motion, with a fixed camera: a component near a corner (within corner_frac of the
    # frame's width and height), of at least over_min_edge_px steady edge pixels, whose edges
    # are all there (over_min_presence of them in its worst frame) while edges pass in and
    # around its box (over_min_activity).
    over_motion: bool = True
    corner_frac: float = 0.3
    over_min_edge_px: int = 60
    over_min_presence: float = 0.95
    over_min_activity: float = 0.04
    # Frozen, with a fixed camera (a single shot, still or not): an overlay composited after
    # capture carries none of the camera's noise, so its pixels (at analysis size) are exactly
    # the same from one edge map to the next while a real scene's steady edges carry sensor,
    # grain and codec noise. A steady edge pixel unchanged in at least frozen_min_share of the
    # clip's map-to-map steps is frozen. Where at most frozen_max_scene of all steady edge
    # pixels are frozen (a still frame freezes nearly all: cannot tell), a component of
    # frozen pixels near a corner (corner_frac), of at least over_min_edge_px, all there in
    # every frame (over_min_presence), and at least frozen_min_box_share of the steady edges
    # in its box frozen, is an overlay. Only where the last encode left the logo's blocks
    # untouched (over bars, sky, a still backdrop), not over a noisy picture.
    frozen: bool = True
    frozen_min_share: float = 0.95
    frozen_max_scene: float = 0.3
    frozen_min_box_share: float = 0.3
    # Quiet, with a fixed camera (a single shot): where the last encode put the codec's noise on
    # the logo too, it is still far quieter than the scene. A pixel's noise is its mean absolute
    # grey change from map to map (analysis size, each step capped at 15 levels); the scene's
    # is the median over all steady edge pixels of the clip, so the test is a ratio within the
    # same frames, never an absolute level. A steady edge pixel whose noise is at most
    # quiet_max_ratio of the scene's is quiet. Where the scene has noise to compare with (at
    # least quiet_min_scene grey levels) and at most quiet_max_scene of its steady edge pixels
    # are quiet, a quiet component near a corner (corner_frac), of at least over_min_edge_px,
    # all there in every frame (over_min_presence), with at least quiet_min_box_share of the
    # steady edges in its box quiet, is an overlay. A sign in a static scene carries the
    # scene's noise and stays unflagged; a noise-free still or CG shot: null.
    quiet: bool = True
    quiet_max_ratio: float = 0.25
    quiet_min_scene: float = 0.25
    quiet_max_scene: float = 0.35
    quiet_min_box_share: float = 0.3
    # ... and, where that finds nothing, again at this stricter ratio (null: not)
    quiet_strict_ratio: float | None = 0.1
    # Clipped white: grain pushed above white is cut off, so a white sign in a grainy scene is
    # as quiet as a logo after a lossy encode. A steady edge pixel beside a pixel at or above
    # this grey level (analysis size) in at least half the clip's maps is never quiet: its
    # calm is the clip level's, not an overlay's (null: not looked at).
    quiet_saturated: int | None = 250
    # Quiet over an area, with a fixed camera (a single shot), where `quiet` finds no component:
    # after a lossy encode of a grainy still only part of a logo's steady edges are quiet, and
    # the still's steady edges join them into one component. So judge windows instead: a
    # window of dense_window_px (at the analysis size) near a corner, with at least
    # dense_min_edge_px steady edge pixels of which at least dense_min_quiet are quiet
    # (quiet_max_ratio), is an overlay where it stands out: of the windows away from the corners
    # and from it, at most dense_max_calm_windows have half their steady edges at most
    # dense_calm_ratio of the scene's noise (a still whose encode calmed whole regions, or a
    # quiet picture, has many: cannot tell).
    dense: bool = True
    dense_window_px: int = 24
    dense_min_edge_px: int = 40
    dense_min_quiet: float = 0.75
    dense_calm_ratio: float = 0.6
    dense_max_calm_windows: float = 0.1
    # ... and where the quiet edges in the window, joined with the quiet edges touching them,
    # run out of it (at least dense_max_outside as many outside as inside: a noise-free line of
    # the scene, quiet all along), it is no overlay.
    dense_max_outside: float = 0.4
    # Over motion regrouped, where no fixed-camera cue finds anything: a logo drawn over a
    # scene object is one component with it (a lamp, foliage) and fails the tests as a whole,
    # as the object's edges come and go. So over-motion looks again, with the same tests, on
    # only the pixels that are edges in at least over_min_presence of the frames.
    over_regroup: bool = True
    # ... unless the component is part of a steady scene structure that runs out of its box (a
    # railing in front of passing cars: in front of a dark car its edges fade, so only the part
    # against the light road stays in every frame): the structure's steady edge pixels outside
    # the box are at least this share of those inside. A logo over a flickering object joins
    # only edges that come and go (the regroup test's dot: 1 outside, 91 inside).
    regroup_max_outside: float = 0.5
    # Over grain, with a fixed camera: where the picture changes as much as under a moving
    # camera (at least grain_min_changing of each frame's edges come and go: film grain or
    # sensor noise over a scene that moves), the few steady edges left are the overlay's. Grain
    # breaks some of a logo's edges in every frame, so over_motion's "all there in every frame"
    # fails; here components near a corner (corner_frac) of at least over_min_edge_px steady
    # edge pixels, at least grain_min_presence of them there in the worst frame, holding at
    # least min_overlay_share of all steady edges, are an overlay.
    over_grain: bool = True
    grain_min_changing: float = 0.9
    grain_min_presence: float = 0.75
    # An image classifier on the clip's sampled frames (transforms/score.py); null: off.
    classifier: WatermarkClassifierConfig | None = None

    def __post_init__(self):
        if self.every_s <= 0 or self.min_frames < 2 or self.min_edge_px < 1:
            raise ValueError("watermark.every_s > 0, min_frames >= 2, min_edge_px >= 1")
        if self.regroup_max_outside < 0:
            raise ValueError("watermark.regroup_max_outside must be >= 0")
        if self.min_span_px < 1 or self.min_camera_px < 0:
            raise ValueError("watermark.min_span_px >= 1, min_camera_px >= 0")
        if not 0 <= self.canny_low <= self.canny_high:
            raise ValueError("watermark needs 0 <= canny_low <= canny_high")
        for name in ("persist", "min_changing", "max_box_frac", "max_side_frac"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"watermark.{name} must be in (0, 1]")
        if not 0 <= self.min_overlay_share <= 1:
            raise ValueError("watermark.min_overlay_share must be in [0, 1]")
        for name in (
            "dense_min_quiet",
            "cross_persist",
            "cross_max_overlap",
            "cross_max_chance",
            "corner_frac",
            "over_min_presence",
            "frozen_min_share",
            "frozen_max_scene",
            "frozen_min_box_share",
            "quiet_max_ratio",
            "quiet_max_scene",
            "quiet_min_box_share",
            "grain_min_changing",
            "grain_min_presence",
        ):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"watermark.{name} must be in (0, 1]")
        if not -1 <= self.cross_max_ncc <= 1:
            raise ValueError("watermark.cross_max_ncc must be in [-1, 1]")
        if self.cross_min_frames < 2 or self.cross_max_frames < self.cross_min_frames:
            raise ValueError("watermark needs 2 <= cross_min_frames <= cross_max_frames")
        if self.quiet_strict_ratio is not None and not (
            0 < self.quiet_strict_ratio < self.quiet_max_ratio
        ):
            raise ValueError("watermark.quiet_strict_ratio in (0, quiet_max_ratio) or null")
        if self.quiet_saturated is not None and not 0 < self.quiet_saturated <= 255:
            raise ValueError("watermark.quiet_saturated is a grey level in (0, 255] or null")
        if self.quiet_min_scene <= 0 or self.quiet_min_scene >= STEP_CAP:
            raise ValueError(f"watermark.quiet_min_scene must be in (0, {STEP_CAP})")
        if self.dense_window_px < 2 or self.dense_min_edge_px < 1:
            raise ValueError("watermark.dense_window_px >= 2, dense_min_edge_px >= 1")
        if not self.quiet_max_ratio <= self.dense_calm_ratio:
            raise ValueError("watermark.dense_calm_ratio must be >= quiet_max_ratio")
        if self.dense_max_outside <= 0:
            raise ValueError("watermark.dense_max_outside must be > 0")
        if not 0 <= self.dense_max_calm_windows <= 1:
            raise ValueError("watermark.dense_max_calm_windows must be in [0, 1]")
        if self.over_min_edge_px < 1 or not 0 <= self.over_min_activity <= 1:
            raise ValueError("watermark.over_min_edge_px >= 1, over_min_activity in [0, 1]")

    def make_analyzer(self, info) -> WatermarkAnalyzer:
        return WatermarkAnalyzer(self)


@dataclass(frozen=True)
class Overlay:
    frac: float  # share of the frame covered by the overlay boxes
    box: tuple[float, float, float, float]  # the largest box: x, y, w, h as fractions


def find_overlay(edges: np.ndarray, config: WatermarkConfig) -> Overlay | None:
    """The static overlay in a stack of boolean edge maps (frames, h, w), if any.

    Returns None when the picture does not change enough to tell, and an empty overlay (frac 0)
    when it changes and nothing small stays put.
    """
    c = config
    _, h, w = edges.shape
    persistence = share(edges)
    persistent = persistence >= c.persist
    edge_px = edges.sum(axis=(1, 2)).astype(np.float64)
    if edge_px.mean() == 0:
        return None
    changing = 1.0 - (edges & persistent).sum(axis=(1, 2)) / np.maximum(edge_px, 1)
    if float(np.median(changing)) < c.min_changing:
        return None
    total_persistent = int(persistent.sum())
    empty = Overlay(0.0, (0.0, 0.0, 0.0, 0.0))
    if total_persistent == 0:
        return empty
    kept = overlay_components(persistent, config)
    kept_px = sum(px for px, *_ in kept)
    if not kept or kept_px < c.min_overlay_share * total_persistent:
        return empty
    return _overlay_of(kept, w, h)


def overlay_components(
    persistent: np.ndarray, config: WatermarkConfig, join_px: tuple[int, int] = (5, 5)
) -> list[tuple[int, int, int, int, int]]:
    """(edge px, x, y, w, h) of each small compact component of persistent edge pixels (with
    edges both ways; not a long line like a letterbox border). Pixels within `join_px`
    (height, width) of each other are one component."""
    import cv2

    c = config
    h, w = persistent.shape
    # Letters and logo strokes are a few pixels apart: join them into one component.
    joined = cv2.dilate(persistent.astype(np.uint8), np.ones(join_px, np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    kept = []
    for i, (x, y, bw, bh, _) in enumerate(stats[1:n].tolist(), start=1):
        if bw * bh > c.max_box_frac * w * h or bw > c.max_side_frac * w or bh > c.max_side_frac * h:
            continue
        # The component within its own box (it has no pixel outside it): rows and columns
        # are offsets there, which counts the same distinct ones.
        box = (slice(y, y + bh), slice(x, x + bw))
        ys, xs = np.nonzero(persistent[box] & (labels[box] == i))
        px = len(ys)
        if px < c.min_edge_px or min(len(set(ys)), len(set(xs))) < c.min_span_px:
            continue
        kept.append((px, x, y, bw, bh))
    return kept


def _overlay_of(kept: list[tuple[int, int, int, int, int]], w: int, h: int) -> Overlay:
    _, x, y, bw, bh = max(kept)
    frac = float(sum(bw_ * bh_ for _, _, _, bw_, bh_ in kept)) / (w * h)
    return Overlay(round(frac, 5), (float(x) / w, float(y) / h, float(bw) / w, float(bh) / h))


# Shifts (rows, columns) of the other shots' steady edges, at the analysis size, that no
# overlay survives but a chance match of two busy still pictures does.
CHANCE_SHIFTS = ((7, 7), (-7, 7), (7, -7), (-7, -7), (0, 9), (9, 0), (0, -9), (-9, 0))


def _by_chance(
    component: tuple[int, int, int, int, int],
    persistent: np.ndarray,
    other_steady: np.ndarray,
    max_chance: float,
) -> bool:
    """A component of edges steady in the clip and in other shots that two still pictures share
    by chance: shifted a few pixels, the other shots' steady edges meet the clip's in its box
    about as often (median over `CHANCE_SHIFTS` at least `max_chance` of the aligned count).
    An overlay's edges meet only where they are."""
    _, x, y, bw, bh = component
    box = (slice(y, y + bh), slice(x, x + bw))
    aligned = int((persistent[box] & other_steady[box]).sum())
    shifted = [
        int((persistent[box] & np.roll(other_steady, shift, (0, 1))[box]).sum())
        for shift in CHANCE_SHIFTS
    ]
    return float(np.median(shifted)) >= max_chance * aligned


def _near_corner(x: int, y: int, bw: int, bh: int, w: int, h: int, frac: float) -> bool:
    near_x = x + bw <= frac * w or x >= (1 - frac) * w
    near_y = y + bh <= frac * h or y >= (1 - frac) * h
    return near_x and near_y


def find_overlay_over_motion(
    edges: np.ndarray,
    persistent: np.ndarray,
    config: WatermarkConfig,
    candidates: np.ndarray | None = None,
) -> Overlay | None:
    """With a fixed camera: the components near a corner whose edges are in every frame while
    edges pass in and around them (nothing passes in front of an overlay). None when there is
    none: a static scene, or one whose motion is elsewhere, cannot be told from a logo.
    `candidates` (default: the persistent pixels) are the pixels grouped into components; a
    component of them that is part of a persistent structure running out of its box is not
    one (`regroup_max_outside`)."""
    import cv2

    c = config
    _, h, w = edges.shape
    steady = cv2.dilate(persistent.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    structures = None
    if candidates is not None:  # the persistent components the candidates' lie in
        joined = cv2.dilate(persistent.astype(np.uint8), np.ones((5, 15), np.uint8))
        structures = cv2.connectedComponents(joined, connectivity=8)[1]
    candidates = persistent if candidates is None else candidates
    kept, activity = [], None
    # Words a letter or two apart are one component: a line of text reaching out of the
    # corner is a caption or a banner (OCR's text_overlay), not a logo.
    for component, mine, worst in _corner_components(candidates, edges, c):
        _, x, y, bw, bh = component
        if worst < c.over_min_presence:
            continue  # something passed in front of it: part of the scene
        if structures is not None and _reaches_out(
            (x, y, bw, bh), mine, persistent, structures, c.regroup_max_outside
        ):
            continue
        if activity is None:  # share of frames with a passing (not steady) edge, per pixel
            activity = share(edges & ~steady)
        pad = max(bw, bh) // 2
        y0, y1, x0, x1 = (
            max(0, y - pad),
            min(h, y + bh + pad),
            max(0, x - pad),
            min(w, x + bw + pad),
        )
        around = activity[y0:y1, x0:x1][~steady[y0:y1, x0:x1]]
        if around.size and float(around.mean()) >= c.over_min_activity:
            kept.append(component)
    return _overlay_of(kept, w, h) if kept else None


def _corner_components(mask: np.ndarray, edges: np.ndarray, config: WatermarkConfig):
    """Each component of `mask` (words a letter or two apart joined) near a corner with at
    least `over_min_edge_px` pixels, as (component, its pixels within its box, the share of
    them that are edges in the frame that has fewest)."""
    _, h, w = edges.shape
    for component in overlay_components(mask, config, join_px=(5, 15)):
        px, x, y, bw, bh = component
        if px < config.over_min_edge_px or not _near_corner(x, y, bw, bh, w, h, config.corner_frac):
            continue
        mine = mask[y : y + bh, x : x + bw]
        worst = float(edges[:, y : y + bh, x : x + bw][:, mine].mean(axis=1).min())
        yield component, mine, worst


def find_overlay_over_grain(
    edges: np.ndarray, persistent: np.ndarray, config: WatermarkConfig
) -> Overlay | None:
    """With a fixed camera whose picture changes as a moving camera's does (`grain_min_changing`
    of each frame's edges not steady: grain or noise over a moving scene): the components near
    a corner that hold most of the steady edges (`min_overlay_share`), each of its pixels an
    edge in `persist` of the frames and `grain_min_presence` of them in the worst one. None
    where the picture keeps more of its edges (a still or a steady scene: cannot tell)."""
    c = config
    _, h, w = edges.shape
    total = int(np.count_nonzero(persistent))
    edge_px = np.count_nonzero(edges, axis=(1, 2))
    if total == 0 or not edge_px.any():
        return None
    steady_px = np.count_nonzero(edges & persistent, axis=(1, 2))
    if float(np.median(1.0 - steady_px / np.maximum(edge_px, 1))) < c.grain_min_changing:
        return None
    kept = []
    for component, _, worst in _corner_components(persistent, edges, c):
        if worst >= c.grain_min_presence:
            kept.append(component)
    if sum(px for px, *_ in kept) < max(1, c.min_overlay_share * total):
        return None
    return _overlay_of(kept, w, h)


def _reaches_out(
    box: tuple[int, int, int, int],
    mine: np.ndarray,
    persistent: np.ndarray,
    structures: np.ndarray,
    max_outside: float,
) -> bool:
    """Whether the persistent structures (`structures`: labels of joined persistent pixels)
    that the component's pixels (`mine`, within `box`) lie in have at least `max_outside` as
    many persistent pixels outside the box as inside it."""
    x, y, bw, bh = box
    labels = np.unique(structures[y : y + bh, x : x + bw][mine])
    labels = labels[labels > 0]
    if not len(labels):
        return False
    part = np.isin(structures, labels) & persistent
    inside = int(part[y : y + bh, x : x + bw].sum())
    return int(part.sum()) - inside >= max_outside * max(inside, 1)


def find_frozen_overlay(
    edges: np.ndarray,
    changed: np.ndarray,
    persistent: np.ndarray,
    config: WatermarkConfig,
    clipped: np.ndarray | None = None,
) -> Overlay | None:
    """With a fixed camera: the components near a corner whose steady edge pixels stay exactly
    the same from map to map (`changed`: boolean maps, pixel differs from the map before) while
    the scene's steady edges carry noise. None when there is none, or when the scene's own
    steady edges are frozen too (a CG scene, a still frame: cannot tell). `clipped` pixels
    (beside clipped white: their grain was cut off) are never frozen."""
    c = config
    total = int(persistent.sum())
    if total == 0 or len(changed) < 2:
        return None
    # (1e-9: 1 - 0.9 is a hair below 0.1, which would turn one change in ten away)
    frozen = persistent & (share(changed) <= 1.0 - c.frozen_min_share + 1e-9)
    if frozen.sum() > c.frozen_max_scene * total:
        return None
    if clipped is not None:
        frozen &= ~clipped
    return _corner_overlay(edges, frozen, persistent, c.frozen_min_box_share, c)


def _scene_noise(
    noise: np.ndarray, persistent: np.ndarray, config: WatermarkConfig
) -> float | None:
    """The scene's noise, the median over its steady edge pixels, that quiet ones are compared
    with; None without steady edges or under `quiet_min_scene` (nothing to compare with)."""
    if not persistent.any():
        return None
    scene = float(np.median(noise[persistent]))
    return scene if scene >= config.quiet_min_scene else None


def find_quiet_overlay(
    edges: np.ndarray,
    noise: np.ndarray,
    persistent: np.ndarray,
    config: WatermarkConfig,
    clipped: np.ndarray | None = None,
) -> Overlay | None:
    """With a fixed camera: the components near a corner whose steady edge pixels are far
    quieter (`noise`: mean absolute grey change from map to map, per pixel) than the scene's
    steady edges, compared as a ratio to the scene's median. None when there is none, when the
    scene has no noise to compare with, or when much of it is as quiet (cannot tell).
    `clipped` pixels (beside clipped white: their grain was cut off) are never quiet."""
    c = config
    total = int(persistent.sum())
    scene = _scene_noise(noise, persistent, c)
    if scene is None:
        return None
    # A fixed view with a still part (a car's inside, a studio wall) beside a moving one: that
    # part is quiet too at quiet_max_ratio; a logo is quieter still, so look again stricter.
    ratios = (
        (c.quiet_max_ratio,)
        if c.quiet_strict_ratio is None
        else (c.quiet_max_ratio, c.quiet_strict_ratio)
    )
    for ratio in ratios:
        quiet = persistent & (noise <= ratio * scene)
        if clipped is not None:
            quiet &= ~clipped
        if quiet.sum() > c.quiet_max_scene * total:
            continue
        found = _corner_overlay(edges, quiet, persistent, c.quiet_min_box_share, c)
        if found is not None:
            return found
    return None


def find_dense_quiet_overlay(
    noise: np.ndarray,
    persistent: np.ndarray,
    config: WatermarkConfig,
    clipped: np.ndarray | None = None,
) -> Overlay | None:
    """With a fixed camera: a window near a corner where most steady edge pixels
    (`dense_min_quiet`) are quiet (`quiet_max_ratio` of the scene's noise, as
    `find_quiet_overlay`), judged over the window rather than by components, where the rest of
    the picture has few windows that calm (`dense_calm_ratio`, `dense_max_calm_windows`): a
    still scene whose encode calmed whole regions has many, and no region stands out. None
    when there is none or the scene has no noise to compare with."""
    import cv2

    c = config
    h, w = persistent.shape
    scene = _scene_noise(noise, persistent, c)
    if scene is None:
        return None
    # Bar borders (rows and columns of steady edges over half the frame) are no one's texture.
    rows, cols = persistent.mean(axis=1) >= 0.5, persistent.mean(axis=0) >= 0.5
    steady = persistent & ~rows[:, None] & ~cols[None, :]
    # Clipped pixels count among a window's steady edges but are never quiet.
    marked = steady if clipped is None else steady & ~clipped
    size = (c.dense_window_px, c.dense_window_px)

    def window_sums(mask: np.ndarray) -> np.ndarray:
        return cv2.boxFilter(
            mask.astype(np.float32), -1, size, normalize=False, borderType=cv2.BORDER_CONSTANT
        )

    count = window_sums(steady)
    enough = count >= c.dense_min_edge_px
    calm = window_sums(marked & (noise <= c.dense_calm_ratio * scene)) >= 0.5 * count
    marked &= noise <= c.quiet_max_ratio * scene
    quiet = window_sums(marked) >= c.dense_min_quiet * count
    # Each window by its centre (the box filter's anchor): x0, y0 its first column and row.
    half = c.dense_window_px // 2
    x0 = np.arange(w)[None, :] - half
    y0 = np.arange(h)[:, None] - half
    x1, y1 = x0 + c.dense_window_px, y0 + c.dense_window_px
    f = c.corner_frac
    near = ((x1 <= f * w) | (x0 >= (1 - f) * w)) & ((y1 <= f * h) | (y0 >= (1 - f) * h))
    candidates = enough & near & quiet
    if not candidates.any():
        return None
    n, labels = cv2.connectedComponents(candidates.astype(np.uint8), connectivity=8)
    kernel = np.ones(size, np.uint8)
    for label in range(1, n):
        area = cv2.dilate((labels == label).astype(np.uint8), kernel) > 0
        ys, xs = np.nonzero(marked & area)
        bx0, by0, bx1, by1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
        if (bx1 - bx0) * (by1 - by0) > c.max_box_frac * w * h:
            continue
        if _quiet_runs_out(marked, area, c.dense_max_outside):
            continue
        # The windows elsewhere: away from the corners and not overlapping this one's.
        ys_c, xs_c = np.nonzero(labels == label)
        apart = (
            (x1 <= xs_c.min() - half)
            | (x0 >= xs_c.max() + half)
            | (y1 <= ys_c.min() - half)
            | (y0 >= ys_c.max() + half)
        )
        others = enough & ~near & apart
        if not others.any() or float(calm[others].mean()) > c.dense_max_calm_windows:
            continue
        return _overlay_of([(len(xs), bx0, by0, bx1 - bx0, by1 - by0)], w, h)
    return None


def _quiet_runs_out(quiet: np.ndarray, area: np.ndarray, max_outside: float) -> bool:
    """Whether the quiet pixels in `area`, joined with the quiet pixels touching them, run out
    of it: at least `max_outside` as many outside as inside. A noise-free scene line (a
    synthetic circle's arc through a corner) is quiet all along; a logo's quiet edges over a
    grainy still stay in its corner."""
    import cv2

    joined = cv2.dilate(quiet.astype(np.uint8), np.ones((3, 3), np.uint8))
    labels = cv2.connectedComponents(joined, connectivity=8)[1]
    mine = np.unique(labels[quiet & area])
    part = np.isin(labels, mine[mine > 0]) & quiet
    inside = int((part & area).sum())
    return int((part & ~area).sum()) >= max_outside * max(inside, 1)


def _corner_overlay(
    edges: np.ndarray,
    marked: np.ndarray,
    persistent: np.ndarray,
    min_box_share: float,
    config: WatermarkConfig,
) -> Overlay | None:
    """Components of `marked` steady edge pixels near a corner, large enough, there in every
    frame, with at least `min_box_share` of the steady edges in and just around their box
    marked (not a marked stretch of a scene edge)."""
    c = config
    _, h, w = edges.shape
    # The border of a bar (letterbox, pillar box) is a steady line across the frame: a logo
    # beside it would join it into one long component, so its rows and columns are left out.
    marked = marked.copy()
    marked[:, persistent.mean(axis=0) >= 0.5] = False
    marked[persistent.mean(axis=1) >= 0.5, :] = False
    kept = []
    for component, _, worst in _corner_components(marked, edges, c):
        _, x, y, bw, bh = component
        if worst < c.over_min_presence:
            continue
        box = (slice(max(0, y - 2), y + bh + 2), slice(max(0, x - 2), x + bw + 2))
        if marked[box].sum() >= min_box_share * persistent[box].sum():
            kept.append(component)
    return _overlay_of(kept, w, h) if kept else None


def _pack_steps(step: np.ndarray) -> np.ndarray:
    """A map of capped grey changes (uint8, 0..STEP_CAP) packed two pixels a byte, the first
    in the high half. Read as little-endian pairs (first + second << 8), so one shift each way
    packs a pair: ~15 us a 320x180 map, against ~140 us for strided slices."""
    flat = step.ravel()
    if flat.size % 2:
        flat = np.append(flat, np.uint8(0))
    pairs = flat.view("<u2")
    return ((pairs << 4) | (pairs >> 8)).astype(np.uint8)


def _unpack_steps(packed: np.ndarray, count: int) -> np.ndarray:
    """The first `count` grey changes of a `_pack_steps` map (uint8, flat), or of each map of a
    stack of them (maps x bytes)."""
    pairs = (packed >> 4).astype("<u2") | ((packed & 0x0F).astype("<u2") << 8)
    return pairs.view(np.uint8)[..., :count]


def share(maps: np.ndarray, dtype=np.float64) -> np.ndarray:
    """`maps.mean(axis=0, dtype=dtype)` of a stack of boolean maps or of small whole numbers
    (uint8), the same values: np.mean sums the whole numbers in `dtype` (exact) and divides
    the sums by the count; summed here in integers, then divided as np.mean divides (~4x
    faster; issue 12: the per-clip watermark scores were ~0.2 CPU s on the bench input)."""
    n = len(maps)
    counts = maps.view(np.uint8).sum(axis=0, dtype=np.uint16 if n < 257 else np.uint32)
    out = counts.astype(dtype)
    return np.true_divide(out, np.intp(n), out=out, casting="unsafe")


def _ncc(a: np.ndarray, b: np.ndarray) -> float:
    return _ncc_centred(_centred(a), _centred(b))


def _centred(grey: np.ndarray) -> tuple[np.ndarray, np.float32]:
    """The image as a float32 vector less its mean, and that vector's norm (for `_ncc`)."""
    v = grey.astype(np.float32).ravel()
    v = v - v.mean()
    return v, np.linalg.norm(v)


def _ncc_centred(a: tuple[np.ndarray, np.float32], b: tuple[np.ndarray, np.float32]) -> float:
    norm = float(a[1] * b[1])
    return float(a[0] @ b[0] / norm) if norm > 1e-6 else 1.0


STEP_CAP = 15  # grey change between maps kept up to this (4 bits a pixel): noise, not motion
SHIFT_SHORT_SIDE = 72  # grey frames for the camera-shift estimate
REFERENCE_SHORT_SIDE, REFERENCE_STEP_S = 256, 0.125  # motion.py's units


class WatermarkAnalyzer(SharedViewsAnalyzer):
    """A `FrameAnalyzer`: bit-packed edge maps every `every_s`, judged per clip."""

    def __init__(self, config: WatermarkConfig):
        self.config = config
        self.times_s: list[float] = []
        self.packed: list[np.ndarray] = []
        self.shifts_px: list[float] = []  # camera shift from the previous map, motion.py units
        self.greys: list[np.ndarray] = []  # small grey frames (SHIFT_SHORT_SIDE), uint8
        # Per map, the analysis-size grey pixel's change from the previous map's, capped at
        # STEP_CAP, two pixels a byte (`frozen`: changed at all; `quiet`: the mean change)
        self.steps: list[np.ndarray] = []
        # Per map, the analysis-size grey pixels at or above quiet_saturated (bit-packed)
        self.saturated: list[np.ndarray] = []
        self._grey: np.ndarray | None = None
        self._mean_norm: dict[int, tuple] = {}  # map index -> its thumbnail's mean and norm
        self.shape: tuple[int, int] | None = None
        self._next_s = float("-inf")
        self._small: np.ndarray | None = None
        self._window: np.ndarray | None = None
        self._prepare_s = float("-inf")  # prepare's own clock, the same rule as _next_s

    def prepare(self, t_s: float, frame: AnalysisFrame) -> None:
        c = self.config
        if not c.enabled or t_s < self._prepare_s:
            return
        frame.edges(c.canny_low, c.canny_high)
        self._prepare_s = t_s + c.every_s * 0.9

    def update_frame(self, t_s: float, frame: AnalysisFrame) -> None:
        import cv2

        c = self.config
        if not c.enabled or t_s < self._next_s:
            return
        grey = frame.grey()
        if self.shape is not None and grey.shape != self.shape:
            return  # a mid-stream size change: keep the first size's maps comparable
        self.shape = grey.shape
        edges = frame.edges(c.canny_low, c.canny_high) > 0
        h, w = grey.shape
        scale = SHIFT_SHORT_SIDE / min(h, w)
        small = cv2.resize(
            grey, (max(8, round(w * scale)), max(8, round(h * scale))), interpolation=cv2.INTER_AREA
        ).astype(np.float32)
        shift = 0.0
        if self._small is not None and self.times_s:
            if self._window is None:
                self._window = cv2.createHanningWindow(small.shape[::-1], cv2.CV_32F)
            (dx, dy), _ = cv2.phaseCorrelate(self._small, small, self._window)
            per_step = REFERENCE_STEP_S / max(t_s - self.times_s[-1], 1e-3)
            shift = float(np.hypot(dx, dy)) * REFERENCE_SHORT_SIDE / SHIFT_SHORT_SIDE * per_step
        self._small = small
        self.greys.append(small.astype(np.uint8))
        self.times_s.append(t_s)
        self.packed.append(np.packbits(edges))
        self.shifts_px.append(shift)
        if c.frozen or c.quiet:
            previous, self._grey = self._grey, grey
            if previous is None:
                step = np.full(grey.shape, STEP_CAP, np.uint8)
            else:
                step = cv2.min(cv2.absdiff(grey, previous), STEP_CAP)
            self.steps.append(_pack_steps(step))
        if (c.quiet or c.frozen) and c.quiet_saturated is not None:
            self.saturated.append(np.packbits(grey >= c.quiet_saturated))
        self._next_s = t_s + c.every_s * 0.9  # slack: frame times jitter around the grid

    def clip_scores(self, start_s: float, end_s: float) -> dict:
        lo = bisect.bisect_left(self.times_s, start_s - 1e-6)
        hi = bisect.bisect_right(self.times_s, end_s + 1e-6)
        if self.shape is None or hi - lo < self.config.min_frames:
            return {}
        # The first map's shift is from before the clip (or none): not the clip's camera.
        camera_px = float(np.median(self.shifts_px[lo + 1 : hi]))
        edges = self._edges(range(lo, hi))
        moving = camera_px >= self.config.min_camera_px
        found = [find_overlay(edges, self.config) if moving else None]
        presence = share(edges)  # each pixel's share of maps with an edge
        persistent = presence >= self.config.persist
        if self.config.cross_shot:
            found.append(self._across_shots(lo, hi, persistent))
        if not moving:
            found += self._fixed_camera(lo, hi, edges, presence, persistent)
        overlay = next((o for o in found if o is not None and o.frac > 0), None)
        overlay = overlay or next((o for o in found if o is not None), None)
        if overlay is None:
            return {"watermark_frac": None, "watermark_box": None}
        box = [round(v, 4) for v in overlay.box] if overlay.frac else None
        return {"watermark_frac": overlay.frac, "watermark_box": box}

    def _fixed_camera(
        self, lo: int, hi: int, edges: np.ndarray, presence: np.ndarray, persistent: np.ndarray
    ) -> list[Overlay | None]:
        """The fixed-camera cues (over motion, frozen, quiet) on one stack of edge maps
        (`presence`: each pixel's share of them with an edge)."""
        import cv2

        c = self.config
        found = []
        if c.over_motion:
            found.append(find_overlay_over_motion(edges, persistent, c))
        if c.over_grain:
            found.append(find_overlay_over_grain(edges, persistent, c))
        if c.frozen or c.quiet:
            # The first map's change is from before the clip.
            h, w = self.shape
            packed = np.stack([self.steps[i] for i in range(lo + 1, hi)])
            steps = _unpack_steps(packed, h * w).reshape(-1, h, w)
            noise = share(steps, np.float32)
            clipped = None
            if c.quiet_saturated is not None and self.saturated:
                # Beside a pixel clipped white in at least half the maps.
                white = share(self._unpacked(self.saturated, range(lo, hi))) >= 0.5
                clipped = cv2.dilate(white.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
            if c.frozen:
                found.append(find_frozen_overlay(edges, steps > 0, persistent, c, clipped))
            if c.quiet:
                found.append(find_quiet_overlay(edges, noise, persistent, c, clipped))
            if c.quiet and c.dense and not any(o and o.frac > 0 for o in found):
                found.append(find_dense_quiet_overlay(noise, persistent, c, clipped))
        if c.over_motion and c.over_regroup and not any(o and o.frac > 0 for o in found):
            # Regrouped: only the pixels that are edges in (nearly) every frame, so a logo
            # comes apart from a scene object under it whose edges come and go.
            present = presence >= c.over_min_presence
            found.append(find_overlay_over_motion(edges, persistent, c, present))
        return found

    def _centred(self, i: int) -> tuple[np.ndarray, np.float32]:
        """`_centred` of map i's grey thumbnail; its mean and norm computed once per video."""
        mean_norm = self._mean_norm.get(i)
        if mean_norm is None:
            v, norm = _centred(self.greys[i])
            self._mean_norm[i] = (self.greys[i].astype(np.float32).ravel().mean(), norm)
            return v, norm
        return self.greys[i].astype(np.float32).ravel() - mean_norm[0], mean_norm[1]

    def _edges(self, indices) -> np.ndarray:
        return self._unpacked(self.packed, indices)

    def _unpacked(self, maps: list[np.ndarray], indices) -> np.ndarray:
        """Bit-packed maps `indices` as one boolean stack, unpacked at once (the bits are 0 or
        1: valid booleans as they are; one map at a time, with a copy each to bool and one to
        stack them, cost ~4x as much, issue 12)."""
        h, w = self.shape
        packed = np.stack([maps[i] for i in indices])
        return np.unpackbits(packed, axis=1, count=h * w).reshape(-1, h, w).view(bool)

    def _across_shots(self, lo: int, hi: int, persistent: np.ndarray) -> Overlay | None:
        """Edges of the clip that stay put in the other shots of the video too. None when the
        video has too few maps of other shots (a picture unlike the clip's) to tell."""
        c = self.config
        h, w = self.shape
        outside = [i for i in range(len(self.times_s)) if i < lo or i >= hi]
        if len(outside) < c.cross_min_frames:
            return None
        pick = np.linspace(0, len(outside) - 1, min(len(outside), 4 * c.cross_max_frames))
        outside = sorted({outside[int(k + 0.5)] for k in pick})
        # Another shot: the clip's steady edges in the middle of the frame (where overlays
        # are not) are mostly gone, or (with few such edges, a moving camera) the grey
        # thumbnails do not correlate.
        centre = np.zeros((h, w), bool)
        centre[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4] = True
        steady = persistent & centre
        if steady.sum() >= c.min_edge_px * 2:
            # Steady pixels still edges in each map, counted on the bit-packed maps.
            packed = np.stack([self.packed[i] for i in outside]) & np.packbits(steady)
            kept_on = np.bitwise_count(packed).sum(axis=1) / steady.sum()
            other = kept_on <= c.cross_max_overlap
        else:
            clip_grey = _centred(np.median(np.stack(self.greys[lo:hi]), axis=0))
            other = np.array(
                [_ncc_centred(self._centred(i), clip_grey) <= c.cross_max_ncc for i in outside]
            )
        if other.sum() < c.cross_min_frames:
            return None
        chosen = np.flatnonzero(other)[: c.cross_max_frames * 4]
        if len(chosen) > c.cross_max_frames:
            chosen = chosen[np.linspace(0, len(chosen) - 1, c.cross_max_frames).astype(int)]
        other_edges = self._edges([outside[i] for i in chosen])
        other_steady = share(other_edges) >= c.cross_persist
        shared = persistent & other_steady
        kept = [
            k
            for k in overlay_components(shared, c)
            if not _by_chance(k, persistent, other_steady, c.cross_max_chance)
        ]
        return _overlay_of(kept, w, h) if kept else Overlay(0.0, (0.0, 0.0, 0.0, 0.0))
