"""How well a camera's global motion tells a moving shot from a transition, on rendered sets.

Gradual spans swallow whole moving shots (issue 11, round-16 set): a shot that pans, tilts or
zooms changes its histogram and thumbnail over the lag as a slow dissolve does. A candidate
fix judges each window of `--lag` seconds by what the best global shift and zoom leave of its
change: the steps' warps (`_zoom_step` on the blurred greys of the 32x18 thumbnails, every
frame, as the refinement decodes them) chained over the window, the window's first frame
warped onto its last, and the RMS of what is left (over the pixels that stay inside) divided
by the RMS of the change itself. This prints, per truth label of the window (a shot, still or
moving; the family of a transition it overlaps; a hard cut), the share of windows whose
moving change (RMS at least 4) that ratio explains, at several ratios. A measure worth wiring
into the detector explains most moving-shot windows and next to no transition windows.

Round 17 (span17), share of windows explained at ratio 0.3 / 0.5 / 0.7:
  round-16 set  moving shots 15 / 31 / 46 %, slides, covers, reveals 21 / 38 / 52 %,
                fades, dissolves 8 / 19 / 35 %, wipes 6 / 12 / 22 %
  edge set      moving shots 12 / 33 / 43 %, slides, covers, reveals 46 / 63 / 76 %
  dev set       moving shots  3 / 10 / 25 %, slides, covers, reveals 50 / 76 / 86 %
No ratio separates: a slide, cover or reveal moves a picture as a camera does, a dissolve
over a fast pan leaves a small share of the pan's change, and most moving shots (real footage
with life of its own, lavfi patterns) are no global warp at 32x18. Cutting spans back to the
windows it leaves unexplained (branch span17-motion-wip) took round-16 clean kept from 15 to
17-19 % only while adding kept clips holding slides and covers (edge set 0 -> 1-3).

    python bench/bench_transitions.py --cliploom-only --keep DIR --round16   # renders
    python bench/bench_motion_windows.py DIR/round16_*.mp4 [--lag 0.5]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np

RATIOS = (0.3, 0.5, 0.7)
MOVING_RMS = 4.0  # a window's change below this is a still shot's (2 x gradual_noise)
FAMILIES = {
    "slide": "slide/cover/reveal",
    "cover": "slide/cover/reveal",
    "reveal": "slide/cover/reveal",
    "squeeze": "slide/cover/reveal",
    "fade": "fade/dissolve/dip",
    "dissolve": "fade/dissolve/dip",
    "dip": "fade/dissolve/dip",
    "source_fade": "fade/dissolve/dip",
    "wipe": "wipe",
    "smooth": "wipe",
}


def window_ratios(times: np.ndarray, tinies: list[np.ndarray], lag_s: float) -> np.ndarray:
    """For each frame, (what the chained shift and zoom leave, the change) over the window of
    `lag_s` ending there (inf left where under 0.3 of the picture stays inside)."""
    import cv2

    from transforms.transitions import _zoom_step

    greys = [
        cv2.GaussianBlur(cv2.cvtColor(t, cv2.COLOR_BGR2GRAY).astype(np.float32), (3, 3), 0)
        for t in tinies
    ]
    height, width = greys[0].shape
    centre = np.array([[1, 0, (width - 1) / 2], [0, 1, (height - 1) / 2], [0, 0, 1]])
    warps = [np.eye(3)]  # each step's, the later frame's points onto the earlier's
    for before, now in itertools.pairwise(greys):
        fit = _zoom_step(before, now) if min(before.std(), now.std()) >= 1 else None
        zoom = (
            np.eye(3)
            if fit is None
            else np.array([[fit[0], 0, fit[1]], [0, fit[0], fit[2]], [0, 0, 1]])
        )
        warps.append(centre @ zoom @ np.linalg.inv(centre))
    inner = np.zeros((height, width), dtype=bool)
    inner[2:-2, 2:-2] = True
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    out = np.full((len(tinies), 2), np.nan)
    for m in range(1, len(tinies)):
        j = min(m - 1, int(np.searchsorted(times, times[m] - lag_s - 1e-6)))
        if times[m] - times[j] < 0.8 * lag_s:
            continue
        first, last = tinies[j].astype(np.float32), tinies[m].astype(np.float32)
        change = math.sqrt(float(((first - last)[inner] ** 2).mean()))
        warp = functools.reduce(np.matmul, warps[j + 1 : m + 1], np.eye(3))[:2]
        warp = warp.astype(np.float32)
        moved = cv2.warpAffine(first, warp, (width, height), flags=flags)
        ones = np.ones((height, width), np.float32)
        inside = inner & (cv2.warpAffine(ones, warp, (width, height), flags=flags) > 0.99)
        left = math.inf
        if inside.mean() >= 0.3:
            left = math.sqrt(float(((moved - last)[inside] ** 2).mean()))
        out[m] = (left, change)
    return out


def label(truth: dict, t0: float, t1: float, moving: bool) -> str:
    if any(t0 < c <= t1 for c in truth["cuts_s"]):
        return "hard cut"
    for t in truth["transitions"]:
        if t["start_s"] <= t1 and t0 <= t["end_s"]:
            kind = t["kind"]
            return next((f for k, f in FAMILIES.items() if kind.startswith(k)), "other")
    return "shot, moving" if moving else "shot, still"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("videos", nargs="+", type=Path, help="rendered videos, truth beside")
    parser.add_argument("--lag", type=float, default=0.5, help="window length, seconds")
    args = parser.parse_args()

    from transforms.transitions import window_decoder

    windows, explained = Counter(), Counter()
    for video in args.videos:
        truth = json.loads(video.with_suffix(".json").read_text())
        times, tinies = window_decoder(str(video), 0.0, 0)(0.0, math.inf)
        times = np.asarray(times)
        ratios = window_ratios(times, tinies, args.lag)
        for m in range(1, len(times)):
            left, change = ratios[m]
            if np.isnan(change):
                continue
            j = int(np.searchsorted(times, times[m] - args.lag - 1e-6))
            name = label(truth, float(times[j]), float(times[m]), change >= MOVING_RMS)
            windows[name] += 1
            for r in RATIOS:
                explained[name, r] += bool(change >= MOVING_RMS and left <= r * change)
    print(f"{len(args.videos)} videos, windows of {args.lag} s at full rate, 32x18 thumbnails")
    print(f"{'window':22s} {'count':>6s} " + " ".join(f"{'<=' + str(r):>7s}" for r in RATIOS))
    for name in sorted(windows):
        shares = [100 * explained[name, r] / windows[name] for r in RATIOS]
        print(f"{name:22s} {windows[name]:6d} " + " ".join(f"{s:6.1f}%" for s in shares))


if __name__ == "__main__":
    main()
