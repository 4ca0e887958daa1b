"""Whole-pipeline throughput against the bare cost of decoding, and against PySceneDetect's CLI.

Renders a long 720p30 H.264 video with known hard cuts between noise-like and smooth sources,
then times, in the same run and on the same file:
  ffmpeg_decode     `ffmpeg -i X -f null -` (the decode floor, all cores)
  pyav_decode       PyAV decode + resize to analysis resolution (one thread per frame pipeline)
  scenedetect_cli   `scenedetect -i X detect-content list-scenes -n` (detection, no files)
  scene_pass        cliploom's decode pass alone (scenes, brightness, blur, motion, samples)
  cliploom          `cliploom run X` end to end with the default config (captions off): probe,
                    scenes with quality and motion, OCR, dedup, encode (long side <= 1080),
                    shards, manifest, report; 2 worker processes
  cliploom_640      the same with `--set encode.max_long_side=640`
and prints each as a ratio, plus cut precision/recall of the scene pass at +-0.5 s.
`--analysis-only` times only scene_pass against scenedetect_cli, in interleaved pairs, wall
and CPU (target: scene_pass <= 0.8x).

    python bench/bench_pipeline.py [--seconds 120] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Real footage (bundled samples, single shots, letterboxed to 720p) between synthetic sources,
# two of them noise-like cellular automata whose cut is the hard one for a content detector.
# Spans are no longer than each sample's first shot, so the cut times below are exact.
SPANS = [
    ("samples/bigbuckbunny.mp4", 5),
    ("testsrc2", 11),
    ("mandelbrot", 9),
    ("cellauto=rule=110", 6),
    ("life=mold=10:ratio=0.5", 8),
    ("samples/carphone_pristine.mp4", 4),
    ("gradients=speed=0.05", 13),
    ("smptehdbars", 4),
]
FIT_720P = "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:-1:-1,fps=30"


def render(path: Path, seconds: int) -> list[float]:
    """A 1280x720 30 fps H.264 video cutting between sources every few seconds; the cut times."""
    from transforms.media import ffmpeg_exe

    spans, total, i = [], 0, 0
    while total < seconds:
        src, n = SPANS[i % len(SPANS)]
        n = min(n, seconds - total)
        spans.append((src, n))
        total, i = total + n, i + 1
    args = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y"]
    for src, n in spans:
        if src.startswith("samples/"):
            args += ["-t", str(n), "-i", str(ROOT / src)]
        else:
            sep = ":" if "=" in src else "="
            args += ["-f", "lavfi", "-t", str(n), "-i", f"{src}{sep}size=1280x720:rate=30"]
    filt = "".join(f"[{i}:v]{FIT_720P},format=yuv420p,setsar=1[v{i}];" for i in range(len(spans)))
    filt += "".join(f"[v{i}]" for i in range(len(spans))) + f"concat=n={len(spans)}:v=1[out]"
    # A web-like bit rate (~4 Mb/s at 720p): unconstrained, the noise sources would make a
    # 12 Mb/s file that no real upload has.
    args += [
        "-filter_complex",
        filt,
        "-map",
        "[out]",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "23",
        "-maxrate",
        "4M",
        "-bufsize",
        "8M",
        "-g",
        "250",
        str(path),
    ]
    subprocess.run(args, check=True)
    return [float(sum(n for _, n in spans[: k + 1])) for k in range(len(spans) - 1)]


def timed(fn, repeat: int, cpu: dict | None = None, name: str = "") -> float:
    """Median wall seconds of `repeat` runs; median CPU seconds (this process's threads and
    finished children) into `cpu[name]`."""
    runs, cpus = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), _cpu_s()
        fn()
        runs.append(time.perf_counter() - start)
        cpus.append(_cpu_s() - start_cpu)
    if cpu is not None:
        cpu[name] = statistics.median(cpus)
    return statistics.median(runs)


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="DirectRunner worker processes")
    parser.add_argument(
        "--analysis-only",
        action="store_true",
        help="only the decode/analysis pass against PySceneDetect's CLI (no cliploom runs)",
    )
    args = parser.parse_args()
    runner = [f"--direct_num_workers={args.workers}"]
    if args.workers > 1:
        runner.append("--direct_running_mode=multi_processing")

    import av

    import configs
    from pipelines.config import PipelineConfig
    from transforms.media import ffmpeg_exe
    from transforms.probe import probe_file
    from transforms.scenes import analysis_size, analyze_video, score_cuts

    config = PipelineConfig.from_dict(configs.load())
    work = Path(tempfile.mkdtemp(prefix="cliploom-bench-"))
    video = work / "long720p.mp4"
    cuts = render(video, args.seconds)
    info = probe_file(str(video), str(video), config.probe)
    width, height = analysis_size(info.width, info.height, config.scenes.analysis_short_side)

    def ffmpeg_decode():
        subprocess.run(
            [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-i", str(video), "-f", "null", "-"],
            check=True,
        )

    def pyav_decode():
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                frame.reformat(width=width, height=height, format="bgr24").to_ndarray()

    def scenedetect_cli():
        exe = shutil.which("scenedetect") or str(Path(sys.executable).parent / "scenedetect")
        subprocess.run(
            [exe, "-i", str(video), "detect-content", "list-scenes", "-n"],
            check=True,
            capture_output=True,
        )

    found: list[float] = []

    def scene_pass():
        analyzers = [config.frame_quality.make_analyzer(info), config.motion.make_analyzer(info)]
        analysis = analyze_video(str(video), info, config.scenes, analyzers)
        found[:] = analysis.cut_times_s

    def cliploom_run(*sets: str):
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        exe = str(Path(sys.executable).parent / "cliploom")
        overrides = [arg for s in sets for arg in ("--set", s)]
        done = subprocess.run(
            [exe, "run", str(video), "--out", str(out), *runner, *overrides],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(f"cliploom failed ({done.returncode}):\n{done.stderr[-3000:]}")

    steps = [
        ("ffmpeg_decode", ffmpeg_decode),
        ("pyav_decode", pyav_decode),
        ("scenedetect_cli", scenedetect_cli),
        ("scene_pass", scene_pass),
    ]
    if args.analysis_only:
        # Interleaved pairs, so that a busy machine slows both sides alike.
        pairs = {"scenedetect_cli": [], "scene_pass": []}
        cpu_pairs = {"scenedetect_cli": [], "scene_pass": []}
        for _ in range(args.repeat):
            for name, fn in [("scenedetect_cli", scenedetect_cli), ("scene_pass", scene_pass)]:
                cpu: dict = {}
                pairs[name].append(timed(fn, 1, cpu, name))
                cpu_pairs[name].append(cpu[name])
        ratios = [a / b for a, b in zip(pairs["scene_pass"], pairs["scenedetect_cli"], strict=True)]
        cpu_ratios = [
            a / b
            for a, b in zip(cpu_pairs["scene_pass"], cpu_pairs["scenedetect_cli"], strict=True)
        ]
        precision, recall = score_cuts(found, cuts, tolerance_s=0.5)
        print(f"video: {args.seconds}s 1280x720 30fps H.264, {len(cuts)} cuts; {args.repeat} pairs")
        for name in pairs:
            print(
                f"  {name:16s} wall {statistics.median(pairs[name]):6.2f}s  "
                f"cpu {statistics.median(cpu_pairs[name]):6.2f}s"
            )
        print(
            f"  scene_pass / scenedetect_cli  wall {statistics.median(ratios):.2f} "
            f"(pairs {[round(r, 2) for r in ratios]})  cpu {statistics.median(cpu_ratios):.2f}"
            "  (target <= 0.8)"
        )
        print(f"cuts: precision {precision:.2f} recall {recall:.2f} at +-0.5s")
        shutil.rmtree(work, ignore_errors=True)
        return
    steps += [
        ("cliploom", cliploom_run),
        ("cliploom_640", lambda: cliploom_run("encode.max_long_side=640")),
    ]
    times = {name: timed(fn, args.repeat) for name, fn in steps}
    precision, recall = score_cuts(found, cuts, tolerance_s=0.5)
    print(
        f"video: {args.seconds}s 1280x720 30fps H.264, {len(cuts)} cuts; "
        f"median of {args.repeat} runs each"
    )
    for name, seconds in times.items():
        print(f"  {name:16s} {seconds:7.2f}s  {args.seconds / seconds:5.1f}x realtime")
    print("ratios:")
    print(
        f"  cliploom / scenedetect_cli   {times['cliploom'] / times['scenedetect_cli']:.2f}"
        "  (target <= 2.0; the whole pipeline including encoding the kept clips)"
    )
    print(f"  scene_pass / scenedetect_cli {times['scene_pass'] / times['scenedetect_cli']:.2f}")
    print(f"  scene_pass / pyav_decode     {times['scene_pass'] / times['pyav_decode']:.2f}")
    print(f"  scene_pass / ffmpeg_decode   {times['scene_pass'] / times['ffmpeg_decode']:.2f}")
    print(
        f"  cliploom_640 / scenedetect_cli {times['cliploom_640'] / times['scenedetect_cli']:.2f}"
        "  (the same with clips encoded at long side 640)"
    )
    print(f"  cliploom / ffmpeg_decode     {times['cliploom'] / times['ffmpeg_decode']:.2f}")
    print(
        f"cuts: precision {precision:.2f} recall {recall:.2f} at +-0.5s "
        f"(true {cuts}, found {[round(t, 2) for t in found]})"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
