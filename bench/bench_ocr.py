"""OCR detection: the direct batched detector against rapidocr's per-image call, in one run.

Builds a set of clips the way the pipeline sees them (the decode pass's sampled frames, the
`ocr.frames` picked per clip): text, logo and plain clips from ../shared/testdata, and clips
rendered here with ffmpeg drawtext (horizontal captions, vertical text, small subtitles, a
corner logo, none). On each clip it runs
  reference   rapidocr-onnxruntime's `RapidOCR(...)(image)` per frame, upright and turned a
              quarter (cliploom's OCR before the direct detector)
  direct      `transforms.score.OcrScorer` with the given config
and prints CPU seconds per clip of each (this process; onnxruntime at ocr.threads), their
ratio, and the agreement: per-frame text areas (mean and max absolute difference, and frames on
the same side of quality.text_min_area_frac) and per-clip text_overlay verdicts.
The machine is shared: only the ratio within one run compares.

    PYTHONPATH=. python bench/bench_ocr.py [--repeat 3] [--set ocr.key=value ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TESTDATA = ROOT.parent / "shared" / "testdata"
MANDEL = ("-f", "lavfi", "-i", "mandelbrot=s=640x360:r=30", "-t", "4")
LIFE = ("-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30", "-t", "4")
BOX = "fontcolor=white:box=1:boxcolor=black@0.6"
# name -> (ffmpeg input args, filter or None)
GENERATED = {
    "plain": (MANDEL, None),
    "caption": (MANDEL, f"drawtext=text='BREAKING NEWS 24':fontsize=44:{BOX}:x=30:y=40"),
    "subtitle_small": (
        MANDEL,
        "drawtext=text='and then we went down to the river':fontsize=16:fontcolor=white"
        ":x=(w-tw)/2:y=h-30",
    ),
    "subtitle_720p": (
        LIFE,
        "drawtext=text='I never thought I would see this place again':fontsize=36"
        ":fontcolor=white:borderw=2:x=(w-tw)/2:y=h-70",
    ),
    "vertical": (
        MANDEL,
        f"transpose=1,drawtext=text='VERTICAL BANNER TEXT':fontsize=40:{BOX}:x=20:y=20,transpose=2",
    ),
    "vertical_small": (
        MANDEL,
        "transpose=1,drawtext=text='side caption':fontsize=20:fontcolor=yellow:x=60:y=10"
        ",transpose=2",
    ),
    "logo_corner": (MANDEL, "drawtext=text='NEWS 24':fontsize=22:fontcolor=white@0.8:x=w-tw-16:y=14"),
    "scrolling": (
        MANDEL,
        f"drawtext=text='MARKETS UP 2 PERCENT   WEATHER SUNNY':fontsize=28:{BOX}:x=w-t*200:y=h-50",
    ),
    "credits": (
        ("-f", "lavfi", "-i", "color=c=black:s=854x480:r=30", "-t", "4"),
        "drawtext=text='Directed by Someone':fontsize=40:fontcolor=white:x=(w-tw)/2:y=150,"
        "drawtext=text='Produced by Someone Else':fontsize=40:fontcolor=white:x=(w-tw)/2:y=260",
    ),
}


def sources(tmp: Path) -> list[tuple[str, Path]]:
    from tests.conftest import make_video

    tmp.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (src, vf) in GENERATED.items():
        path = tmp / f"{name}.mp4"
        if not path.exists():
            make_video(path, *src, *(("-vf", vf) if vf else ()), "-pix_fmt", "yuv420p")
        out.append((f"gen/{name}", path))
    for sub in ("synthetic/quality", "synthetic/dedup", "real"):
        for path in sorted((TESTDATA / sub).glob("*")):
            if path.suffix in (".mp4", ".webm", ".mkv", ".mov"):
                out.append((f"{sub.split('/')[-1]}/{path.name}", path))
    return out


def clip_set(tmp: Path, frames: int = 5) -> list[tuple[str, list[np.ndarray]]]:
    """(name, the picked upright BGR frames) of every clip of every source, as OCR sees them."""
    import configs
    from pipelines.config import PipelineConfig
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video, build_clips
    from transforms.score import decode_jpeg

    config = PipelineConfig.from_dict(configs.load())
    clips = []
    for name, path in sources(tmp):
        try:
            info = probe_file(str(path), str(path), config.probe)
            analysis = analyze_video(str(path), info, config.scenes)
            built = build_clips(info, analysis, config.scenes, config.clips)
        except Exception as e:  # a source the pass rejects is no OCR input
            print(f"skip {name}: {e}", file=sys.stderr)
            continue
        for k, sampled in enumerate(built):
            picked = sampled.pick(frames)
            if picked:
                images = [decode_jpeg(sampled.frames_jpg[i]) for i in picked]
                clips.append((f"{name}#{k}", images))
    return clips
