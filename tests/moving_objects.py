"""Videos of objects moving on known paths over a panning real background, with exact boxes.

The background is a real frame (from ../shared/testdata/real) scaled up; a virtual camera pans
across it while textured objects move on straight paths: one enters and leaves the frame, two
cross each other. The truth is each object's visible box per frame, as fractions of the frame.
"""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from transforms.media import ffmpeg_exe


@dataclass(frozen=True)
class MovingObject:
    name: str
    size: tuple[int, int]  # w, h in px
    start: tuple[float, float]  # top-left at t=0, frame px
    velocity: tuple[float, float]  # px per second
    colour: tuple[int, int, int]  # BGR

    def box_at(self, t_s: float) -> tuple[float, float, float, float]:
        return (
            self.start[0] + self.velocity[0] * t_s,
            self.start[1] + self.velocity[1] * t_s,
            float(self.size[0]),
            float(self.size[1]),
        )


def scenario(kind: str, width: int, height: int) -> tuple[list[MovingObject], float]:
    """(objects, camera pan in px/s) of a named test scene."""
    if kind == "crossing":  # two objects cross in the middle, the camera pans right
        return [
            MovingObject("a", (48, 36), (10, 60), (60, 0), (40, 40, 220)),
            MovingObject("b", (44, 40), (width - 60, 80), (-60, 0), (220, 120, 30)),
        ], 20.0
    if kind == "enter_leave":  # one object crosses the whole frame, entering and leaving
        return [MovingObject("a", (50, 40), (-50, 70), (110, 5), (30, 200, 230))], 15.0
    if kind == "empty":  # only the camera moves: no object
        return [], 25.0
    raise ValueError(kind)


def _texture(size: tuple[int, int], colour: tuple[int, int, int], seed: int) -> np.ndarray:
    w, h = size
    rng = np.random.default_rng(seed)
    tile = np.zeros((h, w, 3), np.float32) + np.array(colour, np.float32)
    checker = ((np.arange(h)[:, None] // 6 + np.arange(w)[None, :] // 6) % 2) * 50 - 25
    tile += checker[..., None] + rng.normal(0, 8, (h, w, 1))
    return np.clip(tile, 0, 255).astype(np.uint8)


def background_still(source: Path, width: int, height: int, pan_room: int) -> np.ndarray:
    """One real frame, scaled so that a `width`x`height` window can pan `pan_room` px."""
    import av
    import cv2

    with av.open(str(source)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="bgr24")
    return cv2.resize(frame, (width + pan_room, height), interpolation=cv2.INTER_CUBIC)


def render(
    path: Path,
    background: np.ndarray,
    objects: list[MovingObject],
    pan_px_s: float,
    width: int = 320,
    height: int = 180,
    fps: int = 25,
    seconds: float = 4.0,
) -> dict[str, list]:
    """Write the video to `path`; return object name -> [(t_s, visible box as fractions)]."""
    tiles = [_texture(o.size, o.colour, i) for i, o in enumerate(objects)]
    truth: dict[str, list] = {o.name: [] for o in objects}
    cmd = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", "-f", "rawvideo",
           "-pix_fmt", "bgr24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "-",
           "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
           str(path)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    for i in range(round(seconds * fps)):
        t = i / fps
        # a negative pan starts at the right end of the background
        x0 = round(pan_px_s * t) + (background.shape[1] - width if pan_px_s < 0 else 0)
        frame = background[:, x0 : x0 + width].copy()
        for obj, tile in zip(objects, tiles, strict=True):
            bx, by, bw, bh = (round(v) for v in obj.box_at(t))
            x1, y1 = max(bx, 0), max(by, 0)
            x2, y2 = min(bx + bw, width), min(by + bh, height)
            if x2 - x1 < 1 or y2 - y1 < 1:
                continue
            frame[y1:y2, x1:x2] = tile[y1 - by : y2 - by, x1 - bx : x2 - bx]
            visible = (x2 - x1) * (y2 - y1) / (bw * bh)
            truth[obj.name].append(
                (t, (x1 / width, y1 / height, (x2 - x1) / width, (y2 - y1) / height), visible)
            )
        proc.stdin.write(frame.tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("ffmpeg failed to render the moving-objects video")
    return truth


def evaluate(frames: list[dict], truth: dict[str, list], start_s: float = 0.0,
             min_visible: float = 0.5, iou_at: float = 0.5) -> dict:  # fmt: skip
    """Precision/recall of boxes at IoU `iou_at`, and how consistently each object keeps one id.

    `frames` is the `frames` list of a boxes.json; truth boxes less than `min_visible` inside
    the frame do not count against recall (a detector cannot box what it barely sees).
    """
    from transforms.objects import iou

    hits = found = expected = 0
    ids: dict[str, list[int]] = {name: [] for name in truth}
    for frame in frames:
        t = frame["t_s"] + start_s
        boxes = [tuple(b["xywh"]) for b in frame["boxes"]]
        tracks = [b["track_id"] for b in frame["boxes"]]
        found += len(boxes)
        used = set()
        for name, entries in truth.items():
            entry = min(entries, key=lambda e: abs(e[0] - t), default=None)
            if entry is None or abs(entry[0] - t) > 0.021:
                continue
            _, box, visible = entry
            best = max(
                ((iou(box, b), i) for i, b in enumerate(boxes) if i not in used), default=(0, -1)
            )
            if visible >= min_visible:
                expected += 1
            if best[0] >= iou_at:
                used.add(best[1])
                hits += 1
                ids[name].append(tracks[best[1]])
    recall_hits = min(hits, expected)
    switches = sum(sum(a != b for a, b in itertools.pairwise(v)) for v in ids.values())
    purity = [max(v.count(i) for i in set(v)) / len(v) for v in ids.values() if v]
    return {
        "precision": hits / found if found else 1.0,
        "recall": recall_hits / expected if expected else 1.0,
        "id_switches": switches,
        "id_purity": min(purity) if purity else 1.0,
        "boxes": found,
        "truth_boxes": expected,
    }
