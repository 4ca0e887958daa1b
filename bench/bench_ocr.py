"""OCR detection: the direct batched detector against rapidocr's per-image call, in one run.

Builds a set of clips the way the pipeline sees them (the decode pass's sampled frames, the
`ocr.frames` picked per clip): text, logo and plain clips from ../shared/testdata, and clips
rendered here with ffmpeg drawtext (horizontal captions, vertical text, small subtitles, a
corner logo, none). On each clip it runs
  reference   rapidocr-onnxruntime's `RapidOCR(...)(image)` per frame, upright and turned a
              quarter (cliploom's OCR before the direct detector; rapidocr caps the long side
              at 960 whatever ocr.det_max_side says under that)
  direct      `transforms.score.OcrScorer` with the given config, on the sample and its text
              band where the decode pass kept one (the reference reads the sample alone)
and prints CPU seconds per clip of each (this process; onnxruntime at ocr.threads), their
ratio, and the agreement: per-frame text areas (mean and max absolute difference, and frames on
the same side of quality.text_min_area_frac) and per-clip text_overlay verdicts. Then whole
clips as the pipeline scores them (quality's check), ocr.early_stop on against off: CPU ratio,
frames read, and clips whose verdict and areas of the frames read are the same.
The machine is shared: only the ratio within one run compares.

    PYTHONPATH=. python bench/bench_ocr.py [--repeat 3] [--set ocr.key=value ...] [--add X.mp4]
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
    "vertical_box": (
        MANDEL,
        "transpose=1,drawtext=text='VERTICAL BANNER':fontsize=40:fontcolor=white:box=1"
        ":boxcolor=black:x=20:y=20,transpose=2",
    ),
    "vertical_small": (
        MANDEL,
        "transpose=1,drawtext=text='side caption':fontsize=20:fontcolor=yellow:x=60:y=10"
        ",transpose=2",
    ),
    "logo_corner": (
        MANDEL,
        "drawtext=text='NEWS 24':fontsize=22:fontcolor=white@0.8:x=w-tw-16:y=14",
    ),
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


def sources(tmp: Path, extra: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
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
    return out + [(f"extra/{Path(p).name}", Path(p)) for p in extra]


def sampled_set(tmp: Path, extra: tuple[str, ...] = ()) -> list[tuple[str, object]]:
    """(name, SampledClip) of every clip of every source, as the decode pass builds them."""
    import configs
    from pipelines.config import PipelineConfig

    return sample_clips(sources(tmp, extra), PipelineConfig.from_dict(configs.load()))


def sample_clips(named: list[tuple[str, Path]], config) -> list[tuple[str, object]]:
    """(name#k, SampledClip) of every clip of each (name, path), as the decode pass builds them;
    a source the pass rejects is skipped (no OCR input)."""
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video, build_clips

    clips = []
    for name, path in named:
        try:
            info = probe_file(str(path), str(path), config.probe)
            analysis = analyze_video(str(path), info, config.scenes)
            built = build_clips(info, analysis, config.scenes, config.clips)
        except Exception as e:
            print(f"skip {name}: {e}", file=sys.stderr)
            continue
        clips += [(f"{name}#{k}", sampled) for k, sampled in enumerate(built)]
    return clips


def clip_set(sampled: list, frames: int = 5) -> list[tuple[str, list[tuple]]]:
    """(name, the picked (upright BGR frame, its text band or None)) of every clip with frames,
    as OCR sees them."""
    from transforms.score import decode_jpeg

    clips = []
    for name, clip in sampled:
        picked = clip.pick(frames)
        bands = clip.bands_jpg or (None,) * len(clip.frames_jpg)
        if picked:
            clips.append(
                (
                    name,
                    [
                        (decode_jpeg(clip.frames_jpg[i]), bands[i] and decode_jpeg(bands[i]))
                        for i in picked
                    ],
                )
            )
    return clips


class ReferenceOcr:
    """cliploom's OCR before the direct detector: rapidocr's whole call per image, upright and
    turned a quarter on every frame."""

    def __init__(self, config):
        from transforms.score import rapidocr_engine

        self.vertical = config.vertical
        self.engine = rapidocr_engine(config)

    def _mask(self, image: np.ndarray) -> np.ndarray:
        import cv2

        result, _ = self.engine(image, use_det=True, use_cls=False, use_rec=False)
        mask = np.zeros(image.shape[:2], np.uint8)
        if result:
            boxes = [np.round(np.asarray(b, np.float32)).astype(np.int32) for b in result]
            cv2.fillPoly(mask, boxes, 1)
        return mask

    def frame(self, image: np.ndarray, band: np.ndarray | None = None) -> tuple[float, list[str]]:
        """The sample's text area as before the direct detector (`band` unread)."""
        mask = self._mask(image)
        if self.vertical:
            mask |= np.rot90(self._mask(np.ascontiguousarray(np.rot90(image, k=-1))), k=1)
        return float(mask.mean()), []


def run(scorer, clips) -> tuple[float, list[list[float]]]:
    """(CPU seconds, per-clip frame areas) of `scorer` over every clip."""
    start = time.process_time()
    areas = [[round(scorer.frame(*frame)[0], 4) for frame in frames] for _, frames in clips]
    return time.process_time() - start, areas


def main() -> None:
    import configs
    from pipelines.config import PipelineConfig
    from transforms.score import OcrScorer

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], help="ocr.KEY=VALUE for direct")
    parser.add_argument("--videos", default=os.path.join(tempfile.gettempdir(), "bench_ocr"))
    parser.add_argument("--add", action="append", default=[], help="another source video")
    args = parser.parse_args()
    config = PipelineConfig.from_dict(configs.load(sets=args.set))
    built = sampled_set(Path(args.videos), tuple(args.add))
    sampled = [(n, c) for n, c in built if c.pick(config.ocr.frames)]
    clips = clip_set(sampled, config.ocr.frames)
    n_frames = sum(len(images) for _, images in clips)
    print(f"{len(clips)} clips, {n_frames} frames; load average {os.getloadavg()[0]:.2f}")

    reference, direct = ReferenceOcr(config.ocr), OcrScorer(config.ocr)
    run(reference, clips[:1]), run(direct, clips[:1])  # warm both sessions
    cpu = {"reference": [], "direct": []}
    for _ in range(args.repeat):  # interleaved, so both see the same machine
        t, ref_areas = run(reference, clips)
        cpu["reference"].append(t)
        t, new_areas = run(direct, clips)
        cpu["direct"].append(t)
    ref_s, new_s = statistics.median(cpu["reference"]), statistics.median(cpu["direct"])
    print(
        f"CPU per clip (median of {args.repeat}): reference {1000 * ref_s / len(clips):.1f} ms, "
        f"direct {1000 * new_s / len(clips):.1f} ms; direct/reference {new_s / ref_s:.3f}"
    )

    q = config.quality
    a, b = np.concatenate(ref_areas), np.concatenate(new_areas)
    same_side = np.mean((a > q.text_min_area_frac) == (b > q.text_min_area_frac))
    print(
        f"frame text areas: mean |diff| {np.abs(a - b).mean():.5f}, max {np.abs(a - b).max():.4f}; "
        f"same side of {q.text_min_area_frac}: {same_side:.3f} ({int(same_side * len(a))}/{len(a)})"
    )
    agree = 0
    for (name, _), ra, na in zip(clips, ref_areas, new_areas, strict=True):
        verdict = [
            np.mean(np.array(x) > q.text_min_area_frac) > q.max_text_frames_frac for x in (ra, na)
        ]
        agree += verdict[0] == verdict[1]
        if verdict[0] != verdict[1] or max(abs(x - y) for x, y in zip(ra, na, strict=True)) > 0.001:
            print(f"  {name}: text_overlay {verdict[0]} -> {verdict[1]}; areas {ra} -> {na}")
    print(f"clip text_overlay verdicts agree: {agree}/{len(clips)}")
    early_stop(config, sampled, args.repeat)


def early_stop(config, sampled, repeat: int) -> None:
    """Whole clips scored as the pipeline does (quality's check), with ocr.early_stop on and
    off: CPU, frames read, and whether the verdicts and the areas of the frames read agree."""
    import dataclasses

    from transforms.score import OcrScorer

    check = config.quality.check
    every = OcrScorer(dataclasses.replace(config.ocr, early_stop=False))
    early = OcrScorer(dataclasses.replace(config.ocr, early_stop=True))
    cpu = {"every": [], "early": []}
    for _ in range(repeat):  # interleaved
        for key, scorer in (("every", every), ("early", early)):
            start = time.process_time()
            scores = [scorer.score(clip, check) for _, clip in sampled]
            cpu[key].append(time.process_time() - start)
            if key == "every":
                whole = scores
    ratio = statistics.median(b / a for a, b in zip(cpu["every"], cpu["early"], strict=True))
    same, read = 0, 0
    for (name, clip), a, b in zip(sampled, whole, scores, strict=True):
        verdicts = [check(dataclasses.replace(clip.clip, **x)) for x in (a, b)]
        n = len(b["text_area_fracs"])
        read += n
        if verdicts[0] == verdicts[1] and b["text_area_fracs"] == a["text_area_fracs"][:n]:
            same += 1
        else:
            print(f"  {name}: {verdicts[0]} -> {verdicts[1]}; {a['text_area_fracs']} -> {b}")
    total = sum(len(a["text_area_fracs"]) for a in whole)
    print(
        f"early stop (whole clips, quality's check): CPU early/every {ratio:.3f} "
        f"(median of {repeat} paired); frames read {read}/{total}; clips with the same "
        f"verdict and areas: {same}/{len(sampled)}"
    )


if __name__ == "__main__":
    main()
