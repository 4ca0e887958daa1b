"""Long videos: peak memory and time of one worker for a 1-minute and a 10-minute 1080p video.

    python bench/bench_long_video.py                      # 1080p30, 1 and 10 minutes
    python bench/bench_long_video.py --height 720 --minutes 1 4 --videos /tmp/long

Memory must stay flat in video length: a worker decodes a video (or a `scenes.segment_s` segment
of it) frame by frame, keeps samples per clip, and the write stage spills media to its disk, so
ten times the footage should cost about ten times the CPU and the same peak memory.

The inputs are H.264 (x264 `ultrafast` with 2 B-frames, as most sources have), generated with the
imageio-ffmpeg binary from the real footage in ../shared/testdata/real plus lavfi sources
(testsrc2, mandelbrot), scaled and cropped to the output size, shot by shot with hard cuts: each
shot takes a different source, start, crop, mirror and hue, so its clips are not near-duplicates
of each other and the 10-minute video keeps about ten times the clips of the 1-minute one.
Videos are cached in --videos (generation takes a few minutes on 2 cores).

Each run is `cliploom run VIDEO --out OUT` with the default config (captions off: its backend is
`none`), DirectRunner in memory, in a subprocess: the worker and the launcher are that one
process. "peak RSS" is `wait4`'s: the largest of that process and its children (ffmpeg for the
encode); "with children" sums them, polled every 0.5 s with psutil; CPU seconds are user +
system of the run and its children. The table prints the 10-minute / 1-minute ratio of each.
On 2 shared cores the 1080p pair takes ~20 minutes (`--height 720` for a quicker check).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "testdata" / "real"
PYTHON = sys.executable
FPS = 30
# (name, ffmpeg input args, seconds of source): real footage looped, lavfi sources
SOURCES = [
    ("cockatoo", ["-stream_loop", "-1", "-i", str(REAL / "cockatoo.mp4")], 14.0),
    ("bunny", ["-stream_loop", "-1", "-i", str(REAL / "big_buck_bunny_0_30.webm")], 30.0),
    ("bikes", ["-stream_loop", "-1", "-i", str(REAL / "bikes.mp4")], 10.0),
    ("plane", ["-stream_loop", "-1", "-i", str(REAL / "video_with_failing_audio.mp4")], 11.2),
    ("testsrc2", ["-f", "lavfi", "-i", "testsrc2=size=960x540:rate=30"], 0.0),
    ("chaplin", ["-stream_loop", "-1", "-i", str(REAL / "chaplin.mp4")], 9.6),
    ("mandelbrot", ["-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=30"], 0.0),
    ("bigbuckbunny", ["-stream_loop", "-1", "-i", str(REAL / "bigbuckbunny.mp4")], 5.3),
]
SHOT_S = (4.0, 7.0, 5.0, 9.0, 6.0, 3.0, 8.0)  # cycled: shots of 3-9 s, hard cuts between


def ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def shots(total_s: float) -> list[tuple[int, float]]:
    """(shot index, seconds) adding up to exactly `total_s`."""
    out, t, i = [], 0.0, 0
    while t < total_s - 1e-6:
        length = min(SHOT_S[i % len(SHOT_S)], total_s - t)
        out.append((i, length))
        t += length
        i += 1
    return out


def shot_filter(i: int, width: int, height: int) -> str:
    """Scale to cover the frame with a per-shot zoom, crop at a per-shot offset, mirror every
    other cycle, shift hue: the shot's own look."""
    zoom = 1.0 + 0.15 * (i % 4)
    w, h = int(width * zoom) // 2 * 2, int(height * zoom) // 2 * 2
    fx, fy = (i * 37 % 100) / 100, (i * 61 % 100) / 100
    parts = [
        f"fps={FPS}",
        f"scale={w}:{h}:force_original_aspect_ratio=increase",
        f"crop={width}:{height}:(iw-{width})*{fx:.2f}:(ih-{height})*{fy:.2f}",
        f"hue=h={(i * 47) % 360}",
        "format=yuv420p",
        "setsar=1",
    ]
    if (i // len(SOURCES)) % 2:
        parts.insert(3, "hflip")
    return ",".join(parts)


def make_video(path: Path, total_s: float, height: int) -> Path:
    """An H.264 video of `total_s` seconds at `height`p30, shot by shot, cut together."""
    if path.exists():
        return path
    width = height * 16 // 9 // 2 * 2
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        listing = []
        for i, length in shots(total_s):
            _, source, loop_s = SOURCES[i % len(SOURCES)]
            # a lavfi source starts at 0 (seeking one renders every frame before the start)
            start = 0.0 if source[1] == "lavfi" else (i * 2.3) % max(loop_s - 1.0, 1.0)
            shot = Path(tmp) / f"shot-{i:04d}.mp4"
            subprocess.run(
                # -ss after -i: decoded from the start (cockatoo.mp4 seeks to broken frames)
                [
                    *(ffmpeg(), "-v", "error", "-y", *source, "-ss", f"{start:.2f}"),
                    *("-t", f"{length}", "-vf", shot_filter(i, width, height), "-an"),
                    *("-c:v", "libx264", "-preset", "ultrafast", "-x264-params", "bframes=2"),
                    *("-crf", "23", "-g", "150", "-r", str(FPS)),
                    *("-video_track_timescale", "15360", str(shot)),
                ],
                check=True,
            )
            listing.append(f"file '{shot}'")
        (Path(tmp) / "list.txt").write_text("\n".join(listing) + "\n")
        partial = path.with_suffix(".part.mp4")
        subprocess.run(
            [
                *(ffmpeg(), "-v", "error", "-y", "-f", "concat", "-safe", "0"),
                *("-i", str(Path(tmp) / "list.txt"), "-c", "copy", "-movflags", "+faststart"),
                str(partial),
            ],
            check=True,
        )
        partial.rename(path)
    return path


def _poll_rss(pid: int, samples: list, done: threading.Event) -> None:
    """(seconds, MB) of the process and its children together, every half second."""
    import psutil

    start = time.monotonic()
    try:
        proc = psutil.Process(pid)
        while not done.is_set():
            rss = proc.memory_info().rss
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # a child that has just exited
                    rss += child.memory_info().rss
            samples.append((time.monotonic() - start, rss / 2**20))
            done.wait(0.5)
    except psutil.Error:  # the process has exited
        pass


def run_worker(video: Path, out: Path, extra: list[str]) -> dict:
    """`cliploom run` on one video in a subprocess: its wall, CPU and peak RSS (wait4), and
    the RSS of it and its children over time (`timeline`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [PYTHON, "-m", "pipelines", "run", str(video), "--out", str(out), "--quiet", *extra]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
        timeline, done = [], threading.Event()
        poller = threading.Thread(target=_poll_rss, args=(proc.pid, timeline, done), daemon=True)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage (and its children's)
        wall = time.monotonic() - start
        done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        out_text, err_text = stdout.read().decode(), stderr.read().decode()
    if proc.returncode:
        raise SystemExit(f"run failed ({proc.returncode}):\n{err_text[-3000:]}")
    stats = json.loads((out / "stats.json").read_text())
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "tree_peak_mb": max((mb for _, mb in timeline), default=0.0),
        "timeline": timeline,
        "candidates": stats["clips"]["candidates"],
        "kept": stats["clips"]["kept"],
        "summary": out_text.strip().splitlines()[0] if out_text.strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--minutes", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--videos", default=str(Path(tempfile.gettempdir()) / "cliploom-long"))
    parser.add_argument("--set", action="append", default=[], help="config override KEY=VALUE")
    args = parser.parse_args()
    videos = Path(args.videos)
    videos.mkdir(parents=True, exist_ok=True)
    extra = [a for kv in args.set for a in ("--set", kv)]
    rows = []
    for minutes in args.minutes:
        video = videos / f"long-{args.height}p-{minutes:g}min.mp4"
        start = time.monotonic()
        make_video(video, minutes * 60, args.height)
        print(
            f"{video.name}: {video.stat().st_size / 1e6:.0f} MB, generated/cached in "
            f"{time.monotonic() - start:.0f} s",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as tmp:
            result = run_worker(video, Path(tmp) / "out", extra)
        rows.append((minutes, result))
        print(f"  {result['summary']}", flush=True)
        step = max(1, len(result["timeline"]) // 12)
        print(
            "  RSS of the run and its children (s: MB): "
            + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in result["timeline"][::step]),
            flush=True,
        )
    print(
        f"\none worker (DirectRunner in memory, default config, captions off), "
        f"{args.height}p{FPS} H.264"
    )
    print(
        "| video | wall s | CPU s | peak RSS MB | peak RSS with children MB | candidate clips "
        "| kept |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for minutes, r in rows:
        print(
            f"| {minutes:g} min | {r['wall_s']:.0f} | {r['cpu_s']:.0f} | {r['peak_mb']:.0f} "
            f"| {r['tree_peak_mb']:.0f} | {r['candidates']} | {r['kept']} |"
        )
    if len(rows) >= 2:
        (m0, a), (m1, b) = rows[0], rows[-1]
        ratios = [
            b[k] / max(a[k], 1e-9)
            for k in ("wall_s", "cpu_s", "peak_mb", "tree_peak_mb", "candidates", "kept")
        ]
        print(f"| ratio {m1:g}/{m0:g} | " + " | ".join(f"{r:.2f}" for r in ratios) + " |")


if __name__ == "__main__":
    main()
