import dataclasses
import itertools

import numpy as np
import pytest

from tests.conftest import TESTDATA, make_video
from transforms.probe import probe_file
from transforms.scenes import (
    Analysis,
    ClipConfig,
    analyze_video,
    build_clips,
    clip_spans,
    keyframe_splits,
    scene_spans,
    score_cuts,
)
from transforms.transitions import Boundary


def cuts_of(path, config, **scene_overrides):
    info = probe_file(str(path), str(path), config.probe)
    scenes = dataclasses.replace(config.scenes, **scene_overrides)
    analysis = analyze_video(str(path), info, scenes)
    return info, analysis, analysis.cut_times_s


@pytest.mark.parametrize("skip", [("h264",), ()], ids=["reference-frames", "all-frames"])
def test_hard_cuts_found_exactly(skip, config, truth):
    expected = truth["cuts/hard_cuts.mp4"]["cuts_s"]
    _, _, found = cuts_of(
        TESTDATA / "synthetic/cuts/hard_cuts.mp4", config, skip_nonref_codecs=skip
    )
    precision, recall = score_cuts(found, expected, tolerance_s=0.5)
    assert (precision, recall) == (1.0, 1.0), found
    assert found == pytest.approx(expected, abs=0.1)


def test_fades_get_one_cut_each(config, truth):
    windows = truth["cuts/fades.mp4"]["transitions_s"]
    _, analysis, found = cuts_of(TESTDATA / "synthetic/cuts/fades.mp4", config)
    # the next scene starts a little after the fade: its span is cut out with a margin for
    # its faint last frames (transitions.refine_faint_s)
    assert score_cuts(found, windows, tolerance_s=0.75) == (1.0, 1.0), found
    for lo, hi in windows:
        assert any(b.start_s <= lo and b.end_s >= hi for b in analysis.boundaries), (lo, hi)


def test_bikes_published_cuts(config, real_truth):
    expected = real_truth["bikes.mp4"]["cuts_s"]
    _, analysis, found = cuts_of(TESTDATA / "real/bikes.mp4", config)
    assert score_cuts(found, expected, tolerance_s=0.5) == (1.0, 1.0), found
    # To the frame (25 fps): each next scene starts on the cut's first frame, none of the shot
    # before in it. The 3.04 s cut follows a fast pan whose jump over two frames (a skipped
    # non-reference frame between) reaches the threshold 0.08 s earlier.
    starts = [b.end_s for b in analysis.boundaries]
    assert starts == pytest.approx(expected, abs=0.02), starts


def test_mpegts_cuts_are_the_published_cuts(tmp_path, config, real_truth):
    # MPEG-TS has no index: a seek lands on any packet before the time, and the decoder drops
    # frames up to the next keyframe. The window refining the 3.04 s cut then began on the cut
    # itself and took 2.73-4.64 s for a gradual transition (both clips around it lost).
    path = make_video(
        tmp_path / "bikes.ts",
        *("-i", str(TESTDATA / "real/bikes.mp4"), "-c:v", "libx264", "-preset", "veryfast"),
        *("-an", "-f", "mpegts"),
    )
    info, analysis, _ = cuts_of(path, config)
    assert info.start_time_s > 1  # MPEG-TS clocks start late: times count from there
    expected = real_truth["bikes.mp4"]["cuts_s"]
    assert [b.kind.value for b in analysis.boundaries] == ["cut"] * len(expected)
    starts = [b.end_s for b in analysis.boundaries]
    assert starts == pytest.approx(expected, abs=0.02), starts


@pytest.mark.parametrize(
    "pin, keyint", [(True, 50), (False, 50), (True, 250)], ids=["pinned", "pin-off", "long-gop"]
)
def test_a_cut_on_a_skipped_b_frame_is_pinned_to_its_frame(tmp_path, config, pin, keyint):
    """Big Buck Bunny cut hard into chaplin.mp4 at 7.52 s, encoded by x264 at scenecut=0: no
    keyframe at the cut, whose first frame is a non-reference B-frame the pass skips. The
    pass saw the cut between its analysed frames at 7.48 and 7.56 s and cut out 7.52-7.56 as a
    span; at full frame rate the jump is at 7.52, a cut, every frame in a scene. With a
    keyframe only every 10 s (7.5 s before the cut) the window would decode a GOP: not
    pinned (refine_cut_pin_max_s), the skipped frame is left out of both scenes."""
    fit = "scale=320:180,setsar=1,fps=25,format=yuv420p,setpts=PTS-STARTPTS"
    path = make_video(
        tmp_path / "cut.mp4",
        *("-ss", "0.7", "-t", "7.48", "-i", str(TESTDATA / "real/big_buck_bunny_0_30.webm")),
        *("-t", "4", "-i", str(TESTDATA / "real/chaplin.mp4")),
        *("-filter_complex", f"[0:v]{fit}[a];[1:v]{fit}[b];[a][b]concat=n=2:v=1:a=0"),
        *("-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-threads", "1"),
        *("-x264-params", f"scenecut=0:keyint={keyint}"),
    )
    _, analysis, _ = cuts_of(path, config, refine_cut_pin=pin)
    pinned = pin and keyint == 50
    times = analysis.frame_times_s
    assert analysis.skipped_nonref and not any(abs(t - 7.52) < 0.01 for t in times)
    cuts = [b for b in analysis.boundaries if b.kind == "cut"]  # (and the film's fade-in)
    assert len(cuts) == 1 and cuts[0].end_s == pytest.approx(7.52 if pinned else 7.56, abs=1e-3)
    if pinned:
        assert cuts[0].start_s == pytest.approx(7.52, abs=1e-3), cuts
        spans = scene_spans(analysis)
        assert any(abs(end - 7.52) < 1e-3 for _, end in spans), spans
        assert any(abs(start - 7.52) < 1e-3 for start, _ in spans), spans


def test_a_cut_on_a_keyframe_is_not_pinned(config):
    """A cut whose first analysed frame is a keyframe (x264 puts one where it sees a cut; the
    frames skipped before it are the old shot's) is not decoded again: a window there would
    decode from the keyframe before, a GOP away (+44 % analysis CPU on 60 s of 720p at
    scenecut=0, where every cut is pinned)."""
    from transforms.transitions import BoundaryFeatures, refine_boundaries

    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 255, (2, 18, 32, 3)).astype(np.uint8)
    features = BoundaryFeatures()
    times = [k * 0.08 for k in range(20)]  # every other frame of 25 fps analysed
    for t in times:
        features.add(t, a if t < 0.8 else b)
    cut = Boundary("cut", 0.76, 0.8, 10)
    calls = []

    def decode(t0, t1):
        calls.append((t0, t1))
        ts = [k * 0.04 for k in range(round(t0 / 0.04), round(t1 / 0.04) + 1)]
        return ts, [a if t < 0.78 else b for t in ts]

    scenes = config.scenes
    assert refine_boundaries([cut], features, decode, 0.04, scenes, keyframes_s=[0.8]) == [cut]
    assert calls == []
    # pinned from a keyframe close before it; with none within refine_cut_pin_max_s, not
    far = dataclasses.replace(scenes, refine_cut_pin_max_s=0.5)
    assert refine_boundaries([cut], features, decode, 0.04, far, keyframes_s=[0.0]) == [cut]
    assert calls == []
    (pinned,) = refine_boundaries([cut], features, decode, 0.04, scenes, keyframes_s=[0.0])
    assert calls and pinned.start_s == pinned.end_s == pytest.approx(0.8)


def joined_captures(tmp_path, second: tuple[str, ...]):
    """bikes.mp4's first 4 s and the rest as two MPEG-TS captures joined byte-wise, the second
    encoded with the extra ffmpeg arguments `second`."""
    parts = []
    for i, (seek, length, extra) in enumerate([("0", "4", ()), ("4", "6", second)]):
        parts.append(
            make_video(
                tmp_path / f"{i}.ts",
                *("-ss", seek, "-t", length, "-i", str(TESTDATA / "real/bikes.mp4"), *extra),
                *("-c:v", "libx264", "-preset", "veryfast", "-an", "-f", "mpegts"),
            )
        )
    joined = tmp_path / "joined.ts"
    joined.write_bytes(b"".join(p.read_bytes() for p in parts))
    return joined


@pytest.mark.parametrize(
    "second, error",
    [
        # The second capture's clock starts over. libav hands the frames on with the old
        # times; the 6 s after the join were dropped as out of order but for the last 2 s,
        # which were taken for the first capture's 4-6 s.
        pytest.param((), "jump back", id="clock-starts-over"),
        # An HD capture with an SD stretch (a broadcast's advert): its clips were written at
        # the probed 640x272, the 4:3 picture squashed to 2.35:1.
        pytest.param(
            ("-vf", "scale=480:360,setsar=1", "-output_ts_offset", "4"),
            "640x272 to 480x360",
            id="picture-size-changes",
        ),
    ],
)
def test_joined_captures_are_read_up_to_the_join(tmp_path, config, second, error):
    _, analysis, found = cuts_of(joined_captures(tmp_path, second), config)
    assert error in analysis.partial_error
    assert 3.9 < analysis.frame_times_s[-1] < 4.0
    assert found == pytest.approx([1.2, 3.04], abs=0.02)


def test_bikes_as_pal_16_9_has_the_same_boundaries(tmp_path, config, real_truth):
    """bikes.mp4 as PAL 720x576 at SAR 64:45 (a 1024x576 picture, analysed at 320x180 where
    the original is analysed at 424x180): the same five cuts, no gradual boundary (a bus
    passing in front of a cyclist is no reveal), and every clip kept in the original kept."""
    pal = make_video(
        tmp_path / "bikes_pal.mp4",
        *("-i", str(TESTDATA / "real/bikes.mp4"), "-vf", "scale=720:576,setsar=64/45"),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    expected = real_truth["bikes.mp4"]["cuts_s"]
    info, analysis, found = cuts_of(pal, config)
    assert info.display_width == 1024
    assert [b.kind for b in analysis.boundaries] == ["cut"] * len(expected), analysis.boundaries
    assert found == pytest.approx(expected, abs=0.02), found
    original_info, original, _ = cuts_of(TESTDATA / "real/bikes.mp4", config)

    def kept(i, a):
        return [
            t
            for s in build_clips(i, a, config.scenes, config.clips)
            if s.clip.kept
            for t in (s.clip.start_s, s.clip.end_s)
        ]

    assert kept(info, analysis) == pytest.approx(kept(original_info, original), abs=0.05)


def test_adaptive_detector_is_selectable(config, truth):
    expected = truth["cuts/hard_cuts.mp4"]["cuts_s"]
    _, _, found = cuts_of(TESTDATA / "synthetic/cuts/hard_cuts.mp4", config, detector="adaptive")
    assert score_cuts(found, expected, tolerance_s=0.5) == (1.0, 1.0)


def test_reference_frames_halve_the_analysed_frames(config):
    path = TESTDATA / "synthetic/cuts/hard_cuts.mp4"
    _, ref, _ = cuts_of(path, config, skip_nonref_codecs=("h264",))
    _, full, _ = cuts_of(path, config, skip_nonref_codecs=())
    assert ref.skipped_nonref and not full.skipped_nonref
    assert len(ref.frame_times_s) < 0.75 * len(full.frame_times_s)


def test_clips_never_cross_a_cut(config, truth):
    path = TESTDATA / "synthetic/cuts/hard_cuts.mp4"
    info, analysis, _ = cuts_of(path, config)
    clips = [s.clip for s in build_clips(info, analysis, config.scenes, config.clips)]
    cuts = truth["cuts/hard_cuts.mp4"]["cuts_s"]
    kept = [c for c in clips if c.kept]
    assert len(kept) == 6
    for clip in kept:
        assert not any(clip.start_s < cut < clip.end_s for cut in cuts)
        assert config.clips.min_clip_s <= clip.duration_s <= config.clips.max_clip_s
        assert clip.start_s >= clip.scene_start_s + config.scenes.trim_s - 1e-3


def test_long_scene_cut_into_equal_pieces():
    spans = clip_spans(0.0, 20.0, 0.1, ClipConfig(min_clip_s=2, max_clip_s=8))
    assert len(spans) == 3
    assert spans[0][0] == pytest.approx(0.1) and spans[-1][1] == pytest.approx(19.9)
    assert all(b - a == pytest.approx(19.8 / 3) for a, b in spans)


def test_a_scene_trimmed_to_exactly_the_minimum_is_kept():
    # 2.2 s scenes (55 frames at 25 fps) trim to 2.0 s, which in floats is 1.9999999999999998
    # for 663 of 3000 start frames: those were dropped as too_short against a 2.0 s minimum.
    config = ClipConfig(min_clip_s=2, max_clip_s=8)
    for start in (0.08, 0.12, 7.36):
        spans = clip_spans(start, round(start + 2.2, 2), 0.1, config)
        assert spans == [pytest.approx((start + 0.1, start + 2.1))], start
    assert clip_spans(0.08, 2.27, 0.1, config) == []


CLIPS = ClipConfig(min_clip_s=2, max_clip_s=8)


@pytest.mark.parametrize(
    "start, end, keyframes, expected",
    [
        # The bench input's scene 25-39: its keyframe at 32.633 leaves two pieces in [2, 8].
        pytest.param(25.1, 38.9, [24.333, 32.633, 39.0], [32.633], id="on-keyframe"),
        # Scene 65-76: a split at 73.333 would leave 8.23 s before it, so the pieces stay equal.
        pytest.param(65.1, 75.9, [65.0, 73.333, 76.0], [70.5], id="too-long-before"),
        # Scene 76-85: a split at 84.333 would leave 0.57 s after it.
        pytest.param(76.1, 84.9, [76.0, 84.333, 85.0], [80.5], id="too-short-after"),
        # Of two fitting keyframes, the one nearest the equal split (6.55).
        pytest.param(0.1, 13.0, [3.0, 6.0, 9.0], [6.0], id="nearest-equal"),
        # Three pieces: the first split on a keyframe, the rest of the scene then cut equally.
        pytest.param(0.0, 20.0, [5.0], [5.0, 12.5], id="rest-equal"),
    ],
)
def test_long_scene_split_on_keyframes_that_fit(start, end, keyframes, expected):
    spans = clip_spans(start, end, 0.0, CLIPS, keyframes_s=keyframes)
    assert [b for _, b in spans[:-1]] == pytest.approx(expected)
    # The same span and number of pieces as equal pieces, each within [min_clip_s, max_clip_s].
    equal = clip_spans(start, end, 0.0, dataclasses.replace(CLIPS, split_on_keyframes=False))
    assert len(spans) == len(equal)
    assert spans[0][0] == start and spans[-1][1] == pytest.approx(end)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(2 - 1e-9 <= b - a <= 8 + 1e-9 for a, b in spans)


def test_keyframe_splits_keep_every_piece_in_bounds():
    """Every keyframe layout gives pieces within bounds covering the scene (a dense sweep)."""
    for length in [8.5, 12.0, 16.0, 17.9, 23.9, 31.0]:
        pieces = clip_spans(0.0, length, 0.0, CLIPS)
        for first in [0.3 * k for k in range(int(length / 0.3) + 1)]:
            keyframes = [first, first + 1.1, first + 4.7, first + 9.3]
            splits = keyframe_splits(0.0, length, len(pieces), keyframes, CLIPS)
            bounds = [0.0, *splits, length]
            assert len(bounds) == len(pieces) + 1
            assert all(2 - 1e-9 <= b - a <= 8 + 1e-9 for a, b in itertools.pairwise(bounds))


def test_short_scene_has_no_clip():
    assert clip_spans(0.0, 2.1, 0.1, ClipConfig(min_clip_s=2, max_clip_s=8)) == []


def test_scene_ends_one_frame_past_its_last_analysed_frame():
    cut = Boundary("cut", 0.12, 0.16, 2)
    analysis = Analysis(frame_times_s=[0.0, 0.08, 0.16, 0.24], boundaries=[cut], frame_s=0.04)
    assert scene_spans(analysis) == [(0.0, pytest.approx(0.12)), (0.16, pytest.approx(0.28))]


def test_clip_ids_are_deterministic_and_distinct(config):
    path = TESTDATA / "real/bikes.mp4"
    info, analysis, _ = cuts_of(path, config)
    first = [s.clip for s in build_clips(info, analysis, config.scenes, config.clips)]
    second = [s.clip for s in build_clips(info, analysis, config.scenes, config.clips)]
    assert [c.clip_id for c in first] == [c.clip_id for c in second]
    assert len({c.clip_id for c in first}) == len(first)


def test_score_cuts():
    assert score_cuts([1.0, 5.0], [1.2, 9.0], 0.5) == (0.5, 0.5)
    assert score_cuts([4.6], [(4, 5)], 0.0) == (1.0, 1.0)
    assert score_cuts([], [], 0.5) == (1.0, 1.0)


def test_clips_carry_upright_frames_sampled_in_the_pass(config):
    import cv2
    import numpy as np

    path = TESTDATA / "real/fire2.mp4"  # rotated 180 degrees by its display matrix
    info, analysis, _ = cuts_of(path, config)
    (sampled,) = [s for s in build_clips(info, analysis, config.scenes, config.clips)]
    clip = sampled.clip
    assert len(sampled.frames_jpg) == len(sampled.frame_times_s) >= 4
    assert all(clip.start_s <= t <= clip.end_s for t in sampled.frame_times_s)
    image = cv2.imdecode(np.frombuffer(sampled.frames_jpg[0], np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[:2] == (256, 456)
    assert sampled.pick(100) == list(range(len(sampled.frames_jpg)))


def test_pick_spreads_frames_evenly():
    from schemas import SampledClip

    sampled = SampledClip(clip=None, frame_times_s=tuple(range(10)), frames_jpg=(b"",) * 10)
    assert sampled.pick(3) == [1, 4, 8]
    assert sampled.pick(1) == [4]


@pytest.mark.parametrize("batch", [1, 3], ids=["one_at_a_time", "in_batches"])
def test_read_ahead_raises_after_the_items_before_it_and_stops_when_closed(batch):
    import contextlib
    import threading

    from transforms.scenes import read_ahead

    def items():
        yield from range(5)
        raise ValueError("corrupt at 5")

    got = []
    with pytest.raises(ValueError, match="corrupt at 5"):
        for item in read_ahead(items(), depth=2, batch=batch):
            got.append(item)
    # in batches of 3: the partial batch [3, 4] still comes before the error
    assert got == [0, 1, 2, 3, 4]
    assert list(read_ahead(iter(range(7)), depth=6, batch=batch)) == list(range(7))

    # A consumer that stops early closes the reader: its thread ends, the source is closed.
    closed = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    with contextlib.closing(read_ahead(endless(), depth=2, batch=batch)) as reader:
        assert [next(reader) for _ in range(3)] == [0, 1, 2]
    assert closed.is_set()
    assert not any(t.name == "cliploom-decode" for t in threading.enumerate())


def test_shared_frame_views_give_the_scores_of_separate_analyzers(config):
    """The pass hands analyzers one `AnalysisFrame` whose views they share, many of them
    computed by the analyzers' `prepare` on the decode thread; each analyzer fed plain arrays
    (its own conversions, no `prepare`) must score every clip the same."""
    path = TESTDATA / "real" / "bikes.mp4"
    info = probe_file(str(path), str(path), config.probe)
    factories = (config.frame_quality, config.motion, config.watermark, config.objects)
    shared = [f.make_analyzer(info) for f in factories]
    analysis = analyze_video(str(path), info, config.scenes, shared)

    class Plain:
        """Hides `update_frame`: the pass then calls `update(t_s, frame_bgr)`."""

        def __init__(self, analyzer):
            self.analyzer = analyzer

        def update(self, t_s, frame_bgr):
            self.analyzer.update(t_s, frame_bgr)

        def clip_scores(self, start_s, end_s):
            return self.analyzer.clip_scores(start_s, end_s)

    separate = [Plain(f.make_analyzer(info)) for f in factories]
    again = analyze_video(str(path), info, config.scenes, separate)
    assert again.frame_times_s == analysis.frame_times_s
    assert again.samples_jpg == analysis.samples_jpg
    spans = scene_spans(analysis)
    assert len(spans) >= 5
    for start, end in spans:
        for a, b in zip(shared, separate, strict=True):
            assert a.clip_scores(start, end) == b.clip_scores(start, end)


def test_prepare_runs_on_the_decode_thread_ahead_of_update_frame(config):
    """`prepare` sees every analysed frame of the segment, in order, on the decode thread, and
    `update_frame` then finds the views it computed."""
    import threading

    path = TESTDATA / "real" / "bikes.mp4"
    info = probe_file(str(path), str(path), config.probe)

    class Recorder:
        def __init__(self):
            self.prepared, self.updated = [], []

        def prepare(self, t_s, frame):
            self.prepared.append((t_s, threading.current_thread().name))
            frame.edges(50.0, 150.0)

        def update(self, t_s, frame_bgr):
            raise AssertionError("the pass calls update_frame")

        def update_frame(self, t_s, frame):
            ready = ("edges", 50.0, 150.0) in frame._cache
            self.updated.append((t_s, ready, threading.current_thread().name))

        def clip_scores(self, start_s, end_s):
            return {}

    recorder = Recorder()
    analysis = analyze_video(str(path), info, config.scenes, [recorder])
    assert len(analysis.frame_times_s) > 50
    assert [t for t, _ in recorder.prepared] == analysis.frame_times_s
    assert {name for _, name in recorder.prepared} == {"cliploom-decode"}
    assert [t for t, _, _ in recorder.updated] == analysis.frame_times_s
    assert all(ready for _, ready, _ in recorder.updated)
    assert threading.current_thread().name in {name for _, _, name in recorder.updated}


def test_decode_threads_are_joined_when_the_pass_ends_or_a_segment_stops_early(config):
    """The pass decodes on one thread and scales on another, each reading ahead: after a whole
    pass, and after a segment that stops reading long before the end of the file (the decoder
    is ahead of it), neither thread is left running, and the segment's frames are those of the
    whole pass up to its end."""
    import threading

    from transforms.scenes import VideoSegment

    def pass_threads():  # the pass's libav and decode threads (not another stage's)
        names = ("cliploom-libav", "cliploom-decode")
        return [t.name for t in threading.enumerate() if t.name in names]

    path = TESTDATA / "real" / "bikes.mp4"
    info = probe_file(str(path), str(path), config.probe)
    scenes = dataclasses.replace(config.scenes, refine=False)
    whole = analyze_video(str(path), info, scenes)
    assert pass_threads() == []
    segment = VideoSegment(info, 0, 2, 0.0, 4.0)
    first = analyze_video(str(path), info, scenes, segment=segment)
    assert pass_threads() == []
    assert first.frame_times_s == [t for t in whole.frame_times_s if t < 4.0]


def span_scores(path, config, spans):
    """Blur and motion of the decode pass over each (start_s, end_s) of `spans`."""
    info = probe_file(str(path), str(path), config.probe)
    analyzers = [config.frame_quality.make_analyzer(info), config.motion.make_analyzer(info)]
    analyze_video(str(path), info, config.scenes, analyzers)
    scores = [{k: v for a in analyzers for k, v in a.clip_scores(*span).items()} for span in spans]
    return info, scores


def test_interlaced_source_is_analysed_through_one_field(tmp_path, config, real_truth):
    """bikes.mp4 played at twice its speed as 50p, then woven into 25i (each frame's first
    field is the 50p frame that a 25p copy keeps): the pass sees the combed frames' first
    field, so blur and motion read as the 25p copy's inside each shot. Woven, combs scored
    blur_var 2323/1082/893/837 against 109/98/683/451."""
    bikes = str(TESTDATA / "real/bikes.mp4")
    fast = "setpts=PTS/2,fps=50"
    encode = ["-c:v", "libx264", "-crf", "16"]
    woven = make_video(
        tmp_path / "i.mp4",
        *["-i", bikes, "-vf", f"{fast},tinterlace=interleave_top,fieldorder=tff,format=yuv420p"],
        *["-flags", "+ilme+ildct", "-x264-params", "tff=1", *encode],
    )
    progressive = make_video(
        tmp_path / "p.mp4", *["-i", bikes, "-vf", f"{fast},fps=25,format=yuv420p", *encode]
    )
    cuts = [0.0] + [t / 2 for t in real_truth["bikes.mp4"]["cuts_s"]]
    spans = [(a + 0.1, b - 0.1) for a, b in itertools.pairwise(cuts)][1:]  # shots of 0.8-1.2 s
    info, interlaced = span_scores(woven, config, spans)
    assert info.interlaced
    _, reference = span_scores(progressive, config, spans)
    for got, want in zip(interlaced, reference, strict=True):
        # a field has half the rows: a little softer than the progressive frame
        assert 0.75 * want["blur_var"] <= got["blur_var"] <= 1.1 * want["blur_var"]
        assert got["motion_mean_px"] == pytest.approx(want["motion_mean_px"], rel=0.2)
        assert got["camera_motion"] == want["camera_motion"]
