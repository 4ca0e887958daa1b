"""What TransNetV2 (`scenes.model`) costs in the decode pass against the model-free rules.

    PYTHONPATH=. python bench/bench_shot_model.py [--seconds 20] [--repeat 2] [--device auto]

On bench/bench_pipeline.py's 720p30 input, paired runs of the analysis pass (analyze_video with
the default per-frame analyzers): rules (the default), and the model, whose run also decodes the
frames the rules skip (it reads every frame). Speed does not depend on the weights, so a
randomly initialised network of the published size stands in for the authors' weights (none
can be downloaded here); its boundaries are not scored. Prints CPU and wall seconds, frames per
second and ratios to the rules' pass, on the device the model ran on.

    PYTHONPATH=. python bench/bench_shot_model.py --save-frames FRAMES.npy [--seconds 120]
    PYTHONPATH=. python bench/bench_shot_model.py --network FRAMES.npy [--device cuda]
        [--batch-windows 1,8,32]

The network alone, for a machine without the pipeline's dependencies (a GPU box with torch and
OpenCV only): `--save-frames` decodes the bench input once, every frame, at the model's 48x27
RGB; `--network` streams those frames through `ShotPredictor` (the decode pass's own feeding
code) at each batch size and prints frames/s, wall and CPU seconds per hour of 30 fps video, and
the largest difference of its probabilities from the first batch size's.
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

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def save_frames(path: Path, seconds: int) -> None:
    """Every frame of the bench input at 48x27 RGB (uint8, frames x 27 x 48 x 3)."""
    import av

    from bench.bench_pipeline import render
    from transforms.shot_model import FRAME_SIZE

    with tempfile.TemporaryDirectory() as work:
        video = Path(work) / "720p.mp4"
        render(video, seconds)
        with av.open(str(video)) as container:
            width, height = FRAME_SIZE
            frames = [
                f.to_ndarray(format="rgb24", width=width, height=height, interpolation="AREA")
                for f in container.decode(video=0)
            ]
    np.save(path, np.stack(frames))
    print(f"{len(frames)} frames of {seconds} s -> {path}")


def time_network(frames: np.ndarray, device: str, sizes: list[int], repeat: int) -> None:
    """TransNetV2 (published size, random weights) fed `frames` through ShotPredictor."""
    import torch

    from transforms.shot_model import ShotPredictor, build_network

    device = ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device
    torch.manual_seed(0)
    network = build_network().to(device)
    bgr = np.ascontiguousarray(frames[..., ::-1])  # add() takes BGR, as the decode pass gives

    def run(batch_windows: int) -> tuple[float, float, np.ndarray]:
        predictor = ShotPredictor(network, device, batch_windows)
        wall, cpu = time.perf_counter(), cpu_s()
        for frame in bgr:
            predictor.add(frame)
        single, _ = predictor.finish()
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        return time.perf_counter() - wall, cpu_s() - cpu, single

    name = torch.cuda.get_device_name() if device.startswith("cuda") else f"{os.cpu_count()} cpus"
    print(f"TransNetV2 on {device} ({name}), torch {torch.__version__}, {len(bgr)} frames")
    print(f"  {'batch':>5s} {'frames/s':>9s} {'wall_s/h':>9s} {'cpu_s/h':>8s} {'max |dp|':>9s}")
    run(sizes[0])  # warm-up: kernels chosen, memory allocated
    first = None
    hour = 3600 * 30 / len(bgr)  # scale to an hour of 30 fps video
    for size in sizes:
        runs = [run(size) for _ in range(repeat)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        first = runs[0][2] if first is None else first
        diff = float(np.abs(runs[0][2] - first).max())
        rate = len(bgr) / wall
        print(f"  {size:5d} {rate:9.0f} {wall * hour:9.1f} {cpu * hour:8.1f} {diff:9.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--save-frames", type=Path, metavar="NPY")
    parser.add_argument("--network", type=Path, metavar="NPY")
    parser.add_argument("--batch-windows", default="1,8,32")
    args = parser.parse_args()
    if args.save_frames:
        return save_frames(args.save_frames, args.seconds)
    if args.network:
        sizes = [int(b) for b in args.batch_windows.split(",")]
        return time_network(np.load(args.network), args.device, sizes, args.repeat)

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
