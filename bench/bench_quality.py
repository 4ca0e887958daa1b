"""Cost of the quality scoring pass against a bare decode, and of OCR and aesthetics per clip.

    PYTHONPATH=. python bench/bench_quality.py [--work DIR] [--seconds 60] [--repeat 2]

Renders a 720p30 H.264 video with hard cuts (ffmpeg lavfi sources), then times, single process:
- bare: PyAV decode with the decode pass's settings (reference frames only on H.264, same
  threads) and each frame converted to BGR at analysis resolution; nothing else;
- backbone: `analyze_video` with no analyzers (scene detection + JPEG samples);
- scoring: `analyze_video` with brightness/blur and motion analyzers (DIS, then Farneback);
and prints each as a ratio to bare (target for scoring: <= 2x). Then flow accuracy on a known
camera pan for both flow methods, and seconds per clip of OCR (detection only, and with
recognition) and of aesthetics (open_clip with random weights: the cost, not the score).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import tempfile
import time
from pathlib import Path

import configs
from pipelines.config import PipelineConfig
from transforms.media import ffmpeg_exe, file_url
from transforms.probe import probe_file
from transforms.scenes import analysis_size, analyze_video, build_clips


def render(path: Path, seconds: int) -> Path:
    import subprocess

    if path.exists():
        return path
    part = max(2, seconds // 4)
    sources = [
        f"testsrc2=s=1280x720:r=30:d={part}",
        f"mandelbrot=s=1280x720:r=30,trim=duration={part}",
        f"cellauto=s=1280x720:r=30:rule=110,trim=duration={part}",
        f"testsrc2=s=1280x720:r=30:d={seconds - 3 * part},hue=h=90,vflip",
    ]
    args = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y"]
    for s in sources:
        args += ["-f", "lavfi", "-i", s]
    concat = "".join(f"[{i}:v]" for i in range(4)) + "concat=n=4:v=1:a=0,format=yuv420p[v]"
    args += ["-filter_complex", concat, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast"]
    subprocess.run([*args, str(path)], check=True)
    return path


def bare_decode(path: str, info, config) -> int:
    import av

    with av.open(file_url(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if info.codec in config.skip_nonref_codecs:
            stream.codec_context.skip_frame = "NONREF"
        w, h = analysis_size(info.width, info.height, config.analysis_short_side)
        frames = 0
        for frame in container.decode(stream):
            frame.reformat(width=w, height=h, format="bgr24").to_ndarray()
            frames += 1
    return frames


def best_of(repeat: int, fn) -> float:
    """Best wall seconds of `repeat` runs."""
    return min(timed(fn)[0] for _ in range(repeat))


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, all threads) of one run of `fn`."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def flow_accuracy(work: Path, config: PipelineConfig, method: str) -> tuple[float, float]:
    """(measured/true camera pan, ms per flow pair) on a 60 px/s pan over a still texture."""
    import subprocess

    texture, pan = work / "texture.png", work / "pan.mp4"
    if not pan.exists():
        base = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y"]
        src = "mandelbrot=s=1280x720:start_scale=0.5:end_scale=0.5"
        subprocess.run(
            [*base, "-f", "lavfi", "-i", src, "-frames:v", "1", str(texture)], check=True
        )
        crop = "crop=640:360:x='200+t*60':y=180"
        subprocess.run([*base, "-loop", "1", "-i", str(texture), "-vf", crop, "-t", "6",
                        "-r", "30", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(pan)],
                       check=True)  # fmt: skip
    info = probe_file(str(pan), str(pan), config.probe)
    motion = dataclasses.replace(config.motion, method=method).make_analyzer(info)
    analyze_video(str(pan), info, config.scenes, [motion])
    scores = motion.clip_scores(0, info.duration_s)
    truth = 60 * 256 / 360 * config.motion.step_s  # px at short side 256 per step
    import numpy as np

    from transforms.motion import FlowEngine

    rng = np.random.default_rng(0)
    a = rng.integers(0, 255, (128, 228), np.uint8)
    b = np.roll(a, 2, axis=1)
    engine = FlowEngine(method)
    engine(a, b)
    ms = best_of(3, lambda: [engine(a, b) for _ in range(50)]) / 50 * 1000
    return -scores["camera_pan_px"] / truth, ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "cliploom-bench"))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--clips", type=int, default=10, help="clips for OCR/aesthetics")
    parser.add_argument("--no-aesthetics", action="store_true")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    config = PipelineConfig.from_dict(configs.load())
    video = str(render(work / f"bench_{args.seconds}s_720p.mp4", args.seconds))
    info = probe_file(video, video, config.probe)
    frames = bare_decode(video, info, config.scenes)
    print(f"video: {video} {info.width}x{info.height} {info.fps:.0f} fps {info.duration_s:.1f}s "
          f"{info.codec}; {frames} frames decoded (reference frames only)")  # fmt: skip

    def analyzers(method):
        motion = dataclasses.replace(config.motion, method=method)
        return [config.frame_quality.make_analyzer(info), motion.make_analyzer(info)]

    # Interleaved repeats, so that load from other processes hits every pass alike; the CPU
    # seconds of this process are the cost measure least disturbed by such load.
    passes = {
        "bare PyAV decode at analysis resolution": lambda: bare_decode(video, info, config.scenes),
        "backbone pass (scenes + JPEG samples)": lambda: analyze_video(video, info, config.scenes),
    }
    for method in ("dis", "farneback"):
        passes[f"scoring pass (backbone + brightness + blur + motion[{method}])"] = (
            lambda m=method: analyze_video(video, info, config.scenes, analyzers(m))
        )
    runs: dict = {name: [] for name in passes}
    for _ in range(args.repeat):
        for name, fn in passes.items():
            runs[name].append(timed(fn))
    best = {name: (min(r[0] for r in rs), min(r[1] for r in rs)) for name, rs in runs.items()}
    bare_wall, bare_cpu = next(iter(best.values()))
    print(f"\n{'pass':66s} {'wall s':>7s} {'x bare':>6s} {'cpu s':>7s} {'x bare':>6s}")
    for name, (wall, cpu) in best.items():
        print(f"{name:66s} {wall:7.2f} {wall / bare_wall:6.2f} {cpu:7.2f} {cpu / bare_cpu:6.2f}")

    print("\nflow on a known 60 px/s pan (640x360): measured/true camera pan, ms per pair")
    for method in ("dis", "farneback"):
        ratio, ms = flow_accuracy(work, config, method)
        print(f"  {method:10s} pan ratio {ratio:5.2f}   {ms:5.2f} ms/pair at 228x128")

    our = analyzers(config.motion.method)
    analysis = analyze_video(video, info, config.scenes, our)
    clips = build_clips(info, analysis, config.scenes, config.clips, our)[: args.clips]
    print(f"\nper clip, over {len(clips)} clips of the bench video "
          f"(frames: {config.ocr.frames} OCR, {config.aesthetics.frames} aesthetics)")  # fmt: skip
    from transforms.score import AestheticScorer, OcrScorer, make_aesthetic_head

    for recognize in (False, True):
        ocr = OcrScorer(dataclasses.replace(config.ocr, recognize_text=recognize))
        ocr.score(clips[0])
        wall, cpu = timed(lambda o=ocr: [o.score(c) for c in clips])
        label = "detection + recognition" if recognize else "detection only (default)"
        print(f"  OCR {label:36s} {wall / len(clips):6.3f} s/clip wall, "
              f"{cpu / len(clips):6.3f} cpu (threads={config.ocr.threads})")  # fmt: skip
    if args.no_aesthetics:
        return
    import open_clip
    import torch

    for name in ("ViT-B-32", config.aesthetics.model):
        model, _, preprocess = open_clip.create_model_and_transforms(name, pretrained=None)
        head = make_aesthetic_head(model.visual.output_dim)
        scorer = AestheticScorer(model, preprocess, head, name, config.aesthetics.frames)
        scorer.score(clips[0])
        wall, cpu = timed(lambda s=scorer: [s.score(c) for c in clips])
        print(f"  aesthetics {name:8s} (random weights)             {wall / len(clips):6.3f} "
              f"s/clip wall, {cpu / len(clips):6.3f} cpu (torch threads="
              f"{torch.get_num_threads()})")  # fmt: skip
        assert math.isfinite(scorer.score(clips[0])["aesthetic"])


if __name__ == "__main__":
    main()
