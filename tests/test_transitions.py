"""Gradual transitions, hard negatives, scene kinds, time segments and display shape in the
scene pass, on videos generated with exact truth (tests/transition_videos.py) and real ones."""

import dataclasses

import apache_beam as beam
import cv2
import numpy as np
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that

from tests.conftest import TESTDATA, make_video
from tests.transition_videos import Shot, render
from transforms.probe import probe_file
from transforms.scenes import SplitScenes, analyze_video, build_clips, segments_of

SHOTS = [
    Shot("bbb", 4.5, None, "fade", 1.0),
    Shot("mandelbrot", 6.0, "flash", "wipeleft", 1.0),
    Shot("chaplin", 5.0, None, "fadeblack", 1.5),
    Shot("plane", 6.5, "dip", "cut"),
    Shot("bbb30_c", 7.0, "object", "dissolve", 0.5),
    Shot("gradients", 4.0),
]


@pytest.fixture(scope="module")
def joined(tmp_path_factory, config):
    path = tmp_path_factory.mktemp("transitions") / "joined.mp4"
    truth = render(path, SHOTS)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    clips = [s.clip for s in build_clips(info, analysis, config.scenes, config.clips)]
    return truth, analysis, clips


def transition_frames(truth) -> list[float]:
    return [
        k / truth.fps
        for t in truth.transitions
        for k in range(int(t["start_s"] * truth.fps), int(t["end_s"] * truth.fps) + 1)
        if t["start_s"] < k / truth.fps < t["end_s"]
    ]


def test_every_transition_is_one_gradual_boundary(joined):
    truth, analysis, _ = joined
    gradual = [b for b in analysis.boundaries if b.kind == "gradual"]
    cuts = [b for b in analysis.boundaries if b.kind == "cut"]
    assert len(gradual) == len(truth.transitions), analysis.boundaries
    for t, b in zip(truth.transitions, gradual, strict=True):
        # the whole transition lies inside the span that is cut out
        assert b.start_s <= t["start_s"] + 1 / truth.fps and b.end_s >= t["end_s"], (t, b)
        # over-cutting is the safe failure; it stays within the lag window's reach
        assert b.end_s - b.start_s < (t["end_s"] - t["start_s"]) + 5.0, (t, b)
    assert [round(b.end_s, 2) for b in cuts] == pytest.approx(truth.cuts_s, abs=0.05)


def test_no_kept_clip_holds_a_transition_frame(joined):
    truth, _, clips = joined
    kept = [c for c in clips if c.kept]
    assert len(kept) >= 3  # of 6 shots: over-cut spans cost some clips, never a leak
    frames = transition_frames(truth)
    for clip in kept:
        assert not [t for t in frames if clip.start_s <= t < clip.end_s], clip
        assert not [c for c in truth.cuts_s if clip.start_s < c < clip.end_s], clip


def test_flash_dip_and_crossing_object_are_not_boundaries(joined):
    truth, analysis, _ = joined
    changes = [(t["start_s"], t["end_s"]) for t in truth.transitions]
    changes += [(c, c) for c in truth.cuts_s]
    false = [
        b
        for b in analysis.boundaries
        if not any(b.start_s <= hi + 0.5 and b.end_s >= lo - 0.5 for lo, hi in changes)
    ]
    assert not false, (truth.negatives, false)
    assert len(truth.negatives) == 3


def test_scenes_record_how_they_start_and_end(joined):
    _, _, clips = joined
    kinds = [(c.scene_start_kind, c.scene_end_kind) for c in clips]
    assert kinds[0] == ("video_start", "gradual")
    assert kinds[-1] == ("gradual", "video_end")
    assert ("gradual", "cut") in kinds and ("cut", "gradual") in kinds


def test_no_time_past_the_source_and_too_short_rows_show_the_judged_span(tmp_path, config):
    # 4 s of one source, then 1.5 s of another: the second scene is too short for a clip.
    path = tmp_path / "short_tail.mp4"
    render(path, [Shot("testsrc2", 4.0), Shot("mandelbrot", 1.5)])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    clips = [s.clip for s in build_clips(info, analysis, config.scenes, config.clips)]
    assert all(c.end_s <= info.duration_s + 1e-6 for c in clips)
    (short,) = [c for c in clips if "too_short" in c.drop_reasons]
    trim = config.scenes.trim_s
    assert short.start_s == pytest.approx(short.scene_start_s + trim, abs=1e-3)
    assert short.end_s == pytest.approx(short.scene_end_s - trim, abs=1e-3)
    assert short.duration_s < config.clips.min_clip_s


class _Shapes:
    def __init__(self):
        self.shapes = set()

    def update(self, t_s, frame_bgr):
        self.shapes.add(frame_bgr.shape)

    def clip_scores(self, start_s, end_s):
        return {}


def test_frames_are_at_the_display_aspect_with_square_pixels(tmp_path, config):
    # 720x576 stored at SAR 64:45 is a 1024x576 (16:9) picture.
    path = make_video(
        tmp_path / "anamorphic.mp4",
        *("-f", "lavfi", "-i", "testsrc2=s=720x576:r=25:d=3"),
        *("-vf", "setsar=64/45", "-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    info = probe_file(str(path), str(path), config.probe)
    if info.display_width is None:  # until the probe fills the display size
        info = dataclasses.replace(info, display_width=1024, display_height=576)
    shapes = _Shapes()
    analysis = analyze_video(str(path), info, config.scenes, [shapes])
    assert shapes.shapes == {(180, 320, 3)}
    sample = cv2.imdecode(np.frombuffer(analysis.samples_jpg[0], np.uint8), cv2.IMREAD_COLOR)
    assert sample.shape[:2] == (256, 456)


def test_long_video_in_segments_matches_one_pass(config):
    """bbb 0-30 s (VP8, 3 cuts) in 3 segments of 10 s, through the Beam transform."""
    path = str(TESTDATA / "real/big_buck_bunny_0_30.webm")
    info = probe_file(path, path, config.probe)
    whole_config = dataclasses.replace(config.scenes, segment_s=None)
    seg_config = dataclasses.replace(config.scenes, segment_s=12.0)
    segments = segments_of(info, seg_config.segment_s)
    assert len(segments) == 3 and segments_of(info, None)[0].end_s == float("inf")
    whole = [
        s.clip
        for s in build_clips(
            info, analyze_video(path, info, whole_config), whole_config, config.clips
        )
    ]
    borders = [s.start_s for s in segments[1:]]

    def crosses(clip_or_scene_start, scene_end):
        return any(clip_or_scene_start < b < scene_end for b in borders)

    expected = {(c.start_s, c.end_s) for c in whole if not crosses(c.scene_start_s, c.scene_end_s)}

    def check(sampled):
        clips = [s.clip for s in sampled]
        got = {(c.start_s, c.end_s) for c in clips}
        assert expected <= got, sorted(expected - got)
        for clip in clips:
            assert not crosses(clip.start_s, clip.end_s)  # never across a border
            if (clip.start_s, clip.end_s) not in expected:
                assert "segment" in (clip.scene_start_kind, clip.scene_end_kind), clip
        assert len({c.clip_id for c in clips}) == len(clips)

    with TestPipeline() as p:
        out = p | beam.Create([info]) | SplitScenes(seg_config, config.clips)
        assert_that(out.clips, check)
