"""Objects: boxes and tracks of moving objects, and VBench-style consistency scores, per clip.

Controllable video models condition on object boxes over time (Boximator) and are judged on
VBench's dimensions. Both come here from the frames the decode pass already sees, with no model:

- Boxes: dense flow between analysed frames about `1 / rate_fps` apart (flow from the current
  frame back to the previous one, so the mask lies on the current frame), the camera's global
  motion removed by a RANSAC similarity fit (the same kind of fit as the camera label), the
  residual magnitude thresholded, closed, and split into connected regions.
- Tracks: greedy IoU matching of each frame's boxes against the tracks' boxes predicted by their
  last velocity; a track survives `max_gap_frames` frames without a match, so an object passing
  behind another keeps its id. Track ids are renumbered per clip in order of appearance.
- Scores (VBench, model-free): temporal flicker (mean absolute change between camera-aligned
  analysed frames), motion smoothness (how well a frame is predicted by carrying the previous
  step's flow forward), subject consistency (colour-histogram similarity of the main track's
  crops to its first and previous crop) and background consistency (the same over the frame
  outside the boxes). All are in [0, 1], higher is better, as in VBench.

Boxes are fractions of the analysed frame, which is upright and at the display aspect, so they
hold for the encoded clip whatever its output size.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from transforms.frames import AnalysisFrame, Pacer, SharedViewsAnalyzer, size_at
from transforms.motion import fit_similarity

REFERENCE_SHORT_SIDE = 256  # box motion is reported in px at this short side, as motion.py


@dataclass(frozen=True)
class ObjectsConfig:
    """How the decode pass finds moving objects (changing these needs a re-run)."""

    enabled: bool = True
    rate_fps: float = 4.0  # analysed frames per second used for boxes (at least 2)
    flow_short_side: int = 128
    grid_px: int = 6  # spacing of flow samples for the camera fit
    ransac_px: float = 0.75
    # A pixel moves on its own when it differs from both camera-aligned neighbours by more than
    # `min_diff` grey levels and `residual_k` times the frame's median difference (noise).
    min_diff: float = 14.0
    residual_k: float = 4.0
    min_area_frac: float = 0.002  # smaller regions are noise
    max_area_frac: float = 0.6  # larger ones mean the camera fit failed, not an object
    iou_match: float = 0.2
    max_gap_frames: int = 4
    max_speed: float = 0.8  # frame widths per second a new track's second box may jump
    baseline_steps: int = 2  # frames t-k and t+k are compared with frame t
    min_track_frames: int = 3  # shorter tracks are dropped as noise
    hist_bins: int = 8  # per HSV channel, for the consistency scores

    def __post_init__(self):
        if self.rate_fps < 2:
            raise ValueError("objects.rate_fps must be at least 2 (boxes at 2 per second or more)")
        if self.flow_short_side < 32 or self.grid_px < 2:
            raise ValueError("objects.flow_short_side >= 32 and objects.grid_px >= 2")
        if not 0 < self.min_area_frac < self.max_area_frac <= 1:
            raise ValueError("need 0 < objects.min_area_frac < objects.max_area_frac <= 1")
        if not 0 < self.iou_match < 1 or self.max_gap_frames < 0 or self.min_track_frames < 1:
            raise ValueError(
                "objects.iou_match in (0, 1), max_gap_frames >= 0, min_track_frames >= 1"
            )

    def make_analyzer(self, info=None) -> ObjectAnalyzer:
        return ObjectAnalyzer(self)


Box = tuple[float, float, float, float]  # x, y, w, h as fractions of the frame


def _centre(box: Box) -> tuple[float, float]:
    return box[0] + box[2] / 2, box[1] + box[3] / 2


def iou(a: Box, b: Box) -> float:
    ax2, ay2, bx2, by2 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0.0, min(ax2, bx2) - max(a[0], b[0]))
    ih = max(0.0, min(ay2, by2) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


@dataclass
class Detection:
    t_s: float
    box: Box
    score: float  # mean residual motion inside the region over the threshold, capped at 1
    hist: np.ndarray  # colour histogram of the crop (subject consistency)
    track_id: int = -1
    merged: bool = False  # the region covers several tracks (objects crossing)


@dataclass
class Track:
    track_id: int
    detections: list[Detection] = field(default_factory=list)
    missed: int = 0

    def predict(self, t_s: float) -> Box:
        """Where the track's box should be at `t_s`, at the velocity of its last clean boxes.

        Boxes of merged regions (objects crossing) neither move the prediction nor give it a
        size, so each object comes out of a crossing where its own motion takes it.
        """
        # the last two clean boxes, latest first (all boxes merged: the last two)
        clean = list(itertools.islice((d for d in reversed(self.detections) if not d.merged), 2))
        last, *rest = clean or self.detections[:-3:-1]
        if not rest:
            return last.box
        prev = rest[0]
        dt = last.t_s - prev.t_s
        if dt <= 0:
            return last.box
        k = (t_s - last.t_s) / dt
        return (
            last.box[0] + (last.box[0] - prev.box[0]) * k,
            last.box[1] + (last.box[1] - prev.box[1]) * k,
            last.box[2],
            last.box[3],
        )


@dataclass
class FrameRecord:
    t_s: float
    flicker: float | None  # mean |camera-aligned difference| / 255
    smooth_err: float | None  # mean |frame - flow-carried prediction| / 255
    background_hist: np.ndarray | None
    detections: list[Detection]


def camera_affine(flow: np.ndarray, grid_px: int, ransac_px: float) -> np.ndarray | None:
    """The 2x3 similarity (RANSAC) that best explains `flow`: it maps a pixel to where it moved."""
    return fit_similarity(flow, grid_px, ransac_px)[0]


def colour_hist(hsv: np.ndarray, mask: np.ndarray | None, bins: int) -> np.ndarray:
    """An L2-normalised HSV histogram (bins per channel, concatenated)."""
    import cv2

    # One pass for the joint histogram, then its three marginals (counts: exact in float32).
    joint = cv2.calcHist([hsv], [0, 1, 2], mask, [bins] * 3, [0, 180, 0, 256, 0, 256])
    parts = [joint.sum(axis=(1, 2)), joint.sum(axis=(0, 2)), joint.sum(axis=(0, 1))]
    vec = np.concatenate(parts).astype(np.float64)
    norm = np.linalg.norm(vec)
    return vec / norm if norm > 0 else vec


def consistency(hists: list[np.ndarray]) -> float | None:
    """VBench's consistency: mean over frames of the similarity to the first and the previous."""
    if len(hists) < 2:
        return None
    sims = [
        (float(hists[0] @ h) + float(hists[i - 1] @ h)) / 2 for i, h in enumerate(hists) if i > 0
    ]
    return float(np.mean(sims))


def _seen_mask(from_other: np.ndarray, shape: tuple[int, int]) -> np.ndarray | None:
    """255 where a pixel of this frame maps inside the other frame (the camera saw it there);
    None where all of it does. `from_other`: the 3x3 map from a pixel of the other frame to
    this one."""
    import cv2

    h, w = shape
    corners = np.array([[0, 0, 1], [w - 1, 0, 1], [w - 1, h - 1, 1], [0, h - 1, 1]], np.float64)
    # the other frame's corners, mapped back into this frame
    back = np.round((from_other @ corners.T).T[:, :2]).astype(np.int32)
    # Each corner at or beyond this frame's own corner (a still camera: about a third of the
    # bench input's pairs): the polygon holds the whole frame, the mask would be all 255.
    beyond = back * _OUTWARD >= corners[:, :2].astype(np.int32) * _OUTWARD
    if beyond.all():
        return None
    mask = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(mask, back, 255)
    return mask


# per corner of a frame (top left, top right, bottom right, bottom left): the signs of x and y
# that point out of the frame
_OUTWARD = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.int32)


@dataclass
class _Frame:
    t_s: float
    grey: np.ndarray
    hsv: np.ndarray
    colour: np.ndarray  # BGRA (alpha 255): warped in ~0.45x the time of BGR, the same B, G, R
    to_prev: np.ndarray | None  # 3x3: a pixel of this frame -> where it was in the previous one
    flow: np.ndarray | None  # dense flow onto the previous frame


def _compose(matrices: list[np.ndarray]) -> np.ndarray:
    out = np.eye(3)
    for m in matrices:
        out = m @ out
    return out


class ObjectAnalyzer(SharedViewsAnalyzer):
    """A `FrameAnalyzer`: moving-object boxes, tracks and consistency scores per clip.

    Objects are found by differencing after camera alignment: a pixel of frame t moves on its
    own when it differs from both frame t-k and frame t+k (k = `baseline_steps` analysed
    frames), each warped onto t by the camera's fitted motion. A longer baseline separates an
    object from where it was, so slow and uniform objects show whole. Frame t is judged when
    frame t+k arrives; the last frames of a run are judged against what they have.
    """

    def __init__(self, config: ObjectsConfig):
        self.config = config
        self.frames: list[FrameRecord] = []
        self.tracks: list[Track] = []
        self._live: list[Track] = []  # the tracks still matched (missed <= max_gap_frames)
        self._dis = None
        self._next_id = 0
        self._run: list[_Frame] = []  # the frames of the current run not yet needed no more
        self._judged = 0  # index in _run of the next frame to judge
        self._backs: dict[tuple[float, float], tuple] = {}  # `_back`'s, until asked again
        # The frames update_frame takes. Choosing them among the motion analyzer's (to share
        # its flow-size resize) saved ~0.13 of ~9 CPU s on the bench input but took ~8 % fewer
        # frames: bench_objects' crossing case fell from precision/recall 0.79/0.75 to
        # 0.65/0.50 with an id switch (issue 12); left out.
        self._prepared = Pacer(1.0 / config.rate_fps * 0.8)

    def prepare(self, t_s: float, frame: AnalysisFrame) -> None:
        c = self.config
        if c.enabled and self._prepared.take(t_s):
            h, w = frame.shape[:2]
            size = size_at(w, h, c.flow_short_side)
            frame.resized_grey(size)
            frame.resized_hsv(size)

    def update_frame(self, t_s: float, frame: AnalysisFrame) -> None:
        import cv2

        c = self.config
        if not c.enabled:
            return
        step = 1.0 / c.rate_fps
        last = self._run[-1] if self._run else None
        if last is not None and t_s - last.t_s < step * 0.8:
            return
        h, w = frame.shape[:2]
        size = size_at(w, h, c.flow_short_side)
        # OpenCV's bilinear warp has a vector path for 4 channels, not for 3 (issue 12)
        small = cv2.cvtColor(frame.resized(size), cv2.COLOR_BGR2BGRA)
        grey = frame.resized_grey(size)  # shared with the motion analyzer at the same size
        hsv = frame.resized_hsv(size)
        if last is None or last.grey.shape != grey.shape or t_s - last.t_s > 3 * step:
            self.flush()
            self._run = [_Frame(t_s, grey, hsv, small, None, None)]
            return
        if self._dis is None:
            self._dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST)
        # Flow from this frame back to the previous one, and the camera's similarity fit to it.
        flow = self._dis.calc(grey, last.grey, None)
        affine = camera_affine(flow, c.grid_px, c.ransac_px)
        to_prev = None if affine is None else np.vstack([affine, [0.0, 0.0, 1.0]])
        self._run.append(_Frame(t_s, grey, hsv, small, to_prev, flow))
        k = c.baseline_steps
        while self._judged + k < len(self._run):
            self._judge_at(self._judged)
            self._judged += 1
        # keep what judging the next frames still needs
        drop = max(0, self._judged - k)
        if drop:
            self._run = self._run[drop:]
            self._judged -= drop

    def flush(self) -> None:
        """Judge the frames of the current run still waiting for their later neighbour."""
        while self._judged < len(self._run):
            self._judge_at(self._judged)
            self._judged += 1
        self._run, self._judged = [], 0
        self._backs.clear()

    def _grid(self, shape) -> np.ndarray:
        """Each pixel's (x, y), float32, as a remap map: a flow added to it is where it moved."""
        if getattr(self, "_grid_cache", None) is None or self._grid_cache.shape[:2] != shape:
            gy, gx = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float32)
            self._grid_cache = np.dstack([gx, gy])
            self._map = np.empty_like(self._grid_cache)  # the grid plus a flow, reused
        return self._grid_cache

    def _to(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray] | None:
        """3x3 maps from a pixel of frame i to the same scene point in frame j of the run, and
        back (None where a step has no camera fit)."""
        early, late = (j, i) if j < i else (i, j)
        back = self._back(early, late)
        if back is None:
            return None
        return back if j < i else back[::-1]

    def _back(self, early: int, late: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(the map from a pixel of frame `late` of the run to frame `early`, its inverse),
        made once for both frames that ask for it (frame t against t + k, then t + k against
        t: the same product and inverse, issue 12); None where a step has no camera fit."""
        run = self._run
        key = (run[early].t_s, run[late].t_s)
        kept = self._backs.pop(key, None)
        if kept is not None:
            return kept
        steps = [run[n].to_prev for n in range(late, early, -1)]
        if any(m is None for m in steps):
            return None
        there = _compose(steps)
        kept = self._backs[key] = (there, np.linalg.inv(there))
        return kept

    def _judge_at(self, i: int) -> None:
        """Boxes and scores of frame i of the run from its camera-aligned neighbours."""
        import cv2

        c = self.config
        run, k = self._run, c.baseline_steps
        frame = run[i]
        size = (frame.grey.shape[1], frame.grey.shape[0])
        diffs = []
        for j in (max(0, i - k), min(len(run) - 1, i + k)):
            if j == i:
                continue
            maps = self._to(i, j)
            if maps is None:
                continue
            m, m_back = maps
            flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
            warped = cv2.warpAffine(
                run[j].colour, m[:2], size, flags=flags, borderMode=cv2.BORDER_REPLICATE
            )
            # where the neighbour did not see this part of the scene (the camera moved), no vote
            seen = _seen_mask(m_back, frame.grey.shape)
            # colour, not grey: an object can match the background's grey level
            b, g_, r, _ = cv2.split(cv2.absdiff(frame.colour, warped, warped))
            diff = cv2.max(cv2.max(b, g_, b), r, b)
            diffs.append(diff if seen is None else cv2.min(diff, seen, diff))
        detections: list[Detection] = []
        if diffs:
            moving = cv2.min(diffs[0], diffs[1]) if len(diffs) > 1 else diffs[0]
            # the histogram in float32 counts (exact below 2**24 pixels), ~0.5x bincount's time
            hist = cv2.calcHist([moving], [0], None, [256], [0, 256]).ravel()
            counts = np.cumsum(hist)
            noise = float(np.searchsorted(counts, counts[-1] / 2))  # the median difference
            threshold = max(c.min_diff, c.residual_k * noise)
            detections = self._regions(moving, threshold, frame.hsv, frame.t_s)
        flicker = smooth_err = None
        if i > 0 and frame.to_prev is not None:
            prev = run[i - 1]
            aligned = cv2.warpAffine(
                prev.grey,
                frame.to_prev[:2],
                size,
                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REPLICATE,
            )
            flicker = cv2.mean(cv2.absdiff(frame.grey, aligned))[0] / 255
            if prev.flow is not None:
                # Constant velocity: this frame predicted from the previous one by the flow of
                # the step before; how well that holds is how smooth the motion is.
                # (one two-channel map: the same coordinates as x and y maps, one add)
                where = np.add(self._grid(frame.grey.shape), prev.flow, out=self._map)
                predicted = cv2.remap(
                    prev.grey,
                    where,
                    None,
                    cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_REPLICATE,
                )
                smooth_err = cv2.mean(cv2.absdiff(frame.grey, predicted))[0] / 255
        if detections:
            mask = np.full(frame.grey.shape, 255, np.uint8)
            H, W = frame.grey.shape
            for d in detections:
                x, y, bw, bh = d.box
                mask[int(y * H) : math.ceil((y + bh) * H), int(x * W) : math.ceil((x + bw) * W)] = 0
            background = colour_hist(frame.hsv, mask, c.hist_bins) if mask.any() else None
        else:  # the whole frame: the same counts without a mask
            background = colour_hist(frame.hsv, None, c.hist_bins)
        self.frames.append(FrameRecord(frame.t_s, flicker, smooth_err, background, detections))
        self._advance_tracks(detections)

    def _regions(self, magnitude: np.ndarray, threshold: float, hsv, t_s: float) -> list[Detection]:
        import cv2

        c = self.config
        h, w = magnitude.shape
        moving = (magnitude > threshold).view(np.uint8)
        if not moving.any():  # a still frame: no region, nothing to label
            return []
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
        moving = cv2.morphologyEx(moving, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
        moving = cv2.morphologyEx(moving, cv2.MORPH_CLOSE, kernel)
        # BBDT (Grana): the same labels and stats as the default Spaghetti (both label 2x2
        # blocks in raster order), in ~0.4x its time with stats here (OpenCV 5.0).
        _, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(
            moving, 8, cv2.CV_32S, cv2.CCL_GRANA
        )
        found = []
        # Most components are specks under min_area_frac: the area test on all at once.
        areas = stats[1:, cv2.CC_STAT_AREA] / (h * w)
        keep = np.flatnonzero((areas >= c.min_area_frac) & (areas <= c.max_area_frac)) + 1
        for i, (x, y, bw, bh, _) in zip(keep.tolist(), stats[keep].tolist(), strict=True):
            # The region within its own box: the same pixels, mean and histogram as over the
            # whole frame (the mask is zero outside the box).
            region = (labels[y : y + bh, x : x + bw] == i).view(np.uint8)
            window = magnitude[y : y + bh, x : x + bw]
            strength = cv2.mean(window, mask=region)[0] / threshold
            found.append(
                Detection(
                    t_s=t_s,
                    box=(x / w, y / h, bw / w, bh / h),
                    score=round(min(1.0, 0.5 * strength), 3),
                    hist=colour_hist(hsv[y : y + bh, x : x + bw], region, c.hist_bins),
                )
            )
        return found

    def _pairs(self, live: list[Track], detections: list[Detection]) -> list[tuple]:
        """(score, track index, box index) of each box of one frame that may continue a track."""
        c = self.config
        pairs = []
        for ti, track in enumerate(live):
            predicted = track.predict(detections[0].t_s)
            last = track.detections[-1]
            for di, det in enumerate(detections):
                score = iou(predicted, det.box)
                if score < c.iou_match and len(track.detections) == 1:
                    # A track with one box has no velocity yet: a fast object may not overlap
                    # its last box, so a box of similar size close enough in time may follow it.
                    jump = math.dist(_centre(last.box), _centre(det.box))
                    ratio = (det.box[2] * det.box[3]) / max(last.box[2] * last.box[3], 1e-9)
                    if jump <= c.max_speed * (det.t_s - last.t_s) and 0.5 <= ratio <= 2:
                        score = c.iou_match
                if score >= c.iou_match:
                    pairs.append((score, ti, di))
        return pairs

    def _advance_tracks(self, detections: list[Detection]) -> None:
        c = self.config
        live = self._live
        pairs = self._pairs(live, detections) if detections else []
        overlaps: dict[int, int] = {}
        for _, _, di in pairs:
            overlaps[di] = overlaps.get(di, 0) + 1
        for di, n in overlaps.items():
            detections[di].merged = n > 1
        used_t, used_d = set(), set()
        for _, ti, di in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            if ti in used_t or di in used_d:
                continue
            used_t.add(ti)
            used_d.add(di)
            detections[di].track_id = live[ti].track_id
            live[ti].detections.append(detections[di])
            live[ti].missed = 0
        for ti, track in enumerate(live):
            if ti not in used_t:
                track.missed += 1
        for di, det in enumerate(detections):
            if di not in used_d:
                det.track_id = self._next_id
                self.tracks.append(Track(self._next_id, [det]))
                live.append(self.tracks[-1])
                self._next_id += 1
        # a track missed more than max_gap_frames in a row is never matched again
        self._live = [t for t in live if t.missed <= c.max_gap_frames]

    def _span(self, start_s: float, end_s: float) -> list[FrameRecord]:
        if self._run:
            self.flush()
        times = [f.t_s for f in self.frames]
        lo = bisect.bisect_left(times, start_s - 1e-6)
        hi = bisect.bisect_right(times, end_s + 1e-6)
        return self.frames[lo:hi]

    def _kept_tracks(self, frames: list[FrameRecord]) -> dict[int, list[Detection]]:
        """Track id -> its detections in `frames`, tracks too short (over the video) dropped."""
        lengths = {t.track_id: len(t.detections) for t in self.tracks}
        by_track: dict[int, list[Detection]] = {}
        for frame in frames:
            for d in frame.detections:
                if lengths.get(d.track_id, 0) >= self.config.min_track_frames:
                    by_track.setdefault(d.track_id, []).append(d)
        return by_track

    def clip_boxes(self, start_s: float, end_s: float) -> list[dict]:
        """The clip's frames with their boxes: times from the clip's start, ids from 0."""
        frames = self._span(start_s, end_s)
        by_track = self._kept_tracks(frames)
        renumber = {
            tid: i for i, tid in enumerate(sorted(by_track, key=lambda t: (by_track[t][0].t_s, t)))
        }
        out = []
        for frame in frames:
            boxes = [
                {
                    "track_id": renumber[d.track_id],
                    "xywh": [round(v, 4) for v in d.box],
                    "score": d.score,
                    "label": None,
                }
                for d in frame.detections
                if d.track_id in renumber
            ]
            boxes.sort(key=lambda b: b["track_id"])
            out.append({"t_s": round(frame.t_s - start_s, 3), "boxes": boxes})
        return out

    def clip_scores(self, start_s: float, end_s: float) -> dict:
        if not self.config.enabled:
            return {}
        frames = self._span(start_s, end_s)
        if not frames:
            return {}
        by_track = self._kept_tracks(frames)
        motion = []
        for dets in by_track.values():
            for a, b in itertools.pairwise(dets):
                dt = b.t_s - a.t_s
                if dt > 0:
                    ca = (a.box[0] + a.box[2] / 2, a.box[1] + a.box[3] / 2)
                    cb = (b.box[0] + b.box[2] / 2, b.box[1] + b.box[3] / 2)
                    motion.append(math.hypot(cb[0] - ca[0], cb[1] - ca[1]) / dt)
        main = max(by_track.values(), key=len) if by_track else []
        with_object = sum(any(d.track_id in by_track for d in f.detections) for f in frames)
        flicker = [f.flicker for f in frames if f.flicker is not None]
        smooth = [f.smooth_err for f in frames if f.smooth_err is not None]
        background = [f.background_hist for f in frames if f.background_hist is not None]

        def rounded(value, digits=4):
            return None if value is None else round(value, digits)

        return {
            "n_tracks": len(by_track),
            # box centres' speed, as a share of the frame per second
            "box_motion_px": rounded(float(np.median(motion)) * REFERENCE_SHORT_SIDE)
            if motion
            else 0.0,
            "object_frame_frac": round(with_object / len(frames), 4),
            "temporal_flicker": rounded(1 - float(np.mean(flicker))) if flicker else None,
            "motion_smoothness": rounded(1 - float(np.mean(smooth))) if smooth else None,
            "subject_consistency": rounded(consistency([d.hist for d in main])),
            "background_consistency": rounded(consistency(background)),
        }
