"""Encode step alone: CPU, quality and accuracy of each `encode.mode`, paired on the same clips.

Sources (rendered here, or from ../shared/testdata):
  bench        the pipeline bench's 720p30 H.264 input (bench_pipeline.render: -g 250 with x264's
               scene-cut keyframes)
  long_gop     the same with a keyframe every 250 frames and none at the cuts
               (bench_pipeline.long_gop: every clip needs a re-encoded head)
  short_gop    the same re-encoded with a keyframe every second
  anamorphic   720x576 at SAR 64:45 (16:9): must be re-encoded at 1024x576
  fire2        real phone footage, rotated 180 and VFR: must be re-encoded upright at real time
The kept clips come from one scene pass per source. Each repeat runs every mode once in turn
on the same clips (paired); the table shows medians: encode CPU (this process and ffmpeg
children) per mode and per second of clip, SSIM of sampled output frames against the source
frame they show (the highest-quality reference there is), start error (first frame - planned
start; negative is early), end error (end of the last frame - planned end) and
out_duration_s - duration_s, in frames; MB: the clips' bytes; spliced: the frames the smart
cuts re-encoded (heads, tails and whole clips with no copyable keyframe, not ffmpeg's).

With `--base-set KEY=VALUE` (encode keys, e.g. `--base-set splice_preset=superfast`), each mode
also runs with those values in the same repeats (rows `MODE/base`): settings before and after a
change, paired, with `cpu_x` the CPU ratio to the base row.

    python bench/bench_encode.py [--seconds 60] [--repeat 3] [--modes auto,smart,copy,reencode]
        [--sources bench,long_gop,short_gop,anamorphic,fire2] [--base-set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import itertools
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = ROOT.parent / "shared" / "testdata"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tests.ssim import ssim  # noqa: E402


def cpu_s() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def make_sources(work: Path, seconds: int) -> dict[str, Path]:
    import subprocess

    from bench_pipeline import long_gop, render

    from transforms.media import ffmpeg_exe

    bench = work / "bench.mp4"
    render(bench, seconds)
    long = work / "long_gop.mp4"
    long_gop(bench, long)
    ff = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y"]
    short = work / "short_gop.mp4"
    subprocess.run(
        [*ff, "-i", str(bench), "-c:v", "libx264", "-preset", "veryfast", "-g", "30", str(short)],
        check=True,
    )
    anamorphic = work / "anamorphic.mp4"
    to_pal = ["-t", "20", "-vf", "scale=720:576,setsar=64/45", "-c:v", "libx264"]
    subprocess.run(
        [*ff, "-i", str(bench), *to_pal, "-preset", "veryfast", str(anamorphic)],
        check=True,
    )
    return {
        "bench": bench,
        "long_gop": long,
        "short_gop": short,
        "anamorphic": anamorphic,
        "fire2": TESTDATA / "real" / "fire2.mp4",
    }


def kept_clips(path: Path, config):
    """Kept clips of one scene pass, with the display and timing fields the probe knows."""
    import av

    from transforms.encode import middle_sample
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video, build_clips

    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    sampled = build_clips(info, analysis, config.scenes, config.clips)
    if not any(s.clip.kept for s in sampled):  # short real footage: one clip inside it
        sampled = sampled[:1]
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        sar = float(stream.sample_aspect_ratio or 1)
        pts = sorted(p.pts for p in container.demux(stream) if p.pts is not None)
    steps = {b - a for a, b in itertools.pairwise(pts)}
    vfr = max(steps) - min(steps) > 1
    clips = []
    for s in sampled:
        clip = dataclasses.replace(
            s.clip,
            status="kept",
            drop_reasons=[],
            sample_aspect_ratio=sar,
            rotation=info.rotation_deg,
            vfr=vfr,
        )
        clips.append((clip, middle_sample(s)))
    return clips


def reference_frames(path: Path, wanted_s: set[float]) -> dict[float, object]:
    """Grey upright source frames shown at each wanted time (the frame at or before it)."""
    import av
    import numpy as np

    from transforms.media import rotate_image, upright_rotation

    targets = sorted(wanted_s)
    found: dict[float, object] = {}
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        start = container.start_time / 1e6 if container.start_time else 0.0
        previous = None
        i = 0
        for frame in container.decode(stream):
            t = float(frame.pts * stream.time_base) - start
            while i < len(targets) and targets[i] < t - 1e-4:
                if previous is not None:
                    found[targets[i]] = previous
                i += 1
            if i >= len(targets):
                break
            gray = frame.to_ndarray(format="gray")
            previous = np.ascontiguousarray(
                rotate_image(gray, upright_rotation(frame.rotation or 0))
            )
        while i < len(targets) and previous is not None:
            found[targets[i]] = previous
            i += 1
    return found


def quality(path: Path, media, every: int) -> tuple[list[float], list[float], list[float], list]:
    """SSIM of every `every`-th frame; start, end and duration errors in frames; per clip."""
    import av
    import cv2

    samples = []  # (clip index, source time, grey frame)
    starts, ends, durations = [], [], []
    for index, m in enumerate(media):
        c = m.clip
        frame_s = 1 / c.out_fps
        starts.append((c.first_frame_s - c.start_s) / frame_s)
        ends.append((c.last_frame_s + frame_s - c.end_s) / frame_s)
        durations.append((c.out_duration_s - c.duration_s) / frame_s)
        with av.open(io.BytesIO(m.mp4)) as container:
            for k, frame in enumerate(container.decode(video=0)):
                if k % every == 0:
                    t = round(c.first_frame_s + k * frame_s, 4)
                    samples.append((index, t, frame.to_ndarray(format="gray")))
    refs = reference_frames(path, {t for _, t, _ in samples})
    scores = []
    for _, t, gray in samples:
        ref = refs.get(t)
        if ref is None:
            continue
        if ref.shape != gray.shape:
            ref = cv2.resize(ref, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_AREA)
        scores.append(ssim(gray, ref))
    return scores, starts, ends, durations


def count_spliced() -> list[int]:
    """Frames that smart cuts hand to x264 from now on (a one-item list, added to)."""
    import threading

    import transforms.smartcut as smartcut

    spliced, lock, reencode = [0], threading.Lock(), smartcut._reencode

    def counted(stream, packets, wanted, *args, **kwargs):
        with lock:
            spliced[0] += len(wanted)
        return reencode(stream, packets, wanted, *args, **kwargs)

    smartcut._reencode = counted
    return spliced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the bench input")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", default="auto,smart,copy,reencode")
    parser.add_argument("--sources", default="bench,long_gop,short_gop,anamorphic,fire2")
    parser.add_argument(
        "--base-set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an encode setting of the base rows, run paired with the config's (repeatable)",
    )
    parser.add_argument("--ssim_every", type=int, default=10, help="SSIM on every n-th frame")
    args = parser.parse_args()

    import configs
    from pipelines.config import PipelineConfig
    from transforms.encode import encode_clips

    config = PipelineConfig.from_dict(configs.load())
    base = configs.load(sets=[f"encode.{kv}" for kv in args.base_set])["encode"]
    base_encode = PipelineConfig.from_dict({**configs.load(), "encode": base}).encode
    modes = args.modes.split(",")
    # (row label, mode, encode config): each mode, then its base run where --base-set is given
    runs_of = [(m, m, dataclasses.replace(config.encode, mode=m)) for m in modes]
    if args.base_set:
        runs_of += [(f"{m}/base", m, dataclasses.replace(base_encode, mode=m)) for m in modes]
        runs_of.sort(key=lambda r: (modes.index(r[1]), r[0]))
    work = Path(tempfile.mkdtemp(prefix="cliploom-bench-encode-"))
    load_before = os.getloadavg()[0]
    sources = {k: v for k, v in make_sources(work, args.seconds).items() if k in args.sources}
    print(f"encode.preset={config.encode.preset} crf={config.encode.crf}, medians of {args.repeat}")
    header = (
        f"{'source':11s} {'mode':9s} {'clips':>5s} {'clip_s':>6s} {'cpu_s':>7s} {'wall_s':>7s} "
        f"{'cpu/clip_s':>10s} {'cpu_x':>5s} {'modes':24s} {'ssim_min':>8s} {'ssim_med':>8s} "
        f"{'start_fr':>13s} {'end_fr':>11s} {'dur_fr':>11s} {'MB':>7s} {'spliced':>7s}"
    )
    spliced = count_spliced()
    print(header)
    for name, path in sources.items():
        items = kept_clips(path, config)
        clip_s = sum(c.duration_s for c, _ in items)
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in runs_of}
        last, frames = {}, {}
        for _ in range(args.repeat):
            for label, _, encode in runs_of:
                cpu, wall, spliced[0] = cpu_s(), time.perf_counter(), 0
                last[label] = encode_clips(items, str(path), encode)
                frames[label] = spliced[0]
                runs[label].append((cpu_s() - cpu, time.perf_counter() - wall))
        for label, mode, _ in runs_of:
            cpu = statistics.median(r[0] for r in runs[label])
            wall = statistics.median(r[1] for r in runs[label])
            # CPU ratio to the base row, median of the repeats' paired ratios
            base_runs = runs.get(f"{mode}/base")
            ratio = (
                statistics.median(a[0] / b[0] for a, b in zip(runs[label], base_runs, strict=True))
                if base_runs
                else 1.0
            )
            media = last[label]
            counts: dict[str, int] = {}
            for m in media:
                counts[m.clip.encode_mode] = counts.get(m.clip.encode_mode, 0) + 1
            scores, starts, ends, durations = quality(path, media, args.ssim_every)
            written = ",".join(f"{k}:{v}" for k, v in sorted(counts.items()))
            print(
                f"{name:11s} {label:9s} {len(media):5d} {clip_s:6.1f} {cpu:7.2f} {wall:7.2f} "
                f"{cpu / clip_s:10.3f} {ratio:5.2f} {written:24s} "
                f"{min(scores):8.4f} {statistics.median(scores):8.4f} "
                f"{min(starts):+6.2f}/{max(starts):+6.2f} {min(ends):+5.2f}/{max(ends):+5.2f} "
                f"{min(durations):+5.2f}/{max(durations):+5.2f} "
                f"{sum(len(m.mp4) for m in media) / 1e6:7.2f} {frames[label]:7d}"
            )
    load_after = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    busy = "BUSY (compare within this run only)" if max(load_before, load_after) > cores else "idle"
    print(f"machine: {cores} cores, load average {load_before:.1f} -> {load_after:.1f}: {busy}")
    import shutil

    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
