"""The decode/analysis pass alone against PySceneDetect's CLI, paired, on the pipeline bench input.

Renders (or takes with --video) the 120 s 720p30 H.264 input of bench/bench_pipeline.py and
times, in the same run and on the same file, each repeat running both once in turn:
  scenedetect_cli  `scenedetect -i X detect-content list-scenes -n` (a subprocess)
  scene_pass       cliploom's scene split on one video as `SplitScenes` runs it: `analyze_video`
                   with the pipeline's analyzers (frame quality, motion, watermark, objects) and
                   `build_clips` with the quality check, in this process (no Beam, no imports)
and prints medians of wall and CPU time (CPU: this process for the pass, with its decoder and
OpenCV threads; the child for the CLI) and their ratios (issue 12's target: <= 0.8 both).
The machine is shared: the load average is printed, and only ratios within one run compare.

`--dump FILE` writes the pass's boundaries and every clip's scores as JSON, so two versions of
the code can be compared for accuracy (`--compare A B` prints the differences). `--once` runs
only the pass, once (for a profiler: `py-spy record -o p.txt -f raw -- python ... --once`).
`--profile N` runs the pass once under cProfile on each of its threads (main, decode, libav),
timed by each thread's own CPU clock, and prints each thread's N calls of most CPU (C calls
such as OpenCV's and libav's counted apart from the Python around them): where py-spy is not
installed, the pass's hottest calls per thread. Python code reads ~2x its cost under cProfile,
and small functions called often far more: objects' `iou`, 12 us a call under it, costs ~2 us;
check a Python-level saving with timeit or paired runs before trusting its profile.

    PYTHONPATH=. python bench/bench_analysis.py [--seconds 120] [--repeat 5] [--video X]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_s(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def scene_pass(video: Path, config) -> tuple[object, list]:
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video, build_clips

    info = probe_file(str(video), str(video), config.probe)
    factories = (config.frame_quality, config.motion, config.watermark, config.objects)
    analyzers = [f.make_analyzer(info) for f in factories]
    analysis = analyze_video(str(video), info, config.scenes, analyzers)
    check = config.quality.check
    clips = build_clips(info, analysis, config.scenes, config.clips, analyzers, check)
    return analysis, clips


def profiled_pass(video: Path, config, top: int) -> None:
    """`scene_pass` once with a cProfile per thread on the thread's CPU clock; prints each
    thread's CPU seconds and its `top` calls by own CPU time."""
    import cProfile
    import io
    import pstats
    import threading

    profiles: list[tuple[str, cProfile.Profile]] = []
    run = threading.Thread.run

    def profiled_run(thread: threading.Thread) -> None:
        profile = cProfile.Profile(time.thread_time)
        profiles.append((thread.name, profile))
        profile.runcall(run, thread)

    main = cProfile.Profile(time.thread_time)
    profiles.append(("main", main))
    threading.Thread.run = profiled_run
    try:
        main.runcall(scene_pass, video, config)
    finally:
        threading.Thread.run = run
    for name, profile in profiles:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        print(f"== thread {name}: {stats.total_tt:.2f} CPU s (under cProfile)")
        stats.sort_stats("tottime").print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print("\n".join(line for line in lines[start:] if line.strip()))


def digest(parts: list[bytes]) -> str:
    import hashlib

    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:16]


def dump(analysis, clips) -> dict:
    return {
        "frames": len(analysis.frame_times_s),
        "boundaries": [
            [b.kind, round(b.start_s, 4), round(b.end_s, 4)] for b in analysis.boundaries
        ],
        "samples": [len(analysis.samples_jpg), digest(analysis.samples_jpg)],
        "frame_times": digest([repr(t).encode() for t in analysis.frame_times_s]),
        "clips": [
            {
                k: v
                for k, v in s.clip.__dict__.items()
                if k not in ("source", "source_sha256", "clip_id")
            }
            | {"boxes": s.boxes_json}
            for s in clips
        ],
    }


def compare(a_path: str, b_path: str) -> None:
    """Every differing value between two dumps, with the largest numeric difference per field."""
    a, b = json.loads(Path(a_path).read_text()), json.loads(Path(b_path).read_text())
    for key in ("frames", "frame_times", "boundaries", "samples"):
        print(f"{key}: {'same' if a[key] == b[key] else f'DIFFER {a[key]} vs {b[key]}'}")
    if len(a["clips"]) != len(b["clips"]):
        print(f"clips: DIFFER {len(a['clips'])} vs {len(b['clips'])}")
        return
    worst: dict[str, float] = {}
    other: dict[str, int] = {}
    for ca, cb in zip(a["clips"], b["clips"], strict=True):
        for k in sorted(set(ca) | set(cb)):
            va, vb = ca.get(k), cb.get(k)
            if va == vb:
                continue
            if isinstance(va, int | float) and isinstance(vb, int | float):
                worst[k] = max(worst.get(k, 0.0), abs(va - vb))
            else:
                other[k] = other.get(k, 0) + 1
    print(f"clips: {len(a['clips'])}; fields differing numerically (max |diff|): {worst or 'none'}")
    print(f"fields differing otherwise (clips): {other or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--video", help="an existing input instead of the rendered one")
    parser.add_argument("--dump", help="write boundaries and clip scores as JSON here")
    parser.add_argument("--once", action="store_true", help="run the pass once, nothing else")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="run the pass once, print N hottest calls/thread"
    )
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="diff two --dump files")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return

    import configs
    from pipelines.config import PipelineConfig

    config = PipelineConfig.from_dict(configs.load())
    work = Path(tempfile.mkdtemp(prefix="cliploom-bench-analysis-"))
    try:
        if args.video:
            video = Path(args.video)
        else:
            from bench.bench_pipeline import render

            video = work / "long720p.mp4"
            render(video, args.seconds)
        if args.profile:
            profiled_pass(video, config, args.profile)
            return
        if args.once:
            analysis, clips = scene_pass(video, config)
            if args.dump:
                Path(args.dump).write_text(json.dumps(dump(analysis, clips), indent=1))
            return
        scene_pass(video, config)  # warm: imports, codec and OpenCV initialisation
        exe = shutil.which("scenedetect") or str(Path(sys.executable).parent / "scenedetect")
        load_before = os.getloadavg()[0]
        runs: dict[str, list[tuple[float, float]]] = {"scenedetect_cli": [], "scene_pass": []}
        result = None
        for _ in range(args.repeat):
            cpu, start = cpu_s(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run(
                [exe, "-q", "-i", str(video), "detect-content", "list-scenes", "-n"],
                check=True,
                capture_output=True,
                cwd=work,
            )
            wall = time.perf_counter() - start
            runs["scenedetect_cli"].append((wall, cpu_s(resource.RUSAGE_CHILDREN) - cpu))
            cpu, start = cpu_s(resource.RUSAGE_SELF), time.perf_counter()
            result = scene_pass(video, config)
            wall = time.perf_counter() - start
            runs["scene_pass"].append((wall, cpu_s(resource.RUSAGE_SELF) - cpu))
        load_after = os.getloadavg()[0]
        med = {
            name: (statistics.median(w for w, _ in rs), statistics.median(c for _, c in rs))
            for name, rs in runs.items()
        }
        duration = float(
            subprocess.run(
                [sys.executable, "-c", f"import av; print(av.open({str(video)!r}).duration/1e6)"],
                capture_output=True,
                text=True,
            ).stdout
            or "nan"
        )
        print(f"video: {video.name}, {duration:.1f} s; median of {args.repeat} paired runs")
        print(f"  {'':16s} {'wall_s':>7s} {'cpu_s':>7s} {'x realtime':>10s}")
        for name, (wall, cpu) in med.items():
            rt = duration / wall if math.isfinite(duration) else float("nan")
            print(f"  {name:16s} {wall:7.2f} {cpu:7.2f} {rt:10.1f}")
        pairs = [
            (p[0] / s[0], p[1] / s[1])
            for p, s in zip(runs["scene_pass"], runs["scenedetect_cli"], strict=True)
        ]
        (sd_wall, sd_cpu), (wall, cpu) = med["scenedetect_cli"], med["scene_pass"]
        print(
            f"scene_pass / scenedetect_cli: wall {wall / sd_wall:.2f}, CPU {cpu / sd_cpu:.2f} "
            "(target <= 0.8 both)"
        )
        print("  per pair (wall, CPU): " + ", ".join(f"({w:.2f}, {c:.2f})" for w, c in pairs))
        cores = os.cpu_count() or 1
        busy = max(load_before, load_after) > cores / 2
        state = "BUSY: compare ratios within this run only" if busy else "idle"
        load = f"load average {load_before:.1f} -> {load_after:.1f}"
        print(f"machine: {cores} cores, {load} ({state})")
        if args.dump and result is not None:
            Path(args.dump).write_text(json.dumps(dump(*result), indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
