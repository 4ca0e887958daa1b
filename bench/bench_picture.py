"""Scores of the picture a clip shows: black bars and interlacing against their clean source.

Renders (with the bundled ffmpeg, from shared/testdata/real) pairs of the same footage, one
clean and one with what the decode pass must see through, runs the pass as the pipeline does
(frame quality, motion, watermark, objects, borders) and prints each clip's scores side by side:
  pillar     chaplin.mp4 (4:3 in 640x360)          against its picture cut out (496x360)
  pillar480  bikes.mp4 narrowed to 480x272, padded to 640x272, against it narrowed alone
  letterbox  bikes.mp4 (640x272) padded to 640x360 against bikes.mp4
  scope720p  cockatoo.mp4 cut to 2.39:1 and padded to 1280x720 against the 2.39:1 picture
  25i        bikes.mp4 at twice its speed woven into 25i against its 25p copy (per shot)
Scores are compared over the same spans (a letterbox can move a boundary). The whole frame's
blur_var, what the pass scored before it measured inside the bars, is printed beside.
Then the pass's cost on bar-free progressive sources with `borders.enabled` on and off (each
repeat runs both in turn, CPU of this process; the machine is shared, so only the ratio within
one run compares).

    PYTHONPATH=. python bench/bench_picture.py [--repeat 5]

One run (2026-11-27, shared 2-core machine, load ~4), blur_var boxed vs clean (whole frame):
pillar 2570/2595 vs 2601/2630 (2104/2119); pillar480 56/145/153/882/532 vs 56/144/152/890/528
(131/173/181/763/581); letterbox 109/106/726/464 vs 108/106/715/459 (298/329/1603/1165);
scope720p 74 vs 61 (463; per frame within 2 %, the two encodes' reference frames differ and
the median of a clip whose blur swings 21-186 moves); 25i per shot 88/101/579/370 vs
109/98/683/451 (woven, before: 2323/1082/893/837). Borders on / off on bar-free sources: CPU
ratio 1.016, 0.997, 1.008 (0.97-1.04 across repeats: within the noise).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = ROOT.parent / "shared" / "testdata" / "real"
SCORES = ("luma_mean", "blur_var", "edge_sharpness", "motion_mean_px", "motion_top5_px")
X264 = ("-c:v", "libx264", "-crf", "16", "-an")


def render(path: Path, *args: str) -> Path:
    from transforms.media import ffmpeg_exe

    cmd = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", *args, str(path)]
    subprocess.run(cmd, check=True)
    return path


def pairs(work: Path) -> list[tuple[str, Path, Path]]:
    """(name, clean, with bars or interlaced)."""
    bikes, chaplin, cockatoo = (str(REAL / n) for n in ("bikes.mp4", "chaplin.mp4", "cockatoo.mp4"))
    fast = "setpts=PTS/2,fps=50"
    sub = ("-ss", "1", "-t", "3")
    return [
        (
            "pillar",
            render(
                work / "chaplin_pic.mp4", "-i", chaplin, "-vf", "crop=496:360:72:0,setsar=1", *X264
            ),
            REAL / "chaplin.mp4",
        ),
        (
            "pillar480",
            render(work / "narrow.mp4", "-i", bikes, "-vf", "scale=480:272,setsar=1", *X264),
            render(
                work / "pbox.mp4",
                "-i",
                bikes,
                "-vf",
                "scale=480:272,pad=640:272:80:0,setsar=1",
                *X264,
            ),
        ),
        (
            "letterbox",
            REAL / "bikes.mp4",
            render(work / "lbox.mp4", "-i", bikes, "-vf", "pad=640:360:0:44,setsar=1", *X264),
        ),
        (
            "scope720p",
            render(
                work / "scope.mp4", *sub, "-i", cockatoo, "-vf", "crop=1280:536,setsar=1", *X264
            ),
            render(
                work / "scope_lb.mp4",
                *sub,
                "-i",
                cockatoo,
                "-vf",
                "crop=1280:536,pad=1280:720:0:92,setsar=1",
                *X264,
            ),
        ),
        (
            "25i",
            render(work / "p.mp4", "-i", bikes, "-vf", f"{fast},fps=25,format=yuv420p", *X264),
            render(
                work / "i.mp4",
                "-i",
                bikes,
                "-vf",
                f"{fast},tinterlace=interleave_top,fieldorder=tff,format=yuv420p",
                "-flags",
                "+ilme+ildct",
                "-x264-params",
                "tff=1",
                *X264,
            ),
        ),
    ]


def scene_pass(video: Path, config):
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video, build_clips

    info = probe_file(str(video), str(video), config.probe)
    factories = (config.frame_quality, config.motion, config.watermark, config.objects)
    analyzers = [f.make_analyzer(info) for f in (*factories, config.borders)]
    analysis = analyze_video(str(video), info, config.scenes, analyzers)
    clips = build_clips(info, analysis, config.scenes, config.clips, analyzers)
    return analyzers, [s.clip for s in clips]


def show(name: str, clean: Path, other: Path, config) -> None:
    """Each clip of `other` against `clean`'s scores over the same span (scenes may differ)."""
    ref, _ = scene_pass(clean, config)
    analyzers, clips = scene_pass(other, config)
    print(f"\n{name}: {other.name} against {clean.name}, over the same spans")
    if name == "25i":  # the shots of bikes.mp4 at twice its speed
        import json

        cuts = json.loads((REAL / "truth.json").read_text())["bikes.mp4"]["cuts_s"]
        bounds = [0.0] + [t / 2 for t in cuts]
        spans = [(a + 0.1, b - 0.1, None) for a, b in itertools.pairwise(bounds)][1:]
    else:
        spans = [(c.start_s, c.end_s, c) for c in clips if c.end_s - c.start_s >= 1.0]
    for start, end, clip in spans:
        want = {**ref[0].clip_scores(start, end), **ref[1].clip_scores(start, end)}
        got = {**analyzers[0].clip_scores(start, end), **analyzers[1].clip_scores(start, end)}
        whole = got["blur_var"]
        if clip is not None:
            got = {k: getattr(clip, k) for k in SCORES}
        row = "  ".join(
            f"{k} {got[k]:.4g} vs {want[k]:.4g}"
            for k in SCORES
            if got.get(k) is not None and want.get(k) is not None
        )
        crop = f"crop {clip.crop_box}" if clip is not None else ""
        print(f"  {start:.2f}-{end:.2f}s {crop}  {row}  (whole-frame blur_var {whole:.4g})")


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timing(config, repeat: int) -> None:
    off = dataclasses.replace(config, borders=dataclasses.replace(config.borders, enabled=False))
    print("\nbar-free progressive sources, the pass's CPU s, borders on / off (paired):")
    for name in ("cockatoo.mp4", "bikes.mp4", "big_buck_bunny_0_30.webm"):
        video = REAL / name
        scene_pass(video, config)  # warm
        on_s, off_s = [], []
        for _ in range(repeat):
            for cfg, out in ((config, on_s), (off, off_s)):
                before = cpu_s()
                scene_pass(video, cfg)
                out.append(cpu_s() - before)
        ratios = [a / b for a, b in zip(on_s, off_s, strict=True)]
        print(
            f"  {name}: on {statistics.median(on_s):.3f}  off {statistics.median(off_s):.3f}"
            f"  ratio {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import configs
    from pipelines.config import PipelineConfig

    config = PipelineConfig.from_dict(configs.load())
    with tempfile.TemporaryDirectory(prefix="cliploom-bench-picture-") as work:
        for name, clean, other in pairs(Path(work)):
            show(name, clean, other, config)
    timing(config, args.repeat)


if __name__ == "__main__":
    main()
