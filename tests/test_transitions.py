"""Gradual transitions, hard negatives, scene kinds, time segments and display shape in the
scene pass, on videos generated with exact truth (tests/transition_videos.py) and real ones."""

import dataclasses
import itertools
import statistics

import apache_beam as beam
import cv2
import numpy as np
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that

from tests.conftest import TESTDATA, make_video
from tests.transition_videos import (
    ROUND17_PLAN,
    ROUND18_PLAN,
    ROUND19_PLAN,
    ROUND20_PLAN,
    ROUND21_PLAN,
    ROUND22_PLAN,
    ROUND23_PLAN,
    ROUND24_PLAN,
    ROUND25_PLAN,
    ROUND26_PLAN,
    ROUND27_PLAN,
    ROUND28_PLAN,
    Shot,
    plan_shots,
    random_shots,
    render,
    round16_shots,
)
from transforms.probe import probe_file
from transforms.scenes import SplitScenes, analyze_video, build_clips, segments_of
from transforms.transitions import (
    Boundary,
    BoundaryConfig,
    BoundaryFeatures,
    BoundaryKind,
    PictureBars,
    ThumbRows,
    _diagonal_sums,
    _rms,
    _same_shot_across,
    _slide,
    _stepped_shot_across,
    find_boundaries,
    refine_boundaries,
    window_decoder,
)

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


def xfades(truth) -> list[dict]:
    """The truth's xfade transitions: not the footage's own fades (`source_fade`)."""
    return [t for t in truth.transitions if t["kind"] != "source_fade"]


def transition_frames(truth) -> list[float]:
    """The frames of the truth's xfades (the footage's own title fades still leak into kept
    clips: bench/bench_transitions.py counts them)."""
    return [
        k / truth.fps
        for t in xfades(truth)
        for k in range(int(t["start_s"] * truth.fps), int(t["end_s"] * truth.fps) + 1)
        if t["start_s"] < k / truth.fps < t["end_s"]
    ]


def kept_clips(info, analysis, config) -> list:
    """The kept clips built from an analysis."""
    clips = [s.clip for s in build_clips(info, analysis, config.scenes, config.clips)]
    return [c for c in clips if c.kept]


def assert_no_transition_frame(truth, kept) -> None:
    """No kept clip holds a frame of one of the truth's transitions."""
    frames = transition_frames(truth)
    for clip in kept:
        assert not [t for t in frames if clip.start_s <= t < clip.end_s], clip


def boundaries_over(analysis, t: dict) -> list:
    """The analysis's boundaries that overlap the truth transition `t`."""
    return [b for b in analysis.boundaries if b.start_s <= t["end_s"] and b.end_s >= t["start_s"]]


def assert_cut_out_whole(analysis, t: dict) -> list:
    """The boundaries over `t` span all of it; returns them."""
    near = boundaries_over(analysis, t)
    assert near and near[0].start_s <= t["start_s"] and near[-1].end_s >= t["end_s"], (t, near)
    return near


def test_every_transition_is_one_gradual_boundary(joined, config):
    truth, analysis, _ = joined
    gradual = [b for b in analysis.boundaries if b.kind == "gradual"]
    cuts = [b for b in analysis.boundaries if b.kind == "cut"]
    assert len(gradual) == len(truth.transitions), analysis.boundaries
    for t, b in zip(truth.transitions, gradual, strict=True):
        # the whole transition lies inside the span that is cut out
        assert b.start_s <= t["start_s"] + 1 / truth.fps and b.end_s >= t["end_s"], (t, b)
        # over-cutting is the safe failure; it stays within the lag window's reach and the
        # full-rate refinement's
        reach = 4 * config.scenes.gradual_window_s + 2 * config.scenes.refine_max_extend_s
        assert b.end_s - b.start_s < (t["end_s"] - t["start_s"]) + reach, (t, b)
    assert [round(b.end_s, 2) for b in cuts] == pytest.approx(truth.cuts_s, abs=0.05)


def test_no_kept_clip_holds_a_transition_frame(joined):
    truth, _, clips = joined
    kept = [c for c in clips if c.kept]
    # of 6 shots: over-cut spans (uncertain ends move out) cost some clips, never a leak
    assert len(kept) >= 2
    assert_no_transition_frame(truth, kept)
    for clip in kept:
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


@pytest.fixture(scope="module")
def slide_and_wipe(tmp_path_factory):
    """A moving real shot that slides out (1 s), a wipe (0.5 s), noise-like shots."""
    path = tmp_path_factory.mktemp("refine") / "slide_wipe.mp4"
    shots = [
        Shot("bbb30_a", 6.5, None, "slideright", 1.0),
        Shot("mandelbrot", 6.0, None, "wipeleft", 0.5),
        Shot("life", 5.0),
    ]
    return path, render(path, shots)


@pytest.mark.parametrize("late, early", [(0.4, 0.3), (0.0, 0.0)])
def test_refinement_grows_a_late_span_to_the_transitions_exact_ends(
    slide_and_wipe, config, late, early
):
    """A coarse span that starts `late` of the transition's length into it and ends `early`
    before its end (as reference frames alone may place it) grows, at full frame rate, to the
    transition's first and last frames: within a margin of a few frames, never inside."""
    path, truth = slide_and_wipe
    frame_s = 1 / truth.fps
    info = probe_file(str(path), str(path), config.probe)
    decoder = window_decoder(str(path), info.start_time_s, 0, (), skip_nonref=True)
    features = BoundaryFeatures()
    features.times_s = [k * frame_s for k in range(int(truth.duration_s * truth.fps))]
    for t in xfades(truth):
        length = t["end_s"] - t["start_s"]
        coarse = Boundary("gradual", t["start_s"] + late * length, t["end_s"] - early * length, 0)
        (b,) = refine_boundaries([coarse], features, decoder, frame_s, config.scenes)
        assert b.kind == "gradual"
        # the last clean frame before is at start_s (xfade blends O < t < O + D); refined
        # spans also grow refine_faint_s a side for the invisible first and last frames
        faint = config.scenes.refine_faint_s
        assert t["start_s"] - 4 * frame_s - faint <= b.start_s <= t["start_s"] + frame_s / 2, (
            t,
            b,
        )
        assert t["end_s"] <= b.end_s <= t["end_s"] + 4 * frame_s + faint, (t, b)


def refined_transition(path, shots, start_shift_s: float, end_shift_s: float):
    """Renders `shots` (one transition) and returns its truth, the frame time and a function
    refining, with a scenes config, a coarse span shifted from the truth by these seconds at
    each end."""
    truth = render(path, shots)
    (t,) = truth.transitions
    frame_s = 1 / truth.fps
    decoder = window_decoder(str(path), 0.0, 0, (), skip_nonref=True)
    features = BoundaryFeatures()
    features.times_s = [k * frame_s for k in range(int(truth.duration_s * truth.fps))]
    coarse = Boundary("gradual", t["start_s"] + start_shift_s, t["end_s"] + end_shift_s, 0)

    def refine(scenes_config):
        (b,) = refine_boundaries([coarse], features, decoder, frame_s, scenes_config)
        return b

    return t, frame_s, refine


def test_refinement_follows_a_corner_wipes_ramp_to_its_start(tmp_path, config):
    """Fresh set, seed 304: a 2 s diagonal wipe from the top left corner out of a zooming
    fractal into a rule-30 automaton. Its steps rise from the fractal's own (1.0) as its corner
    grows (as the square of the time) and reach the limit over them (3.6) only 0.8-0.9 s in:
    the start was the coarse span's less the faint margin, 0.16 s late, and pillar-boxed the
    first frames leaked into the clip before. From a coarse span starting 0.7 s late, the run
    over the limit started 0.28 s late; the start now follows the ramp of steps down to the
    shot's own."""
    shots = [Shot("mandel_zoom", 7.0, None, "diagtl", 2.0), Shot("rule30", 3.0)]
    t, _, refine = refined_transition(tmp_path / "corner.mp4", shots, 0.7, 1.36)
    b = refine(config.scenes)
    assert b.start_s <= t["start_s"], (t, b)
    assert b.end_s >= t["end_s"], (t, b)


def test_refinement_leaves_a_span_in_still_shots_alone(tmp_path, config):
    """Between two still pictures a coarse span around a hard cut does not grow: no frame
    next to it changes faster than the shots do (the end, with no run of changing frames in
    the span's second half, moves out by the uncertainty margin only; both move out by the
    faint margin). The hard edge (every pixel of the new picture arrives in one jump from the
    old one's at 3.0 s) then narrows it to that frame, padded by the margin and faint frames."""
    path = make_video(
        tmp_path / "stills.mp4",
        *("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=3,trim=end_frame=1,loop=74:1"),
        *("-f", "lavfi", "-i", "smptehdbars=s=320x180:r=25:d=3"),
        *("-filter_complex", "[0][1]concat=n=2,format=yuv420p", "-c:v", "libx264"),
    )
    features = BoundaryFeatures()
    features.times_s = [k / 25 for k in range(150)]
    coarse = Boundary("gradual", 2.8, 3.2, 80)
    decoder = window_decoder(str(path), 0.0, 0, (), skip_nonref=True)
    no_edge = dataclasses.replace(config.scenes, refine_edge=False)
    (b,) = refine_boundaries([coarse], features, decoder, 1 / 25, no_edge)
    margin = config.scenes.refine_uncertain_frac * 0.4
    faint = config.scenes.refine_faint_s
    assert b.start_s == pytest.approx(2.8 - faint)
    assert b.end_s == pytest.approx(3.2 + max(margin, faint))
    (b,) = refine_boundaries([coarse], features, decoder, 1 / 25, config.scenes)
    pad = config.scenes.refine_margin_frames / 25 + faint
    assert b.start_s == pytest.approx(3.0 - pad)
    assert b.end_s == pytest.approx(3.0 + pad)


def test_refinement_follows_a_reveal_to_its_last_thin_strip(tmp_path, config):
    """A 2 s reveal up from a moving pattern into a film shot that moves (chaplin.mp4 cropped,
    its frames repeated now and then), from a coarse span ending 1.05 s early (as the last
    held-back set's seed 704 had it). The reveal's whole-frame steps fall with the old shot's
    strip to the film's own over its last 0.3 s, so the run of fast steps ended there and the
    last frame leaked into the next clip; in the thumbnail's top row the strip still changes
    far more than the film does, and the span now takes in every frame of it."""
    shots = [Shot("triangle", 4.0, None, "revealup", 2.0), Shot("chaplin_crop", 3.5)]
    t, frame_s, refine = refined_transition(tmp_path / "reveal.mp4", shots, -0.65, -1.05)
    b = refine(config.scenes)
    assert b.end_s >= t["end_s"], (t, b)  # was 3.96: the frame at 3.96 s leaked
    pad = config.scenes.refine_margin_frames * frame_s + config.scenes.refine_faint_s
    assert b.end_s <= t["end_s"] + pad + frame_s, (t, b)  # not into the film's own motion
    old = refine(dataclasses.replace(config.scenes, refine_band=False))
    assert old.end_s < t["end_s"], old  # the whole-frame steps alone stop short


@pytest.mark.parametrize(
    "pad",
    [
        pytest.param("pad=640:480:0:104", id="letterbox-4:3"),
        pytest.param("pad=960:272:160:0", id="pillar-box"),
    ],
)
def test_black_bars_hide_no_cut(tmp_path, config, pad):
    """bikes.mp4 boxed into a frame 43 % (33 %) bars: its 7.48 s cut scored as much less as
    the bars' share (constant black differs by nothing), under the threshold, and was lost.
    The boundary features are read inside the bars, as the unboxed footage gives them; the
    bars' share is found from the frames. (No B-frames: the pass then reads every frame of
    both encodes, whose reference frames otherwise fall on other frames of the shots' fast
    pans.)"""
    real = TESTDATA / "real" / "bikes.mp4"
    path = make_video(
        tmp_path / "boxed.mp4", "-i", str(real), "-vf", f"{pad},setsar=1", "-an", "-bf", "0"
    )
    info = probe_file(str(path), str(path), config.probe)
    cuts = [1.2, 3.04, 5.48, 7.48, 9.68]  # published
    assert config.scenes.inside_bars  # the default
    analysis = analyze_video(str(path), info, config.scenes)
    assert [b.end_s for b in analysis.boundaries] == pytest.approx(cuts, abs=0.05)
    whole = dataclasses.replace(config.scenes, inside_bars=False)
    analysis = analyze_video(str(path), info, whole)
    assert not [b for b in analysis.boundaries if abs(b.end_s - 7.48) <= 0.05]


@pytest.mark.parametrize("first_s", [pytest.param(2.0, id="2s"), pytest.param(3.0, id="3s")])
def test_a_jump_cut_within_one_scene_is_a_cut(tmp_path, config, first_s):
    """One Big Buck Bunny scene cut from 22.85 s back to 17.5 s (the edge set's missed cut):
    colours alike (content score about 15, half the threshold), one analysed step of RMS ~40
    with the first step after it ~0.2 of that (two frames apart, the scene moving), and a fast
    move in the scene 0.4-0.5 s later with steps up to ~26. The move kept the jump from
    dwarfing the steps within min_scene_s, and the step beside it from dwarfing those within
    flash_s: a clip crossed the cut. It is a cut at its frame now."""
    src = str(TESTDATA / "real" / "big_buck_bunny_0_30.webm")
    fit = "scale=320:180,setsar=1,fps=25,format=yuv420p,setpts=PTS-STARTPTS"
    path = make_video(
        tmp_path / "jump.mp4",
        *("-threads", "1", "-ss", str(22.85 - first_s), "-t", str(first_s), "-i", src),
        *("-threads", "1", "-ss", "17.5", "-t", "2.0", "-i", src),
        "-filter_complex",
        f"[0:v]{fit}[a];[1:v]{fit}[b];[a][b]concat=n=2:v=1:a=0[v]",
        *("-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-threads", "1"),
    )
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (b,) = analysis.boundaries
    assert b.kind == "cut" and b.start_s <= first_s + 0.02 <= b.end_s + 0.05, b


def test_a_soft_wipe_between_moving_grey_textures_is_cut_out(tmp_path, config):
    """A 1.5 s diagonal soft wipe (xfade diagtl: a smoothstep ramp over the frame) from a
    cellular automaton (rule 90) into a game of life, a darkening of the life later: both grey,
    their value histograms 0.4 apart (under every histogram rule), no pixel near a clean frame
    (both move every frame, so `_wipe` finds no partition). Their fineness differs (sharpness
    ~20 against ~12) and on a 4x3 grid of block means the frames between are blends rising
    steadily: the wipe is one gradual span (the edge set's last leak); the darkening, which
    keeps the life's fineness, is none."""
    path = tmp_path / "textures.mp4"
    truth = render(path, [Shot("rule90", 4.0, None, "diagtl", 1.5), Shot("life", 6.0, "darken")])
    info = probe_file(str(path), str(path), config.probe)
    (t,) = truth.transitions
    (b,) = analyze_video(str(path), info, config.scenes).boundaries
    assert b.kind == "gradual" and b.start_s <= t["start_s"] and b.end_s >= t["end_s"], b
    assert b.end_s < truth.negatives[0]["start_s"], b
    off = dataclasses.replace(config.scenes, gradual_texture_max_ratio=0.0)
    assert analyze_video(str(path), info, off).boundaries == []  # as it was


def test_a_smooth_picture_sweeping_by_itself_is_no_texture_wipe(config):
    """The bench input's turning gradient right after its hard cut from carphone.mp4: on a 4x3
    grid its frames rose steadily from one end's block means to the other's, and the ends'
    sharpness (~0.03 and ~0.02, a smooth picture's noise) differed by more than the texture
    rule's ratio: the cut became a 1 s gradual span. The rule is for fine textures (sharpness
    at least gradual_texture_min_sharpness at both ends), as rule 90 (~20) into a game of
    life (~12)."""
    from transforms.transitions import _texture_sweep

    n = 60
    times = np.arange(n) / 30
    x = np.linspace(0, 1, 32)[None, :, None]
    tinies = []
    for m in range(n):  # a soft edge as wide as the frame crossing between two flat colours
        edge = np.clip((m - 10) / 40, 0, 1) * 2 - 0.5
        share = np.clip(edge - x + 0.5, 0, 1)
        tinies.append(np.broadcast_to(60 + 120 * share, (18, 32, 3)).astype(np.uint8))
    smooth = np.where(times < 1, 0.03, 0.02)
    fine = np.where(times < 1, 20.0, 12.0)
    scenes = config.scenes
    off = dataclasses.replace(scenes, gradual_texture_min_sharpness=0.0)
    assert _texture_sweep(times, tinies, smooth, 2, n - 3, off)  # as it was
    assert not _texture_sweep(times, tinies, smooth, 2, n - 3, scenes)
    assert _texture_sweep(times, tinies, fine, 2, n - 3, scenes)


def test_the_features_box_keeps_its_bars_through_dark_frames_and_shakes(config):
    """The bars the features are read inside (`PictureBars`): the first lit frame's; a frame
    dark all over (a fade through black) tells nothing, a dark scene beside a bar (over
    bars_max_frac, or under it) never widens it; a side narrows only where every frame over
    bars_change_s has had it narrower (the widest of them), so bars that shake with the
    picture leave the box, and a full picture ends them. No bars: no box."""
    from transforms.frames import AnalysisFrame

    bars = PictureBars(config.scenes)
    change_s = config.scenes.bars_change_s

    def frame(top: int, bottom: int, level: int = 120) -> AnalysisFrame:
        image = np.full((180, 240, 3), level, np.uint8)
        image[:top], image[180 - bottom :] = 0, 0
        return AnalysisFrame(image)

    assert bars.box(frame(180, 0), 0.0) is None  # black: nothing known yet
    assert bars.box(frame(22, 22), 0.04) == (0, 22, 240, 158)
    assert bars.box(frame(60, 22), 0.08) == (0, 22, 240, 158)  # a dark sky under the top bar
    assert bars.box(frame(170, 0, level=0), 0.12) == (0, 22, 240, 158)  # a fade through black
    for k in range(20):  # the bottom bar shakes, 10 to 22 rows, at 12.5 Hz
        assert bars.box(frame(22, 10 + 12 * (k % 2)), 0.16 + 0.04 * k) == (0, 22, 240, 158)
    t_s = 1.0
    for k in range(int(change_s / 0.04) + 1):  # narrower for bars_change_s: the widest of them
        assert bars.box(frame(22, 19 + k % 2), t_s + 0.04 * k) == (0, 22, 240, 158)
    assert bars.box(frame(22, 19), t_s + change_s + 0.04) == (0, 22, 240, 160)
    assert bars.fraction() == pytest.approx((0.0, 22 / 180, 1.0, 160 / 180))
    for k in range(int(change_s / 0.04) + 2):  # a full picture
        box = bars.box(frame(0, 0), 2.0 + 0.04 * k)
    assert box is None and bars.fraction() is None


def test_the_features_box_reads_no_bars_once_every_side_was_lit(config):
    """Once every side of the features box has had a lit edge the box is the whole frame for
    good (`PictureBars.whole`): later frames, bars or not, are not read for bars at all (a
    `bars_of` per analysed frame, ~0.1 of ~10 CPU s on the bench input; issue 12)."""
    from transforms.frames import AnalysisFrame

    bars = PictureBars(config.scenes)
    key = ("bars", bars.borders)
    image = np.full((180, 320, 3), 120, np.uint8)
    first = AnalysisFrame(image)
    assert bars.box(first, 0.0) is None and key in first._cache
    assert bars.whole()
    image[:40], image[140:] = 0, 0  # a letterboxed frame later: the box stays whole
    later = AnalysisFrame(image)
    assert bars.box(later, 1.0) is None and bars.fraction() is None
    assert key not in later._cache


def test_a_dark_picture_beside_a_bar_takes_the_opposite_bar(config):
    """A pillar-boxed shot dark on its right (the bar and the picture's dark part together
    over bars_max_frac) had no right bar until a fade out of it narrowed the dark run: the box
    then shrank mid-fade, and the features across it, of two crops, made a cut (final set
    pillar-boxed, seed 602: a fade taken for a cut). Bars are centred: that side's is the left
    one's from the first frame. With no bar opposite, nothing is known of it."""
    from transforms.frames import AnalysisFrame

    def frame(left: int, right: int, level: int = 120) -> AnalysisFrame:
        image = np.full((180, 432, 3), level, np.uint8)
        image[:, :left], image[:, 432 - right :] = 0, 0
        return AnalysisFrame(image)

    bars = PictureBars(config.scenes)
    assert config.scenes.bars_max_frac * 432 < 156
    assert bars.box(frame(56, 156), 0.0) == (56, 0, 376, 180)
    for k in range(10):  # the fade: the dark run narrows to the bar
        assert bars.box(frame(56, 156 - 10 * k, 120 - 10 * k), 0.04 * (k + 1)) == (56, 0, 376, 180)
    assert bars.box(frame(56, 56), 0.5) == (56, 0, 376, 180)
    lit = PictureBars(config.scenes)
    assert lit.box(frame(0, 156), 0.0) is None


def test_thumbnails_before_a_grown_box_are_read_again_in_it(config):
    """An unboxed film dark on its top and bottom rows has them taken for bars; a wipe that
    lights them grows the box mid-wipe (`PictureBars`), and the thumbnails before, of the
    smaller crop, made the wipe's frames fail the wipe check (wipes set: the wipe kept). The
    thumbnails over bars_reread_s before a change are read again in the new box."""
    import cv2

    from transforms.frames import AnalysisFrame

    rows = np.linspace(40, 220, 180)[:, None, None]
    picture = np.broadcast_to(rows, (180, 320, 3)).astype(np.uint8)  # a vertical gradient
    features = BoundaryFeatures(bars=PictureBars(config.scenes))
    wholes = []
    for k in range(30):
        image = picture.copy()
        if k < 12:
            image[:20] = 0  # dark top rows, lit by the wipe from frame 12
        if k < 20:
            image[160:] = 0  # dark bottom rows, lit from frame 20
        wholes.append(image)
        frame = AnalysisFrame(image)
        features.add(0.04 * k, frame.with_box(features.picture_box(0.04 * k, frame)))
    assert features.bars.fraction() is None  # no bars in the end
    for image, tiny in zip(wholes, features.tinies, strict=True):
        whole = cv2.resize(image, (32, 18), interpolation=cv2.INTER_AREA)
        assert _rms(tiny, whole) < 3.0  # read in the whole frame, as the frames after


@pytest.mark.parametrize(
    "pad",
    [pytest.param("320:240:0:30", id="letterbox"), pytest.param("432:180:56:0", id="pillar-box")],
)
def test_a_boxed_dissolve_is_cut_out_whole(tmp_path, config, pad):
    """The development set letterboxed (seed 8): a 2 s dissolve from colour bars into a
    cellular automaton was no boundary, and the clip across it kept. The features were read
    from the whole frame's thumbnails less the bars' rows (a row blended with the bar's edge
    kept) and the picture at 240x135; on the picture at its own size (320x180, as unboxed),
    and its full-rate thumbnails inside the bars, the dissolve is one span cut out whole."""
    path = tmp_path / "boxed.mp4"
    shots = [Shot("bars", 6.0, None, "dissolve", 2.0), Shot("cellauto", 7.0)]
    truth = render(path, shots, pad=pad)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (t,) = truth.transitions
    (b,) = analysis.boundaries
    assert b.kind == "gradual" and b.start_s <= t["start_s"] and b.end_s >= t["end_s"], b
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)


def test_full_rate_thumbnails_are_of_the_picture_inside_the_bars(tmp_path):
    """The refinement's full-rate thumbnails of a letterboxed source, cut to the features' box,
    are the unboxed source's (the bars' quarter of the frame held a transition's steps to
    3/4 and flattened its colour trend: spans ended ~0.8 s early)."""
    plain, boxed = tmp_path / "plain.mp4", tmp_path / "boxed.mp4"
    shots = [Shot("testsrc2", 2.0, None, "fade", 1.0), Shot("bars", 2.0)]
    render(plain, shots)
    render(boxed, shots, pad="320:240:0:30")
    (times, whole), (_, inside) = (
        window_decoder(str(path), 0.0, 0, (), box=box)(1.5, 2.5)
        for path, box in ((plain, None), (boxed, (0.0, 0.125, 1.0, 0.875)))
    )
    assert len(times) == 25 and all(t.shape == (18, 32, 3) for t in inside)
    rms = [_rms(a, b) for a, b in zip(whole, inside, strict=True)]
    assert max(rms) < 4.0, rms
    (_, with_bars) = window_decoder(str(boxed), 0.0, 0, ())(1.5, 2.5)
    assert min(_rms(a, b) for a, b in zip(whole, with_bars, strict=True)) > 20


def test_no_kept_clip_holds_a_slide_or_wipe_frame(slide_and_wipe, config):
    path, truth = slide_and_wipe
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)


# The kinds that leaked in the development and held-back sets: a slide into a still shot (seen
# as a cut at its steepest step), a slow dissolve from a drifting into a fast shot (its steps
# rise smoothly), a slow dissolve of shots of close colours (a weak lag peak), a circle opening
# on a still shot (its first frames invisible in thumbnails), a fade in from black into fast
# motion.
HARD = [
    Shot("chaplin", 5.0, None, "slideleft", 1.5),
    Shot("bars", 7.0, None, "dissolve", 2.0),
    Shot("cellauto", 5.5, None, "cut"),
    Shot("gradients", 5.5, None, "dissolve", 2.0),
    Shot("testsrc2", 7.5, None, "fadeblack", 2.0),
    Shot("life", 6.5, None, "circleopen", 1.0),
    Shot("bars", 4.0),
]


def test_no_kept_clip_holds_a_frame_of_the_hard_transitions(tmp_path, config):
    path = tmp_path / "hard.mp4"
    truth = render(path, HARD)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    kept = kept_clips(info, analysis, config)
    # of 7 shots with 3-3.5 s clean: spans in the noisy shots (life, cellauto) are wide, and
    # across their random seeds 4 or 5 clips stay (the renders are seeded, so each run is alike)
    assert len(kept) >= 4
    assert_no_transition_frame(truth, kept)
    # every transition is one gradual boundary, the hard cut a cut
    for t in truth.transitions:
        near = boundaries_over(analysis, t)
        assert [b.kind for b in near] == ["gradual"], (t, near)
    (cut,) = truth.cuts_s
    assert any(b.start_s - 0.1 <= cut <= b.end_s + 0.1 for b in analysis.boundaries)


def test_a_cut_hidden_in_noisy_shots_is_one_dominant_step():
    """Between thumbnails that each change a little, one step that makes the change is a hard
    cut (its first frame returned); a change spread over the frames (a blend) is not."""
    from transforms.transitions import BoundaryConfig, _dominant_step

    config = BoundaryConfig()
    times = np.arange(12) / 25
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 255, (2, 18, 32, 3)).astype(np.uint8)
    noisy = [np.clip(a + rng.normal(0, 2, a.shape), 0, 255).astype(np.uint8) for _ in range(6)]
    noisy += [np.clip(b + rng.normal(0, 2, b.shape), 0, 255).astype(np.uint8) for _ in range(6)]
    assert _dominant_step(times, noisy, 0, 11, config) == 6
    blend = [(a * (1 - w) + b * w).astype(np.uint8) for w in np.linspace(0, 1, 12)]
    assert _dominant_step(times, blend, 0, 11, config) is None
    flash = noisy[:6] + [np.full_like(a, 250)] * 2 + noisy[:4]  # two white frames, then back
    assert _dominant_step(times, flash, 0, 7, config) is None


def test_a_burst_that_slows_down_ends_with_no_cut():
    """A cut into a fast pattern (every frame above the content threshold for 1.6 s, then
    below): the burst's last jump gave a second cut (PySceneDetect's merge) though its
    thumbnail step is half the burst's own: the pattern slowing down, no cut."""
    from transforms.transitions import BoundaryConfig, hard_cut_indices

    config = BoundaryConfig()
    times = np.arange(150) / 25
    rng = np.random.default_rng(2)
    a = rng.integers(0, 255, (18, 32, 3)).astype(np.float64)
    tinies = [a + rng.normal(0, 1, a.shape) for _ in range(50)]
    b = rng.integers(0, 255, (18, 32, 3)).astype(np.float64)
    for k in range(50, 150):  # the pattern moves fast, half as fast from its last jump on
        b = np.clip(b + rng.normal(0, 40 if k < 89 else 20, b.shape), 0, 255)
        tinies.append(b.copy())
    tinies = [np.clip(t, 0, 255).astype(np.uint8) for t in tinies]
    scores = np.array([5.0] * 50 + [60.0] + [45.0] * 39 + [20.0] * 60, dtype=np.float32)
    off = dataclasses.replace(config, burst_cut_min_ratio=0.0)
    assert hard_cut_indices(times, scores, tinies, off) == [50, 89]
    assert hard_cut_indices(times, scores, tinies, config) == [50]


def test_a_cut_inside_a_burst_of_high_content_scores_is_found():
    """Two shots of fine flickering detail score above the content threshold on every frame, so
    the burst gives no cut where the shots change; the one thumbnail step that dwarfs the
    others there is the cut. Without such a step (one shot flickering throughout) none."""
    from transforms.transitions import BoundaryConfig, BoundaryFeatures, find_boundaries

    config = BoundaryConfig(gradual=False)
    rng = np.random.default_rng(1)

    def flicker(level: int) -> np.ndarray:  # pixel noise around `level`: averages out at 32x18
        return np.clip(level + rng.normal(0, 60, (90, 160, 3)), 0, 255).astype(np.uint8)

    def features(levels: list[int]) -> BoundaryFeatures:
        f = BoundaryFeatures()
        for k, level in enumerate(levels):
            f.add(k / 25, flicker(level))
        return f

    one_shot = features([70] * 75)
    assert min(one_shot.scores[1:]) > config.threshold  # every frame a jump in the content score
    assert find_boundaries(one_shot, 1 / 25, config) == []
    (cut,) = find_boundaries(features([70] * 40 + [190] * 35), 1 / 25, config)
    assert cut.kind == "cut" and cut.index == 40


# A short fade through white whose white frames the content score took for a hard cut (so its
# fade-in leaked into the next clip), and a slow 2 s dissolve between two shots of one film
# (colours a little apart, structure correlating a little) that no rule found. Both failed
# before transitions._through_flat_span and transitions._slow_blend.
SHORT_FADES = [
    Shot("bbb30_c", 3.8, None, "fadewhite", 0.5),
    Shot("bbb", 4.65, None, "fade", 1.5),
    Shot("chaplin", 4.69),
]
SLOW_DISSOLVE = [
    Shot("bars", 3.5, None, "fadewhite", 0.5),
    Shot("bbb", 5.2, None, "dissolve", 2.0),
    Shot("bbb30_c", 4.62),
]
# Moving edges (final set, seeds 601-604): a cover from a moving shot, a wipe between two
# colour-bar patterns (histograms 0.29 apart, below every histogram rule: found as partitions
# of the two), a reveal of a plain colour picture (no grey structure at all).
MOVING_EDGES = [
    Shot("bbb30_f", 4.5, None, "coverup", 1.0),
    Shot("testsrc", 4.5, None, "wipebl", 1.0),
    Shot("pal75", 3.5, None, "cut"),
    Shot("bbb30_h", 4.5, None, "revealleft", 1.5),
    Shot("radial", 3.0),
]


# A wipe between two shots of one film (histograms a little apart: a weak lag peak) 3.5 s
# after a camera flash, whose lag peak is strong but no transition: it hid the wipe (edge set).
WIPE_AFTER_FLASH = [
    Shot("bbb30_d", 6.9, "flash", "wipeleft", 1.0),
    Shot("bbb30_f", 4.8),
]

# A cover from a black-and-white film into a grey game of life: grey pictures' hue-saturation
# histograms are one bin, so only their value histograms can tell them apart (edge set).
GREY_COVER = [Shot("chaplin_b", 5.5, None, "coverdown", 2.0), Shot("life_b", 5.0)]


# Wipes that no rule found (wipes set, issue 11): the histograms' lag rose, yet the ends'
# structure correlated by chance (colour bars and a gradient both vary along the rows) or was
# none (two plain colours, taken for the same structure); or it hardly rose (black-and-white
# film into colour bars' grey half) and the frames between, compared with the lag's ends
# within a fixed tolerance, were no partitions: the film moves and a soft edge's band blends.
BARS_INTO_GRADIENT = [Shot("smpte", 6.5, "graphic", "radial", 0.5), Shot("linear_w", 4.5)]
PLAIN_COLOURS = [Shot("grey", 5.0, None, "wipebl", 2.0), Shot("red", 5.0)]
FILM_INTO_BARS = [Shot("chaplin_top", 4.73, None, "diagbr", 1.75), Shot("hdbars", 7.87, "whip")]
GRADIENT_INTO_BARS = [Shot("linear_w", 5.0, None, "smoothup", 1.5), Shot("smpte", 8.3, "tilt")]
# A wipe from colour bars into a test chart (histograms close, thumbnails far apart): the RMS
# lag's plateau had two peaks, each taken for a wipe, and the two then dropped as a picture
# that keeps partitioning itself.
BARS_INTO_CHART = [
    Shot("linear_w", 3.92, None, "barnwipe", 1.25),
    Shot("smpte", 7.25, "object", "wipetl", 1.0),
    Shot("testsrc", 3.68, None, "cut"),
    Shot("navy", 3.0),
]


@pytest.mark.parametrize(
    "shots",
    [
        pytest.param(BARS_INTO_GRADIENT, id="radial_wipe_bars_into_gradient"),
        pytest.param(PLAIN_COLOURS, id="diagonal_wipe_between_plain_colours"),
        pytest.param(FILM_INTO_BARS, id="soft_diagonal_film_into_bars"),
        pytest.param(GRADIENT_INTO_BARS, id="smooth_wipe_gradient_into_bars"),
        pytest.param(BARS_INTO_CHART, id="corner_wipe_bars_into_chart"),
        pytest.param(SHORT_FADES, id="short_fade_through_white"),
        pytest.param(SLOW_DISSOLVE, id="slow_dissolve_of_one_film"),
        pytest.param(MOVING_EDGES, id="cover_wipe_between_bars_reveal"),
        pytest.param(WIPE_AFTER_FLASH, id="wipe_of_one_film_after_a_flash"),
        pytest.param(GREY_COVER, id="cover_between_grey_pictures"),
    ],
)
def test_short_fades_and_slow_dissolves_are_cut_out_whole(tmp_path, config, shots):
    path = tmp_path / "fades.mp4"
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    for t in xfades(truth):  # each one gradual boundary holding the whole transition
        near = boundaries_over(analysis, t)
        assert [b.kind for b in near] == ["gradual"], (t, near)
        assert near[0].start_s <= t["start_s"] + 1 / truth.fps, (t, near)
        assert near[0].end_s >= t["end_s"] - 1 / truth.fps, (t, near)
    kept = kept_clips(info, analysis, config)
    assert kept  # the spans are no wider than the shots
    assert_no_transition_frame(truth, kept)


def test_a_jump_on_one_side_of_a_wipes_edge_is_no_cut(tmp_path, config):
    """New set pillar-boxed, seed 203: a 2 s wipe down from Big Buck Bunny into a cellular
    automaton, the film below the edge changing fast 0.4 s in (its bird flying off), seen in
    one two-frame step (the pass reads reference frames only) whose content score passed the
    threshold: a hard cut, which the lag never reaches across, and the wipe leaked into the
    clip before it. The automaton's rows above the edge hardly changed in that step: a hard
    cut changes every row, a jump beside a still band is judged with the frames around it.
    (Here the step scores 25.2, 27.5 in the bench's encode: the threshold stands below it.)"""
    from transforms.frames import AnalysisFrame
    from transforms.transitions import find_boundaries

    path = tmp_path / "wipe_down.mp4"
    shots = [Shot("bbb30_c", 6.62, None, "wipedown", 2.0), Shot("cellauto", 4.0)]
    truth = render(path, shots, pad="432:180:56:0")
    scenes = dataclasses.replace(config.scenes, threshold=25.0)
    features = BoundaryFeatures(bars=PictureBars(scenes))
    capture = cv2.VideoCapture(str(path))
    k = 0
    while True:
        ok, image = capture.read()
        if not ok:
            break
        if k != 124:  # 4.96 s, a frame the pass skips: 4.92 -> 5.00 s is one step
            frame = AnalysisFrame(image)
            features.add(k / truth.fps, frame.with_box(features.picture_box(k / truth.fps, frame)))
        k += 1
    capture.release()
    assert max(features.scores) >= scenes.threshold  # the film's jump passes for a cut
    (wipe,) = truth.transitions
    boundaries = find_boundaries(features, 1 / truth.fps, scenes)
    assert [b.kind for b in boundaries] == ["gradual"], boundaries
    assert boundaries[0].start_s <= wipe["start_s"] < wipe["end_s"] <= boundaries[0].end_s


def test_a_tilt_over_colour_bars_is_no_wipe_edge(tmp_path, config):
    """Wipes set pillar-boxed, seed 1101: a tilt over SMPTE bars leaves the bars' columns as
    they were, a still band beside a jump (`_still_band`), which was judged as a wipe's and
    gave a false boundary 7.0-7.92 s; the step is the picture moving (the frame before shifted
    two rows matches the one after within 0.29 of it), no edge parting two shots."""
    path = tmp_path / "bars_tilt.mp4"
    shots = [
        Shot("linear_w", 5.0, None, "smoothup", 1.5),
        Shot("smpte", 8.3, "tilt", "vertopen", 1.75),
        Shot("bbb30_mirror", 5.96),
    ]
    truth = render(path, shots, pad="432:180:56:0")
    info = probe_file(str(path), str(path), config.probe)
    boundaries = analyze_video(str(path), info, config.scenes).boundaries
    (tilt,) = truth.negatives
    inside = [b for b in boundaries if b.start_s < tilt["end_s"] and b.end_s > tilt["start_s"]]
    assert not inside, boundaries
    for t in truth.transitions:
        assert [b for b in boundaries if b.start_s <= t["start_s"] and b.end_s >= t["end_s"]]


def test_a_fast_zoom_is_no_transition(tmp_path, config):
    """Development set, seed 4: a 2.5x zoom in a second into a mandelbrot that zooms by itself
    (4x over the span) changed its colours as a transition does and gave a false gradual
    boundary 34.12-37.2 s. Its full-rate frames chain into one zoom (4x) that turns the first
    frame into the last (correlation 0.94 at 128x72; transitions 0.62 at most): the camera's.
    The cut before it and the fade after it stay."""
    path = tmp_path / "zoom.mp4"
    shots = [
        Shot("bbb30_d", 3.62, None, "cut"),
        Shot("mandelbrot", 6.69, "zoom", "fade", 1.5),
        Shot("life", 4.0),
    ]
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    boundaries = analyze_video(str(path), info, config.scenes).boundaries
    (zoom,) = truth.negatives
    near = [
        b for b in boundaries if b.start_s < zoom["end_s"] + 0.5 and b.end_s > zoom["start_s"] - 0.5
    ]
    assert not near, boundaries
    (fade,) = xfades(truth)
    assert [b for b in boundaries if b.start_s <= fade["start_s"] and b.end_s >= fade["end_s"]]
    assert [b for b in boundaries if abs(b.end_s - truth.cuts_s[0]) < 0.1], boundaries


def test_a_flickering_light_in_a_handheld_shot_is_no_boundary(tmp_path, config):
    """Round-17 set, seed 1703: a handheld cockatoo whose light drops by a fifth four times in a
    second gave a false boundary at a dip. Either side of it the frames are one picture, moved
    by a few pixels and lit otherwise: registered by a shift with a gain (ECC) they correlate
    0.96, a transition's two pictures 0.83 at most. Here the dip was a hard cut."""
    path = tmp_path / "flicker.mp4"
    shots = [
        Shot("cockatoo_a17", 5.56, "flicker", "dissolve", 0.8, move="handheld"),
        Shot("cockatoo_b17", 3.0, move="handheld_pan"),
    ]
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    boundaries = analyze_video(str(path), info, config.scenes).boundaries
    (flicker,) = truth.negatives
    near = [
        b
        for b in boundaries
        if b.start_s < flicker["end_s"] + 0.5 and b.end_s > flicker["start_s"] - 0.5
    ]
    assert not near, boundaries


def test_a_white_balance_snap_in_a_moving_shot_is_no_boundary(tmp_path, config):
    """Round-21 set, seed 2103: the white balance snapping warmer in one frame (U -20, V +16)
    and staying gave a hard cut. The light hardly changes, the colour cast does, and the frames
    either side are one picture: no boundary. Here a handheld phone shot snaps at 3 s."""
    path = make_video(
        tmp_path / "wb.mp4",
        *("-i", str(TESTDATA / "real" / "carphone_pristine.mp4"), "-t", "6", "-an"),
        *("-vf", "lutyuv=u='clipval-20':v='clipval+16':enable='gte(t,3)'"),
        *("-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p"),
    )
    info = probe_file(str(path), str(path), config.probe)
    assert analyze_video(str(path), info, config.scenes).boundaries == []


def test_a_colour_cast_changes_with_a_white_balance_not_a_shift_or_the_light():
    """A slide's frames (one picture shifted) and a brightening keep their cast; per-channel
    gains (a white balance) change it."""
    from transforms.transitions import _cast_apart

    rng = np.random.default_rng(0)
    picture = rng.integers(40, 200, (72, 128, 3)).astype(np.float64)
    shifted = np.roll(picture, 9, axis=1)
    assert _cast_apart(picture, shifted) < 0.02
    assert _cast_apart(picture, picture * 1.3) < 0.02
    assert _cast_apart(picture, picture * [0.8, 1.0, 1.15]) > 0.1


def test_a_plain_picture_shares_no_structure_with_a_structured_one():
    """A reveal of (or cover by) a plain colour picture is a change of shot: its thumbnail's
    correlation with a structured one is none (0), with another plain one full (1)."""
    from transforms.transitions import _ncc

    plain = np.full((18, 32, 3), (160, 160, 31), np.uint8)
    other = np.full((18, 32, 3), (20, 40, 200), np.uint8)
    structured = np.random.default_rng(1).integers(0, 255, (18, 32, 3)).astype(np.uint8)
    assert _ncc(plain, structured) == 0.0
    assert _ncc(structured, plain) == 0.0
    assert _ncc(plain, other) == 1.0
    assert _ncc(structured, structured) == pytest.approx(1.0)


def test_two_pictures_boxed_alike_share_no_structure_through_their_bars(config):
    """Unrelated pictures letterboxed (and pillarboxed) alike correlate through their bars
    whole; inside the bars both share, they do not. Bars only one has are the picture's (lit
    top rows in one: the bottom bar alone is left out, the side bars no longer dark and flat
    all along)."""
    from transforms.transitions import _ncc

    rng = np.random.default_rng(2)
    a, b = (rng.integers(80, 255, (18, 32, 3)).astype(np.uint8) for _ in range(2))
    for box in (np.s_[:4], np.s_[-4:], np.s_[:, :5], np.s_[:, -5:]):
        a[box], b[box] = 0, 0
    assert _ncc(a, b) > 0.6  # the bars' structure
    assert abs(_ncc(a, b, config.scenes)) < 0.2
    lit = b.copy()
    lit[:4] = 255
    assert _ncc(a, lit, config.scenes) == pytest.approx(_ncc(a[:-4], lit[:-4]))
    off = dataclasses.replace(config.scenes, ncc_inside_bars=False)
    assert _ncc(a, b, off) == _ncc(a, b)
    # A picture fading to black towards its bottom (edge set, seed 31: a pan over `spectrum`,
    # its last 4 rows dark and flat, gave a false boundary with them left out) has no bar.
    fade = np.linspace(124, 3, 18)[:, None, None] * np.ones((1, 32, 3))
    c, d = (fade * rng.uniform(0.9, 1.1, (18, 32, 3))).astype(np.uint8), fade.astype(np.uint8)
    assert _ncc(c, d, config.scenes) == _ncc(c, d)


@pytest.mark.parametrize(
    "colours",
    [
        ("0x2060c0", "0xe0a020"),
        ("0x000000", "0xffffff"),
        ("0xc03020", "0x20c040"),
        ("0x20a0a0", "0x8030a0"),
    ],
    ids=["blue_orange", "black_white", "red_green", "teal_purple"],
)
def test_a_rotating_two_colour_picture_is_one_shot(tmp_path, config, colours):
    """ffmpeg's `gradients` (two colours split by a slowly turning soft edge, the bench
    input's 13 s span): every stretch of it is a partition of its ends, as a wipe's frames
    are, but one follows the next with no clean shot between: no boundary (there were six).
    The colours are named: without them ffmpeg draws random ones at each render (seed sets
    only the edge's path). Red/green gave a false wipe at 4.6-5.57 s, teal/purple two: the
    picture changed as much over half the lag before and after as between its ends (issue
    11); a wipe has a settled shot on one side at least."""
    c0, c1 = colours
    source = f"gradients=size=640x360:rate=30:speed=0.05:seed=1:duration=13:c0={c0}:c1={c1}"
    path = make_video(
        tmp_path / "gradients.mp4",
        *("-f", "lavfi", "-i", source + ":nb_colors=2"),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    info = probe_file(str(path), str(path), config.probe)
    assert analyze_video(str(path), info, config.scenes).boundaries == []


def test_a_violent_shake_before_a_fade_is_no_boundary(tmp_path, config):
    """A second of violent handheld shake 1 s before a fade: its burst of content jumps gives
    a cut at its first and at its last jump, which the full-rate refinement grew into a false
    gradual boundary; the picture after the burst is the one from before it (same colours and
    structure), so neither is a cut, and the fade is still cut out whole."""
    path = tmp_path / "shake_fade.mp4"
    truth = render(path, [Shot("carphone", 4.0, "shake", "fade", 1.0), Shot("bbb30_c", 4.0)])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (fade,) = truth.transitions
    assert [b.kind for b in analysis.boundaries] == ["gradual"], analysis.boundaries
    (b,) = analysis.boundaries
    assert b.start_s <= fade["start_s"] and b.end_s >= fade["end_s"], b
    # the shake (1-2 s) is no boundary of its own: the span starts after most of it
    assert b.start_s >= truth.negatives[0]["start_s"] + 0.5, b


def test_a_wipe_after_a_fade_in_and_into_a_fast_pattern_is_cut_out(tmp_path, config):
    """Next set, seed 804: a cut into Big Buck Bunny's own fade-in from black, then a 0.5 s
    smooth wipe into a fast Sierpinski carpet (every frame's content score above the
    threshold). The fade-in's lag (1.0 up to 1.2 s before the wipe's 0.70, down to 0.38
    between) hid the wipe's peak: it was missed and leaked into a kept clip; and the carpet's
    burst of jumps gave a cut where its pattern slows down (a step of 9.5 after a median 17.7),
    no change of shot."""
    path = tmp_path / "fade_in_wipe.mp4"
    shots = [
        Shot("bbb30_hue", 4.0, None, "cut"),
        Shot("bbb30_low", 3.65, None, "smoothright", 0.5),
        Shot("carpet", 5.0),
    ]
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (wipe,) = xfades(truth)
    assert [
        b for b in analysis.boundaries if b.start_s <= wipe["start_s"] and b.end_s >= wipe["end_s"]
    ], analysis.boundaries
    # no boundary of its own in the carpet
    assert not [b for b in analysis.boundaries if b.start_s > wipe["end_s"]], analysis.boundaries
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))


def test_a_shake_ending_a_merged_burst_is_no_boundary(tmp_path, config):
    """Next set, seed 803: a second of shake in colour bars, after a slide and a wind whose
    short bursts of jumps left PySceneDetect's merge running: the shake's first jump gave no
    cut, its last one did, and the full-rate refinement grew that into a false gradual
    boundary over the shake. The picture from before the shake is back after it: its burst,
    judged from its own first jump, is a shake."""
    path = tmp_path / "bars_shake.mp4"
    shots = [
        Shot("bbb30_tail", 5.65, "zoom", "slideright", 0.5),
        Shot("mandel_period", 6.32, None, "hlwind", 2.0),
        Shot("sdbars", 8.0, "shake"),
    ]
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    shake = truth.negatives[-1]
    assert not [
        b
        for b in analysis.boundaries
        if b.start_s <= shake["end_s"] + 0.5 and b.end_s >= shake["start_s"] - 0.5
    ], analysis.boundaries
    assert len(analysis.boundaries) == len(xfades(truth)), analysis.boundaries


def test_a_wipe_beside_a_moving_shot_is_cut_out_no_wider_than_its_edge(tmp_path, config):
    """chaplin.mp4 into Big Buck Bunny by a 1 s wipe (8.6-9.6 s): the lag's scans took the
    frames of chaplin's own motion before it for the transition's and cut out 6.92-11.28 s.
    At full rate the frames before the wipe hold no pixel of the new shot, and the first that
    does gets it in one jump from the old shot's: the span starts there (less the margins);
    the last frame with pixels of the old shot loses them in one jump into a picture of the
    new shot's mean colour: it ends there (plus the margins)."""
    real = TESTDATA / "real"
    shot = "fps=25,format=yuv420p,settb=1/25,setpts=PTS-STARTPTS"
    path = make_video(
        tmp_path / "chaplin_bbb.mp4",
        *("-i", str(real / "chaplin.mp4"), "-i", str(real / "bigbuckbunny.mp4")),
        "-filter_complex",
        f"[0:v]{shot}[a];[1:v]scale=640:360,{shot}[b];"
        "[a][b]xfade=transition=wipeleft:duration=1:offset=8.6[v]",
        *("-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (b,) = analysis.boundaries
    assert b.kind == "gradual" and b.start_s <= 8.6 and b.end_s >= 9.6, b
    assert b.start_s >= 8.6 - 0.5 and b.end_s <= 9.6 + 0.5, b  # was 6.92-11.28
    for clip in (s.clip for s in build_clips(info, analysis, config.scenes, config.clips)):
        assert not clip.kept or clip.end_s <= 8.6 or clip.start_s >= 9.6, clip


def test_a_focus_pull_inside_one_shot_is_no_boundary(config):
    """cockatoo.mp4 is one handheld shot: at 7.8-8.6 s the camera whips back from the beak and
    the picture goes out of focus (truth.json: frames 156-172). A content jump inside the blur
    grew into a gradual boundary at 6.35-9.55 s; its frames keep the shot's contrast and
    palette but lose most of its sharpness, which no fade, blend or wipe does: no boundary."""
    path = str(TESTDATA / "real" / "cockatoo.mp4")
    info = probe_file(path, path, config.probe)
    assert analyze_video(path, info, config.scenes).boundaries == []


def test_sharpness_falls_with_blur_and_stays_through_a_fade():
    """The frame measure behind it: a box blur keeps a frame's grey contrast but drops its
    sharpness (Laplacian energy per unit of grey variance) to a small share; darkening it (a
    fade's frame) or blending it with another sharp frame (a dissolve's) keeps most of it."""
    import av

    with av.open(str(TESTDATA / "real" / "bikes.mp4")) as c:
        real = next(c.decode(video=0)).to_ndarray(format="bgr24")
    sharp = cv2.resize(real, (320, 180), interpolation=cv2.INTER_AREA)
    other = cv2.flip(sharp, 1)
    f = BoundaryFeatures()
    for k, frame in enumerate(
        [
            sharp,
            cv2.blur(sharp, (9, 9)),
            (sharp * 0.5).astype(np.uint8),
            cv2.addWeighted(sharp, 0.5, other, 0.5, 0),
        ]
    ):
        f.add(k / 25, frame)
    base, blurred, faded, blended = f.sharpness
    assert blurred < 0.35 * base
    assert f.contrasts[1] > 0.6 * f.contrasts[0]
    assert faded > 0.7 * base and blended > 0.5 * base, f.sharpness


def test_a_blur_ramp_over_a_jump_in_one_shot_is_no_gradual_boundary(tmp_path, config):
    """chaplin.mp4 blurred up and down over 1.2 s (box radius to 25 px and back) with a 2 s
    jump ahead in the same shot at the blurriest frame: no gradual boundary."""
    radii = [3, 6, 10, 15, 20, 25, 25, 20, 15, 10, 6, 3]
    parts = ["[s0]trim=0:2.5,setpts=PTS-STARTPTS[p0]"]
    for k, r in enumerate(radii):
        start = 2.5 + 0.1 * k + (2.0 if k >= len(radii) // 2 else 0.0)
        parts.append(
            f"[s{k + 1}]trim={start:.2f}:{start + 0.1:.2f},setpts=PTS-STARTPTS,"
            f"boxblur={r}:1[p{k + 1}]"
        )
    end = 2.5 + 0.1 * len(radii) + 2.0
    n = len(radii) + 2
    parts.append(f"[s{n - 1}]trim={end:.2f}:{end + 3:.2f},setpts=PTS-STARTPTS[p{n - 1}]")
    graph = (
        ";".join([f"[0:v]split={n}" + "".join(f"[s{k}]" for k in range(n)), *parts])
        + ";"
        + "".join(f"[p{k}]" for k in range(n))
        + f"concat=n={n},scale=320:180,fps=25"
    )
    path = make_video(
        tmp_path / "blur_ramp.mp4",
        *("-i", str(TESTDATA / "real" / "chaplin.mp4"), "-filter_complex", graph),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    info = probe_file(str(path), str(path), config.probe)
    boundaries = analyze_video(str(path), info, config.scenes).boundaries
    assert [b for b in boundaries if b.kind == "gradual"] == [], boundaries


def test_a_handheld_swing_seen_two_frames_a_step_is_no_boundary(tmp_path, config):
    """cockatoo.mp4's first 6 s re-encoded with B-frames: the pass reads reference frames
    only, so the camera's fastest swing (3.5-3.6 s, 17-22 a frame at full rate) scored 31.6
    over two frames, a hard cut that full-rate refinement widened into a 3.27-4.3 s gradual
    transition. Its ends keep the scene's structure: no shot changes."""
    path = make_video(
        tmp_path / "swing.mp4",
        *["-t", "6", "-i", str(TESTDATA / "real/cockatoo.mp4"), "-vf", "scale=640:360", "-an"],
        *["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"],
    )
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    assert analysis.skipped_nonref
    assert analysis.boundaries == []


def test_rms_is_the_float32_mean_square_to_the_bit():
    """`_rms` (the post-pass's thumbnail distance, ~5k calls on the bench input) is
    `np.mean` of the float32 squared differences to the bit, as the thresholds were tuned on."""
    rng = np.random.default_rng(7)
    tinies = [rng.integers(0, 256, (18, 32, 3), dtype=np.uint8) for _ in range(40)]
    tinies += [np.clip(t + rng.integers(-2, 3, t.shape), 0, 255).astype(np.uint8) for t in tinies]
    for a in tinies:
        for b in tinies[::7]:
            d = a.astype(np.float32) - b.astype(np.float32)
            assert _rms(a, b) == float(np.sqrt(np.mean(d**2)))


def test_a_wipe_whose_old_shot_changes_mid_wipe_is_cut_out_to_its_last_corner(tmp_path, config):
    """Round-14 set, seed 1203: a 1.75 s diagonal wipe from a film into plain plum, the film
    whipping mid-wipe (its last corner black). The corner's pixels stopped matching the film's
    clean frame 0.5 s before the wipe's end, and the span, ended at the last frame holding
    them (`_edge_span`), ended 0.22 s early: the next clip held the wipe's last corner. Into a
    still new shot, the span lasts while frames hold pixels unlike it (as the bench's coarse
    span, 0.63 s early and 0.62 s late)."""
    shots = [Shot("chaplin_fast", 6.76, None, "wipebr", 1.75, tail="whip"), Shot("plum", 4.0)]
    t, _, refine = refined_transition(tmp_path / "whip_wipe.mp4", shots, -0.63, 0.62)
    b = refine(config.scenes)
    assert b.start_s <= t["start_s"] and b.end_s >= t["end_s"], (t, b)


def test_a_whip_pan_seen_in_one_analysed_step_is_no_cut(tmp_path, config):
    """Round-14 set, seed 1203: a whip pan (two frame widths in 0.4 s) over Big Buck Bunny, whose
    picture has a black band at one side. Seen through reference frames only, the band leaving
    and coming back were two steps of about 128 that dwarfed the steps beside them (under 0.2
    of them): a content cut, then a dominant step, each a false boundary. Each frame after is
    the one before shifted (by 0.4 of the width), within 0.05 of the step: no cut."""
    path = tmp_path / "whip.mp4"
    truth = render(path, [Shot("bbb30_quick", 7.5, "whip"), Shot("olive", 3.0)])
    (whip,) = truth.negatives
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    near = [b for b in analysis.boundaries if b.start_s <= whip["end_s"] + 0.5]
    assert [b.kind for b in analysis.boundaries] == ["cut"], analysis.boundaries
    assert not near, near


def test_a_wide_box_crossing_a_moving_film_is_no_cut(tmp_path, config):
    """Round-14 set, seed 1201: a box 70 % of the frame wide crossing Big Buck Bunny (played
    1.5x) in a second. One of its steps passed the content threshold among steps as large
    beside it, and the jump was judged with the frames around it as a wipe's (the box's
    still band above it): a false gradual boundary. The picture 1.25 s before and after the
    jump is the same shot: an object crossing, no cut (a slide into the film as in the set)."""
    path = tmp_path / "crossing.mp4"
    shots = [
        Shot("bbb30_swap", 6.2, None, "slideright", 1.25, tail="whip"),
        Shot("bbb30_quick", 6.07, "wide_crossing"),
    ]
    truth = render(path, shots)
    (crossing,) = truth.negatives
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    near = [b for b in analysis.boundaries if b.end_s >= crossing["start_s"] - 1.0]
    assert not near, near


def _panning(rng: np.random.Generator, count: int, step_px: int) -> list[np.ndarray]:
    """Thumbnails of a smooth colourful picture (a colour every 48 px) panned `step_px` a
    frame."""
    wide = cv2.resize(
        rng.integers(0, 255, (3, 2 + count * step_px // 48, 3)).astype(np.uint8),
        (32 + count * step_px, 18),
        interpolation=cv2.INTER_CUBIC,
    )
    return [wide[:, k * step_px : k * step_px + 32].copy() for k in range(count)]


def _scores(tinies: list[np.ndarray]) -> np.ndarray:
    from transforms.transitions import _content

    steps = [0.0] + [_content(a, b) for a, b in itertools.pairwise(tinies)]
    return np.array(steps, dtype=np.float32)


def test_a_flash_in_a_fast_moving_shot_is_no_cut():
    """Dev set, seed 1: two washed-out frames in a fast pan made a cut: the frame after them
    was 14.6 (content) from the one before, over flash_max_score, as the shot itself moved
    16.2 over as long a gap. Judged against the shot's own motion, it is a flash; a hard cut
    in the same pan (as far from the frame before as its jump) is still a cut."""
    from transforms.transitions import BoundaryConfig, _content, hard_cut_indices

    config = BoundaryConfig()
    rng = np.random.default_rng(5)
    times = np.arange(100) / 25
    pan = _panning(rng, 100, 2)
    flash = [p.copy() for p in pan]
    for k in (60, 61):  # washed out to near white, as tests/transition_videos.py's flash
        flash[k] = (pan[k] * 0.2 + 200).astype(np.uint8)
    back = _content(pan[59], pan[62])
    assert config.flash_max_score < back < 1.1 * _content(pan[56], pan[59])  # as much before
    off = dataclasses.replace(config, flash_motion_ratio=0.0)
    assert hard_cut_indices(times, _scores(flash), flash, off) == [60]
    assert hard_cut_indices(times, _scores(flash), flash, config) == []
    cut = pan[:60] + _panning(np.random.default_rng(6), 40, 2)
    assert hard_cut_indices(times, _scores(cut), cut, config) == [60]


def test_a_flash_ending_a_merged_burst_is_no_cut():
    """Dev set, seed 1: a flash whose jumps in and out (two frames apart) both scored over the
    threshold, 4 s after a fade's short burst of jumps had left PySceneDetect's merge
    running: the merge ended on the jump out of the flash, and that jump's frame before (the
    flash) was unlike every frame after, a cut. Judged from the burst's first jump, the
    picture from before it is back: a flash."""
    from transforms.transitions import BoundaryConfig, hard_cut_indices

    config = BoundaryConfig()
    rng = np.random.default_rng(7)
    times = np.arange(150) / 25
    shots = rng.integers(0, 255, (3, 18, 32, 3)).astype(np.uint8)
    tinies = [shots[0]] * 20 + [shots[1]] * 2 + [shots[2]] * 128
    tinies = [np.clip(t + rng.normal(0, 1, t.shape), 0, 255).astype(np.uint8) for t in tinies]
    tinies[100] = tinies[101] = np.full_like(shots[0], 250)
    scores = np.full(150, 2.0, dtype=np.float32)
    scores[[20, 22, 100, 102]] = 60.0  # a cut, a jump 0.08 s on (the merge runs), the flash
    assert hard_cut_indices(times, scores, tinies, config) == [20]


def test_a_wipe_between_two_letterboxed_shots_in_an_unboxed_video_is_cut_out(tmp_path, config):
    """Round-15 set, seed 1502: a 0.52 s smooth wipe down between two letterboxed films in a
    video whose other shots fill the frame (so the features are read whole). Their shared
    black bars made the two pictures' thumbnails correlate (0.68 whole, 0.39 inside): not
    different shots, no boundary, and the wipe leaked into a kept clip."""
    path = tmp_path / "letterboxed.mp4"
    shots = [
        Shot("bbb", 2.5, None, "cut"),
        Shot("plane_letterbox", 4.5, None, "smoothdown", 0.52),
        Shot("chaplin_letterbox", 5.0),
    ]
    truth = render(path, shots)
    (wipe,) = truth.transitions
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    near = boundaries_over(analysis, wipe)
    assert [b.kind for b in near] == ["gradual"], analysis.boundaries
    kept = kept_clips(info, analysis, config)
    assert len(kept) >= 3  # a clip in each shot
    assert_no_transition_frame(truth, kept)


@pytest.mark.parametrize(
    "shots",
    [
        pytest.param(
            [
                Shot("chaplin_c", 3.56, None, "coverdown", 1.0),
                Shot("sierpinski", 6.03, "pan", "cut"),
                Shot("mandel_zoom", 3.0),
            ],
            id="fractal",
        ),
        pytest.param([Shot("rgbtest", 4.5, None, "cut"), Shot("yuvtest", 7.0, "pan")], id="chart"),
        pytest.param(
            [
                Shot("circular", 4.5, None, "dissolve", 1.5),
                Shot("bbb30_flip_b", 6.8, "pan", "cut"),
                Shot("perlin", 5.09),
            ],
            id="film",
        ),
        pytest.param(
            [
                Shot("chaplin_neg", 3.57, None, "cut"),
                Shot("hdbars", 6.66, "bars_tilt", "diagbl", 1.0),
                Shot("olive", 5.08),
            ],
            id="bars_tilt",
        ),
    ],
)
def test_a_fast_pan_is_no_boundary(tmp_path, config, shots):
    """Fresh set, seeds 301 and 302, last set, seed 701: a pan of one frame width in 0.8 s
    (over a moving fractal, a test chart, a film with a bird flying in) was a false boundary:
    its first step a content cut judged as a gradual change's jump, a lag peak between its two
    ends (different pictures, as a slide's), a content cut the refinement grew over the pan.
    Each step is the frame before shifted, one way, and the picture after joins the one before
    with no seam (a slide joins two shots at one): the camera moving, no boundary. Round-14
    set, seed 1201: a tilt of one frame height in 0.6 s over colour bars was a cut refined
    into a gradual span: its ends joined at 0.43, yet the bars' rows, alike, differed by a
    median of 0 (pan_seam_floor)."""
    path = tmp_path / "pan.mp4"
    truth = render(path, shots)
    (pan,) = truth.negatives
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    on_pan = [
        b for b in analysis.boundaries if b.start_s < pan["end_s"] and b.end_s > pan["start_s"]
    ]
    assert not on_pan, analysis.boundaries
    for t in [*truth.cuts_s, *(w["start_s"] for w in truth.transitions)]:
        assert any(b.start_s - 0.5 <= t <= b.end_s + 0.5 for b in analysis.boundaries), t


def panning_texture(seed: int, speed: int, frames: int) -> list[np.ndarray]:
    """320x180 frames of a smooth random texture panning `speed` pixels a frame."""
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 255, (180, 320 + speed * frames, 3)).astype(np.uint8)
    wide = cv2.normalize(cv2.GaussianBlur(noise, (0, 0), 6), None, 0, 255, cv2.NORM_MINMAX)
    return [np.ascontiguousarray(wide[:, k * speed : k * speed + 320]) for k in range(frames)]


@pytest.mark.parametrize("speed", [2, 3])
def test_a_one_frame_flash_in_a_panning_shot_is_no_cut(config, speed):
    """A flash one analysed frame long (washed out to near white, as the sets' flash) in a shot
    panning 2-3 pixels a frame (content 10-14 a step): the content cut it made was a flash, but
    the dominant-step search found the step back as a missed hard cut, as it judged a flash by
    the fixed flash_max_score alone (the frame 2 after the flash 15.2-20.7 from the one before,
    as far as the pan moved). Judged as a content cut's flash is (`_flash_back`, from the frame
    right after, which came back within the jump's two steps), it is none; a cut to another
    texture panning alike still is one."""
    frames = panning_texture(0, speed, 100)
    other = panning_texture(1, speed, 100)
    flashed = BoundaryFeatures()
    cut = BoundaryFeatures()
    for k, frame in enumerate(frames):
        white = np.clip(frame.astype(np.float32) * 0.2 + 200, 0, 255).astype(np.uint8)
        flashed.add(k / 25, white if k == 50 else frame)
        cut.add(k / 25, other[k] if k >= 50 else frame)
    assert find_boundaries(flashed, 1 / 25, config.scenes) == []
    (b,) = find_boundaries(cut, 1 / 25, config.scenes)
    assert b.kind == "cut" and b.end_s == pytest.approx(2.0)


def test_a_whip_over_colour_bars_is_no_boundary(tmp_path, config):
    """Last set, seed 701: a whip of two frame widths in 0.4 s over colour bars, every frame
    read, each the one before shifted by 0.2 of the width. Its pictures either side are parts
    of the bars two widths apart, which do not join (the bars' columns otherwise alike, any
    difference a seam): a lag peak over it was a false gradual boundary. A run moving over
    1.5 widths, every part of the picture moving, is the camera (a slide pushes one width)."""
    path = tmp_path / "whip.mp4"
    truth = render(path, [Shot("plane_crop", 4.0, None, "cut"), Shot("pal100", 7.0, "whip")])
    (whip,) = truth.negatives
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    on_whip = [
        b for b in analysis.boundaries if b.start_s < whip["end_s"] and b.end_s > whip["start_s"]
    ]
    assert not on_whip, analysis.boundaries
    (cut,) = truth.cuts_s
    assert any(b.start_s - 0.5 <= cut <= b.end_s + 0.5 for b in analysis.boundaries)
    off = dataclasses.replace(config.scenes, pan_whip_widths=0.0)
    assert analyze_video(str(path), info, off).boundaries != analysis.boundaries


def source_fade_leaks(path, shots, config) -> tuple[list, list]:
    """Renders `shots`, runs the scene pass and returns the truth's source fades (the
    footage's own) and the kept clips that hold one of their frames."""
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    fades = [t for t in truth.transitions if t["kind"] == "source_fade"]
    frames = [
        k / truth.fps
        for t in fades
        for k in range(int(t["start_s"] * truth.fps), int(t["end_s"] * truth.fps) + 1)
        if t["start_s"] < k / truth.fps < t["end_s"]
    ]
    kept = kept_clips(info, analysis, config)
    return fades, [c for c in kept if any(c.start_s <= t < c.end_s for t in frames)]


def test_a_slow_source_fade_into_a_transition_is_cut_out_from_its_start(tmp_path, config):
    """Next set, seed 801: the plane film's own 4 s fade to black, cut 3.3 s in by a 1 s
    vertical open, a brightness dip just before it. Its frames each darken by ~2 grey levels
    (0.04 s), under a shot's noise in the lag and the steps: the span began 1.8 s into the fade
    and the clip before held the rest. The fade scales the picture about black (its contrast
    falls with its mean; the dip's kept it): the start follows that ramp back to where it
    begins."""
    shots = [
        Shot("life_c", 4.5, None, "circleopen", 1.5),
        Shot("plane_right", 8.48, "dip", "vertopen", 1.0),
        Shot("testsrc", 4.0),
    ]
    fades, leaky = source_fade_leaks(tmp_path / "slow_fade.mp4", shots, config)
    assert fades and not leaky, (fades, leaky)


def test_a_cut_into_a_fade_in_from_black_cuts_out_the_fade(tmp_path, config):
    """Round-15 set, seed 1501: a hard cut into Big Buck Bunny's opening fade in from black,
    0.9 s of it left after the cut. The cut was found (one frame), and the clip after it began
    with the fade's frames. The frames after a cut that brighten out of black, their contrast
    growing with their mean, are cut out with it."""
    shots = [Shot("carpet_b", 4.52), Shot("bbb30_head", 5.0)]
    fades, leaky = source_fade_leaks(tmp_path / "cut_fade_in.mp4", shots, config)
    assert fades and not leaky, (fades, leaky)


def test_a_pan_over_a_film_that_tilts_as_it_moves_is_no_boundary(tmp_path, config):
    """Wipes set, seed 1108: a pan (one frame width in 0.8 s) over Big Buck Bunny's opening,
    whose camera tilts up as it moves. Every step of the run was the frame before shifted,
    but the pictures 1.25 s out from it joined 27x worse than their neighbouring columns:
    they lie 7 of 18 rows apart. The join is looked at shifted across the move by the
    film's own drift (measured beside the run), and the pan is no gradual boundary."""
    shots = [
        Shot("red", 4.91, None, "radial", 0.75),
        Shot("bbb30_open", 7.84, "pan", "revealright", 1.5),
        Shot("hdbars", 4.0),
    ]
    truth, false = false_boundaries(tmp_path / "tilting_pan.mp4", shots, config)
    assert not false, (truth.negatives, false)


def test_a_keyframe_refreshing_fine_texture_is_no_cut(tmp_path, config):
    """Next set, seed 802: the Game of Life (fine cells at 320x180) scores 18-25 on the
    content scale a frame; at a periodic keyframe the encoder refreshes the cells' detail and
    the score jumped to 41, a cut, then a gradual span (the lag around it wide apart: the
    cells evolve). The thumbnails either side correlate 0.96 and step 5.6 among the shot's
    own 4.6-6.1: no cut."""
    shots = [Shot("bbb30_hue", 5.02, None, "radial", 2.0), Shot("life_c", 8.25, "tilt")]
    truth, false = false_boundaries(tmp_path / "life_keyframe.mp4", shots, config)
    assert not false, (truth.negatives, false)


def false_boundaries(path, shots, config, pad: str | None = None) -> tuple:
    """Renders `shots` (boxed by `pad`), runs the scene pass and returns the truth and the
    boundaries more than 0.5 s from every transition and cut of it (as the bench counts)."""
    truth = render(path, shots, pad=pad)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    changes = [(t["start_s"], t["end_s"]) for t in truth.transitions]
    changes += [(c, c) for c in truth.cuts_s]
    false = [
        b
        for b in analysis.boundaries
        if not any(b.start_s <= hi + 0.5 and b.end_s >= lo - 0.5 for lo, hi in changes)
    ]
    return truth, false


def test_a_zoom_as_the_cockatoo_walks_in_is_no_boundary(tmp_path, config):
    """Development set, seed 7, letterboxed (16:9 in 4:3, as bench_transitions --box
    letterbox renders it): a 2.5x zoom in 1 s on the cockatoo as it walks in. Its full-rate
    steps chained into a zoom but for 7 of 76 (the bird's steps fit no zoom), so the chain
    broke and the span around it stood: a false boundary. A chain broken at up to
    refine_zoom_max_broken of its steps counts without them (its last frame correlating 0.67
    with the first warped; transitions' broken chains at most 0.17)."""
    path = tmp_path / "dev7_letterbox.mp4"
    truth, false = false_boundaries(path, random_shots(7, 8, False), config, "320:240:0:30")
    assert not false, (truth.negatives, false)


def test_a_peak_whose_lag_ends_lie_in_two_transitions_swallows_no_moving_shot(tmp_path, config):
    """Round 16, seed 1604: a reveal (22.28-24.28 s), a 4.9 s pan right with a pan back in it,
    a wipe down (29.2-30.68 s). The lag peak at 25.04 s compared 22.6 (mid-reveal) with 27.48
    (the wipe's span, found from the next peak, began before it): those ends differ, and its
    span was its whole window, chaining reveal and wipe into one boundary (21.16-34.2 s). Moved
    to the clean frames of the spans around them (23.28, 27.24) the ends are one shot: no
    transition, and the pan keeps a clip."""
    path = tmp_path / "round16_1604.mp4"
    truth = render(path, round16_shots(1604))
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    reveal, wipe = (t for t in truth.transitions if t["kind"] in ("revealright", "wipedown"))
    for t in (reveal, wipe):  # each still cut out whole
        assert_cut_out_whole(analysis, t)
    kept = kept_clips(info, analysis, config)
    assert [c for c in kept if c.start_s >= reveal["end_s"] and c.end_s <= wipe["start_s"]], kept
    for c in kept:
        assert (
            c.end_s <= reveal["start_s"]
            or c.start_s >= wipe["end_s"]
            or (c.start_s >= reveal["end_s"] and c.end_s <= wipe["start_s"])
        ), c


@pytest.mark.parametrize(
    "cut_s, own_end, dropped",
    [
        pytest.param(None, False, {0}, id="one_shot_between"),
        pytest.param(6.7, False, set(), id="a_cut_between"),
        pytest.param(None, True, set(), id="a_bound_with_no_clean_end"),
    ],
)
def test_a_peaks_lag_ends_inside_two_spans_move_to_their_clean_frames(
    config, cut_s, own_end, dropped
):
    """Span 0 (4.5-9 s) is its whole lag window, its ends inside a dissolve's span found at a
    cut (3.92-5.04 s) and another peak's (8.48-9.52 s): moved to those spans' clean frames,
    its ends are one still shot, no transition (unless a cut lies between). An end that is the
    other peak's own lag end (its scan found no clean frame) moves nothing."""
    from transforms.transitions import _dropped_by_anchors

    rng = np.random.default_rng(3)
    a, b, c, d = (  # a blue, a green, a red and a cyan picture of blotches
        cv2.resize(
            np.clip(np.array(base) + rng.integers(-50, 50, (3, 4, 3)), 0, 255).astype(np.uint8),
            (128, 72),
        )
        for base in ((200, 60, 60), (60, 200, 60), (60, 60, 200), (200, 200, 60))
    )

    def blend(x, y, share: float) -> np.ndarray:
        return cv2.addWeighted(x, 1 - share, y, share, 0)

    features = BoundaryFeatures()
    times = np.arange(151) * 0.08
    for t in times:
        middle = d if cut_s is not None and t >= cut_s else b
        if t < 4:
            frame = a
        elif t < 5:
            frame = blend(a, b, t - 4)
        elif t < 8.5:
            frame = middle
        elif t < 9.5:
            frame = blend(middle, c, t - 8.5)
        else:
            frame = c
        features.add(float(t), frame)

    def at(t: float) -> int:
        return round(t / 0.08)

    anchors = [(at(4.5), at(9.0)), (at(8.48) if own_end else at(7.28), at(10.72))]
    spans = [(at(4.5), at(9.0)), (at(8.48), at(9.52)), (at(3.92), at(5.04))]
    hists = np.stack(features.hists)
    got = _dropped_by_anchors(times, hists, features.tinies, spans, anchors, 0, config.scenes)
    assert got == dropped


def test_a_dissolve_into_a_textured_moving_shot_ends_where_its_contrast_stops(tmp_path, config):
    """Round 17, seed 1701: a 2 s dissolve from a near-flat bright meadow (panning) into a
    textured one (creeping left). The frames' steps never stand out from the shots' own and
    the new shot's motion carries the mean colour on past the last frame, so the span ended
    0.88 s early (3.04-4.24 s) and a kept clip held the dissolve's last 0.78 s. The contrast
    rises steadily (4 -> 51) to the dissolve's last frame, then holds: the end follows it."""
    path = tmp_path / "round17_1701.mp4"
    truth = render(path, plan_shots(ROUND17_PLAN, 1701, 3))
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (dissolve,) = (t for t in xfades(truth) if t["kind"] == "dissolve")
    near = [
        b
        for b in analysis.boundaries
        if b.start_s <= dissolve["end_s"] and b.end_s >= dissolve["start_s"]
    ]
    assert (
        near and near[0].start_s <= dissolve["start_s"] and near[-1].end_s >= dissolve["end_s"]
    ), (
        dissolve,
        near,
    )
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)


def test_a_slide_between_two_moving_shots_of_one_film_is_cut_out(tmp_path, config):
    """Round 17, seed 1701: a 1.6 s slide up between two pillar-boxed Chaplin shots (one
    zooming in, one drifting), their histograms 0.12-0.16 apart, the lag's RMS flat over 3 s:
    the wipe test on the plateau's middle ended half-way through the slide and it was missed.
    A seam row falls steadily from the bottom to the top, the old shot moved out above it and
    the new moved in below (`_slide`)."""
    path = tmp_path / "slide.mp4"
    shots = [
        Shot("chaplin_a17", 8.32, "logo", "slideup", 1.6, move="zoom_in_slow", box="pillar"),
        Shot("chaplin_b17", 5.64, move="drift_up_left", box="pillar"),
    ]
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (slide,) = xfades(truth)
    assert any(
        b.start_s <= slide["start_s"] + 0.2 and b.end_s >= slide["end_s"] - 0.2
        for b in analysis.boundaries
    ), (slide, analysis.boundaries)
    kept = kept_clips(info, analysis, config)
    assert kept


def test_a_fade_through_white_between_moving_shots_keeps_the_shot_before_it(tmp_path, config):
    """Round 17, seed 1701: a reveal (30.76-32.8 s), a 4.8 s push in, a 0.52 s fade through
    white (37.6-38.12 s) into a handheld pan. The fade's lag peak (37.76 s) found no clean
    frame in either moving shot, so its span was its whole lag window (35.32-39.88 s) and the
    push in kept no clip. The fade's flat frames at its cut give its exact ends (37.52-38.2 s):
    that span stands for the peak's, and the push in keeps a clip."""
    path = tmp_path / "round17_1701.mp4"
    truth = render(path, plan_shots(ROUND17_PLAN, 1701))
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    reveal, fade = (t for t in xfades(truth) if t["kind"] in ("revealleft", "fadewhite"))
    near = assert_cut_out_whole(analysis, fade)
    assert near[0].start_s >= fade["start_s"] - 1.0, near
    kept = kept_clips(info, analysis, config)
    assert [c for c in kept if c.start_s >= reveal["end_s"] and c.end_s <= fade["start_s"]], kept
    for t in (reveal, fade):  # (the slide up at 22.48 s, missed, is another issue's)
        assert all(c.end_s <= t["start_s"] or c.start_s >= t["end_s"] for c in kept), (t, kept)


def test_a_peak_span_ending_at_its_window_gives_way_to_the_span_at_its_cut(tmp_path, config):
    """Round 15, seed 1501: a slice (8.56-9.6 s), a 4 s shot, a 1.2 s distance transition
    (13.56-14.76 s). The latter's lag peak (14.2 s) ended at its lag end (no clean frame found
    there) and began at 13.16 s, refined to 12.46: the shot kept no clip. The span found at
    its jump (13.56-14.48 s, the peak inside it) stands for the peak's, refined from 13.12 s,
    and the shot keeps a clip."""
    path = tmp_path / "round15_1501.mp4"
    truth = render(path, random_shots(1501, 8, False, round15=True))
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    slice_, distance = (t for t in truth.transitions if t["kind"] in ("hrslice", "distance"))
    for t in (slice_, distance):  # each still cut out whole
        assert_cut_out_whole(analysis, t)
    kept = kept_clips(info, analysis, config)
    assert [c for c in kept if c.start_s >= slice_["end_s"] and c.end_s <= distance["start_s"]]
    assert_no_transition_frame(truth, kept)


@pytest.mark.parametrize("rows", [pytest.param(18, id="rows"), pytest.param(32, id="columns")])
def test_diagonal_sums_are_np_traces(rows):
    """`_slide` adds each seam's row distances as diagonals (`_diagonal_sums`, one skewed sum
    for every offset of every matrix): column rows - 1 + k is np.trace at offset k, exactly
    (whole float32 distances summed in float64), for a stack of matrices and for a view of
    them (the distances to the two ends, one product's halves)."""
    rng = np.random.default_rng(7)
    both = rng.integers(0, 13 * 10**6, (9, rows, 2 * rows)).astype(np.float32)
    ends = both.reshape(9, rows, 2, rows).transpose(2, 0, 1, 3)
    sums = _diagonal_sums(ends)
    assert sums.shape == (2, 9, 2 * rows - 1) and sums.dtype == np.float64
    for end in range(2):
        for k in range(1 - rows, rows):
            trace = np.trace(ends[end].astype(np.float64), k, 1, 2)
            assert np.array_equal(sums[end, :, rows - 1 + k], trace)


def test_thumb_rows_are_the_thumbnails_rows_exactly():
    """`ThumbRows` keeps each thumbnail's rows (and columns) in float32 for all of a pass's
    `_slide` calls: the same values, norms and median row step (float64, to the bit) as the
    float64 thumbnail `_slide` read before; a `_slide` sharing one across calls answers as
    one made for each call does."""
    rng = np.random.default_rng(12)
    a, b = rng.integers(0, 256, (2, 18, 32, 3), dtype=np.uint8)
    # a to b, the seam moving up over 10 frames
    tinies = [np.concatenate([a[k:], b[:k]]) for k in np.linspace(0, 18, 12).round().astype(int)]
    rows = ThumbRows(tinies)
    for i, axis in itertools.product((0, 7), (0, 1)):
        picture = tinies[i].astype(np.float64)
        picture = picture if axis == 0 else picture.transpose(1, 0, 2)
        vectors, norms = rows.of(i, axis)
        assert np.array_equal(vectors, picture.reshape(len(picture), -1))
        assert np.array_equal(norms, (picture**2).sum(axis=(1, 2)))
        step = statistics.median(np.abs(np.diff(picture, axis=0)).mean(axis=(1, 2)).tolist())
        assert rows.step(i, axis) == step
    # stacked across blocks of thumbnails as within one
    blocks = ThumbRows(tinies)
    blocks.BLOCK = 5
    for (start, stop), axis in itertools.product([(0, 12), (3, 9), (4, 6), (5, 10)], (0, 1)):
        vectors, norms = blocks.stack(start, stop, axis)
        assert np.array_equal(vectors, np.stack([rows.of(i, axis)[0] for i in range(start, stop)]))
        assert np.array_equal(norms, np.stack([rows.of(i, axis)[1] for i in range(start, stop)]))
    config, times = BoundaryConfig(), np.arange(len(tinies)) / 30
    spans = [(0, 11), (1, 9), (0, 11), (2, 8)]
    runs = [_slide(times, tinies, p, q, config, rows) for p, q in spans]
    assert runs == [_slide(times, tinies, p, q, config) for p, q in spans]


def test_a_wipe_ending_over_a_drifting_shot_is_no_camera_pan(tmp_path, config):
    """Round 16, seed 1601: a cut into a still letterboxed Chaplin shot, a 2 s wipe left into a
    drifting sky (an object crossing it later). The wipe's last 0.6 s (its edge crossing the
    sky as it drifts) passed for a fast pan, its first frame not clearly another shot than
    the Chaplin one (a quarter of it still Chaplin): the lag peak was dropped as the camera's
    and a kept clip held the whole wipe. A pan is the camera's only where it makes the change
    (0.84 of the colours' change was made before it here)."""
    path = tmp_path / "wipe.mp4"
    cut, chaplin, sky = round16_shots(1601)[3:6]
    truth = render(path, [cut, chaplin, dataclasses.replace(sky, into=None, into_s=0.0)])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (wipe,) = xfades(truth)
    assert any(
        b.start_s <= wipe["start_s"] and b.end_s >= wipe["end_s"] for b in analysis.boundaries
    ), (wipe, analysis.boundaries)
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)


def test_a_fade_through_grey_after_a_dip_is_cut_out_to_its_faint_end(tmp_path, config):
    """Round 16, seed 1603: a dip to white into a drifting letterboxed field, then 2.5 s on a
    2 s fade through grey into a Chaplin shot zooming out. The dip's echo peak spans both, its
    end uncertain (the zoom steps as fast as the fade) and moved out by 0.5 s, where the mean
    colour only starts to fall: the fade's last 0.38 s (up to a fifth of the field left) leaked
    into a kept clip. The moved end follows the mean's trend on, as the coarse end does."""
    path = tmp_path / "fadegrays.mp4"
    plane, field, chaplin = round16_shots(1603)[3:6]
    truth = render(path, [plane, field, dataclasses.replace(chaplin, into=None, into_s=0.0)])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)


def test_a_boundary_the_refinement_drops_bounds_no_neighbour(tmp_path, config):
    """Round 16, seed 1603's shots 3-5 again: the soft wipe rule (gradual_wipe_soft) passes a
    false peak over the Chaplin shot zooming out, 10.72-15.72 s, 0.12 s after the fade
    through grey's coarse end (9.72 s). Its start ended the fade's refinement window, so the
    fade's moved end had too few frames after it to follow the mean's fall: 10.22 s, not
    10.56 s (the fade ends at 10.6 s). The false span is dropped later (no shot beyond it),
    yet the fade kept its narrowed end and 0.38 s of it leaked into a kept clip. Refined
    again without the dropped one, the boundaries are those found without the rule."""
    path = tmp_path / "fadegrays.mp4"
    plane, field, chaplin = round16_shots(1603)[3:6]
    truth = render(path, [plane, field, dataclasses.replace(chaplin, into=None, into_s=0.0)])
    info = probe_file(str(path), str(path), config.probe)
    on = dataclasses.replace(config.scenes, gradual_wipe_soft=True)
    off = dataclasses.replace(config.scenes, gradual_wipe_soft=False)
    analysis = analyze_video(str(path), info, on)
    assert analysis.boundaries == analyze_video(str(path), info, off).boundaries
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))
    once = dataclasses.replace(on, refine_again_without_dropped=False)
    fade = next(t for t in truth.transitions if t["kind"] == "fadegrays")
    near = boundaries_over(analyze_video(str(path), info, once), fade)
    assert near[-1].end_s < fade["end_s"] - 0.3, near  # as it was


def test_a_fade_through_black_no_cut_found_is_cut_out_to_its_own_ends(tmp_path, config):
    """Round 16, seed 1602: a 2 s dip to black (28.2-30.2 s) between moving shots, too slow for
    the content score to cut. Its lag peak (30.52 s) found no clean frame in the shot after it,
    so its span reached its lag end (31.4 s), chained to the next shot's and the boundary ran
    on to 32.28 s, 2.08 s past the dip. The dip's flat frames give its own ends (28.08-30.04 s,
    different shots either side): the peak's span is narrowed to them and the boundary ends
    within 0.6 s of the dip, still cutting all of it out."""
    path = tmp_path / "round16_1602.mp4"
    truth = render(path, round16_shots(1602))
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    dip = next(t for t in truth.transitions if t["kind"] == "dipblack")
    near = assert_cut_out_whole(analysis, dip)
    assert near[-1].end_s <= dip["end_s"] + 0.6, (dip, near)
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))


def test_a_tilt_away_and_back_in_a_panning_shot_is_no_boundary(tmp_path, config):
    """Round 16, seed 1604: a slide right (33.44-33.96 s), then a pan left with a tilt away and
    back in it (35.9-36.9 s). The lag peak's ends differ (the pan moved on), and its scans found
    clean frames at 36.48 and 37.8 s: one picture (content 2.0, correlation 0.90), the tilt gone
    and back. A false boundary 35.8-38.5 s took the shot's clip; with none, the shot keeps it."""
    path = tmp_path / "round16_1604.mp4"
    truth = render(path, round16_shots(1604))
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    slide = next(t for t in truth.transitions if t["kind"] == "slideright")
    tilt = next(n for n in truth.negatives if n["kind"] == "tilt")
    assert_cut_out_whole(analysis, slide)
    assert not [b for b in analysis.boundaries if b.start_s >= slide["end_s"]], analysis.boundaries
    kept = kept_clips(info, analysis, config)
    assert [
        c
        for c in kept
        if slide["end_s"] <= c.start_s <= tilt["start_s"] and c.end_s >= tilt["end_s"]
    ], kept


def test_scans_that_meet_where_nothing_changes_give_no_boundary(tmp_path, config):
    """Round 16, seed 1602: a cut (13.0 s), a drifting shot with an object crossing near it
    (15.16-16.16 s), a smooth wipe right (18.32-20.32 s). A lag peak at 14.16 s had its scans
    meet between two analysed frames (13.84, 13.88 s) one picture (content 0.3): a seed the
    refinement widened into a false boundary 13.6-14.6 s. Nothing changed there: no boundary
    between the cut and the wipe, and the shot keeps its clip over the crossing."""
    path = tmp_path / "round16_1602.mp4"
    truth = render(path, round16_shots(1602))
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (cut_s,) = truth.cuts_s
    wipe = next(t for t in truth.transitions if t["kind"] == "smoothright")
    crossing = next(n for n in truth.negatives if n["kind"] == "near_crossing")
    assert_cut_out_whole(analysis, wipe)
    between = [b for b in analysis.boundaries if b.start_s > cut_s and b.end_s < wipe["start_s"]]
    assert not between, analysis.boundaries
    kept = kept_clips(info, analysis, config)
    assert [c for c in kept if c.start_s <= crossing["start_s"] and c.end_s >= crossing["end_s"]]


def assert_fade_cut_out(path, truth, kind: str, config) -> None:
    """The one xfade of `kind` in the rendered `truth` is cut out whole, and the video keeps a
    clip, none of them holding a frame of a transition."""
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (fade,) = (t for t in xfades(truth) if t["kind"] == kind)
    assert_cut_out_whole(analysis, fade)
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)


@pytest.mark.parametrize(
    ("seed", "first", "count", "kind"),
    [
        pytest.param(1801, 4, 4, "fadeslow", id="slow_fade_ends_late"),
        pytest.param(1802, 0, 3, "fade", id="short_fade_starts_early"),
    ],
)
def test_a_dissolve_between_moving_shots_is_cut_out_to_where_they_settle(
    tmp_path, config, seed, first, count, kind
):
    """Round 18: a dissolve into (or out of) a moving shot whose last (first) frames step no
    more than the shot's own motion. Seed 1801: a 1.84 s slow fade from a drifting cockatoo
    into a Mandelbrot pulling back ended 0.52 s early (its last four shots here, from the cut:
    0.52 s too); seed 1802: a 0.56 s fade between two carphone shots (the second panning)
    began 0.16 s late. Both leaked into a kept clip. (The 0.56 s fade is found only as the
    start of the pixelize's span after it: alone it is missed, as other short fades between
    moving shots are; not fixed here.) The frames' share of the change goes on moving towards the
    new shot and then holds: the end moves out to where it settles (`_settled_end`)."""
    path = tmp_path / f"{kind}.mp4"
    truth = render(path, plan_shots(ROUND18_PLAN, seed)[first : first + count])
    assert_fade_cut_out(path, truth, kind, config)


@pytest.mark.parametrize(
    ("plan", "seed", "first", "kind"),
    [
        pytest.param(ROUND17_PLAN, 1702, 0, "fade", id="round17_0.6s_fade"),
        pytest.param(ROUND18_PLAN, 1803, 3, "fade", id="round18_1.84s_fade"),
        pytest.param(None, 1604, 0, "fadefast", id="round16_0.52s_fade"),
    ],
)
def test_a_dissolve_between_moving_shots_of_close_colours_is_cut_out(
    tmp_path, config, plan, seed, first, kind
):
    """Dissolves between two moving shots whose colours differ by no more than the shots' own
    motion drifts them (histogram lag 0.2-0.4, under every histogram rule) were missed and
    leaked into kept clips: round 17 seed 1702 (a 0.6 s fade between a carphone shot and a
    walking one), round 18 seed 1803 (a 1.84 s fade from a walk into a pull back), round 16
    seed 1604 (a 0.52 s fade). A frame mid-way is a blend of frames either side whose
    contrast dips as two unrelated pictures mixed do, where a pan keeps it
    (`_moving_dissolves`)."""
    path = tmp_path / f"{kind}.mp4"
    shots = round16_shots(seed) if plan is None else plan_shots(plan, seed)
    truth = render(path, shots[first : first + 2])
    assert_fade_cut_out(path, truth, kind, config)


def test_a_fade_into_a_crane_that_speeds_up_ends_near_the_fade(tmp_path, config):
    """Round 20, seed 2001: a 0.6 s fade (5.24-5.84 s) from a drifting field into the same
    field craning up (eased: slow, then faster), then a slow fade from 8.36 s. The fade's
    span was scanned back from its lag end (8.24 s) into the crane, which moves faster there
    than over the time after it: the plain measures passed only 0.3 s of it for the shot,
    and the span ran 2.36 s past the fade, to 8.2 s. With the camera's motion undone (the
    anchor's thumbnail shifted and zoomed onto each frame, `_camera_moved`) the crane's
    frames back to 6.72 s are its own: the span ends 1.66 s past the fade."""
    path = tmp_path / "fade_into_crane.mp4"
    truth = render(path, plan_shots(ROUND20_PLAN, 2001)[:3])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    fade, slow = xfades(truth)
    near = assert_cut_out_whole(analysis, fade)
    assert near[-1].end_s <= fade["end_s"] + 2.0, near
    assert_cut_out_whole(analysis, slow)
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))


def test_a_fast_zoom_into_a_handheld_texture_is_no_transition(tmp_path, config):
    """Round 17, seed 1701: a 3x zoom in half a second into a handheld noise texture
    (12.76-13.26 s) between a wipe down and a circle opening gave a false boundary
    (12.76-15.16 s). Its steps (9 % a frame) passed refine_zoom_max_step at 64x36, and over
    the 3.7 s refined span the texture drifted: the whole span's warp correlated 0.56. Chained
    within refine_zoom_fast_step, each half second of the span warps its first frame into its
    last (0.86-0.99): the camera's zoom. The wipe before it (whose span took in the zoom and
    chains 1.6x, its first frame against its last -0.44) and the circle after it stay."""
    path = tmp_path / "zoom_fast.mp4"
    truth = render(path, plan_shots(ROUND17_PLAN, 1701)[1:4])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (zoom,) = (n for n in truth.negatives if n["kind"] == "zoom_fast")
    for t in xfades(truth):
        assert_cut_out_whole(analysis, t)
    wipe, circle = xfades(truth)
    between = [b for b in analysis.boundaries if wipe["end_s"] + 0.5 < b.end_s < circle["start_s"]]
    assert not between, (zoom, analysis.boundaries)


def test_a_cover_out_of_a_turning_pattern_is_no_camera_zoom(tmp_path, config):
    """Moving-edge set, seed 29: a 2 s cover (radial pattern into a spectrum, 12.1-14.1 s). Its
    full-rate frames chain into a 3x zoom out; the first frame against the last correlates
    too little, but its first half-second pieces chained broken did (0.99, 0.92, 0.62 from
    0.5): a zoom's pieces must chain unbroken with their warps explaining their steps (the
    cover's first does not), so the cover stays cut out whole."""
    path = tmp_path / "edge29_cover.mp4"
    shots = [
        Shot("radial", 5.6, None, "coverright", 2.0),
        Shot("spectrum", 4.5),
    ]
    truth = render(path, shots)
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (cover,) = xfades(truth)
    assert_cut_out_whole(analysis, cover)


def test_a_span_at_the_end_of_the_video_enters_no_shot(tmp_path, config):
    """Round 17, seed 1704: a hard cut (36.08 s) into a handheld pan over a mandelbrot that runs
    to the end (39.48 s). A jump in it gave a gradual span refined to 37.16-40.14 s: one that
    reaches to within min_scene_s of the last frame, between frames that are no different
    shots, enters no shot. The cut stays."""
    path = tmp_path / "round17_1704_end.mp4"
    truth = render(path, plan_shots(ROUND17_PLAN, 1704)[-2:])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (cut,) = truth.cuts_s
    assert [b for b in analysis.boundaries if abs(b.end_s - cut) < 0.1], analysis.boundaries
    assert not [b for b in analysis.boundaries if b.end_s > cut + 0.5], analysis.boundaries


def test_a_transition_into_a_last_shot_that_moves_on_to_the_end_stays(tmp_path, config):
    """Round 16, seed 1602, its last two shots: a horizontal opening (5-6.48 s) into a pan
    whose light comes up (8.5-9.5 s), to the end (11.52 s). No clean frame of the last shot
    is found: the opening's span runs to the end (4.16-11.46 s). Its ends are different shots
    (colours 0.72 apart): the span at the end stands, and the opening is cut out whole."""
    path = tmp_path / "round16_1602_end.mp4"
    truth = render(path, round16_shots(1602)[-2:])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (opening,) = xfades(truth)
    assert_cut_out_whole(analysis, opening)


def test_a_span_from_the_first_frames_of_a_moving_first_shot_leaves_no_shot(tmp_path, config):
    """Round 27, seed 2701, its first two shots: a handheld pan off a wall onto a dark object,
    moving from the first frame. Its motion-blurred frames passed for a dissolve at 0.70-1.42 s
    (`_moving_dissolves`), refined to 0.22-1.90 s, its ends' pictures different (colours 0.63
    apart, structure 0.10). A mix whose old side lies within gradual_window_s of the first
    frame leaves no shot, as a lag peak there does not: the first shot's own motion (a fade in
    from black aside). The hblur into the second shot is still cut out whole."""
    path = tmp_path / "round27_2701_start.mp4"
    truth = render(path, plan_shots(ROUND27_PLAN, 2701, steps=50)[:2])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    assert not [b for b in analysis.boundaries if b.start_s < 2.0], analysis.boundaries
    (hblur,) = xfades(truth)
    assert_cut_out_whole(analysis, hblur)


def test_a_puff_of_smoke_over_a_rising_rolling_shot_is_no_boundary(tmp_path, config):
    """Round 28, seed 2804, its first three shots: a puff of grey smoke (8.75-9.75 s) over a
    rising, rolling shot passed for a dissolve at 8.6-9.25 s (`_moving_dissolves`: the camera
    moved the window's ends apart, the veil dipped the contrast between them), refined to a
    false span at 8.13-9.74 s. The span ended at its lowest contrast (16.5, the veil at its
    thickest), which climbed to 34.5 within 0.6 s after it as the smoke thinned, 1.64x the
    larger end's: a veil lifting, no new shot (`_veil_peak`). The fade through greys and the
    circle closing are still cut out whole."""
    path = tmp_path / "round28_2804_start.mp4"
    truth = render(path, plan_shots(ROUND28_PLAN, 2804, steps=16)[:3])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (smoke,) = [n for n in truth.negatives if n["kind"] == "smoke_puff"]
    assert not boundaries_over(analysis, smoke), analysis.boundaries
    for t in xfades(truth):
        assert_cut_out_whole(analysis, t)


@pytest.mark.parametrize(
    ("seed", "first", "kind"),
    [
        pytest.param(1901, 0, "fade", id="0.52s_fade_into_a_flat_sky"),
        pytest.param(1904, 1, "dissolve", id="1.96s_dissolve_into_a_flat_sky"),
    ],
)
def test_a_dissolve_between_a_textured_and_a_low_contrast_moving_shot_is_cut_out(
    tmp_path, config, seed, first, kind
):
    """Round 19: a fade from a moving meadow (grey contrast ~40) into a moving, near-flat
    pink sky (contrast 3-8) of the same film leaked into a kept clip (seed 1901: 0.52 s;
    seed 1904: 1.96 s). Mixed with a flat picture, a textured one loses contrast as it fades,
    not below its line as two textured pictures do; its frames are near-exact blends (the
    sky's motion unseen), and the ends lie far apart for their lower contrast: the close-colour
    rule's residual floor and apart bound refused every frame. Ends that far apart count
    where the higher contrast is a picture's, not noise, and their structure is unrelated
    (`_moving_dissolves`, gradual_mix_far_*)."""
    path = tmp_path / f"{kind}.mp4"
    truth = render(path, plan_shots(ROUND19_PLAN, seed)[first : first + 2])
    assert_fade_cut_out(path, truth, kind, config)


def test_a_short_dissolve_between_two_fast_moving_shots_is_cut_out(tmp_path, config):
    """Round 20, seed 2001: a 0.64 s dissolve from a pan on a speed ramp into a spiral in of
    the same footage (close colours) was missed and leaked into a kept clip. Its frames dip to
    0.65-0.79 of the ends' contrast, but both shots move so fast that over the windows each
    mixes a picture moved well away from the window's end: their residual, 0.39-0.53 of the
    change, met the ceiling (0.4) at one window size only. On the thumbnails at half size,
    where the motion moves fine detail and the mix holds, it is 0.34-0.40
    (`_moving_dissolves`, gradual_mix_coarse_max_dip)."""
    path = tmp_path / "dissolve.mp4"
    truth = render(path, plan_shots(ROUND20_PLAN, 2001)[3:5])
    assert_fade_cut_out(path, truth, "dissolve", config)


def test_a_fade_between_moving_shots_of_unrelated_structure_is_cut_out(tmp_path, config):
    """Round 27, seed 2703: a 1.94 s fade between two moving shots of close colours was
    missed and leaked into a kept clip. Its frames dip to 0.82-0.89 of the ends' contrast,
    short of the 0.8 that let the half-size thumbnails meet the residual ceiling (0.41-0.45 of
    the change at full size, 0.35-0.40 at half); the ends share no structure (0.14-0.33),
    as a darkening of one shot's do (`_moving_dissolves`, gradual_mix_coarse_max_ncc)."""
    path = tmp_path / "fade.mp4"
    truth = render(path, plan_shots(ROUND27_PLAN, 2703)[:2])
    assert_fade_cut_out(path, truth, "fade", config)


@pytest.mark.parametrize(
    ("plan", "seed", "first", "kind"),
    [
        pytest.param(None, 1604, 0, "fadefast", id="round16_0.52s_fade"),
        pytest.param(ROUND19_PLAN, 1901, 0, "fade", id="round19_0.52s_fade"),
    ],
)
def test_a_dissolve_between_moving_shots_is_cut_out_narrowly(
    tmp_path, config, plan, seed, first, kind
):
    """A dissolve `_moving_dissolves` finds spanned its windows' ends, up to 0.9 s into the
    shots each side, and the refinement moved its uncertain ends out by a share of that: the
    round-16 0.52 s fade's span was 2.22 s, the round-19 one's 2.1 s. Narrowed to where its
    frames' share of the change leaves 0 and 1 (`_mix_span`), each is cut out whole and
    within 1.3 s more than itself (1.68 s, 1.45 s)."""
    path = tmp_path / f"{kind}.mp4"
    shots = round16_shots(seed) if plan is None else plan_shots(plan, seed)
    truth = render(path, shots[first : first + 2])
    assert_fade_cut_out(path, truth, kind, config)
    info = probe_file(str(path), str(path), config.probe)
    (fade,) = (t for t in xfades(truth) if t["kind"] == kind)
    near = boundaries_over(analyze_video(str(path), info, config.scenes), fade)
    assert near[-1].end_s - near[0].start_s <= fade["end_s"] - fade["start_s"] + 1.3, near


def test_a_slide_out_of_a_pan_starts_near_the_slide(tmp_path, config):
    """Round 16, seed 1601: a 2 s slide down (4.44-6.44 s here) from Perlin noise panning left
    into a cockatoo zooming out. The pan moves the noise as much as the lag window's ends
    differ, so the scans found no clean frame in it and the span began at the window's end,
    2.72 s: 1.72 s of the pan lost. At full rate the slide's first fast step lies inside the
    span, the pan's frames before it as calm as the pan outside: the start moves in to it
    (`_refined_span` with refine_shrink_min_s), and the slide stays cut out whole."""
    path = tmp_path / "slide_out_of_pan.mp4"
    truth = render(path, round16_shots(1601)[6:8])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (slide,) = xfades(truth)
    near = assert_cut_out_whole(analysis, slide)
    assert near[0].start_s >= slide["start_s"] - 0.7, near
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)


def test_a_soft_wipe_out_of_moving_noise_into_a_moving_film_is_cut_out(tmp_path, config):
    """Round 20, seed 2004: a 1.56 s vertopen (xfade: the new picture opens from a vertical
    centre line, a smoothstep ramp half the frame wide) from grey cells turning in a spiral
    into a Chaplin shot craning up. The colours are close (histogram lag 0.52, the frames
    flash_s farther out 0.45: under the weak rules), and the lag ends' pixels are never near
    a clean frame (the noise steps as much as it differs from its mean), so the mean share
    of the new picture starts at 0.1 and `_wipe` found no partition: the wipe was missed and
    leaked into a kept clip. The median share (0.02-0.08 on the noise, a steady rise after)
    finds it (`_wipe(median=True)`, gradual_wipe_soft)."""
    path = tmp_path / "vertopen.mp4"
    truth = render(path, plan_shots(ROUND20_PLAN, 2004)[6:8])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (wipe,) = xfades(truth)
    assert_cut_out_whole(analysis, wipe)
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)
    off = dataclasses.replace(config.scenes, gradual_wipe_soft=False)
    assert not boundaries_over(analyze_video(str(path), info, off), wipe)  # as it was


def test_a_fade_through_white_after_a_fast_pans_blur_is_cut_out(tmp_path, config):
    """Round 20, seed 2004: a fade to black (6.36-8.08 s here) into a 2.6 s shot that pans
    fast, blurred, then a 1.08 s fade through white (10.72-11.8 s). The span over the pan's
    end and the fade (its cut found the fade's flat frames) was grown over the pan's soft
    frames and dropped as the camera's own blur, with the cut: the next kept clip held the
    fade. A span holding a fade through a flat picture found at its cut stands."""
    path = tmp_path / "round20_2004_fadewhite.mp4"
    truth = render(path, plan_shots(ROUND20_PLAN, 2004)[4:7])
    assert_fade_cut_out(path, truth, "fadewhite", config)


def test_a_dissolve_between_two_near_flat_pictures_is_cut_out(tmp_path, config):
    """Round 20, seed 2001: a 1.92 s dissolve between two bright, near-flat skies of one
    runway (one drifting, one zooming) was missed and leaked into a kept clip: their colours
    hardly differ (histogram lag under 0.1) and mixed they lose no contrast. xfade's dissolve
    mixes pixel by pixel, each pixel one shot's or the other's: a grain neither shot has, the
    picture's fine detail (Laplacian std) 0.8 -> 55 -> 1.2 over the dissolve's frames, the
    thumbnails no more contrasted than the ends and moving from one to the other
    (`_grain_dissolves`, gradual_grain_*)."""
    path = tmp_path / "dissolve.mp4"
    truth = render(path, plan_shots(ROUND20_PLAN, 2001)[6:8])
    assert_fade_cut_out(path, truth, "dissolve", config)


def test_a_double_flash_after_a_fade_through_grey_is_no_boundary(tmp_path, config):
    """Round 20, seed 2003: a fade through grey into a Chaplin shot spiralling in, and a
    double flash (two white frames twice, 0.36 s apart) 1.9 s after it. A lag peak reached
    from mid-fade to the first white frame (the frames flash_s farther out differ: one is in
    the fade); its span was the one step into the white, a false boundary. That step comes
    back within flash_s, as a hard cut's flash does (`_came_back`). (The fade's
    own span may reach into the first flash.)"""
    path = tmp_path / "double_flash.mp4"
    truth = render(path, plan_shots(ROUND20_PLAN, 2003)[2:4])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    kept = kept_clips(info, analysis, config)
    assert kept
    assert_no_transition_frame(truth, kept)
    (fade,) = xfades(truth)
    # every boundary is the fade's (within 0.5 s of it, as bench_transitions counts them)
    false = [
        b
        for b in analysis.boundaries
        if b.start_s > fade["end_s"] + 0.5 or b.end_s < fade["start_s"] - 0.5
    ]
    assert not false, (fade, analysis.boundaries)


def test_a_cut_between_two_pictures_decodes_nothing_to_check_the_light(
    tmp_path, config, monkeypatch
):
    """The one-picture-lit-otherwise check (`_same_shot_across`) decodes the frames either side
    of a cut again, from the keyframe before them, often a GOP back; between two pictures whose
    thumbnails no shift lines up (a bright test pattern cut to a darker fractal) it decodes
    nothing: on the bench input those decodes cost 2.3 of ~12 CPU s."""
    import transforms.scenes as scenes

    path = make_video(
        tmp_path / "cut.mp4",
        *("-f", "lavfi", "-i", "testsrc2=s=320x180:d=3:r=25"),
        *("-f", "lavfi", "-i", "mandelbrot=s=320x180:r=25,trim=duration=3,eq=brightness=-0.2"),
        *("-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p"),
        *("-c:v", "libx264", "-g", "250", "-sc_threshold", "0"),
    )
    windows = []
    made = scenes.window_decoder

    def counting(*args, **kwargs):
        decode = made(*args, **kwargs)

        def window(t0, t1, *rest):
            windows.append((t0, t1))
            return decode(t0, t1, *rest)

        return window

    monkeypatch.setattr(scenes, "window_decoder", counting)
    info = probe_file(str(path), str(path), config.probe)
    boundaries = analyze_video(str(path), info, config.scenes).boundaries
    assert [round(b.start_s, 1) for b in boundaries] == [3.0]
    assert windows == []


def test_a_dissolve_with_blurred_middle_frames_between_moving_shots_is_cut_out(tmp_path, config):
    """Round 21, seed 2103, shots 5-6: a 1.2 s hblur (xfade: a dissolve whose middle frames are
    blurred sideways, sharpness down to 0.2 of the shots', contrast to 0.44) between two
    moving shots of one film (a drift with a roll, then a figure eight). The frames were found
    to be blends of two unrelated pictures (`_moving_dissolves`), then dropped as the camera's
    own blur, and the kept clip after held the transition: a mix of two pictures is no blur
    of one."""
    path = tmp_path / "round21_2103_hblur.mp4"
    truth = render(path, plan_shots(ROUND21_PLAN, 2103)[4:6])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (hblur,) = xfades(truth)
    assert_cut_out_whole(analysis, hblur)
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))


def test_a_long_fade_between_violently_moving_shots_is_cut_out(tmp_path, config):
    """Round 20, seed 2002, shots 1-2: a 1.88 s fade between two close-ups of one bird moving
    violently (a spiral in, then an orbit; the shots' own steps 20-40 a frame). Its lag peak
    (0.69) had ends a shot's own motion apart, no different shots by the twin comparison, and
    its frames were blends of their window's ends at one window size only (0.9 s; at 0.6 s
    the mean strays with the motion): the peak and the window's ends' colours (0.66-0.74
    apart) are the second witness. A jump in the spiral before it joins the fade's span."""
    path = tmp_path / "round20_2002_fade.mp4"
    truth = render(path, plan_shots(ROUND20_PLAN, 2002)[:2])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (fade,) = xfades(truth)
    assert_cut_out_whole(analysis, fade)
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))


def test_a_soft_wipe_just_after_a_cut_is_cut_out(tmp_path, config):
    """Round 22, seed 2202, shots 6-8: bigbuckbunny's bird played at 0.6x flaps and cuts to a
    title 0.1 s before a 1.16 s soft wipe (smoothright) into a similar moving shot. The wipe's
    weak late peak, its own lag window past the cut, had its scans meet at that cut (its
    widened lag's first frame): taken for a hard cut's, no span, and the wipe leaked whole
    into the kept clip. Such scans run again as scans meeting away from a cut do."""
    path = tmp_path / "round22_2202_smoothright.mp4"
    truth = render(path, plan_shots(ROUND22_PLAN, 2202)[5:8])
    assert_fade_cut_out(path, truth, "smoothright", config)


def test_a_fade_between_similar_moving_shots_is_a_mix(tmp_path, config):
    """Round 22, seed 2201, shots 1-2: a 0.52 s fade between two similar moving shots (an arc
    over, a crab walk) after a headlights negative. Its lag is under every histogram rule and
    its window ends' structure correlates 0.45-0.50, just above the mix's far-apart ceiling,
    so it leaked into a kept clip; their mean level rises 155 -> 229 as a fade's does (a
    shot's own motion out of a flat view hardly moves it), which lets the mix take it."""
    path = tmp_path / "round22_2201_fade.mp4"
    truth = render(path, plan_shots(ROUND22_PLAN, 2201)[0:2])
    assert_fade_cut_out(path, truth, "fade", config)


def test_a_fade_through_black_into_a_jerky_shot_is_no_blur(tmp_path, config):
    """Round 23, seed 2303, shots 4-6: a 1.92 s fade through black out of a screen switched
    on (settled stripes) into a jerky shot of one palette (a jump every ~0.24 s). No cut found
    the fade; its lag peak's span was narrowed to it, then merged with a span at one of the
    jerky shot's jumps over the fade-up, whose soft frames kept their contrast: taken for the
    camera's own blur, the span and the jump were dropped and the fade leaked into the kept
    clip. A fade a peak found is spared as one a cut found is."""
    path = tmp_path / "round23_2303_fadeblack.mp4"
    truth = render(path, plan_shots(ROUND23_PLAN, 2303)[3:6])
    assert_fade_cut_out(path, truth, "fadeblack", config)


@pytest.mark.parametrize(
    ("plan", "seed", "steps"),
    [
        pytest.param(ROUND23_PLAN, 2302, 25, id="round23_2302"),
        pytest.param(ROUND22_PLAN, 2202, 25, id="round22_2202"),
        pytest.param(ROUND24_PLAN, 2402, 10, id="round24_2402_gradual_onset"),
    ],
)
def test_a_blur_dissolve_between_similar_moving_shots_is_found(tmp_path, config, plan, seed, steps):
    """Rounds 22-23, seeds 2202 and 2302, shots 1-2: a 0.6 s hblur between two similar moving
    shots, their colour histograms 0.14-0.18 apart throughout (no lag peak); its only sign is
    a dip of sharpness, kept contrast, between two different pictures. It was missed and the
    kept clip held it; a dip whose sides are different pictures is a transition. Round 24,
    seed 2402 (30 fps): a 0.7 s hblur whose blur deepens gradually (0.6 of the side's
    sharpness at once, 0.35 only 0.3 s later) was missed too: the side's median was read over
    the dip's own first frames."""
    path = tmp_path / f"hblur_{seed}.mp4"
    truth = render(path, plan_shots(plan, seed, steps=steps)[0:2])
    assert_fade_cut_out(path, truth, "hblur", config)
    info = probe_file(str(path), str(path), config.probe)
    (blur,) = (t for t in xfades(truth) if t["kind"] == "hblur")
    off = dataclasses.replace(config.scenes, gradual_swap_max_share=None)
    assert not any(
        b.start_s <= blur["start_s"] and blur["end_s"] <= b.end_s
        for b in analyze_video(str(path), info, off).boundaries
    )


def test_a_barn_door_into_a_zooming_shot_is_no_zoom(tmp_path, config):
    """Round 24, seed 2404, shots 5-7: a 1.3 s barn door (vertopen) out of blurred grey clouds
    into a cockatoo the camera corkscrews over. Its refined span ran on over the corkscrew;
    chained, the door's edges moving out fit a zoom, all but 5 of 109 steps: a 2.5x broken
    chain whose smooth ends correlated 0.68, so the span was dropped as the camera's zoom and
    the door leaked into a kept clip. The frames around it are two shots; between two, a
    broken chain's weak likeness is no zoom (`refine_zoom_broken_one_shot`)."""
    path = tmp_path / "round24_2404_vertopen.mp4"
    truth = render(path, plan_shots(ROUND24_PLAN, 2404, steps=10)[4:7])
    assert_fade_cut_out(path, truth, "vertopen", config)
    info = probe_file(str(path), str(path), config.probe)
    (door,) = (t for t in xfades(truth) if t["kind"] == "vertopen")
    off = dataclasses.replace(config.scenes, refine_zoom_broken_one_shot=False)
    assert not boundaries_over(analyze_video(str(path), info, off), door)


@pytest.mark.parametrize(
    ("plan", "seed", "steps"),
    [
        pytest.param(ROUND24_PLAN, 2402, 10, id="round24_2402"),
        pytest.param(ROUND23_PLAN, 2302, 25, id="round23_2302"),
    ],
)
def test_a_blur_dissolve_is_cut_out_tight(tmp_path, config, plan, seed, steps):
    """Round 24, seed 2402 (a 0.7 s hblur at 3.50-4.20 between two moving shots) and round 23,
    seed 2302 (0.6 s at 2.60-3.20): found by their sharpness dip, their spans were padded and
    then refined at full rate, where the shots' own motion reads as the transition's steps:
    2.93-4.97 and 2.16-3.96, the clean seconds around them lost. A blur swap's span is the
    frames between the dip's clean ends."""
    path = tmp_path / f"hblur_{seed}.mp4"
    truth = render(path, plan_shots(plan, seed, steps=steps)[0:2])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (blur,) = (t for t in xfades(truth) if t["kind"] == "hblur")
    (span,) = assert_cut_out_whole(analysis, blur)
    assert span.start_s >= blur["start_s"] - 0.1 and span.end_s <= blur["end_s"] + 0.1, span
    kept = kept_clips(info, analysis, config)
    assert_no_transition_frame(truth, kept)
    assert any(c.end_s > blur["start_s"] - 0.2 for c in kept), kept


@pytest.mark.parametrize(
    "shots",
    [
        pytest.param(
            (("phone_q24", "corkscrew", 3.1, 0.5333), ("phone_p24", "swing_pan", 3.03, 0.0)),
            id="shallow_dip",
        ),
        pytest.param(
            (("tramp_b22", "wave_rise", 4.4, 1.84), ("tramp_a22", "slow_roll", 4.56, 0.0)),
            id="slow_recovery",
        ),
        pytest.param(
            (("tramp_c23", "overshoot_pan", 4.32, 1.48), ("tramp_d23", "overshoot_pan", 4.16, 0.0)),
            id="beside_an_early_span",
        ),
    ],
)
def test_a_blur_dissolve_is_found_by_its_rows(tmp_path, config, shots):
    """Probe renders of hblurs between similar moving shots (bench/probe_hblurs.py, seeds
    97010, 97018, 97012). A 0.53 s hblur between two phone shots (30 fps) dipped only to 0.49 of the
    side's sharpness: no `_blur_swaps` dip, and it leaked whole into a kept clip. A 1.84 s one
    between two trampoline shots was found to 3.56 s only (the dip's end), 0.84 s of it left
    in the next kept clip. Seed 97012: a 1.48 s one between two trampoline shots panning was a
    `_blur_swaps` dip, but a span of the shots' own motion from 0.88 s merged with it and was
    refined away whole. Their frames lose their detail across the picture far more than down
    it (each row averaged over up to half the width): a swap of its own (`_row_blurs`), its
    ends where sharpness and the rows are back, taking the place of spans merged with it."""
    path = tmp_path / "hblur.mp4"
    truth = render(
        path,
        [
            Shot(source, length, None, "hblur" if into else "cut", into, move=move)
            for source, move, length, into in shots
        ],
    )
    assert_fade_cut_out(path, truth, "hblur", config)
    info = probe_file(str(path), str(path), config.probe)
    (blur,) = (t for t in xfades(truth) if t["kind"] == "hblur")
    off = dataclasses.replace(config.scenes, gradual_hblur_max_sharpness=None)
    assert not any(
        b.start_s <= blur["start_s"] and blur["end_s"] <= b.end_s
        for b in analyze_video(str(path), info, off).boundaries
    )


def test_one_picture_that_stayed_put_across_a_cut_is_one_shot(tmp_path, config):
    """Round 24, seed 2401, 34.37 s: a spiral of fine colour detail (content score 23-32 every
    frame) passed for a hard cut, then for a gradual span 33.87-34.40 s inside its own shot:
    its frames either side, lit and tinted alike, registered 1.9 and 0.6 px apart at 128x72 and
    correlated 0.998. Lit alike, a picture that stayed put is one shot; one moved by a slide's
    step (0.06-0.08 of the frame) is still left a boundary."""
    path = make_video(
        tmp_path / "spiral.mp4",
        *("-f", "lavfi", "-i", "mandelbrot=s=320x180:r=25,trim=duration=2,format=yuv420p"),
        *("-c:v", "libx264", "-g", "250"),
    )
    info = probe_file(str(path), str(path), config.probe)
    decode = window_decoder(str(path), info.start_time_s, 0, config.scenes.allowed_formats)
    times, tinies = decode(0.95, 1.01)
    both = BoundaryFeatures(times_s=[times[0], times[-1]], tinies=[tinies[0], tinies[-1]])
    cut = Boundary(BoundaryKind.CUT, times[-1], times[-1], 1)
    still = config.scenes
    assert _same_shot_across(cut, both, decode, 0.04, still)
    off = dataclasses.replace(still, refine_same_shot_still_shift=None)
    assert not _same_shot_across(cut, both, decode, 0.04, off)
    # the same frames, the second moved by 9 px of 128 (0.07: a slide's step)
    _, frames = decode(cut.start_s - 0.06, cut.end_s + 0.06, (128, 72))
    slid = [frames[0], np.roll(frames[-1], 9, axis=1)]
    small = [cv2.resize(f, (32, 18), interpolation=cv2.INTER_AREA) for f in slid]
    moved = BoundaryFeatures(times_s=both.times_s, tinies=small)
    assert not _same_shot_across(cut, moved, lambda *_: (both.times_s, slid), 0.04, still)


def test_a_handheld_jolt_during_a_pan_is_one_shot(config):
    """Round 24, seed 2402, 22.77 s: the handheld cockatoo footage jolts at 6.7 s of its own
    (a step 3x its neighbours') under a swing pan; the frames either side, darker by 0.37, were
    one picture moved by 0.32 of the frame's width and 0.26 of its height (ECC 0.97), past the
    fifth of the frame `_same_shot_across` searched, and it stayed a false cut. Here the jolt's
    own frames (0.19 of the width) with a pan's 0.12 more: one shot; moved past
    `SAME_SHOT_MAX_LIT_SHIFT`, two pictures. Lit alike and tinted otherwise, moved past a fifth,
    they are a fast slide's step, its other picture's colours leaving (dev set, pillar box,
    seed 8): two pictures; within a fifth, one."""
    capture = cv2.VideoCapture(str(TESTDATA / "real" / "cockatoo.mp4"))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 133)
    before, _, after = (capture.read()[1] for _ in range(3))
    capture.release()

    def framed(frame: np.ndarray, pan: float) -> np.ndarray:
        height, width = frame.shape[:2]
        x = round(width * (0.3 + pan))
        picture = frame[:, ::-1][round(height * 0.24) : round(height * 0.84), x : x + width // 2]
        return cv2.resize(np.ascontiguousarray(picture), (128, 72), interpolation=cv2.INTER_AREA)

    def tinted(frame: np.ndarray, light: float) -> np.ndarray:
        gains = light / frame.mean() * np.array([1.25, 1.0, 0.8])
        return np.clip(frame * gains, 0, 255).astype(np.uint8)

    cut = Boundary(BoundaryKind.CUT, 6.7, 6.7, 1)
    first = framed(before, 0.0)
    cases = [
        (framed(after, 0.06), True),
        (framed(after, 0.12), False),
        (tinted(framed(after, 0.0), first.mean()), True),
        (tinted(framed(after, 0.06), first.mean()), False),
    ]
    for last, one_shot in cases:
        frames = [first, last]
        tinies = [cv2.resize(f, (32, 18), interpolation=cv2.INTER_AREA) for f in frames]
        both = BoundaryFeatures(times_s=[6.65, 6.75], tinies=tinies)
        decode = lambda *_, window=([6.65, 6.75], frames): window  # noqa: E731
        assert _same_shot_across(cut, both, decode, 0.05, config.scenes) == one_shot


def test_a_slowed_shots_step_is_no_cut(tmp_path, config):
    """Round 25, seed 2501: bikes played at 0.25x hold each frame for four, so a rider's leg
    sweeping past comes in steps; three of them (1.2-1.6 times the steps either side) passed
    for cuts. A step no bigger than a few of the shot's own steps either side is no cut; a cut
    out of the stepped shot into another picture (many times its steps) stands."""
    # six frames a second, each held for four at 24 fps: a shot played at 0.25x
    stepped = "testsrc2=s=320x180:r=6,fps=24,trim=duration=1.5,setpts=PTS-STARTPTS"
    other = "mandelbrot=s=320x180:r=6,fps=24,trim=duration=1.5,setpts=PTS-STARTPTS"
    path = make_video(
        tmp_path / "stepped.mp4",
        *("-filter_complex", f"{stepped}[a];{other}[b];[a][b]concat=n=2:v=1,format=yuv420p"),
        *("-c:v", "libx264", "-g", "250"),
    )
    info = probe_file(str(path), str(path), config.probe)
    decode = window_decoder(str(path), info.start_time_s, 0, config.scenes.allowed_formats)
    times, tinies = decode(0.0, 3.0)
    features = BoundaryFeatures(times_s=times, tinies=tinies)
    steps = [_rms(tinies[k - 1], tinies[k]) for k in range(1, len(tinies))]
    # one of the test pattern's steps, well inside it
    step = max(range(12, 28), key=lambda k: steps[k - 1])
    held = Boundary(BoundaryKind.CUT, times[step], times[step], step)
    assert _stepped_shot_across(held, features, decode, 1 / 24, config.scenes)
    assert refine_boundaries([held], features, decode, 1 / 24, config.scenes, (0.0, 3.0)) == []
    off = dataclasses.replace(config.scenes, refine_stepped_max_ratio=None)
    assert not _stepped_shot_across(held, features, decode, 1 / 24, off)
    cut = Boundary(BoundaryKind.CUT, times[36], times[36], 36)
    assert steps[35] > 3 * max(steps[28:35])
    assert not _stepped_shot_across(cut, features, decode, 1 / 24, config.scenes)
    assert refine_boundaries([cut], features, decode, 1 / 24, config.scenes, (0.0, 3.0)) == [cut]


def test_a_white_balance_drifting_in_a_moving_shot_is_no_transition(tmp_path, config):
    """Round 25, seed 2502, shots 2-4: a checker wipe into a glade the camera drifts over, whose
    white balance drifts warmer over a second (12.60-13.60 s here). A gradual span was found
    over it (11.66-13.57 s), and its clean seconds lost. The frames either side of it,
    registered at 128x72 through the span, are one picture lit otherwise (fine detail
    correlating 0.98); a wipe's or dissolve's ends are two pictures, and the wipe stays cut
    out."""
    path = tmp_path / "round25_2502_wb_shift.mp4"
    truth = render(path, plan_shots(ROUND25_PLAN, 2502, steps=24)[1:4])
    info = probe_file(str(path), str(path), config.probe)
    (shift,) = (n for n in truth.negatives if n["kind"] == "wb_shift")
    analysis = analyze_video(str(path), info, config.scenes)
    for t in xfades(truth):
        assert_cut_out_whole(analysis, t)
    over = [b for b in analysis.boundaries if b.end_s > shift["start_s"] - 0.5]
    assert over == [], analysis.boundaries
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))
    off = dataclasses.replace(config.scenes, refine_one_shot_min_ncc=None)
    found = analyze_video(str(path), info, off).boundaries
    assert [b for b in found if b.end_s > shift["start_s"] - 0.5], found


def test_refinement_walks_over_a_rectcrops_flat_middle(tmp_path, config):
    """Round-26 set, seed 2603: a 2 s rectcrop shrinks the old shot to a black frame and grows
    the new one out of it; its middle frames are black and still (steps 0-4 against a limit of
    15), which ended the walk over fast frames: the span ended 0.75 s early (36.75 of 37.85 s,
    coarse end 1.1 s early) and the kept clip after held its last 0.65 s."""
    shots = [Shot("mandel_zoom", 5.0, None, "rectcrop", 2.0), Shot("rule30", 3.0)]
    t, _, refine = refined_transition(tmp_path / "rectcrop.mp4", shots, -0.3, -1.1)
    b = refine(config.scenes)
    assert b.start_s <= t["start_s"], (t, b)
    assert b.end_s >= t["end_s"], (t, b)


def test_a_slice_wipe_into_a_low_detail_shot_is_no_blur(tmp_path, config):
    """Round 26, seed 2602, shots 6-8: a 0.75 s vertical slice wipe out of a whip that stops
    into a low-detail shot (sharpness 0.001-0.004 against the old shot's 0.014) with rain
    streaks 2 s on. Its span, grown over the new shot's soft frames to the streaks, kept the
    old shot's contrast and lost its sharpness: dropped as the camera's own blur, the wipe
    leaked into the kept clip. Its slices are 21.6x the old shot's sharpness, and a
    camera's blur only takes detail away."""
    path = tmp_path / "round26_2602_vdslice.mp4"
    truth = render(path, plan_shots(ROUND26_PLAN, 2602, steps=20)[5:8])
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (wipe,) = (t for t in xfades(truth) if t["kind"] == "vdslice")
    assert_cut_out_whole(analysis, wipe)
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))


def test_a_barn_door_after_a_fade_through_black_keeps_its_span(tmp_path, config):
    """Round 27, seed 2704, shots 1-4: a 0.86 s fade through black into a Dutch-angle pan
    over a spiral, 2.6 s later a 1.66 s barn door closing (vertclose) into a shot orbiting a
    zoom. No lag peak of its own (the pan's lag, 0.75-0.79, tops the door's), but the fade's
    peak's scan found no clean frame up to its lag end, 0.36 s into the door. Narrowed to the
    fade's flat frames, that span lost the door, which leaked into a kept clip. What the scan
    held past the fade stays a span (`gradual_flat_fade_keeps_rest`)."""
    path = tmp_path / "round27_2704_vertclose.mp4"
    truth = render(path, plan_shots(ROUND27_PLAN, 2704, steps=50)[:4])
    info = probe_file(str(path), str(path), config.probe)
    (door,) = (t for t in xfades(truth) if t["kind"] == "vertclose")
    analysis = analyze_video(str(path), info, config.scenes)
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))
    off = dataclasses.replace(config.scenes, gradual_flat_fade_keeps_rest=False)
    kept = kept_clips(info, analyze_video(str(path), info, off), config)
    assert any(c.start_s < door["end_s"] and c.end_s > door["start_s"] for c in kept)


def test_a_barn_door_on_a_drifting_shots_lag_plateau_is_found(tmp_path, config):
    """Round 28, seed 2804, shots 2-4: a circle closing into a gradient whose colours drift
    from orange to deep blue as the camera pans (its own lag 1.0), 4.7 s later a 1.06 s barn
    door opening (horzopen) into a handheld shot. The lag stays from 0.78 to 1.0 from the
    drift to the door's end: no dip parts them, the door's lags (0.95) lie within a lag window
    of higher ones, no peak of its own, and the circle's peak's span ends in the drift; the
    door leaked into a kept clip. Past that span the lags still from gradual_min_hist are
    judged at their plateau's middle, where the frames partition the lag's ends
    (`gradual_plateau_rest`)."""
    path = tmp_path / "round28_2804_horzopen.mp4"
    truth = render(path, plan_shots(ROUND28_PLAN, 2804, steps=16)[1:4])
    info = probe_file(str(path), str(path), config.probe)
    (door,) = (t for t in xfades(truth) if t["kind"] == "horzopen")
    analysis = analyze_video(str(path), info, config.scenes)
    assert_cut_out_whole(analysis, door)
    assert_no_transition_frame(truth, kept_clips(info, analysis, config))
    off = dataclasses.replace(config.scenes, gradual_plateau_rest=False)
    kept = kept_clips(info, analyze_video(str(path), info, off), config)
    assert any(c.start_s < door["end_s"] and c.end_s > door["start_s"] for c in kept)


def test_a_slide_into_a_soft_shot_is_cut_out_from_its_first_step(tmp_path, config):
    """Round 28, seed 2802, shots 3-4: a 1.06 s parallax slide (4.12-5.19 s here) from a
    zooming shot into a soft one panning on a speed ramp. Its span was a row blur's
    (`_row_blurs`, exact), from where the soft shot blurred the rows, 0.6 s into the slide;
    the lag peak's span it took the place of began earlier, and the kept clip before ran into
    the slide. The analysed frames step 9-19 from the slide's first frame, against the zoom's
    2-4: the row blur's start moves back over them (`_fast_lead`)."""
    path = tmp_path / "round28_2802_parallaxslide.mp4"
    truth = render(path, plan_shots(ROUND28_PLAN, 2802, steps=16)[3:5])
    assert_fade_cut_out(path, truth, "parallaxslide", config)
    info = probe_file(str(path), str(path), config.probe)
    off = dataclasses.replace(config.scenes, gradual_swap_lead=False)
    kept = kept_clips(info, analyze_video(str(path), info, off), config)
    (slide,) = xfades(truth)
    assert any(c.start_s < slide["end_s"] and c.end_s > slide["start_s"] for c in kept)


def test_a_fade_no_faster_than_its_shots_is_not_cut_off_by_an_end_moved_in(tmp_path, config):
    """Round 28, seed 2803, its first three shots: a 1.06 s fade (8.50-9.56 s) from a pan into
    a handheld shot, no step of it larger than the shots' own, inside a coarse span from the
    flash dissolve before it. The span's end moved in to the pan's last fast step (8.74 s),
    the frames between judged calm against the new shot's drift over the little the window
    holds of it, and the kept clip after started inside the fade. The fade's grey contrast
    dips (to 11.4) under both the moved-in end's (41) and all the new shot shows: the end
    stays at the dip's rim (`_calm_until`)."""
    path = tmp_path / "round28_2803_fade.mp4"
    truth = render(path, plan_shots(ROUND28_PLAN, 2803, steps=16)[:3])
    assert_fade_cut_out(path, truth, "fade", config)
    info = probe_file(str(path), str(path), config.probe)
    off = dataclasses.replace(config.scenes, refine_calm_max_dip=None)
    kept = kept_clips(info, analyze_video(str(path), info, off), config)
    (fade,) = (t for t in xfades(truth) if t["kind"] == "fade")
    assert any(c.start_s < fade["end_s"] and c.end_s > fade["start_s"] for c in kept)
