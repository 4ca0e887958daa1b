"""Static-overlay (logo, watermark) detection in the decode pass, on real footage with logos
burned in by ffmpeg, the same footage clean, and static shots that must not read as overlays."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import apache_beam as beam
import numpy as np
import pytest
from apache_beam.testing.test_pipeline import TestPipeline as BeamPipeline
from apache_beam.testing.util import assert_that

from pipelines.cli import main
from schemas import Clip
from tests.conftest import TESTDATA, make_video, read_rows
from transforms.probe import probe_file
from transforms.quality import check_clip
from transforms.scenes import analyze_video, build_clips
from transforms.score import DROPPED, AestheticConfig, OcrConfig, ScoreClips
from transforms.watermark import WatermarkClassifierConfig

REAL = TESTDATA / "real"
ROOT = Path(__file__).resolve().parents[1]
ENCODE = ("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-an")
TEXT = "drawtext=text='NEWS 24':fontsize=22:fontcolor=white@0.8:x=w-tw-16:y=14"
BOX = (
    "drawbox=x=14:y=ih-44:w=70:h=30:color=white@0.6:t=2,"
    "drawtext=text='HD':fontsize=18:fontcolor=white:x=30:y=h-38"
)
RING = "hypot(X-28,Y-28)"
LOGO = (  # a translucent white ring, overlaid bottom right
    f"testsrc2=s=56x56:d=1,format=rgba,geq=r='255*gt({RING},20)*lt({RING},26)'"
    f":g='r(X,Y)':b='r(X,Y)':a='200*gt({RING},20)*lt({RING},26)'"
)


@pytest.fixture(scope="module")
def footage(tmp_path_factory):
    """Moving real footage (handheld, a street, a phone pan) and static shots, 640x360."""
    tmp = tmp_path_factory.mktemp("watermark")
    scale = ("-vf", "scale=640:360")
    return {
        # output-side seeking: cockatoo.mp4 decodes grey after a seek
        "cockatoo": make_video(tmp / "cockatoo.mp4", "-i", str(REAL / "cockatoo.mp4"), "-ss",
                               "9", "-t", "3", *scale, *ENCODE),
        "fire": make_video(tmp / "fire.mp4", "-i", str(REAL / "fire2.mp4"), *scale, *ENCODE),
        "bikes": make_video(tmp / "bikes.mp4", "-ss", "1.3", "-t", "1.6", "-i",
                            str(REAL / "bikes.mp4"), *ENCODE),
        # a fixed camera over moving people, and a still CG shot
        "chaplin": make_video(tmp / "chaplin.mp4", "-ss", "1", "-t", "3", "-i",
                              str(REAL / "chaplin.mp4"), *ENCODE),
        "still": make_video(tmp / "still.mp4", "-ss", "15.9", "-t", "3", "-i",
                            str(REAL / "big_buck_bunny_0_30.webm"), *scale, *ENCODE),
    }  # fmt: skip


def with_overlay(src, kind, tmp_path):
    out = tmp_path / f"{src.stem}_{kind}.mp4"
    if kind == "logo":
        graph = "[1]loop=-1:size=1[l];[0][l]overlay=W-w-12:H-h-12:shortest=1"
        return make_video(out, "-i", str(src), "-f", "lavfi", "-i", LOGO,
                          "-filter_complex", graph, *ENCODE)  # fmt: skip
    return make_video(out, "-i", str(src), "-vf", TEXT if kind == "text" else BOX, *ENCODE)


def overlay_scores(path, config) -> dict:
    info = probe_file(str(path), str(path), config.probe)
    analyzer = config.watermark.make_analyzer(info)
    analyze_video(str(path), info, config.scenes, [analyzer])
    return analyzer.clip_scores(0.0, info.duration_s)


@pytest.mark.parametrize(
    "name, kind, corner",
    [
        pytest.param("cockatoo", "text", (0.8, 0.0), id="handheld-text"),
        pytest.param("cockatoo", "logo", (0.85, 0.75), id="handheld-logo"),
        pytest.param("bikes", "box", (0.0, 0.8), id="street-box"),
        pytest.param("fire", "logo", (0.85, 0.75), id="phone-pan-logo"),
    ],
)
def test_burned_in_overlay_is_found_where_it_is(footage, tmp_path, config, name, kind, corner):
    clean = overlay_scores(footage[name], config)
    assert clean["watermark_frac"] == 0.0 and clean["watermark_box"] is None
    scores = overlay_scores(with_overlay(footage[name], kind, tmp_path), config)
    assert 0.005 < scores["watermark_frac"] < 0.05, scores
    x, y, w, h = scores["watermark_box"]
    assert x == pytest.approx(corner[0], abs=0.1) and y == pytest.approx(corner[1], abs=0.1)
    assert w < 0.2 and h < 0.2


@pytest.mark.parametrize("name", ["chaplin", "still"])
def test_static_shot_is_not_a_watermark(footage, tmp_path, config, name):
    """A fixed camera's clean shot, real film or a still CG shot: null, and no `watermark`
    reason; re-encoded once more too (as the overlaid copies are)."""
    assert overlay_scores(footage[name], config)["watermark_frac"] is None
    again = make_video(tmp_path / f"{name}_again.mp4", "-i", str(footage[name]), *ENCODE)
    assert overlay_scores(again, config) == {"watermark_frac": None, "watermark_box": None}


def test_logo_on_a_still_frame_cannot_be_told(footage, tmp_path, config):
    """One frame held for 3 s with a logo: the picture is as frozen as the logo, nothing
    tells them apart, so the score is null (not 0, not a watermark)."""
    held = make_video(tmp_path / "held.mp4", "-i", str(footage["still"]), "-vf",
                      "trim=end_frame=1,fps=25,loop=-1:1,trim=0:3", *ENCODE)  # fmt: skip
    assert overlay_scores(with_overlay(held, "logo", tmp_path), config) == {
        "watermark_frac": None,
        "watermark_box": None,
    }


def flagged_fixed_shot(video, config):
    """The one clip of a fixed-camera single shot, checked static and flagged `watermark`."""
    info = probe_file(str(video), str(video), config.probe)
    analyzers = [f.make_analyzer(info) for f in (config.motion, config.watermark)]
    analysis = analyze_video(str(video), info, config.scenes, analyzers)
    (sampled,) = build_clips(info, analysis, config.scenes, config.clips, analyzers)
    assert sampled.clip.camera_motion == "static"
    assert "watermark" in check_clip(sampled.clip, config.quality), sampled.clip.watermark_frac
    return sampled.clip


@pytest.mark.parametrize(
    "kind, corner",
    [
        pytest.param("logo", (0.87, 0.78), id="ring-bottom-right"),
        pytest.param("text", (0.83, 0.03), id="text-top-right"),
    ],
)
def test_frozen_logo_in_one_fixed_camera_shot_is_found(footage, tmp_path, config, kind, corner):
    """Real film from a fixed camera (chaplin, grain and codec noise on its steady edges) with
    a logo burned in after capture: the logo's pixels stay exactly the same from map to map
    while the film's steady edges do not, so it is found where it is (the shot has no other
    shot to compare with and nothing passes near the logo). The cue is what finds it: with
    `frozen` (and `quiet`) off the score is null, as it was before."""
    video = with_overlay(footage["chaplin"], kind, tmp_path)
    x, y, w, h = flagged_fixed_shot(video, config).watermark_box
    assert x == pytest.approx(corner[0], abs=0.1) and y == pytest.approx(corner[1], abs=0.1)
    assert w < 0.25 and h < 0.25
    off = dataclasses.replace(config.watermark, frozen=False, quiet=False)
    assert overlay_scores(video, dataclasses.replace(config, watermark=off)) == {
        "watermark_frac": None,
        "watermark_box": None,
    }


def lossy(src, graph, tmp_path, name, bitrate):
    """`graph` burned into `src`, then encoded at a realistic bitrate (not the default CRF)."""
    # One x264 thread: rate-capped encodes with frame threads differ run to run (flags near a
    # threshold flipped).
    rate = ("-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, "-threads", "1")
    return make_video(tmp_path / f"{name}.mp4", "-i", str(src), "-vf", graph, *ENCODE, *rate)


BUG = "drawtext=text='CH 7':fontsize=18:fontcolor=white@0.6:x=16:y=h-th-16"
FAINT = "drawtext=text='sample':fontsize=30:fontcolor=white@0.4:x=20:y=20"


@pytest.mark.parametrize(
    "graph, bitrate, corner",
    [
        pytest.param(BUG, "600k", (0.0, 0.9), id="bug-bottom-left-600k"),
        pytest.param(FAINT, "1000k", (0.0, 0.06), id="faint-text-top-left-1M"),
    ],
)
def test_quiet_logo_over_a_grainy_fixed_shot_is_found(
    footage, tmp_path, config, graph, bitrate, corner
):
    """Real film from a fixed camera (chaplin's grain) with a semi-transparent logo burned in
    and the whole re-encoded at a realistic bitrate: the codec puts noise on the logo too, so
    it is not frozen, but its steady edges are far quieter than the film's, compared as a
    ratio within the same frames: found where it is by `quiet`; with `quiet` off the score is
    null, as it was before."""
    video = lossy(footage["chaplin"], graph, tmp_path, "logo", bitrate)
    x, y, w, h = flagged_fixed_shot(video, config).watermark_box
    assert x == pytest.approx(corner[0], abs=0.05) and y == pytest.approx(corner[1], abs=0.05)
    assert w < 0.2 and h < 0.2
    off = dataclasses.replace(config, watermark=dataclasses.replace(config.watermark, quiet=False))
    assert overlay_scores(video, off)["watermark_frac"] is None


PNG_LOGO = (  # a white frame with text, drawn once into a PNG, overlaid at 60 % opacity
    "color=c=black@0.0:s=96x48,format=rgba,drawbox=x=0:y=0:w=96:h=48:color=white@0.9:t=3,"
    "drawtext=text='TV9':fontsize=28:fontcolor=white:x=(w-tw)/2:y=(h-th)/2"
)


@pytest.fixture(scope="module")
def in_car(tmp_path_factory):
    """A camera fixed in a car (carphone_pristine, pillar-boxed into 640x360): the car's inside
    is still, the window and the speaker move."""
    tmp = tmp_path_factory.mktemp("in_car")
    fit = "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:-1:-1,setsar=1,fps=25"
    return make_video(tmp / "car.mp4", "-i", str(REAL / "carphone_pristine.mp4"), "-vf", fit,
                      *ENCODE)  # fmt: skip


def test_quiet_logo_beside_a_still_part_of_the_view_is_found(in_car, tmp_path, config):
    """In a fixed view with a still part beside a moving one, the still part is quiet too
    (over a third of the steady edges at a quarter of the scene's noise): the logo is found at
    the stricter ratio, faint text top left and a PNG logo beside the pillar box's border (left
    out before grouping, else the logo joins it into one long line); with no stricter ratio
    the faint text is found only over an area (`dense`). The view clean stays null."""
    assert clip_scores_of(in_car, config)[0].watermark_frac is None
    faint = lossy(in_car, FAINT, tmp_path, "faint", "1000k")
    png = tmp_path / "logo.png"
    make_video(png, "-f", "lavfi", "-i", PNG_LOGO, "-frames:v", "1")
    logo = make_video(tmp_path / "png.mp4", "-i", str(in_car), "-i", str(png), "-filter_complex",
                      "[1]format=rgba,colorchannelmixer=aa=0.6[l];[0][l]overlay=W-w-14:14",
                      *ENCODE, "-b:v", "800k", "-maxrate", "800k", "-bufsize", "800k",
                      "-threads", "1")  # fmt: skip
    for video, corner in ((faint, (0.0, 0.05)), (logo, (0.83, 0.05))):
        (clip,) = clip_scores_of(video, config)
        assert "watermark" in check_clip(clip, config.quality), video.name
        x, y, w, h = clip.watermark_box
        assert x == pytest.approx(corner[0], abs=0.05) and y == pytest.approx(corner[1], abs=0.05)
        assert w < 0.2 and h < 0.2
    # With no stricter ratio, components miss it; judged over a window (`dense`) it is found.
    lax = dataclasses.replace(config.watermark, quiet_strict_ratio=None, dense=True)
    (clip,) = clip_scores_of(faint, dataclasses.replace(config, watermark=lax))
    x, y, w, h = clip.watermark_box
    assert x == pytest.approx(0.0, abs=0.05) and y == pytest.approx(0.05, abs=0.05), (x, y)
    lax = dataclasses.replace(lax, dense=False)
    (clip,) = clip_scores_of(faint, dataclasses.replace(config, watermark=lax))
    assert clip.watermark_frac is None


def test_sign_in_a_grainy_static_scene_is_not_a_watermark(tmp_path, config):
    """A fixed camera on a static scene with a sign in a corner: the sign is part of the scene
    and carries its grain like every other edge, so nothing is quieter than the scene: null,
    no `watermark` reason (and the same frame without grain, a still, cannot be told)."""
    sign = "drawtext=text='EXIT':fontsize=24:fontcolor=white:x=w-tw-30:y=20"
    still = f"trim=end_frame=1,scale=640:360,loop=-1:1,trim=0:3,setpts=PTS-STARTPTS,{sign}"
    for name, grain in (("grainy", ",noise=alls=8:allf=t"), ("still", "")):
        video = make_video(tmp_path / f"{name}.mp4", "-ss", "20", "-i",
                           str(REAL / "big_buck_bunny_0_30.webm"), "-vf",
                           f"{still}{grain},format=yuv420p", "-r", "25", *ENCODE)  # fmt: skip
        (clip,) = clip_scores_of(video, config)
        assert clip.watermark_frac is None, name
        assert "watermark" not in check_clip(clip, config.quality)


RING_PNG = (  # a white ring, drawn once into a PNG and overlaid at 60 % opacity
    "color=c=black@0.0:s=48x48,format=rgba,geq=r='255':g='255':b='255'"
    ":a='255*between(hypot(X-24,Y-24),15,21)'"
)


def test_white_sign_in_a_grainy_static_scene_is_not_a_watermark(tmp_path, config):
    """A fixed camera on a still scene (a frame of chaplin) with a white sign in its corner,
    then temporal grain, then a lossy last encode (800k): grain above white is cut off, so the
    sign is far quieter than the scene's steady edges and `quiet` read it as a logo. Steady
    edges beside clipped white are never quiet: no watermark (with watermark.quiet_saturated
    null: flagged, as before). A semi-transparent ring burned into the same shot, re-encoded
    at 900k, is still found where it is."""
    sign = "drawtext=text='OPEN':fontsize=24:fontcolor=white:x=30:y=h-th-20"
    still = "trim=end_frame=1,setsar=1,fps=25,loop=-1:1,trim=0:3,setpts=PTS-STARTPTS"
    grainy = make_video(tmp_path / "sign.mp4", "-ss", "8", "-i", str(REAL / "chaplin.mp4"),
                        "-vf", f"{still},{sign},noise=alls=10:allf=t:all_seed=53,format=yuv420p",
                        *ENCODE, "-r", "25")  # fmt: skip
    # One encoder thread: x264's rate control under a VBV cap is not reproducible with several.
    rate = ("-threads", "1", "-b:v", "800k", "-maxrate", "800k", "-bufsize", "800k")
    video = make_video(tmp_path / "sign_800k.mp4", "-i", str(grainy), *ENCODE, "-r", "25", *rate)
    (clip,) = clip_scores_of(video, config)
    assert clip.watermark_frac is None and "watermark" not in check_clip(clip, config.quality)
    off = dataclasses.replace(config.watermark, quiet_saturated=None)
    (clip,) = clip_scores_of(video, dataclasses.replace(config, watermark=off))
    assert "watermark" in check_clip(clip, config.quality), clip.watermark_frac
    x, y, _, _ = clip.watermark_box
    assert x < 0.1 and y > 0.8  # the sign
    png = make_video(tmp_path / "ring.png", "-f", "lavfi", "-i", RING_PNG, "-frames:v", "1")
    ringed = make_video(tmp_path / "ring.mp4", "-i", str(grainy), "-i", str(png),
                        "-filter_complex",
                        "[1]format=rgba,colorchannelmixer=aa=0.6[l];[0][l]overlay=W-w-14:H-h-14",
                        *ENCODE, *rate[:2], "-b:v", "900k", "-maxrate", "900k", "-bufsize",
                        "900k")  # fmt: skip
    (clip,) = clip_scores_of(ringed, config)
    assert "watermark" in check_clip(clip, config.quality), clip.watermark_frac
    x, y, w, h = clip.watermark_box
    assert x > 0.8 and y > 0.7 and w < 0.2 and h < 0.3, clip.watermark_box


def test_white_sign_in_a_grainy_still_is_not_frozen(tmp_path, config):
    """A still frame of chaplin with a white sign in its bottom right corner under light
    temporal grain (bench_watermark.py --stills, its first clean video): grain above white is
    cut off, so the sign's edges stay exactly the same from map to map and `frozen` read them
    as a logo. Steady edges beside clipped white are never frozen either: no watermark (with
    watermark.quiet_saturated null: flagged at the sign, as before)."""
    sign = "drawtext=text='BAR':fontsize=24:fontcolor=white:x=w-tw-30:y=h-th-20"
    fit = "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:-1:-1,setsar=1,fps=25"
    still = f"trim=end_frame=1,{fit},loop=-1:1,trim=0:3,setpts=PTS-STARTPTS"
    video = make_video(tmp_path / "bar.mp4", "-ss", "4", "-i", str(REAL / "chaplin.mp4"),
                       "-vf", f"{still},{sign},noise=alls=6:allf=t:all_seed=101,format=yuv420p",
                       *ENCODE, "-r", "25")  # fmt: skip
    (clip,) = clip_scores_of(video, config)
    assert "watermark" not in check_clip(clip, config.quality), clip.watermark_box
    off = dataclasses.replace(config.watermark, quiet_saturated=None)
    (clip,) = clip_scores_of(video, dataclasses.replace(config, watermark=off))
    assert "watermark" in check_clip(clip, config.quality), clip.watermark_frac
    x, y, _, _ = clip.watermark_box
    assert x > 0.8 and y > 0.8  # the sign


def plate_logo(path: Path) -> Path:
    """A channel logo as an RGBA PNG (bench_watermark.py's `plate`): a rounded dark plate
    with a white ring and outlined letters, 156x70 px."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (120, 54), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 119, 53), radius=12, fill=(20, 30, 60, 200))
    draw.ellipse((8, 9, 44, 45), outline=(255, 255, 255, 255), width=4)
    draw.text((52, 12), "N1", font=ImageFont.load_default(size=26), fill=(255, 255, 255, 255),
              stroke_width=1, stroke_fill=(0, 0, 0, 255))  # fmt: skip
    image.resize((156, 70)).save(path)
    return path


def test_quiet_logo_over_grainy_lossy_film_is_found_over_an_area(tmp_path, config):
    """A fixed shot of chaplin under strong temporal grain, a semi-transparent channel logo
    burned in bottom right and the whole re-encoded at 800k (bench_watermark.py --stills):
    the logo's steady edges are quiet, but the film's quiet edges around it join them into a
    component too large for a logo, so `quiet` finds nothing. Judged over a window, most of
    the logo's steady edges are quiet while hardly a window elsewhere in the picture is that
    calm: found where it is by `dense`, on by default; with `dense` off the score is null."""
    fit = "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:-1:-1,setsar=1,fps=25"
    grainy = make_video(tmp_path / "grainy.mp4", "-i", str(REAL / "chaplin.mp4"), "-vf",
                        f"trim=5:8.5,setpts=PTS-STARTPTS,{fit},"
                        "noise=alls=12:allf=t:all_seed=137,format=yuv420p",
                        *ENCODE, "-r", "25")  # fmt: skip
    png = plate_logo(tmp_path / "plate.png")
    rate = ("-threads", "1", "-b:v", "800k", "-maxrate", "800k", "-bufsize", "800k")
    video = make_video(tmp_path / "logo.mp4", "-i", str(grainy), "-i", str(png),
                       "-filter_complex",
                       "[1]format=rgba,colorchannelmixer=aa=0.8[l];[0][l]overlay=W-w-16:H-h-16",
                       *ENCODE, "-r", "25", *rate)  # fmt: skip
    (clip,) = clip_scores_of(video, config)
    assert "watermark" in check_clip(clip, config.quality), clip.watermark_frac
    x, y, w, h = clip.watermark_box
    assert x > 0.6 and y > 0.6 and w < 0.3 and h < 0.3, clip.watermark_box
    off = dataclasses.replace(config.watermark, dense=False)
    (clip,) = clip_scores_of(video, dataclasses.replace(config, watermark=off))
    assert clip.watermark_frac is None


def test_dense_leaves_a_still_corner_of_a_synthetic_view(config):
    """shared/testdata's dedup source A at half size: colour bars under a fixed camera beside a
    moving strip, no logo. A corner window of the bars, where a noise-free circle's arc
    crosses them, is as quiet as a logo, but its quiet edges run on along the arc out of the
    window (27 quiet edge pixels outside, 48 inside): no overlay, with `dense` on or off."""
    video = TESTDATA / "synthetic" / "dedup" / "A_half.mp4"
    assert clip_scores_of(video, config)[0].watermark_frac is None
    on = dataclasses.replace(config.watermark, dense=True)
    (clip,) = clip_scores_of(video, dataclasses.replace(config, watermark=on))
    assert clip.watermark_frac is None, clip.watermark_box


def badge_logo(path: Path) -> Path:
    """A badge as an RGBA PNG (bench_watermark.py's `badge`): a white rounded outline around
    white letters, 64x64 px."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((2, 2, 61, 61), radius=10, outline=(255, 255, 255, 255), width=4)
    draw.text((32, 32), "R4", font=ImageFont.load_default(size=28), fill=(255, 255, 255, 255),
              anchor="mm")  # fmt: skip
    image.save(path)
    return path


def test_logo_over_grainy_moving_footage_is_found_over_grain(tmp_path, config):
    """A fixed camera on a moving scene (bigbuckbunny.mp4's grass) under strong temporal grain,
    a badge burned in bottom left and the whole re-encoded at 1M (bench_watermark.py --stills):
    nearly every edge of the picture comes and goes, and the badge's edges are the steady
    ones left, but grain breaks some of them in every frame (0.88 of them there in the worst
    frame), so over-motion's "all there in every frame" fails, and the codec puts as much
    change on the badge as on the grain, so `quiet` cannot find it. Found where it is by
    `over_grain`; with it off the score is null, as before. The same footage clean: null."""
    fit = "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:-1:-1,setsar=1,fps=25"
    grainy = make_video(tmp_path / "grainy.mp4", "-i", str(REAL / "bigbuckbunny.mp4"), "-vf",
                        f"trim=0.5:4,setpts=PTS-STARTPTS,{fit},"
                        "noise=alls=10:allf=t:all_seed=131,format=yuv420p",
                        *ENCODE, "-r", "25")  # fmt: skip
    png = badge_logo(tmp_path / "badge.png")
    rate = ("-threads", "1", "-b:v", "1000k", "-maxrate", "1000k", "-bufsize", "1000k")
    video = make_video(tmp_path / "logo.mp4", "-i", str(grainy), "-i", str(png),
                       "-filter_complex",
                       "[1]format=rgba,colorchannelmixer=aa=0.9[l];[0][l]overlay=16:H-h-16",
                       *ENCODE, "-r", "25", *rate)  # fmt: skip
    clip = flagged_fixed_shot(video, config)
    x, y, w, h = clip.watermark_box
    assert x < 0.1 and y > 0.6 and w < 0.2 and h < 0.3, clip.watermark_box
    off = dataclasses.replace(config.watermark, over_grain=False)
    (clip,) = clip_scores_of(video, dataclasses.replace(config, watermark=off))
    assert clip.watermark_frac is None
    clean = make_video(tmp_path / "clean.mp4", "-i", str(grainy), *ENCODE, "-r", "25", *rate)
    (clip,) = clip_scores_of(clean, config)
    assert clip.watermark_frac is None


def test_clip_with_a_logo_is_dropped_as_watermark(footage, tmp_path, config):
    video = with_overlay(footage["cockatoo"], "logo", tmp_path)
    info = probe_file(str(video), str(video), config.probe)
    analyzers = [
        factory.make_analyzer(info) for factory in (config.frame_quality, config.watermark)
    ]
    analysis = analyze_video(str(video), info, config.scenes, analyzers)
    (sampled,) = build_clips(info, analysis, config.scenes, config.clips, analyzers)
    assert "watermark" in check_clip(sampled.clip, config.quality)
    assert sampled.clip.watermark_frac > config.quality.max_watermark_frac


def join_shots(path, pieces, letterbox=False):
    """Real shots (file, seek_s, seconds) scaled to 640x360 (or letterboxed into it) and
    joined by hard cuts."""
    fit = "scale=640:272,pad=640:360:0:44" if letterbox else "scale=640:360"
    args, chains = [], []
    for k, (name, ss, t) in enumerate(pieces):
        args += ["-i", str(REAL / name)]  # trim, not -ss: cockatoo.mp4 decodes grey after a seek
        chains.append(f"[{k}:v]trim={ss}:{ss + t},setpts=PTS-STARTPTS,{fit},setsar=1,fps=25[v{k}]")
    graph = ";".join(chains) + ";" + "".join(f"[v{k}]" for k in range(len(pieces)))
    graph += f"concat=n={len(pieces)}[o]"
    return make_video(path, *args, "-filter_complex", graph, "-map", "[o]", *ENCODE)


def clip_scores_of(path, config) -> list:
    info = probe_file(str(path), str(path), config.probe)
    analyzer = config.watermark.make_analyzer(info)
    analysis = analyze_video(str(path), info, config.scenes, [analyzer])
    clips = build_clips(info, analysis, config.scenes, config.clips, [analyzer])
    return [s.clip for s in clips if "too_short" not in s.clip.drop_reasons]


# Three shots from a fixed camera (a still CG shot, the pillar-boxed film, a still bird)
STILL_SHOTS = [
    ("big_buck_bunny_0_30.webm", 15.9, 3.0),
    ("chaplin.mp4", 1.0, 3.0),
    ("big_buck_bunny_0_30.webm", 24.0, 3.0),
]


def test_logo_across_shots_of_fixed_cameras_is_found(tmp_path, config):
    """A fixed camera cannot tell a logo from the set within one shot, but the logo stays put
    across the source's other shots where the rest of the picture changes: every clip is
    flagged; the same video clean is judged (0, not null), and so is a letterboxed one whose
    bars stay put across shots too."""
    clean = join_shots(tmp_path / "shots.mp4", STILL_SHOTS)
    with_logo = with_overlay(clean, "logo", tmp_path)
    clips = clip_scores_of(with_logo, config)
    assert len(clips) == 3
    for clip in clips:
        assert "watermark" in check_clip(clip, config.quality), clip
        x, y, _, _ = clip.watermark_box
        assert x == pytest.approx(0.85, abs=0.1) and y == pytest.approx(0.75, abs=0.1)
    assert [c.watermark_frac for c in clip_scores_of(clean, config)] == [0.0] * 3
    boxed = join_shots(tmp_path / "boxed.mp4", STILL_SHOTS, letterbox=True)
    assert [c.watermark_frac for c in clip_scores_of(boxed, config)] == [0.0] * 3


def test_two_clean_fixed_camera_shots_are_no_watermark(tmp_path, config):
    """Two still shots: each one's steady edges meet the other's here and there by chance,
    which is no overlay that stays put across shots (both clips were flagged before)."""
    clean = join_shots(
        tmp_path / "two.mp4", [("chaplin.mp4", 0.0, 4.0), ("bigbuckbunny.mp4", 0.0, 4.0)]
    )
    clips = clip_scores_of(clean, config)
    assert len(clips) == 2
    assert [check_clip(c, config.quality) for c in clips] == [[], []], clips


# A fixed camera with something moving: the bunny and a butterfly in one CG shot
MOVING_FIXED = [("big_buck_bunny_0_30.webm", 23.2, 6.5)]


def test_overlay_over_motion_in_one_fixed_camera_shot_is_found(tmp_path, config):
    """One fixed-camera shot, no other shot to compare with: an overlay's edges are there in
    every frame while edges pass around it (nothing passes in front of an overlay), so it is
    found where it is; the same shot clean, plain or letterboxed, stays null (cannot tell),
    and so does a still frame with a logo (test_logo_on_a_still_frame_cannot_be_told). The
    frozen and quiet cues are off here, so over-motion alone is what finds them."""
    config = dataclasses.replace(
        config, watermark=dataclasses.replace(config.watermark, frozen=False, quiet=False)
    )
    clean = join_shots(tmp_path / "fixed.mp4", MOVING_FIXED)
    boxed = join_shots(tmp_path / "fixed_lb.mp4", MOVING_FIXED, letterbox=True)
    assert [c.watermark_frac for c in clip_scores_of(clean, config)] == [None]
    assert [c.watermark_frac for c in clip_scores_of(boxed, config)] == [None]
    cases = [(clean, "text", (0.8, 0.0)), (clean, "box", (0.0, 0.85)), (boxed, "logo", (0.88, 0.8))]
    for src, kind, corner in cases:
        video = with_overlay(src, kind, tmp_path)
        (clip,) = clip_scores_of(video, config)
        assert "watermark" in check_clip(clip, config.quality), (kind, clip.watermark_frac)
        x, y, w, h = clip.watermark_box
        assert x == pytest.approx(corner[0], abs=0.1) and y == pytest.approx(corner[1], abs=0.1)
        assert w < 0.25 and h < 0.25
    off = dataclasses.replace(
        config, watermark=dataclasses.replace(config.watermark, over_motion=False)
    )
    assert [c.watermark_frac for c in clip_scores_of(video, off)] == [None]


# A fixed camera on a title scene (the bird on its branch, a butterfly, the title fading in):
# a translucent yellow dot drawn over the bright lamp in the top left corner, then the last
# encode at a realistic bitrate.
TITLE_SHOT = [("big_buck_bunny_0_30.webm", 19.2, 3.5)]
DOT = (
    "color=c=black@0.0:s=40x40,format=rgba,geq=r='255':g='220':b='0'"
    ":a='255*(between(hypot(X-20,Y-20),14,19)+lt(hypot(X-20,Y-20),6))'"
)
# One x264 thread: the same bytes every run (with frame threads this test passed 4 runs in 5;
# at 1200k, one thread, the dot is missed: 1000k, 1500k and 2000k find it).
LOSSY = ("-b:v", "1500k", "-maxrate", "1500k", "-bufsize", "1500k", "-threads", "1")


def test_logo_over_a_flickering_scene_object_is_found_regrouped(tmp_path, config):
    """The dot's edges join the lamp's into one component, and the lamp's come and go, so as
    a whole it is not there in every frame and over-motion turns it away; regrouped on the
    pixels that are edges in (nearly) every frame, the dot comes apart and is found where it
    is (with watermark.over_regroup off: null, as before). The same shot clean,
    re-encoded at the same bitrate, is not flagged."""
    clean = join_shots(tmp_path / "title.mp4", TITLE_SHOT)
    lossy = make_video(tmp_path / "title_lossy.mp4", "-i", str(clean), *ENCODE, *LOSSY)
    (clip,) = clip_scores_of(lossy, config)
    assert "watermark" not in check_clip(clip, config.quality), clip.watermark_frac
    png = make_video(tmp_path / "dot.png", "-f", "lavfi", "-i", DOT, "-frames:v", "1")
    graph = "[1]format=rgba,colorchannelmixer=aa=0.7[l];[0][l]overlay=24:20"
    dotted = make_video(tmp_path / "title_dot.mp4", "-i", str(clean), "-i", str(png),
                        "-filter_complex", graph, *ENCODE, *LOSSY)  # fmt: skip
    (clip,) = clip_scores_of(dotted, config)
    assert "watermark" in check_clip(clip, config.quality), clip.watermark_frac
    x, y, w, h = clip.watermark_box
    assert x < 0.1 and y < 0.15 and w < 0.2 and h < 0.25, clip.watermark_box
    off = dataclasses.replace(
        config, watermark=dataclasses.replace(config.watermark, over_regroup=False)
    )
    assert [c.watermark_frac for c in clip_scores_of(dotted, off)] == [None]


def test_a_railing_before_passing_cars_is_no_logo(tmp_path, config):
    """bikes.mp4's fixed shot through a railing, re-encoded 10-bit 4:2:2 (the railing's edges
    fade in front of dark cars, so only its corner part over the light road is there in every
    frame): over motion regrouped took that part for a logo. It is part of a steady structure
    running out of its box (`watermark.regroup_max_outside`)."""
    path = make_video(
        tmp_path / "bikes422.mov",
        *("-i", str(TESTDATA / "real/bikes.mp4"), "-c:v", "libx264", "-pix_fmt", "yuv422p10le"),
        "-an",
    )
    info = probe_file(str(path), str(path), config.probe)
    analyzer = config.watermark.make_analyzer(info)
    analyze_video(str(path), info, config.scenes, [analyzer])
    assert analyzer.clip_scores(5.58, 7.38)["watermark_frac"] in (0.0, None)
    off = dataclasses.replace(config.watermark, regroup_max_outside=1e9)
    analyzer = off.make_analyzer(info)
    analyze_video(str(path), info, config.scenes, [analyzer])
    assert analyzer.clip_scores(5.58, 7.38)["watermark_frac"] > 0  # what it was


# The optional classifier through the model seam (watermark.classifier, transforms/score.py)


@pytest.fixture(scope="module")
def tiny_classifier(footage, tmp_path_factory) -> str:
    """A tiny random ViT image classifier (labels clean, watermark) and its processor, saved
    where from_pretrained reads them; built offline. Its head is widened and its bias set so
    the watermark logit is 0 at the mean feature of a few real frames: the probabilities then
    spread around 0.5 from frame to frame instead of all sitting at one extreme."""
    import av
    import torch
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    torch.manual_seed(0)
    vit = ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=2,
        id2label={0: "clean", 1: "watermark"},
        label2id={"clean": 0, "watermark": 1},
    )
    model = ViTForImageClassification(vit).eval()
    processor = ViTImageProcessor(size={"height": 32, "width": 32})
    frames = []
    for name in ("cockatoo", "fire"):
        with av.open(str(footage[name])) as container:
            decoded = [f.to_image() for f in container.decode(video=0)]
        frames += decoded[:: max(1, len(decoded) // 3)]
    with torch.no_grad():
        model.classifier.weight.normal_(0, 5.0)
        model.classifier.bias.zero_()
        inputs = processor(images=frames, return_tensors="pt")
        features = model.vit(**inputs).last_hidden_state[:, 0].mean(dim=0)
        model.classifier.bias.copy_(-(model.classifier.weight @ features))
    path = tmp_path_factory.mktemp("classifier") / "tiny-vit"
    model.save_pretrained(path)
    processor.save_pretrained(path)
    return str(path)


def direct_probabilities(model_dir, sampled, frames) -> list[float]:
    """The watermark probability of the clip's picked frames from a plain transformers call."""
    import cv2
    import torch
    from PIL import Image
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    model = AutoModelForImageClassification.from_pretrained(model_dir).eval()
    processor = AutoImageProcessor.from_pretrained(model_dir)
    images = []
    for i in sampled.pick(frames):
        bgr = cv2.imdecode(np.frombuffer(sampled.frames_jpg[i], np.uint8), cv2.IMREAD_COLOR)
        images.append(Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
    with torch.no_grad():
        logits = model(**processor(images=images, return_tensors="pt")).logits
    return logits.softmax(-1)[:, 1].tolist()


def sampled_clips(path, config):
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    return [s for s in build_clips(info, analysis, config.scenes, config.clips) if s.clip.kept]


def test_classifier_scores_kept_clips_through_run_inference(footage, tiny_classifier, config):
    """ScoreClips with watermark.classifier set: every clip's picked sampled frames get the
    probability a direct model call gives on the same frames, in batches; the quality check
    turns them into `watermark` (threshold 0: every clip; 1.01: none; in between: the clips
    where at least half the frames reach it)."""
    clips = sampled_clips(footage["cockatoo"], config) + sampled_clips(footage["fire"], config)
    assert len(clips) >= 2
    classifier = WatermarkClassifierConfig(model=tiny_classifier, frames=3, batch_size=2)
    expected = {s.clip.clip_id: direct_probabilities(tiny_classifier, s, 3) for s in clips}
    spread = [p for probs in expected.values() for p in probs]
    assert max(spread) - min(spread) > 0.05, spread  # the frames are told apart
    ocr_off, no_aesthetics = OcrConfig(enabled=False), AestheticConfig()

    def run(min_prob, check_rows):
        quality = dataclasses.replace(
            config.quality, max_text_frames_frac=None, watermark_min_prob=min_prob
        )
        with BeamPipeline() as p:
            scored = (
                p
                | beam.Create(clips)
                | ScoreClips(ocr_off, no_aesthetics, quality.check, classifier)
            )
            kept = scored["clips"] | "KeptClips" >> beam.Map(lambda s: s.clip)
            assert_that((kept, scored[DROPPED]) | beam.Flatten(), check_rows)

    def none_dropped(rows):
        assert sorted(c.clip_id for c in rows) == sorted(expected)
        for clip in rows:
            assert clip.status == "kept", clip.drop_reasons
            assert clip.watermark_probs == pytest.approx(expected[clip.clip_id], abs=1e-4)
            assert clip.watermark_prob == pytest.approx(np.mean(expected[clip.clip_id]), abs=1e-4)
            assert clip.watermark_model == "hf:tiny-vit"

    def all_dropped(rows):
        assert sorted(c.clip_id for c in rows) == sorted(expected)
        assert all(c.status == "dropped" and c.drop_reasons == ["watermark"] for c in rows)

    # Between: a clip is dropped when at least half its frames reach the threshold
    middle = float(np.median(spread))
    split = {k: np.mean(np.array(v) >= middle) >= 0.5 for k, v in expected.items()}
    assert set(split.values()) == {True, False}, expected

    def some_dropped(rows):
        assert {c.clip_id: c.status == "dropped" for c in rows} == split

    run(1.01, none_dropped)
    run(0.0, all_dropped)
    run(middle, some_dropped)


def test_classifier_in_a_pipeline_run_fills_the_manifest(tiny_classifier, tmp_path):
    """A whole run with watermark.classifier set on real video: every clip that reached the
    scoring stage has its frames' probabilities, and at threshold 0 is dropped as `watermark`
    (counted); `cliploom rescore` at 1.01 lifts the reason without a decode."""
    out = tmp_path / "out"
    spec = f"{{model: {tiny_classifier}, labels: [Watermark], frames: 3}}"
    sets = ["--set", f"watermark.classifier={spec}", "--set", "quality.watermark_min_prob=0"]
    assert main(["run", str(REAL / "fire2.mp4"), "--out", str(out), "--quiet", *sets]) == 0
    rows = read_rows(out)
    classified = [r for r in rows if r["watermark_probs"] is not None]
    assert classified
    for row in classified:
        assert row["status"] == "dropped" and "watermark" in row["drop_reasons"], row
        assert len(row["watermark_probs"]) == 3 and all(0 < p < 1 for p in row["watermark_probs"])
        assert row["watermark_prob"] == pytest.approx(np.mean(row["watermark_probs"]), abs=1e-4)
        assert row["watermark_model"] == "hf:tiny-vit"
    for row in rows:
        if row["watermark_probs"] is None:  # dropped before scoring: never judged by the model
            assert row["watermark_prob"] is None and "watermark" not in row["drop_reasons"]
    score = json.loads((out / "stats.json").read_text())["counters"]["score"]
    assert score["watermark_clips"] == score["dropped.watermark"] == len(classified)
    assert "kept" not in score or score["kept"] == 0  # each clip counted once

    assert main(["rescore", str(out), "--set", "quality.watermark_min_prob=1.01"]) == 0
    assert not any("watermark" in r["drop_reasons"] for r in read_rows(out))


def test_torch_is_imported_only_with_the_classifier_on(tiny_classifier):
    """A default pipeline is built without torch or transformers; with the classifier on,
    its RunInference step brings torch."""
    code = (
        "import sys, apache_beam as beam, configs; "
        "from pipelines.config import PipelineConfig; from pipelines.pipeline import build; "
        "heavy = lambda: [m for m in ('torch', 'transformers') if m in sys.modules]; "
        "build(beam.Pipeline(), ['in.mp4'], 'out', PipelineConfig.from_dict(configs.default())); "
        "print(heavy()); "
        f"sets = ['watermark.classifier={{model: {tiny_classifier}}}']; "
        "config = PipelineConfig.from_dict(configs.load(None, sets)); "
        "build(beam.Pipeline(), ['in.mp4'], 'out', config); "
        "print(heavy())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    default, enabled = done.stdout.strip().splitlines()[-2:]
    assert default == "[]" and "torch" in enabled, done.stdout


def test_classifier_frame_share_decides_and_labels_are_checked(tiny_classifier, config):
    from transforms.score import WatermarkClassifier

    probs = Clip("id", "s", "h", 0, 0.0, 4.0, 0.0, 4.0, 4.0, 640, 360, 30.0, 4.0)
    probs = dataclasses.replace(probs, watermark_probs=[0.2, 0.7, 0.9])
    at = lambda **kw: check_clip(probs, dataclasses.replace(config.quality, **kw))  # noqa: E731
    assert at(watermark_min_prob=0.7) == ["watermark"]  # 2 of 3 frames
    assert at(watermark_min_prob=0.8) == []  # 1 of 3
    assert at(watermark_min_prob=0.8, min_watermark_frames_frac=0.3) == ["watermark"]
    assert at(watermark_min_prob=0.0, min_watermark_frames_frac=None) == []  # off
    with pytest.raises(ValueError, match="min_watermark_frames_frac"):
        dataclasses.replace(config.quality, min_watermark_frames_frac=0.0)
    with pytest.raises(ValueError, match=r"'logo'.*'clean', 'watermark'"):
        WatermarkClassifier.load(WatermarkClassifierConfig(model=tiny_classifier, labels=("logo",)))


@pytest.mark.parametrize("shape", [(180, 320), (5, 7)], ids=["analysis-size", "odd-size"])
def test_grey_steps_pack_two_pixels_a_byte_and_back(shape):
    from transforms.watermark import STEP_CAP, _pack_steps, _unpack_steps

    step = np.random.default_rng(0).integers(0, STEP_CAP + 1, shape, dtype=np.uint8)
    packed = _pack_steps(step)
    assert packed.dtype == np.uint8 and packed.size == (step.size + 1) // 2
    assert np.array_equal(_unpack_steps(packed, step.size).reshape(shape), step)
    # a stack of packed maps unpacks at once to the same maps
    steps = np.random.default_rng(1).integers(0, STEP_CAP + 1, (4, *shape), dtype=np.uint8)
    stacked = np.stack([_pack_steps(s) for s in steps])
    assert np.array_equal(_unpack_steps(stacked, step.size).reshape(-1, *shape), steps)


@pytest.mark.parametrize("maps", [1, 7, 80, 300], ids=lambda n: f"{n}-maps")
def test_share_is_np_mean_over_maps_to_the_bit(maps):
    """`share` (integer counts) gives np.mean's values exactly, for boolean edge maps in float64
    and for capped grey changes in float32, with fewer and more maps than 16-bit counts hold."""
    from transforms.watermark import STEP_CAP, share

    rng = np.random.default_rng(maps)
    edges = rng.random((maps, 18, 32)) < 0.3
    got = share(edges)
    assert got.dtype == np.float64 and np.array_equal(got, edges.mean(axis=0))
    steps = rng.integers(0, STEP_CAP + 1, (maps, 18, 32), dtype=np.uint8)
    got = share(steps, np.float32)
    want = steps.mean(axis=0, dtype=np.float32)
    assert got.dtype == np.float32 and np.array_equal(got.view(np.int32), want.view(np.int32))
