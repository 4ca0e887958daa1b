"""Quality filters end to end: the synthetic quality set kept or dropped for the right reason,
every score recorded, and `cliploom rescore` re-thresholding without a decode."""

import dataclasses
from pathlib import Path

import pytest

from pipelines.cli import main
from schemas import Clip
from tests.conftest import TESTDATA, make_video, read_rows
from transforms.probe import probe_file
from transforms.quality import (
    NEEDS_RERUN,
    QualityConfig,
    check_clip,
    grey_laplacian_var,
    laplacian_var,
    rescore,
)
from transforms.scenes import analyze_video, build_clips

QUALITY = TESTDATA / "synthetic" / "quality"
REASON_OF = {  # truth.json's defect -> the reason a clip with it must carry
    "motion": "low_motion",
    "brightness": "too_dark",
    "blur": "blurry",
    "text": "text_overlay",
}
CHEAP_SCORES = ("luma_mean", "dark_frac", "bright_frac", "blur_var", "luma_flicker")
MOTION_SCORES = ("motion_mean_px", "motion_top5_px", "camera_motion", "camera_jitter_px")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("quality") / "out"
    assert main(["run", str(QUALITY), "--out", str(out)]) == 0
    return out


def manifest(out: Path) -> dict[str, list[dict]]:
    by_file: dict[str, list[dict]] = {}
    for row in read_rows(out):
        by_file.setdefault(Path(row["source"]).name, []).append(row)
    return by_file


def test_synthetic_quality_set_kept_or_dropped_for_its_reason(out, truth):
    rows = manifest(out)
    for name in truth["quality"]["keep"]:
        assert [r["status"] for r in rows[name]] == ["kept"], (name, rows[name])
        assert all(r["shard"] for r in rows[name])
    for name, defect in truth["quality"]["drop"].items():
        assert rows[name], name
        for r in rows[name]:
            assert r["status"] == "dropped" and REASON_OF[defect] in r["drop_reasons"], (name, r)


def test_every_clip_keeps_its_cheap_scores_and_survivors_their_ocr(out):
    for name, clips in manifest(out).items():
        for r in clips:
            assert all(r[k] is not None for k in CHEAP_SCORES + MOTION_SCORES), (name, r)
            # A frame without an edge of 24 grey levels has no sharpness to measure.
            assert (r["edge_sharpness"] is None) == (name == "black.mp4"), (name, r)
            # OCR runs only on clips that passed the cheap checks; aesthetics are off.
            cheap_pass = not set(r["drop_reasons"]) - {"text_overlay", "subtitles"}
            assert (r["text_area_frac"] is not None) == cheap_pass, (name, r)
            assert r["aesthetic"] is None and r["image_embedding"] is None
    text = manifest(out)["text_heavy.mp4"][0]
    assert text["text_area_frac"] > 0.1 and all(a > 0.02 for a in text["text_area_fracs"])
    assert manifest(out)["slow_pan.mp4"][0]["camera_motion"] == "pan_right"


def test_rescore_rethresholds_without_decoding(out, tmp_path, monkeypatch, capsys):
    import shutil

    import av

    copy = tmp_path / "out"
    shutil.copytree(out, copy)

    def no_decoding(*args, **kwargs):
        raise AssertionError("rescore must not open a video")

    monkeypatch.setattr(av, "open", no_decoding)
    before = {r["clip_id"]: r for rows in manifest(copy).values() for r in rows}

    # Stricter blur: sharp synthetic frames score ~200, static bars ~28.
    assert main(["rescore", str(copy), "--set", "quality.min_blur=1000"]) == 0
    assert "change status" in capsys.readouterr().out
    after = {r["clip_id"]: r for rows in manifest(copy).values() for r in rows}
    newly_dropped = {k for k in after if before[k]["status"] == "kept"}
    assert newly_dropped == {k for k in before if before[k]["status"] == "kept"}
    for k in newly_dropped:
        assert after[k]["drop_reasons"] == ["blurry"] and after[k]["shard"] == before[k]["shard"]

    # Looser motion floor: static now passes, but it was never OCR'd or encoded.
    assert main(["rescore", str(copy), "--set", "quality.min_motion_top5_px=null"]) == 0
    after = {r["clip_id"]: r for rows in manifest(copy).values() for r in rows}
    static = next(r for r in after.values() if r["source"].endswith("static.mp4"))
    assert static["status"] == "dropped" and static["drop_reasons"] == [NEEDS_RERUN]
    # The run's recorded thresholds are the base: the min_blur override is gone.
    assert all(after[k]["status"] == "kept" for k in newly_dropped)
    assert sum(r["status"] == "kept" for r in after.values()) == len(newly_dropped)


def test_rescore_refuses_settings_that_need_a_run(out, capsys):
    with pytest.raises(SystemExit):
        main(["rescore", str(out), "--set", "scenes.threshold=3"])
    assert "quality." in capsys.readouterr().err


def clip_with(**scores) -> Clip:
    base = Clip("id", "s", "h", 0, 0.0, 4.0, 0.0, 4.0, 4.0, 640, 360, 30.0, 4.0)
    return dataclasses.replace(base, **scores)


@pytest.mark.parametrize(
    "scores, reason",
    [
        pytest.param({"dark_frac": 0.9}, "too_dark", id="dark"),
        pytest.param({"bright_frac": 0.9}, "too_bright", id="bright"),
        pytest.param({"blur_var": 2.0}, "blurry", id="blur"),
        pytest.param({"edge_sharpness": 0.6}, "blurry", id="out-of-focus"),
        pytest.param({"motion_top5_px": 0.1}, "low_motion", id="static"),
        pytest.param({"motion_mean_px": 80.0}, "chaotic_motion", id="fast"),
        pytest.param({"camera_jitter_px": 40.0}, "chaotic_motion", id="shaky"),
        pytest.param({"luma_flicker": 60.0}, "chaotic_motion", id="flicker"),
        pytest.param({"text_area_fracs": [0.0, 0.3, 0.1, 0.0, 0.05]}, "text_overlay", id="text"),
        pytest.param({"subtitle_width_fracs": [0.3, 0.3, 0.0, 0.2, 0.0]}, "subtitles", id="subs"),
        pytest.param({"aesthetic": 3.0}, "low_aesthetic", id="ugly"),
        pytest.param({"watermark_frac": 0.015}, "watermark", id="logo"),
    ],
)
def test_each_threshold_gives_its_reason(config, scores, reason):
    assert check_clip(clip_with(**scores), config.quality) == [reason]
    off = {
        f.name: None for f in dataclasses.fields(QualityConfig) if f.name != "text_min_area_frac"
    }
    assert check_clip(clip_with(**scores), QualityConfig(**off)) == []


def test_text_overlay_is_decided_on_the_share_of_frames(config):
    # One frame of five with text (a sign passing by) is not the clip's verdict; three are.
    assert check_clip(clip_with(text_area_fracs=[0.0, 0.3, 0.0, 0.0, 0.0]), config.quality) == []
    assert check_clip(clip_with(text_area_fracs=[0.0, 0.3, 0.3, 0.0, 0.0]), config.quality) == []
    majority = clip_with(text_area_fracs=[0.03, 0.3, 0.3, 0.0, 0.0])
    assert check_clip(majority, config.quality) == ["text_overlay"]


def test_subtitles_are_decided_on_the_share_of_frames_with_a_wide_enough_line(config):
    # A subtitle line of any area on three frames of five; a caption flashed on one or two, or
    # a centred short word (narrower than quality.subtitle_min_width_frac), is not.
    q = config.quality
    assert check_clip(clip_with(subtitle_width_fracs=[0.2, 0.3, 0.25, 0, 0]), q) == ["subtitles"]
    assert check_clip(clip_with(subtitle_width_fracs=[0, 0.3, 0.25, 0, 0]), q) == []
    assert check_clip(clip_with(subtitle_width_fracs=[0.08, 0.08, 0.08, 0.3, 0]), q) == []
    wider = dataclasses.replace(q, subtitle_min_width_frac=0.05)  # a rescore lowers the floor
    assert check_clip(clip_with(subtitle_width_fracs=[0.08, 0.08, 0.08, 0.3, 0]), wider) == [
        "subtitles"
    ]
    dropped = rescore(clip_with(subtitle_width_fracs=[0.2, 0.3, 0.25, 0, 0]), q)
    assert dropped.drop_reasons == ["subtitles"]
    off = dataclasses.replace(q, max_subtitle_frames_frac=None)
    assert rescore(dropped, off).drop_reasons == ["needs_rerun"]  # no shard: never encoded


def test_dataclass_defaults_equal_the_yaml(config):
    from transforms.motion import MotionConfig
    from transforms.probe import ProbeConfig
    from transforms.quality import FrameQualityConfig
    from transforms.score import OcrConfig

    for cls, loaded in (
        (QualityConfig, config.quality),
        (FrameQualityConfig, config.frame_quality),
        (MotionConfig, config.motion),
        (OcrConfig, config.ocr),
        (ProbeConfig, config.probe),
    ):
        assert cls() == loaded, cls.__name__


def test_null_scores_are_not_checked_and_other_reasons_survive_rescore(config):
    assert check_clip(clip_with(), config.quality) == []
    clip = clip_with(blur_var=2.0, shard="clips-000000.tar").with_reasons("too_short", "blurry")
    loose = dataclasses.replace(config.quality, min_blur=1.0)
    assert rescore(clip, loose).drop_reasons == ["too_short"]
    assert rescore(clip_with(blur_var=50.0), config.quality).drop_reasons == [NEEDS_RERUN]


def test_blown_out_and_strobing_video(tmp_path, config):
    white = make_video(
        tmp_path / "white.mp4", "-f", "lavfi", "-i", "color=c=white:s=640x360:d=3:r=30"
    )
    strobe = make_video(
        tmp_path / "strobe.mp4",
        "-f", "lavfi", "-i", "testsrc2=s=640x360:d=3:r=30",
        "-vf", "eq=brightness='0.4*sin(n*2.7)':eval=frame",
    )  # fmt: skip
    for path, reason in ((white, "too_bright"), (strobe, "chaotic_motion")):
        info = probe_file(str(path), str(path), config.probe)
        analyzers = [config.frame_quality.make_analyzer(info), config.motion.make_analyzer(info)]
        analysis = analyze_video(str(path), info, config.scenes, analyzers)
        clips = build_clips(
            info, analysis, config.scenes, config.clips, analyzers, config.quality.check
        )
        assert clips and all(reason in s.clip.drop_reasons for s in clips), (path.name, clips)


def scored_clips(path, config) -> list[Clip]:
    info = probe_file(str(path), str(path), config.probe)
    analyzers = [config.frame_quality.make_analyzer(info), config.motion.make_analyzer(info)]
    analysis = analyze_video(str(path), info, config.scenes, analyzers)
    clips = build_clips(
        info, analysis, config.scenes, config.clips, analyzers, config.quality.check
    )
    return [s.clip for s in clips]


def test_out_of_focus_real_footage_is_blurry_and_sharp_footage_is_not(tmp_path, config):
    """cockatoo.mp4's out-of-focus stretch (frames 156-172, truth.json), slowed to a 2.4 s clip,
    drops as blurry; its sharp rest and a sharp plane on a flat grey sky do not."""
    real = TESTDATA / "real"
    oof = make_video(tmp_path / "oof.mp4", "-i", str(real / "cockatoo.mp4"),
                     "-vf", "trim=7.8:8.6,setpts=3*(PTS-STARTPTS)", "-c:v", "libx264",
                     "-preset", "veryfast", "-pix_fmt", "yuv420p")  # fmt: skip
    (clip,) = scored_clips(oof, config)
    assert "blurry" in clip.drop_reasons, clip
    assert clip.edge_sharpness < config.quality.min_edge_sharpness
    sharp = make_video(tmp_path / "sharp.mp4", "-ss", "9", "-i", str(real / "cockatoo.mp4"),
                       "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p")  # fmt: skip
    plane = make_video(tmp_path / "plane.mp4", "-t", "5.5", "-i",
                       str(real / "video_with_failing_audio.mp4"), "-an", "-c:v", "libx264",
                       "-preset", "veryfast", "-pix_fmt", "yuv420p")  # fmt: skip
    for path in (sharp, plane):
        clips = scored_clips(path, config)
        assert clips and all("blurry" not in c.drop_reasons for c in clips), (path.name, clips)


def test_laplacian_variance_from_integer_sums_matches_a_float_variance():
    import cv2
    import numpy as np

    from transforms.quality import grey_laplacian_var

    rng = np.random.default_rng(7)
    frames = [rng.integers(0, 256, (180, 320), dtype=np.uint8)]
    frames.append(cv2.GaussianBlur(frames[0], (0, 0), 3))  # low variance
    frames.append(np.full((180, 320), 128, np.uint8))  # none
    frames.append(np.tile(np.array([0, 255], np.uint8), (180, 160)))  # the extreme
    for grey in frames:
        expected = float(cv2.Laplacian(grey, cv2.CV_64F).var())
        assert grey_laplacian_var(grey) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_shared_laplacian_gives_the_float_laplacians_statistics_to_the_bit():
    """The frame's Laplacian is taken once, as exact integer sums, for the blur measure and
    the boundary detector's sharpness: the same floats as OpenCV's statistics of a float
    Laplacian, on real frames and their crops (a picture inside bars)."""
    import av
    import cv2

    from transforms.frames import AnalysisFrame
    from transforms.transitions import BoundaryFeatures

    whole, cropped = BoundaryFeatures(), BoundaryFeatures()
    with av.open(str(TESTDATA / "real" / "bikes.mp4")) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= 16:
                break
            bgr = frame.reformat(320, 180, "bgr24").to_ndarray()
            for features, image in ((whole, bgr), (cropped, bgr[7:-11, 20:-3])):
                features.add(i, AnalysisFrame(image))
                grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
                std = float(cv2.meanStdDev(grey)[1][0, 0])
                lap = float(cv2.meanStdDev(cv2.Laplacian(grey, cv2.CV_32F))[1][0, 0])
                assert features.sharpness[-1] == (lap / std) ** 2
                # the blur measure at the picture's own size, from the same shared sums
                blur = laplacian_var(AnalysisFrame(image), min(grey.shape))
                assert blur == grey_laplacian_var(grey)
                assert blur == pytest.approx(float(cv2.Laplacian(grey, cv2.CV_64F).var()), 1e-12)


def test_quantile_is_numpys_to_the_bit_on_real_edge_ratios():
    """edge_sharpness's quantile without np.quantile's overhead: the same float, on the edge
    ratios of real frames and on ties, single values and both ends."""
    import av
    import numpy as np

    from transforms.quality import quantile_linear

    arrays = []
    with av.open(str(TESTDATA / "real" / "cockatoo.mp4")) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= 12:
                break
            grey = frame.reformat(320, 180, "gray").to_ndarray().astype(np.float32)
            arrays.append(np.sqrt(np.abs(np.diff(grey, axis=1))).ravel() / 7)
    rng = np.random.default_rng(3)
    arrays += [np.float32([5.0]), np.full(999, 0.25, np.float32), rng.random(4097, np.float32)]
    # long enough to be selected among the largest values, with ties at any bound
    arrays += [rng.integers(0, 4, 5000).astype(np.float32), np.sort(rng.random(3000, np.float32))]
    for values in arrays:
        for q in (0.0, 0.25, 0.5, 0.98, 0.999, 1.0):
            assert quantile_linear(values, q) == float(np.quantile(values, q))
