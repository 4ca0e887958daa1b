"""Whole-pipeline throughput against PySceneDetect's CLI and the bare cost of decoding (issue 12).

Renders a long 720p30 H.264 video with known hard cuts between noise-like and smooth sources
(x264 `-g 250` with its scene-cut keyframes), and a long-GOP copy of it (a keyframe every 250
frames and none at the cuts: every clip needs a re-encoded head), then times, in the same run:
  ffmpeg_decode     `ffmpeg -i X -f null -` (the decode floor, all cores)
  pyav_decode       PyAV decode + resize to analysis resolution (one thread per frame pipeline)
  scenedetect_cli   `scenedetect -i X detect-content list-scenes -n` (what a user compares with)
  scene_pass        cliploom's decode pass alone (scenes with the pipeline's analyzers: quality,
                    motion, watermark, objects; samples)
  cliploom          `cliploom run X` end to end with the default config (captions off): probe,
                    scenes with quality and motion, OCR, dedup, encode (encode.mode auto),
                    shards, manifest, report.html; the default runner unless --workers is given
  cliploom_reencode the same with `--set encode.mode=reencode` (every clip through x264)
  long_gop          `cliploom run` (default) on the long-GOP copy, against scenedetect_cli on it
  *_tiny            both tools on a 2 s black 720p video: the fixed cost of a run (imports,
                    Beam's graph and runner, the report), printed as a share of the ratio
With `--baseline DIR` (another checkout, e.g. the commit before a change), `cliploom` and
`long_gop` also run from that tree in the same repeats (rows `base_cliploom`, `base_long_gop`):
before and after on the same machine at the same time.
cliploom runs from a tree that has its bytecode (one untimed run of each tree first, with
PYTHONDONTWRITEBYTECODE dropped), as an installed package and PySceneDetect have theirs.
Every repeat runs each command once in turn (paired); the table shows medians of wall time and
of CPU time (this process and its children), ratios to PySceneDetect's CLI on the same file and
CPU core-hours per hour of input. The machine is shared: the load average is printed, and only
ratios within one run compare.

    python bench/bench_pipeline.py [--seconds 120] [--repeat 3] [--workers N] [--baseline DIR]
"""

from __future__ import annotations

import argparse
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
# Real footage (bundled samples, single shots, letterboxed to 720p) between synthetic sources,
# two of them noise-like cellular automata whose cut is the hard one for a content detector.
# Spans are no longer than each sample's first shot, so the cut times below are exact. The
# random sources are seeded and the gradient's colours named (tests/transition_videos.py's), so
# every run renders the same input: `gradients` drew new colours and points each time, and the
# pass's false boundaries in it came and went between runs.
SPANS = [
    ("samples/bigbuckbunny.mp4", 5),
    ("testsrc2", 11),
    ("mandelbrot", 9),
    ("cellauto=rule=110:seed=1", 6),
    ("life=mold=10:ratio=0.5:seed=1", 8),
    ("samples/carphone_pristine.mp4", 4),
    ("gradients=speed=0.05:seed=1:c0=0x2060c0:c1=0xe0a020", 13),
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
        "-threads",  # x264's threads under a rate cap do not give the same bits twice
        "1",
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


def cpu_s() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def paired(fns: list, repeat: int) -> dict[str, tuple[float, float]]:
    """name -> (median wall s, median CPU s), each repeat running every fn once in turn."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in fns}
    for _ in range(repeat):
        for name, fn in fns:
            cpu, start = cpu_s(), time.perf_counter()
            fn()
            runs[name].append((time.perf_counter() - start, cpu_s() - cpu))
    return {
        name: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs))
        for name, rs in runs.items()
    }


def long_gop(src: Path, path: Path) -> None:
    """`src` re-encoded with a keyframe every 250 frames and none at scene cuts."""
    from transforms.media import ffmpeg_exe

    args = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", "-i", str(src), "-c:v"]
    args += ["libx264", "-preset", "veryfast", "-crf", "23", "-maxrate", "4M", "-bufsize", "8M"]
    args += ["-g", "250", "-keyint_min", "250", "-sc_threshold", "0", str(path)]
    subprocess.run(args, check=True)


def tree_env(tree: Path) -> dict[str, str]:
    """The environment of a cliploom run from `tree`: Python may write bytecode there, as an
    installed package has it (PySceneDetect's is in site-packages); with
    PYTHONDONTWRITEBYTECODE set, every run from a source tree compiled its ~60 modules again
    (~0.12 CPU s)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(tree)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=0, help="DirectRunner worker processes (0: the default)"
    )
    parser.add_argument(
        "--baseline", type=Path, help="another checkout: its cliploom runs paired with this one's"
    )
    args = parser.parse_args()
    runner = [f"--direct_num_workers={args.workers}"] if args.workers else []
    if args.workers > 1:
        runner.append("--direct_running_mode=multi_processing")
    load_before = os.getloadavg()[0]

    import av

    import configs
    from pipelines.config import PipelineConfig
    from transforms.media import ffmpeg_exe
    from transforms.probe import probe_file
    from transforms.scenes import analysis_size, analyze_video, score_cuts

    config = PipelineConfig.from_dict(configs.load())
    work = Path(tempfile.mkdtemp(prefix="cliploom-bench-"))
    video, long_video = work / "long720p.mp4", work / "long720p_gop250.mp4"
    cuts = render(video, args.seconds)
    long_gop(video, long_video)
    tiny = work / "black2s.mp4"
    black = ["-f", "lavfi", "-i", "color=c=black:s=1280x720:r=30:d=2"]
    black += ["-c:v", "libx264", "-pix_fmt", "yuv420p"]
    subprocess.run([ffmpeg_exe(), "-nostdin", "-loglevel", "error", *black, str(tiny)], check=True)
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

    def scenedetect_cli(path: Path):
        exe = shutil.which("scenedetect") or str(Path(sys.executable).parent / "scenedetect")
        subprocess.run(
            [exe, "-i", str(path), "-o", str(work / "sd"), "detect-content", "list-scenes", "-n"],
            check=True,
            capture_output=True,
        )

    found: list[float] = []

    def scene_pass():
        # The analyzers of the pipeline's SplitScenes (pipelines/pipeline.py), in one pass.
        factories = (config.frame_quality, config.motion, config.watermark, config.objects)
        analyzers = [factory.make_analyzer(info) for factory in factories]
        analysis = analyze_video(str(video), info, config.scenes, analyzers)
        found[:] = analysis.cut_times_s

    def cliploom_run(path: Path, tree: Path = ROOT, *sets: str):
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        overrides = [arg for s in sets for arg in ("--set", s)]
        command = [sys.executable, "-m", "pipelines", "run", str(path), "--out", str(out)]
        done = subprocess.run(
            [*command, "--quiet", *runner, *overrides],
            capture_output=True,
            text=True,
            cwd=tree,
            env=tree_env(tree),
        )
        if done.returncode != 0:
            sys.exit(f"cliploom ({tree}) failed ({done.returncode}):\n{done.stderr[-3000:]}")

    fns = [
        ("ffmpeg_decode", ffmpeg_decode),
        ("pyav_decode", pyav_decode),
        ("scenedetect_cli", lambda: scenedetect_cli(video)),
        ("scene_pass", scene_pass),
        ("cliploom", lambda: cliploom_run(video)),
        ("cliploom_reencode", lambda: cliploom_run(video, ROOT, "encode.mode=reencode")),
        ("scenedetect_long", lambda: scenedetect_cli(long_video)),
        ("long_gop", lambda: cliploom_run(long_video)),
        ("scenedetect_tiny", lambda: scenedetect_cli(tiny)),
        ("cliploom_tiny", lambda: cliploom_run(tiny)),
    ]
    if args.baseline:
        base = args.baseline.resolve()
        fns += [
            ("base_cliploom", lambda: cliploom_run(video, base)),
            ("base_long_gop", lambda: cliploom_run(long_video, base)),
        ]
    # One run of each tree first: it writes the trees' bytecode (as installing a wheel does),
    # so no timed run compiles cliploom's modules.
    cliploom_run(tiny)
    if args.baseline:
        cliploom_run(tiny, args.baseline.resolve())
    measured = paired(fns, args.repeat)
    times = {name: wall for name, (wall, _) in measured.items()}
    precision, recall = score_cuts(found, cuts, tolerance_s=0.5)
    print(
        f"video: {args.seconds}s 1280x720 30fps H.264 (-g 250 with scene-cut keyframes; long_gop: "
        f"a keyframe every 250 frames only), {len(cuts)} cuts; median of {args.repeat} paired runs"
    )
    print(f"  {'':18s} {'wall_s':>7s} {'cpu_s':>7s} {'x realtime':>10s} {'core-h/h':>8s}")
    for name, (wall, cpu) in measured.items():
        seconds = 2 if name.endswith("_tiny") else args.seconds  # the input's length
        print(f"  {name:18s} {wall:7.2f} {cpu:7.2f} {seconds / wall:10.1f} {cpu / seconds:8.3f}")
    rows = [
        ("cliploom", "scenedetect_cli", "default run; target <= 1.5 both"),
        ("scene_pass", "scenedetect_cli", "analysis pass alone; target <= 0.8"),
        ("cliploom_reencode", "scenedetect_cli", "encode.mode=reencode"),
        ("long_gop", "scenedetect_long", "default run on the long-GOP copy"),
    ]
    if args.baseline:
        rows += [
            ("base_cliploom", "scenedetect_cli", f"default run of {args.baseline}"),
            ("base_long_gop", "scenedetect_long", f"long-GOP run of {args.baseline}"),
        ]
    print(f"{'':20s} {'wall x':>6s} {'CPU x':>6s} {'core-h/h':>8s}   (ratios to scenedetect_cli)")
    for name, against, what in rows:
        (wall, cpu), (sd_wall, sd_cpu) = measured[name], measured[against]
        print(
            f"  {name:18s} {wall / sd_wall:6.2f} {cpu / sd_cpu:6.2f} "
            f"{cpu / args.seconds:8.3f}   {what}"
        )
    print(
        f"  scenedetect_cli CPU core-hours per hour of input: "
        f"{measured['scenedetect_cli'][1] / args.seconds:.3f}; cliploom target <= 0.15"
    )
    fixed, sd_fixed = measured["cliploom_tiny"][1], measured["scenedetect_tiny"][1]
    share = (fixed - sd_fixed) / measured["scenedetect_cli"][1]
    print(
        f"  fixed cost (a 2 s black 720p video): cliploom {fixed:.2f} CPU s, scenedetect "
        f"{sd_fixed:.2f}; the difference is {share:.2f}x of scenedetect_cli's CPU on the input"
    )
    print(f"  scene_pass / pyav_decode     {times['scene_pass'] / times['pyav_decode']:.2f}")
    print(f"  scene_pass / ffmpeg_decode   {times['scene_pass'] / times['ffmpeg_decode']:.2f}")
    print(
        f"cuts: precision {precision:.2f} recall {recall:.2f} at +-0.5s "
        f"(true {cuts}, found {[round(t, 2) for t in found]})"
    )
    load_after = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    state = (
        "BUSY: compare ratios within this run only"
        if max(load_before, load_after) > cores
        else "idle"
    )
    print(f"machine: {cores} cores, load average {load_before:.1f} -> {load_after:.1f} ({state})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
