"""The samples' text bands: the upright bottom of the frame at a higher resolution, for OCR;
subtitle-shaped text lines and the `subtitles` reason they give."""

import dataclasses

import cv2
import numpy as np
import pytest

from tests.conftest import make_video
from transforms.media import rotate_image
from transforms.probe import probe_file
from transforms.scenes import analyze_video
from transforms.score import OcrScorer, decode_jpeg
from transforms.text_band import (
    BandSampler,
    band_offset,
    band_size,
    box_tilt_deg,
    boxes_in_sample,
    lines_spread,
    subtitle_line,
    subtitle_width_frac,
    text_lines,
)


@pytest.fixture(scope="module")
def video_720p(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("band")
    return make_video(
        tmp / "720p.mp4", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30", "-t", "2",
        "-pix_fmt", "yuv420p",
    )  # fmt: skip


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_band_is_the_bottom_of_the_upright_frame(rotation):
    import av

    with av.open("../shared/testdata/real/cockatoo.mp4") as container:  # 1280x720
        frame = next(container.decode(video=0))
    band = decode_jpeg(BandSampler((640, 360), 0.25, rotation, 90)(frame))
    upright = rotate_image(frame.to_ndarray(format="bgr24"), rotation)
    h, w = upright.shape[:2]
    whole = cv2.resize(upright, (w // 2, h // 2), interpolation=cv2.INTER_AREA).astype(int)
    rows = band.shape[0]
    # At least a quarter of the upright height, the full width.
    assert rows >= whole.shape[0] // 4 and band.shape[1:] == (whole.shape[1], 3), band.shape

    def off(a):
        return np.abs(band - a).mean()

    # The bottom quarter to the pixel: 8 rows higher, or the top, is far off.
    assert off(whole[-rows:]) < 2 and off(whole[-rows - 8 : -8]) > 5 and off(whole[:rows]) > 50


def test_band_geometry_rounds_the_band_up_to_the_detector_stride_on_even_offsets():
    # 720p at 448: 20 % is 89.6 rows, 96 (a 154-row crop, 21.4 %) on the detector's stride.
    assert band_size((1280, 720), (796, 448), 0.2, 0) == ((0, 566, 1280, 154), (796, 96))
    assert band_size((1280, 720), (796, 448), 0.2, 180) == ((0, 0, 1280, 154), (796, 96))
    # Turned a quarter: the upright height is the stored width (796 scaled: 160 rows).
    assert band_size((1280, 720), (796, 448), 0.2, 90) == ((1022, 0, 258, 720), (160, 448))
    assert band_size((1280, 720), (796, 448), 0.2, 270) == ((0, 0, 258, 720), (160, 448))
    # 360p at its own size: 72 rows would be 20 %, 96 (26.7 %).
    assert band_size((640, 360), (640, 360), 0.2, 0) == ((0, 264, 640, 96), (640, 96))
    # An odd height: the crop starts on an even row, a row taller.
    assert band_size((703, 405), (703, 405), 0.2, 0) == ((0, 308, 703, 97), (703, 96))
    # A box in the band lands on the same place of the sample (456x256 of the same frame).
    scale, top = band_offset((256, 456, 3), (96, 682, 3))
    box = np.array([[[0, 0], [682, 0], [682, 96], [0, 96]]], np.float32)
    assert np.allclose(
        boxes_in_sample(box, scale, top), [[[0, 192], [456, 192], [456, 256], [0, 256]]], atol=0.5
    )


def test_decode_pass_keeps_a_band_per_sample_only_where_it_is_sharper(video_720p, tmp_path, config):
    info = probe_file(str(video_720p), str(video_720p), config.probe)
    analysis = analyze_video(str(video_720p), info, config.scenes)
    assert len(analysis.sample_bands_jpg) == len(analysis.samples_jpg) == 4
    assert {decode_jpeg(b).shape for b in analysis.sample_bands_jpg} == {(96, 796, 3)}
    # The samples themselves are the same with the band off.
    off = dataclasses.replace(config.scenes, sample_band_short_side=None)
    plain = analyze_video(str(video_720p), info, off)
    assert plain.samples_jpg == analysis.samples_jpg
    assert plain.sample_bands_jpg == [None] * 4
    # Non-square pixels: PAL 720x576 at 64:45 is 1024x576 on screen, its band 16:9 too.
    pal = make_video(
        tmp_path / "pal.mp4", "-f", "lavfi", "-i", "testsrc2=s=720x576:r=25", "-t", "1",
        "-vf", "setsar=64/45", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    info = probe_file(str(pal), str(pal), config.probe)
    bands = analyze_video(str(pal), info, config.scenes).sample_bands_jpg
    assert {decode_jpeg(b).shape for b in bands} == {(96, 796, 3)}
    # A source no sharper than the samples (256 px on its short side at most) gets none.
    small = make_video(
        tmp_path / "small.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30", "-t", "1"
    )
    info = probe_file(str(small), str(small), config.probe)
    assert analyze_video(str(small), info, config.scenes).sample_bands_jpg == [None] * 2


def rect(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def test_subtitle_lines_are_centred_lines_in_the_top_or_bottom_band():
    shape = (256, 456, 3)

    def width(*boxes):
        return subtitle_width_frac(list(boxes), shape, 0.25, 0.05)

    # A sentence the detector split at a word gap, and the band's box of its middle part: one
    # line from x 128 to 328 (200 px, 0.44 of the width), centred at the bottom.
    left, right, band = rect(128, 220, 220, 232), rect(236, 221, 328, 233), rect(200, 219, 260, 233)
    assert text_lines([left, right, band]) == [(128.0, 219.0, 328.0, 233.0)]
    assert width(left, right, band) == pytest.approx(200 / 456)
    assert width(rect(128, 10, 328, 24)) == pytest.approx(200 / 456)  # at the top
    assert width(rect(128, 120, 328, 134)) == 0  # in the middle of the picture
    assert width(rect(20, 220, 220, 232)) == 0  # off centre: a sign at the left
    assert width(rect(400, 220, 440, 232), rect(20, 10, 60, 22)) == 0  # words in corners
    assert width(rect(220, 150, 236, 250)) == 0  # taller than wide: vertical text
    # Two words far apart on one row are two lines, neither centred.
    assert width(rect(60, 220, 160, 232), rect(300, 220, 400, 232)) == 0


def test_lines_spread_is_between_held_edges_in_one_half():
    bottom, top = (0.3, 0.90, 0.7, 0.95), (0.3, 0.05, 0.7, 0.10)
    taller = (0.3, 0.86, 0.7, 0.95)  # another text, with capitals: same bottom edge
    assert lines_spread([bottom, taller]) == 0
    assert lines_spread([bottom, None, (0.3, 0.87, 0.7, 0.92)]) == pytest.approx(0.03)
    assert lines_spread([bottom, top]) == 0  # the top line's own half: one line there
    assert lines_spread([top, (0.3, 0.07, 0.7, 0.1)]) == pytest.approx(0.02)  # top edge
    assert lines_spread([bottom, None]) == 0


def ocr_verdict(path, config, **ocr) -> tuple[list[str], dict]:
    """(the quality reasons, the OCR scores) of the one clip of `path`, OCR as the pipeline
    runs it (early stop on)."""
    from transforms.scenes import build_clips

    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (sampled,) = build_clips(info, analysis, config.scenes, config.clips)
    check = config.quality.check
    scores = OcrScorer(dataclasses.replace(config.ocr, **ocr)).score(sampled, check)
    return check(dataclasses.replace(sampled.clip, **scores)), scores


SUBTITLE_21PX = (
    "drawtext=text='I never thought I would see this place again, Anna.':fontsize=21"
    ":fontcolor=white:borderw=2:bordercolor=black:x=(w-tw)/2:y=h-th-32"
)


def test_a_small_subtitle_at_720p_is_dropped_as_subtitles(tmp_path, config):
    """A one-line subtitle 21 px high on 1280x720 footage covers ~1 % of the frame, under
    quality.text_min_area_frac: the area rule keeps the clip, the subtitle rule drops it."""
    path = make_video(
        tmp_path / "sub.mp4", "-ss", "1", "-i", "../shared/testdata/real/cockatoo.mp4",
        "-t", "3", "-an", "-vf", SUBTITLE_21PX,
    )  # fmt: skip
    reasons, scores = ocr_verdict(path, config)
    assert reasons == ["subtitles"], scores
    assert all(a < config.quality.text_min_area_frac for a in scores["text_area_fracs"]), scores
    assert sum(w >= 0.3 for w in scores["subtitle_width_fracs"]) >= 3, scores


def test_scene_words_and_a_caption_on_one_frame_are_not_subtitles(tmp_path, config):
    """Real 720p footage with a short word in a corner, a small logo-like text at the bottom
    right and a subtitle-like caption shown 1.3-1.7 s (the OCR'd frames are at ~0.5, 1.0, 1.5,
    2.0, 2.5 s): the caption is found on its one frame, the clip is kept."""
    draw = "fontcolor=white:borderw=2:bordercolor=black"
    vf = ",".join(
        [
            f"drawtext=text='EXIT':fontsize=28:{draw}:x=w-tw-28:y=28",
            "drawtext=text='TV5 HD':fontsize=18:fontcolor=white:box=1:boxcolor=black@0.6"
            ":x=w-tw-12:y=h-th-12",
            f"drawtext=text='and then we went down to the river':fontsize=28:{draw}"
            ":x=(w-tw)/2:y=h-th-42:enable='between(t,1.3,1.7)'",
        ]
    )
    path = make_video(
        tmp_path / "scene.mp4", "-ss", "1", "-i", "../shared/testdata/real/cockatoo.mp4",
        "-t", "3", "-an", "-vf", vf,
    )  # fmt: skip
    reasons, scores = ocr_verdict(path, config, early_stop=False)
    assert reasons == [], scores
    assert sum(w > 0 for w in scores["subtitle_width_fracs"]) == 1, scores  # the caption
    assert sum(a > 0 for a in scores["text_area_fracs"]) >= 4, scores  # the words are seen


def test_subtitles_of_a_letterboxed_picture_are_read_in_its_bottom_band(tmp_path, config):
    """cockatoo.mp4 cut to a 2.39:1 picture (1280x536) with a 21 px subtitle 60 px above the
    picture's bottom, letterboxed into 1280x720 (92-row bars). The clip is cropped to the
    picture; its band is the bottom of the picture (not of the frame, whose 20 % held only the
    subtitle's last rows) and lines up with the cropped samples, so the clip is dropped as
    `subtitles` as the same picture without bars is, and the text's area is a share of the
    picture's."""
    subtitle = SUBTITLE_21PX.replace("y=h-th-32", "y=h-th-60")
    boxed = make_video(
        tmp_path / "boxed.mp4", "-ss", "1", "-i", "../shared/testdata/real/cockatoo.mp4",
        "-t", "3", "-an", "-vf", f"crop=1280:536,{subtitle},pad=1280:720:0:92,setsar=1",
    )  # fmt: skip
    from tests.test_borders import clips_of

    (sampled,) = clips_of(boxed, config)
    assert sampled.clip.crop_box[1] == pytest.approx(92 / 720, abs=0.01)
    band = decode_jpeg(sampled.bands_jpg[0])
    sample = decode_jpeg(sampled.frames_jpg[0])
    # The band spans the cropped sample's width, at the scale where the picture's short side
    # is the band's (448), and at least the bottom 20 % of the picture, not of the frame.
    picture_rows = sample.shape[0] * band.shape[1] / sample.shape[1]
    assert picture_rows == pytest.approx(config.scenes.sample_band_short_side, rel=0.02)
    assert 0.2 <= band.shape[0] / picture_rows <= 0.3
    scorer = OcrScorer(dataclasses.replace(config.ocr, early_stop=False))
    scores = scorer.score(sampled, config.quality.check)
    assert "subtitles" in config.quality.check(dataclasses.replace(sampled.clip, **scores))
    assert sum(w >= 0.3 for w in scores["subtitle_width_fracs"]) >= 3, scores
    picture = make_video(
        tmp_path / "picture.mp4", "-ss", "1", "-i", "../shared/testdata/real/cockatoo.mp4",
        "-t", "3", "-an", "-vf", f"crop=1280:536,{subtitle},setsar=1",
    )  # fmt: skip
    alone = clips_of(picture, config)[0]  # 0.1-2.45 s (a false cut at 2.5 s, unboxed)
    reference = scorer.score(alone, config.quality.check)
    assert scores["text_area_frac"] == pytest.approx(reference["text_area_frac"], rel=0.25)
    width = float(np.median(reference["subtitle_width_fracs"]))
    assert scores["subtitle_width_fracs"] == pytest.approx(
        [width] * len(sampled.frames_jpg), abs=0.02
    )


# A camera window 1/1.1 of the frame over cockatoo.mp4 scaled up 10 %, shaking as a handheld
# camera does (bench_ocr_subtitles.py's CAMERAS["shake"]).
SHAKE = (
    "crop=w=trunc(iw/1.1/2)*2:h=trunc(ih/1.1/2)*2:x=(iw-ow)/2+0.004*ow*sin(2*PI*t*0.7)"
    ":y=(ih-oh)/2+0.015*oh*sin(2*PI*t*1.1+1)"
)


def test_a_centred_sign_in_a_handheld_shot_is_not_subtitles(tmp_path, config):
    """A sign drawn into the scene, centred at the bottom (a plate with 'BIRD PARK'), filmed by
    a shaking handheld camera: subtitle-shaped on every OCR'd frame, but it moves with the
    camera, so only the first frame's line counts and the clip is kept (dropped as
    `subtitles` with ocr.subtitle_max_drift_frac null, as before). Subtitles changing every
    second, drawn over the same shaking shot, hold their band: dropped."""
    plate = "fontcolor=0xd8d8c8:box=1:boxcolor=0x383430:boxborderw=6"
    sign = f"drawtext=text='BIRD PARK':fontsize=40:{plate}:x=(w-tw)/2:y=h*0.8"
    path = make_video(
        tmp_path / "sign.mp4", "-ss", "1", "-i", "../shared/testdata/real/cockatoo.mp4",
        "-t", "3", "-an", "-vf", f"scale=iw*1.1:-2,{sign},gblur=sigma=0.8,{SHAKE}",
    )  # fmt: skip
    reasons, scores = ocr_verdict(path, config, early_stop=False)
    assert "subtitles" not in reasons, scores
    reasons, scores = ocr_verdict(path, config, early_stop=False, subtitle_max_drift_frac=None)
    assert "subtitles" in reasons, scores
    said = ",".join(
        f"drawtext=text='{t}':fontsize=36:fontcolor=white:borderw=2:bordercolor=black"
        f":x=(w-tw)/2:y=h-th-54:enable='between(t,{k},{k + 1})'"
        for k, t in enumerate(
            (
                "where are you going now",
                "I never thought I would see this place again",
                "and then we went down to the river",
            )
        )
    )
    path = make_video(
        tmp_path / "subs.mp4", "-ss", "1", "-i", "../shared/testdata/real/cockatoo.mp4",
        "-t", "3", "-an", "-vf", f"scale=iw*1.1:-2,gblur=sigma=0.8,{SHAKE},{said}",
    )  # fmt: skip
    reasons, scores = ocr_verdict(path, config)
    assert "subtitles" in reasons, scores


def test_a_level_sign_under_a_fixed_camera_is_subtitles_and_an_askew_one_is_scene_text(
    tmp_path, config
):
    """A sign in the scene (a plate with 'GRAND HOTEL', lit like the film, blurred with it)
    centred at the bottom of a fixed camera's shot. Seen askew (turned 6 degrees, as a sign on
    a wall seen from the side or in perspective) it is subtitle-shaped on every OCR'd frame
    and stays put, so it was dropped as `subtitles`: the detector's boxes slope with its
    letters, a renderer's do not, and it is now kept as part of the picture (with
    ocr.subtitle_max_tilt_deg null: `subtitles`, as before). Level, it cannot be told from a
    subtitle held up through the clip: still `subtitles`, the known limit of a shape rule."""
    turn = 6 * np.pi / 180
    plate = (
        "color=c=0x383430:s=164x28,format=rgba,drawtext=text='GRAND HOTEL':fontsize=18"
        ":fontcolor=0xd8d8c8:x=(w-tw)/2:y=(h-th)/2"
    )
    for name, angle in (("askew", turn), ("level", 0.0)):
        sign = f"{plate},rotate={angle}:c=none:ow=rotw({angle}):oh=roth({angle})"
        path = make_video(
            tmp_path / f"{name}.mp4", "-ss", "1", "-i", "../shared/testdata/real/chaplin.mp4",
            "-f", "lavfi", "-i", sign, "-t", "3", "-an", "-filter_complex",
            "[1]loop=-1:size=1[s];[0][s]overlay=(W-w)/2:H*0.8-h/2:shortest=1,gblur=sigma=0.6",
        )  # fmt: skip
        reasons, scores = ocr_verdict(path, config, early_stop=False)
        assert ("subtitles" in reasons) == (name == "level"), (name, scores)
        assert "text_overlay" not in reasons, (name, scores)  # under the area floor
    reasons, scores = ocr_verdict(path.with_name("askew.mp4"), config, early_stop=False,
                                  subtitle_max_tilt_deg=None)  # fmt: skip
    assert "subtitles" in reasons, scores


def test_box_tilt_is_the_slope_of_its_longest_side():
    """A word box turned 6 degrees slopes 6 degrees, whichever corner the detector lists
    first; a line of it centred at the bottom is subtitle-shaped only while slopes are not
    looked at."""
    level = rect(128, 212, 328, 236)
    a = np.radians(6)
    turn = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]], np.float32)
    turned = (level - level.mean(axis=0)) @ turn + level.mean(axis=0)
    assert box_tilt_deg(level) == 0
    assert box_tilt_deg(turned) == pytest.approx(6, abs=1e-3)
    assert box_tilt_deg(np.roll(turned, 1, axis=0)) == pytest.approx(6, abs=1e-3)
    shape = (256, 456, 3)
    assert subtitle_line([level], shape, 0.25, 0.05, max_tilt_deg=3) is not None
    assert subtitle_line([turned], shape, 0.25, 0.05) is not None
    assert subtitle_line([turned], shape, 0.25, 0.05, max_tilt_deg=3) is None
