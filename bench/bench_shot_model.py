"""What TransNetV2 (`scenes.model`) costs in the decode pass against the model-free rules.

    PYTHONPATH=. python bench/bench_shot_model.py [--seconds 20] [--repeat 2] [--device auto]

On bench/bench_pipeline.py's 720p30 input, paired runs of the analysis pass (analyze_video with
the default per-frame analyzers): rules (the default), and the model, whose run also decodes the
frames the rules skip (it reads every frame). Speed does not depend on the weights, so a
randomly initialised network of the published size stands in for the authors' weights (none
can be downloaded here); its boundaries are not scored. Prints CPU and wall seconds, frames per
second and ratios to the rules' pass, on the device the model ran on.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()

    import torch

    import configs
    from bench.bench_pipeline import render
    from pipelines.config import PipelineConfig
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video
    from transforms.shot_model import ShotModelConfig, build_network, load_shot_model

    work = Path(tempfile.mkdtemp(prefix="cliploom-shot-model-"))
    video = work / "720p.mp4"
    render(video, args.seconds)
    weights = work / "transnetv2-random.pth"
    torch.save(build_network().state_dict(), weights)
    config = PipelineConfig.from_dict(configs.load())
    model = ShotModelConfig(weights=str(weights), device=args.device)
    passes = {
        "rules": config.scenes,
        "transnetv2": dataclasses.replace(config.scenes, model=model),
    }
    _, device = load_shot_model(model)  # loaded once, as a worker's setup() does
    info = probe_file(str(video), str(video), config.probe)
    factories = (config.frame_quality, config.motion, config.watermark, config.objects)
    load = os.getloadavg()[0]
    measured = {name: [] for name in passes}
    frames = {}
    for _ in range(args.repeat):
        for name, scenes in passes.items():
            analyzers = [f.make_analyzer(info) for f in factories]
            wall, cpu = time.perf_counter(), cpu_s()
            analysis = analyze_video(str(video), info, scenes, analyzers)
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            measured[name].append((time.perf_counter() - wall, cpu_s() - cpu))
            frames[name] = len(analysis.frame_times_s)
    print(
        f"{args.seconds} s of 1280x720 30 fps H.264; model on {device}; median of "
        f"{args.repeat} paired runs; load {load:.1f} -> {os.getloadavg()[0]:.1f} "
        f"(on {os.cpu_count()} cores)"
    )
    print(f"  {'':12s} {'frames':>6s} {'wall_s':>7s} {'cpu_s':>7s} {'frames/s':>8s} {'cpu x':>6s}")
    base_cpu = statistics.median(c for _, c in measured["rules"])
    for name, runs in measured.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(
            f"  {name:12s} {frames[name]:6d} {wall:7.2f} {cpu:7.2f} "
            f"{frames[name] / wall:8.1f} {cpu / base_cpu:6.2f}"
        )


if __name__ == "__main__":
    main()
