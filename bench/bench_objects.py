"""Boxes and tracks: accuracy on rendered videos with exact truth, and the cost in the decode pass.

    PYTHONPATH=. python bench/bench_objects.py [--work DIR] [--seconds 30] [--repeat 3]

Accuracy: objects moving on known paths over a panning real background (tests/moving_objects.py:
crossing, entering and leaving, camera-only), plus a held-back set rendered with other
backgrounds, speeds and sizes that the tests never see. Prints box precision and recall at IoU
0.5, id switches and the worst object's id purity (share of its boxes under its main id).

Cost: the analysis pass (`analyze_video` with the default brightness/blur and motion analyzers)
on a 720p30 H.264 render, with and without the object analyzer, paired in one run (CPU seconds
of this process, medians of `--repeat`); target: the model-free path adds <= 15 %.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import configs  # noqa: E402
from bench.bench_quality import render as render_720p  # noqa: E402
from pipelines.config import PipelineConfig  # noqa: E402
from tests.moving_objects import (  # noqa: E402
    MovingObject,
    background_still,
    evaluate,
    render,
    scenario,
)
from transforms.objects import ObjectsConfig  # noqa: E402
from transforms.probe import probe_file  # noqa: E402
from transforms.scenes import analyze_video  # noqa: E402

TESTDATA = ROOT.parent / "shared" / "testdata" / "real"
W, H = 320, 180


def held_back() -> list[tuple[str, str, list[MovingObject], float]]:
    """Scenes the tests never use: other backgrounds, speeds, sizes and directions."""
    return [
        ("slow_big", "bigbuckbunny.mp4",
         [MovingObject("a", (80, 60), (40, 50), (25, 4), (200, 60, 200))], 10.0),
        ("fast_small", "carphone_pristine.mp4",
         [MovingObject("a", (30, 24), (-30, 30), (160, 20), (20, 220, 20))], 30.0),
        ("three_objects", "chaplin.mp4",
         [MovingObject("a", (40, 40), (10, 20), (50, 10), (30, 30, 230)),
          MovingObject("b", (46, 30), (250, 120), (-45, -5), (230, 200, 30)),
          MovingObject("c", (36, 36), (150, -36), (5, 40), (60, 230, 230))], -20.0),
        ("vertical_pass", "cockatoo.mp4",
         [MovingObject("a", (50, 40), (140, -40), (10, 70), (240, 240, 240))], 12.0),
    ]  # fmt: skip


def accuracy(work: Path, config: PipelineConfig) -> list[tuple[str, dict]]:
    cases = [(kind, "bikes.mp4", *scenario(kind, W, H)) for kind in
             ("crossing", "enter_leave", "empty")]  # fmt: skip
    rows = []
    for name, bg, objects, pan in cases + held_back():
        background = background_still(TESTDATA / bg, W, H, 200)
        path = work / f"{name}.mp4"
        truth = render(path, background, objects, pan)
        info = probe_file(str(path), str(path), config.probe)
        analyzer = ObjectsConfig().make_analyzer(info)
        analyze_video(str(path), info, config.scenes, [analyzer])
        score = evaluate(analyzer.clip_boxes(0.0, 4.0), truth)
        score["n_tracks"] = analyzer.clip_scores(0.0, 4.0)["n_tracks"]
        score["objects"] = len(objects)
        rows.append((("held-back " if (name, bg) not in [(c[0], c[1]) for c in cases] else "")
                     + name, score))  # fmt: skip
    return rows


def cost(work: Path, config: PipelineConfig, seconds: int, repeat: int) -> tuple[float, float]:
    path = render_720p(work / "bench720.mp4", seconds)
    info = probe_file(str(path), str(path), config.probe)

    def run(with_objects: bool) -> float:
        analyzers = [config.frame_quality.make_analyzer(info), config.motion.make_analyzer(info)]
        if with_objects:
            analyzers.append(ObjectsConfig().make_analyzer(info))
        start = time.process_time()
        analyze_video(str(path), info, config.scenes, analyzers)
        if with_objects:
            analyzers[-1].clip_scores(0.0, info.duration_s)
        return time.process_time() - start

    base, extra = [], []
    for _ in range(repeat):  # paired, interleaved
        base.append(run(False))
        extra.append(run(True))
    return statistics.median(base), statistics.median(extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = PipelineConfig.from_dict(configs.load())
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(
            "| scene | objects | tracks | box precision @0.5 | box recall @0.5 | id switches "
            "| worst id purity |"
        )
        print("|---|---|---|---|---|---|---|")
        hits = {"precision": [], "recall": []}
        for name, s in accuracy(work, config):
            print(
                f"| {name} | {s['objects']} | {s['n_tracks']} | {s['precision']:.2f} "
                f"| {s['recall']:.2f} | {s['id_switches']} | {s['id_purity']:.2f} |"
            )
            hits["precision"].append(s["precision"])
            hits["recall"].append(s["recall"])
        print(
            f"mean precision {statistics.mean(hits['precision']):.2f}, "
            f"mean recall {statistics.mean(hits['recall']):.2f}"
        )
        base, extra = cost(work, config, args.seconds, args.repeat)
        print(
            f"analysis pass CPU s on {args.seconds} s of 720p30 (medians of {args.repeat}): "
            f"{base:.2f} without objects, {extra:.2f} with: "
            f"+{100 * (extra / base - 1):.1f} % (target <= 15 %)"
        )


if __name__ == "__main__":
    main()
