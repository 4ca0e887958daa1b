"""Static-overlay (logo, watermark) detection in the decode pass, on real footage with logos
burned in by ffmpeg, the same footage clean, and static shots that must not read as overlays."""

import pytest

from tests.conftest import TESTDATA, make_video
from transforms.probe import probe_file
from transforms.quality import check_clip
from transforms.scenes import analyze_video, build_clips

REAL = TESTDATA / "real"
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
    """Nothing changes, so nothing can be told: null, and no `watermark` reason; with a logo
    too (within one shot a fixed camera cannot tell a logo from the set)."""
    assert overlay_scores(footage[name], config)["watermark_frac"] is None
    assert overlay_scores(with_overlay(footage[name], "logo", tmp_path), config) == {
        "watermark_frac": None,
        "watermark_box": None,
    }


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
