"""Black bars (letterbox, pillar box): found in the decode pass and cropped from the clip, its
samples and its object boxes; pictures without bars, and dark pictures, are left whole."""

import dataclasses
import io

import av
import cv2
import numpy as np
import pytest

from tests.conftest import TESTDATA, make_video
from transforms.borders import BorderConfig, bars_of, crop_box
from transforms.encode import encode_clip
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips, watermark_in_crop, within_crop


def test_bars_are_the_flat_dark_rows_and_columns_every_frame_has():
    config = BorderConfig()
    frame = np.full((100, 200), 120, np.uint8)
    frame[:10], frame[-10:] = 0, 3  # letterbox
    frame[40:60, 20:180] = 10  # a dark object inside the picture: no bar
    assert bars_of(frame, config) == (10, 10, 0, 0)
    darker = frame.copy()
    darker[10:30] = 5  # a dark scene next to the top bar, in one frame only
    bars = np.array([bars_of(frame, config), bars_of(darker, config)])
    assert crop_box(bars, 200, 100, config) == [0.0, 0.1, 1.0, 0.8]
    black = np.zeros((100, 200), np.uint8)
    assert bars_of(black, config) == (100, 100, 200, 200)
    assert crop_box(np.array([bars_of(black, config)] * 3), 200, 100, config) is None
    assert crop_box(np.array([(1, 1, 0, 0)] * 3), 200, 100, config) is None  # 1 %: padding


def test_boxes_follow_the_crop():
    boxes = [
        {"track_id": 0, "xywh": [0.5, 0.5, 0.2, 0.2]},
        {"track_id": 1, "xywh": [0.0, 0.0, 0.05, 0.05]},  # in the bar
    ]
    (box,) = within_crop(boxes, [0.1, 0.0, 0.8, 1.0])
    assert box["track_id"] == 0 and box["xywh"] == [0.5, 0.5, 0.25, 0.2]


def test_a_watermark_is_placed_in_the_cropped_picture():
    crop = [0.0, 0.125, 1.0, 0.75]  # letterbox
    inside = {"watermark_frac": 0.003, "watermark_box": [0.85, 0.75, 0.1, 0.075]}
    assert watermark_in_crop(inside, crop) == {
        "watermark_frac": 0.004,
        "watermark_box": [0.85, 0.8333, 0.1, 0.1],
    }
    # half of it in the bottom bar: half its share is left, of a smaller picture
    half = {"watermark_frac": 0.003, "watermark_box": [0.85, 0.8375, 0.1, 0.075]}
    assert watermark_in_crop(half, crop)["watermark_frac"] == pytest.approx(0.002)
    in_bar = {"watermark_frac": 0.003, "watermark_box": [0.85, 0.9, 0.1, 0.05]}
    assert watermark_in_crop(in_bar, crop) == {"watermark_frac": 0.0, "watermark_box": None}


def clips_of(path, config):
    info = probe_file(str(path), str(path), config.probe)
    analyzers = [config.borders.make_analyzer(info)]
    analysis = analyze_video(str(path), info, config.scenes, analyzers)
    return build_clips(info, analysis, config.scenes, config.clips, analyzers)


@pytest.fixture(scope="module")
def letterboxed(tmp_path_factory):
    """bikes.mp4 (640x272, 2.35:1) letterboxed into 640x360 with 44-row bars."""
    return make_video(
        tmp_path_factory.mktemp("bars") / "boxed.mp4",
        *["-i", str(TESTDATA / "real/bikes.mp4"), "-vf", "pad=640:360:0:44,setsar=1"],
        *["-c:v", "libx264", "-crf", "16"],
    )


def test_pillar_box_is_cropped_from_the_clip_and_its_samples(config):
    """chaplin.mp4: a 4:3 film pillar-boxed into 640x360."""
    path = TESTDATA / "real/chaplin.mp4"
    sampled = next(s for s in clips_of(path, config) if s.clip.kept)
    x, y, w, h = sampled.clip.crop_box
    assert (y, h) == (0.0, 1.0) and x == pytest.approx(0.1125, abs=0.01)
    assert w == pytest.approx(0.775, abs=0.02)
    sample = cv2.imdecode(np.frombuffer(sampled.frames_jpg[0], np.uint8), cv2.IMREAD_GRAYSCALE)
    assert sample.shape[1] / sample.shape[0] == pytest.approx(496 / 360, abs=0.02)
    media = encode_clip(sampled.clip, str(path), config.encode)
    assert media.clip.encode_mode == "reencode"
    assert (media.clip.out_width, media.clip.out_height) == (496, 360)
    with av.open(io.BytesIO(media.mp4)) as container:
        grey = next(container.decode(video=0)).to_ndarray(format="gray")
    assert bars_of(grey, config.borders) == (0, 0, 0, 0)


def test_letterbox_is_cropped_and_a_full_picture_is_left_whole(config, letterboxed):
    boxed = [s.clip.crop_box for s in clips_of(letterboxed, config) if s.clip.kept]
    assert boxed and all(b[1] == pytest.approx(44 / 360, abs=0.01) for b in boxed)
    assert all(b[3] == pytest.approx(272 / 360, abs=0.02) for b in boxed)
    plain = TESTDATA / "real/bikes.mp4"
    assert all(s.clip.crop_box is None for s in clips_of(plain, config))
    # a shot that fades to black at its end is no letterbox
    fading = TESTDATA / "real/video_with_failing_audio.mp4"
    assert all(s.clip.crop_box is None for s in clips_of(fading, config))


def scored_clips(path, config):
    """The kept clips of `path` with the decode pass's scores (quality, motion, borders)."""
    info = probe_file(str(path), str(path), config.probe)
    factories = (config.frame_quality, config.motion, config.borders)
    analyzers = [f.make_analyzer(info) for f in factories]
    analysis = analyze_video(str(path), info, config.scenes, analyzers)
    clips = build_clips(info, analysis, config.scenes, config.clips, analyzers)
    return [s.clip for s in clips if s.clip.kept]


SCORES = ("luma_mean", "blur_var", "edge_sharpness", "motion_mean_px")


def assert_close_scores(boxed, plain, rel):
    assert [c.start_s for c in boxed] == pytest.approx([c.start_s for c in plain], abs=0.05)
    for a, b in zip(boxed, plain, strict=True):
        for name in SCORES:
            assert getattr(a, name) == pytest.approx(getattr(b, name), rel=rel), name
        # an upper quartile of DIS flow's top 5 %: two encodes of one tilt differ by 25 %
        assert a.motion_top5_px == pytest.approx(b.motion_top5_px, rel=0.35)
        assert a.dark_frac == b.dark_frac and a.camera_motion == b.camera_motion


def test_scores_describe_the_picture_inside_the_bars(tmp_path, config):
    """A pillar-boxed clip scores as its picture does on its own: chaplin.mp4 against its
    picture cut out (bars: luma 80 against 104, blur_var 2104 against 2601), and bikes.mp4
    narrowed to 480x272 and pillar-boxed into 640x272 against it narrowed alone (bars:
    blur_var 131-763 against 56-890)."""
    chaplin = TESTDATA / "real/chaplin.mp4"
    picture = make_video(
        tmp_path / "picture.mp4",
        *["-i", str(chaplin), "-vf", "crop=496:360:72:0,setsar=1", "-c:v", "libx264"],
        *["-crf", "16"],
    )
    assert_close_scores(scored_clips(chaplin, config), scored_clips(picture, config), 0.03)
    bikes = TESTDATA / "real/bikes.mp4"
    narrow = make_video(
        tmp_path / "narrow.mp4",
        *["-i", str(bikes), "-vf", "scale=480:272,setsar=1", "-c:v", "libx264", "-crf", "16"],
    )
    boxed = make_video(
        tmp_path / "boxed.mp4",
        *["-i", str(bikes), "-vf", "scale=480:272,pad=640:272:80:0,setsar=1"],
        *["-c:v", "libx264", "-crf", "16"],
    )
    boxed_clips = scored_clips(boxed, config)
    assert all(c.crop_box == [0.125, 0.0, 0.75, 1.0] for c in boxed_clips)
    assert_close_scores(boxed_clips, scored_clips(narrow, config), 0.08)


def test_a_letterboxed_picture_is_scored_at_the_size_of_its_own(config, letterboxed):
    """bikes.mp4 (640x272) letterboxed into 640x360: its picture is 136 of the analysis frame's
    180 rows, so the pass scales it on its own to 180 (as bikes.mp4 is analysed) and scores
    the same (bars: blur_var 298-1603 against 105-715; the picture cut from the analysis frame:
    2.2x as high; scaled up from it: 0.5x)."""
    plain = scored_clips(TESTDATA / "real/bikes.mp4", config)
    assert_close_scores(scored_clips(letterboxed, config), plain, 0.05)


def test_a_pan_inside_bars_is_no_cut(config, letterboxed):
    """A fast pan in the letterboxed bikes.mp4's third shot scored 28.7 read inside the bars
    from the whole frame's (the picture's share of the score scaled up), over the threshold
    27, and needed a rule of its own; read on the picture at its own size, as bikes.mp4 is
    read unboxed, it scores as it does there and is no cut. The five cuts all stay."""
    info = probe_file(str(letterboxed), str(letterboxed), config.probe)
    assert config.scenes.inside_bars
    ends = [b.end_s for b in analyze_video(str(letterboxed), info, config.scenes).boundaries]
    assert ends == pytest.approx([1.2, 3.04, 5.48, 7.48, 9.68], abs=0.05)
    unchecked = dataclasses.replace(config.scenes, refine=False)
    boundaries = analyze_video(str(letterboxed), info, unchecked).boundaries
    assert not [b for b in boundaries if 3.5 < b.end_s < 5.0]


def test_the_rows_next_to_a_bar_are_no_part_of_a_soft_picture(tmp_path, config):
    """A plane in haze (video_with_failing_audio.mp4, blur_var ~22) at 640x272, letterboxed into
    640x360: the rows that scaling blends with the bar's edge are left out of the picture, or
    their Laplacian makes the haze read sharp (39.2 with them). The film's first 3.4 s, the
    hazy part, one clip in both encodes (the whole film ends in its own fade to black from
    7.16 s, which the boxed encode's pass cuts out from its start and the plain one's keeps)."""
    source = str(TESTDATA / "real/video_with_failing_audio.mp4")
    encode = ["-t", "3.4", "-an", "-c:v", "libx264", "-crf", "16"]
    plain = make_video(tmp_path / "p.mp4", "-i", source, "-vf", "scale=640:272,setsar=1", *encode)
    boxed = make_video(
        tmp_path / "b.mp4", "-i", source, "-vf", "scale=640:272,pad=640:360:0:44,setsar=1", *encode
    )
    (first, *_), (reference, *_) = scored_clips(boxed, config), scored_clips(plain, config)
    assert first.crop_box is not None and first.end_s == reference.end_s
    # the haze clears over the clip: the two encodes' reference frames differ a little
    assert first.blur_var == pytest.approx(reference.blur_var, rel=0.2)
    assert first.luma_mean == pytest.approx(reference.luma_mean, rel=0.01)


@pytest.mark.parametrize(
    "box", ["scale=640:360,pad=640:480:0:60", "scale=480:360,pad=640:360:80:0"]
)
def test_a_focus_pull_inside_bars_is_no_transition(tmp_path, config, box):
    """cockatoo.mp4's camera loses focus at 7.8-8.6 s (a shot's own blur, no boundary); boxed
    (letterbox, pillar box) its bars' flat black and hard edges kept most of the frame's grey
    contrast and sharpness, so the blur read as a 6.7-9.85 s gradual transition (6.4-9.7 s
    pillar-boxed): both are read on the picture inside the bars. Read there at the picture's
    own size, the boxed encodes give what the same encode unboxed (640x360) gives: no
    boundary near the focus pull, and a 1.35-6.1 s gradual span that main gives unboxed too
    (a false transition of its own, left for the detector's rules)."""
    source = str(TESTDATA / "real/cockatoo.mp4")
    path = make_video(
        tmp_path / "boxed.mp4",
        *["-i", source, "-vf", f"{box},setsar=1", "-an"],
        *["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-bf", "0"],
        *["-pix_fmt", "yuv420p"],
    )
    info = probe_file(str(path), str(path), config.probe)
    analyzers = [config.borders.make_analyzer(info)]
    boundaries = analyze_video(str(path), info, config.scenes, analyzers).boundaries
    assert not [b for b in boundaries if b.end_s > 6.5], boundaries
    plain = make_video(
        tmp_path / "plain.mp4",
        *["-i", source, "-vf", "scale=640:360,setsar=1", "-an"],
        *["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-bf", "0"],
        *["-pix_fmt", "yuv420p"],
    )
    info = probe_file(str(plain), str(plain), config.probe)
    unboxed = analyze_video(str(plain), info, config.scenes).boundaries
    assert [b.kind for b in boundaries] == [b.kind for b in unboxed], (boundaries, unboxed)
    ends = [t for b in boundaries for t in (b.start_s, b.end_s)]
    assert ends == pytest.approx([t for b in unboxed for t in (b.start_s, b.end_s)], abs=0.2)


def test_a_focus_pull_seen_through_reference_frames_is_no_transition(tmp_path, config):
    """The letterboxed cockatoo.mp4 with B-frames: the pass reads reference frames only, so
    the change its first soft frames make (6.85-7.8 s) is found apart from the rest of the
    blur (to 8.45 s), which lay past it: the span is grown over the frames that stay soft
    and judged whole, the camera's own blur (it was a 6.4-8.7 s gradual transition). A jump
    at 6.75 s stays: 27.7 inside the bars against the threshold 27 (26.7 unboxed, whose
    picture is analysed at 320x180 instead of 240x135)."""
    source = str(TESTDATA / "real/cockatoo.mp4")
    path = make_video(
        tmp_path / "boxed.mp4",
        *["-i", source, "-vf", "scale=640:360,pad=640:480:0:60,setsar=1", "-an"],
        *["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"],
    )
    info = probe_file(str(path), str(path), config.probe)
    analyzers = [config.borders.make_analyzer(info)]
    analysis = analyze_video(str(path), info, config.scenes, analyzers)
    assert analysis.skipped_nonref
    assert not [b for b in analysis.boundaries if b.end_s > 7.0]
