"""Boxes, tracks and VBench-style scores on videos with exact truth; aspect buckets."""

import json

import numpy as np
import pytest

from tests.conftest import TESTDATA
from tests.moving_objects import MovingObject, background_still, evaluate, render, scenario
from transforms.buckets import BucketConfig, bucket, bucket_name
from transforms.objects import ObjectsConfig, _seen_mask, iou
from transforms.probe import probe_file
from transforms.scenes import analyze_video

W, H = 320, 180


@pytest.fixture(scope="module")
def background():
    return background_still(TESTDATA / "real" / "bikes.mp4", W, H, 200)


def run_objects(path, config, objects_config=None):
    info = probe_file(str(path), str(path), config.probe)
    analyzer = (objects_config or ObjectsConfig()).make_analyzer(info)
    analyze_video(str(path), info, config.scenes, [analyzer])
    return analyzer


def test_iou():
    assert iou((0, 0, 0.5, 0.5), (0, 0, 0.5, 0.5)) == pytest.approx(1.0)
    assert iou((0, 0, 0.5, 0.5), (0.25, 0, 0.5, 0.5)) == pytest.approx(1 / 3)
    assert iou((0, 0, 0.1, 0.1), (0.5, 0.5, 0.1, 0.1)) == 0.0


def test_seen_mask_is_none_only_where_the_neighbour_saw_the_whole_frame():
    import cv2

    shape = (128, 228)
    # a still camera, and one that zoomed in (the neighbour's corners lie beyond the frame's)
    for from_other in (np.eye(3), np.array([[1.1, 0, -11.4], [0, 1.1, -6.4], [0, 0, 1]])):
        assert _seen_mask(from_other, shape) is None
    # a pan of 5.4 px: the left 5 columns (rounded) were not seen; the rest as fillConvexPoly
    pan = np.array([[1.0, 0, 5.4], [0, 1.0, 0], [0, 0, 1]])
    mask = _seen_mask(pan, shape)
    expected = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(expected, np.array([[5, 0], [232, 0], [232, 127], [5, 127]], np.int32), 255)
    assert np.array_equal(mask, expected)
    assert not mask[:, :5].any() and mask[:, 5:].all()


@pytest.mark.parametrize(
    ("kind", "min_precision", "min_recall", "tracks"),
    [
        pytest.param("enter_leave", 0.8, 0.85, 1, id="enter_leave"),
        pytest.param("crossing", 0.65, 0.65, None, id="crossing"),
        pytest.param("empty", 1.0, 1.0, 0, id="camera_pan_only"),
    ],
)
def test_boxes_follow_objects_over_a_panning_background(
    kind, min_precision, min_recall, tracks, background, tmp_path, config
):
    objects, pan = scenario(kind, W, H)
    truth = render(tmp_path / f"{kind}.mp4", background, objects, pan)
    analyzer = run_objects(tmp_path / f"{kind}.mp4", config)
    frames = analyzer.clip_boxes(0.0, 4.0)
    assert all(f["t_s"] >= 0 for f in frames)
    # at least two boxed frames per second
    assert len(frames) >= 2 * 4 - 1
    score = evaluate(frames, truth)
    assert score["precision"] >= min_precision, score
    assert score["recall"] >= min_recall, score
    scores = analyzer.clip_scores(0.0, 4.0)
    if tracks is not None:
        assert scores["n_tracks"] == tracks
    if kind == "crossing":
        # each object keeps one id for most of its life, through the crossing
        assert score["id_purity"] >= 0.8, score
    if kind == "empty":
        assert scores["object_frame_frac"] == 0.0
    else:
        assert scores["object_frame_frac"] > 0.5
        assert scores["box_motion_px"] > 0


def test_clip_boxes_are_relative_to_the_clip(background, tmp_path, config):
    objects, pan = scenario("enter_leave", W, H)
    render(tmp_path / "v.mp4", background, objects, pan)
    analyzer = run_objects(tmp_path / "v.mp4", config)
    frames = analyzer.clip_boxes(1.0, 3.0)
    assert frames[0]["t_s"] < 0.3 and frames[-1]["t_s"] <= 2.0
    ids = {b["track_id"] for f in frames for b in f["boxes"]}
    assert ids == {0}
    for f in frames:
        for b in f["boxes"]:
            x, y, w, h = b["xywh"]
            assert 0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1
            assert b["label"] is None and 0 < b["score"] <= 1
    json.dumps(frames)  # what goes into {clip_id}.boxes.json


def test_vbench_scores_rank_defects(background, tmp_path, config):
    """A flickering clip scores lower on temporal flicker; a jerky object on smoothness."""
    steady = [MovingObject("a", (50, 40), (20, 70), (60, 0), (40, 40, 220))]
    render(tmp_path / "steady.mp4", background, steady, 20.0)
    base = run_objects(tmp_path / "steady.mp4", config).clip_scores(0, 4)

    # flicker: the same video with its brightness pumping every other frame
    from tests.conftest import make_video

    pump = "eq=eval=frame:brightness='0.3*random(1)-0.15'"
    make_video(tmp_path / "flicker.mp4", "-i", str(tmp_path / "steady.mp4"), "-vf", pump,
               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-bf", "0")  # fmt: skip
    flicker = run_objects(tmp_path / "flicker.mp4", config).clip_scores(0, 4)
    assert flicker["temporal_flicker"] < base["temporal_flicker"] - 0.01

    # smoothness: an object that jumps back and forth instead of gliding
    class Jerky(MovingObject):
        def box_at(self, t_s):
            x = 40 + 60 * t_s + (35 if int(t_s * 4) % 2 else -35)
            return (x, 60.0, 50.0, 40.0)

    jerky = [Jerky("a", (50, 40), (0, 0), (0, 0), (40, 40, 220))]
    render(tmp_path / "jerky.mp4", background, jerky, 20.0)
    rough = run_objects(tmp_path / "jerky.mp4", config).clip_scores(0, 4)
    assert rough["motion_smoothness"] < base["motion_smoothness"]
    for name in ("temporal_flicker", "motion_smoothness", "subject_consistency",
                 "background_consistency"):  # fmt: skip
        assert 0 <= base[name] <= 1
    assert base["subject_consistency"] > 0.8 and base["background_consistency"] > 0.9


def test_background_consistency_drops_when_the_scene_changes(tmp_path, config):
    """Two unrelated backgrounds glued without a cut detector: lower background consistency."""
    a = background_still(TESTDATA / "real" / "bikes.mp4", W, H, 100)
    b = background_still(TESTDATA / "real" / "bigbuckbunny.mp4", W, H, 100)
    render(tmp_path / "a.mp4", a, [], 10.0, seconds=2)
    render(tmp_path / "same.mp4", a, [], 10.0, seconds=4)
    render(tmp_path / "b.mp4", b, [], 10.0, seconds=2)
    from tests.conftest import make_video

    make_video(tmp_path / "ab.mp4", "-i", str(tmp_path / "a.mp4"), "-i", str(tmp_path / "b.mp4"),
               "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
               "-c:v", "libx264", "-pix_fmt", "yuv420p")  # fmt: skip
    config_off = ObjectsConfig()
    same = run_objects(tmp_path / "same.mp4", config, config_off).clip_scores(0, 4)
    glued = run_objects(tmp_path / "ab.mp4", config, config_off).clip_scores(0, 4)
    assert glued["background_consistency"] < same["background_consistency"] - 0.02


def test_disabled_analyzer_records_nothing(tmp_path, background, config):
    render(tmp_path / "v.mp4", background, [], 10.0, seconds=2)
    analyzer = run_objects(tmp_path / "v.mp4", config, ObjectsConfig(enabled=False))
    assert analyzer.clip_scores(0, 2) == {} and analyzer.clip_boxes(0, 2) == []


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param((1920, 1080), ("16:9", "1080p"), id="full_hd"),
        pytest.param((1080, 1920), ("9:16", "1080p"), id="vertical"),
        pytest.param((1024, 576), ("16:9", "480p"), id="pal_wide_display"),
        pytest.param((640, 480), ("4:3", "480p"), id="vga"),
        pytest.param((720, 720), ("1:1", "720p"), id="square"),
        pytest.param((2560, 1080), ("21:9", "1080p"), id="cinema"),
        pytest.param((320, 180), ("16:9", "<240p"), id="tiny"),
    ],
)
def test_buckets(size, expected):
    assert bucket(*size, BucketConfig()) == expected


def test_bucket_config_is_validated():
    with pytest.raises(ValueError, match="W:H"):
        BucketConfig(aspects=("wide",))
    assert bucket_name("16:9", "720p") == "16x9_720p"
    assert np.isclose(BucketConfig(resolutions=(720, 240)).resolutions[0], 240)
