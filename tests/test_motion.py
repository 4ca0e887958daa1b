"""Camera-motion labels and flow magnitudes on generated camera moves with known direction."""

import dataclasses

import pytest

from tests.conftest import make_video
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips

ENCODE = ("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r", "30", "-t", "3")
ZOOM = "zoompan=z='{z}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=640x360:fps=30"
# A virtual 640x360 camera over a 1280x720 still: crop's x/y move it (60 px/s = 5.33 px at short
# side 256 per 1/8 s), zoompan zooms it.
MOVES = {
    "pan_right": "crop=640:360:x='200+t*60':y=180",
    "pan_left": "crop=640:360:x='400-t*60':y=180",
    "tilt_down": "crop=640:360:x=320:y='100+t*60'",
    "tilt_up": "crop=640:360:x=320:y='300-t*60'",
    "zoom_in": ZOOM.format(z="1+0.004*on"),
    "zoom_out": ZOOM.format(z="1.5-0.004*on"),
    "static": "crop=640:360:x=320:y=180",
}


@pytest.fixture(scope="module")
def texture(tmp_path_factory):
    path = tmp_path_factory.mktemp("motion") / "texture.png"
    src = "mandelbrot=s=1280x720:start_scale=0.5:end_scale=0.5"
    return make_video(path, "-f", "lavfi", "-i", src, "-frames:v", "1")


def camera_clips(path, config, **motion):
    info = probe_file(str(path), str(path), config.probe)
    motion_config = dataclasses.replace(config.motion, **motion)
    analyzers = [config.frame_quality.make_analyzer(info), motion_config.make_analyzer(info)]
    analysis = analyze_video(str(path), info, config.scenes, analyzers)
    clips = build_clips(
        info, analysis, config.scenes, config.clips, analyzers, config.quality.check
    )
    return [s.clip for s in clips]


@pytest.mark.parametrize("label", list(MOVES))
def test_camera_motion_label(label, texture, tmp_path, config):
    video = make_video(tmp_path / f"{label}.mp4", "-loop", "1", "-i", str(texture),
                       "-vf", MOVES[label], *ENCODE)  # fmt: skip
    clips = camera_clips(video, config)
    assert [c.camera_motion for c in clips] == [label]
    clip = clips[0]
    if label.startswith(("pan", "tilt")):
        along = clip.camera_pan_px if label.startswith("pan") else clip.camera_tilt_px
        assert abs(along) == pytest.approx(5.33, rel=0.3)
        assert clip.kept and clip.motion_top5_px > config.quality.min_motion_top5_px
    if label == "static":
        assert clip.drop_reasons == ["low_motion"]


def test_farneback_is_selectable(texture, tmp_path, config):
    # Farneback leaves flat regions at zero flow, so on this texture the global fit sees no
    # camera motion (bench/bench_quality.py measures it); its magnitudes still see the pan.
    video = make_video(tmp_path / "pan.mp4", "-loop", "1", "-i", str(texture),
                       "-vf", MOVES["pan_right"], *ENCODE)  # fmt: skip
    (clip,) = camera_clips(video, config, method="farneback")
    assert clip.motion_top5_px > config.quality.min_motion_top5_px


def test_shaky_camera_is_chaotic(texture, tmp_path, config):
    shake = "crop=640:360:x='320+60*sin(n*2.3)':y='180+60*cos(n*1.9)'"
    video = make_video(tmp_path / "shaky.mp4", "-loop", "1", "-i", str(texture),
                       "-vf", shake, *ENCODE)  # fmt: skip
    # With the default boundary refinement: a shake's run of large steps fills the whole
    # window around its cut, so it is no transition to grow the cut into (issue 11).
    clips = camera_clips(video, config)
    assert clips and all("chaotic_motion" in c.drop_reasons for c in clips)
    assert all(c.camera_jitter_px > config.quality.max_camera_jitter_px for c in clips)


def test_flow_is_normalised_for_resolution_and_frame_rate(texture, tmp_path, config):
    """The same camera move at half size and 15 fps reads the same in px at short side 256."""
    base = make_video(tmp_path / "a.mp4", "-loop", "1", "-i", str(texture),
                      "-vf", MOVES["pan_right"], *ENCODE)  # fmt: skip
    small = make_video(tmp_path / "b.mp4", "-loop", "1", "-i", str(texture),
                       "-vf", MOVES["pan_right"] + ",scale=320:180", "-c:v", "libx264",
                       "-pix_fmt", "yuv420p", "-r", "15", "-t", "3")  # fmt: skip
    (a,), (b,) = camera_clips(base, config), camera_clips(small, config)
    assert b.camera_pan_px == pytest.approx(a.camera_pan_px, rel=0.2)
    assert b.motion_mean_px == pytest.approx(a.motion_mean_px, rel=0.3)


def test_swinging_camera_is_moving_not_static(texture, tmp_path, config):
    """A handheld swing (+-40 px over 3 s, no net direction) moves as much as a pan: its median
    pan is near nil, but the camera's speed is not, so it is complex and kept, never static."""
    swing = "crop=640:360:x='320+40*sin(2*PI*t/3)':y='180+15*sin(2*PI*t/2.3)'"
    video = make_video(tmp_path / "swing.mp4", "-loop", "1", "-i", str(texture),
                       "-vf", swing, *ENCODE)  # fmt: skip
    (clip,) = camera_clips(video, config)
    assert clip.camera_motion == "complex" and clip.kept, clip
    assert clip.camera_speed_px > 3 * config.motion.static_px
    assert abs(clip.camera_pan_px) < config.motion.consistency * clip.camera_speed_px


def test_real_camera_moves(tmp_path, config):
    """Real footage: handheld cockatoo swings (not static), bikes' pan is a pan, its
    near-still shots are static, not complex."""
    from tests.conftest import TESTDATA

    cockatoo = camera_clips(TESTDATA / "real" / "cockatoo.mp4", config)
    # the long handheld clip swings every way; the 4 s after the out-of-focus stretch read as a pan
    assert cockatoo and cockatoo[0].camera_motion == "complex"
    assert all(c.camera_motion != "static" for c in cockatoo)
    bikes = camera_clips(TESTDATA / "real" / "bikes.mp4", config)

    def at(t_s):  # the bikes clip spanning t_s
        return next(c.camera_motion for c in bikes if c.start_s <= t_s < c.end_s)

    assert at(8.5) == "pan_right"
    assert at(0.5) == "static" and at(6.5) == "static"
    still = camera_clips(TESTDATA / "real" / "carphone_pristine.mp4", config)
    assert [c.camera_motion for c in still] == ["static"]


def test_top_mean_is_the_mean_of_the_largest_share():
    """The bounded selection finds the same largest values as a full partition (flat, sorted,
    heavy-tailed and tiny inputs); the mean differs only by float32 rounding."""
    import numpy as np

    from transforms.motion import top_mean

    rng = np.random.default_rng(11)
    inputs = [
        rng.gamma(1.0, 3.0, 29184).astype(np.float32),
        np.sort(rng.gamma(0.5, 8.0, 29184)).astype(np.float32),
        np.full(29184, 1.5, np.float32),
        np.zeros(29184, np.float32),
        rng.random(40, np.float32),
    ]
    inputs[0][:50] = 1000.0  # a few outliers that the every-8th sample may miss
    for values in inputs:
        top = max(1, int(values.size * 0.05))
        expected = np.sort(values.astype(np.float64))[-top:].mean()
        assert top_mean(values, 0.05) == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(
    ("source", "size"),
    [
        pytest.param((180, 320), (228, 128), id="flow_size_1.4"),
        pytest.param((144, 256), (228, 128), id="small_source"),
        pytest.param((134, 320), (306, 128), id="letterboxed_picture"),
        pytest.param((140, 228), (228, 128), id="width_kept"),
        pytest.param((180, 320), (160, 90), id="integer_ratio"),
        pytest.param((60, 100), (128, 77), id="enlarged"),
        pytest.param((128, 228), (228, 128), id="same_size"),
    ],
)
def test_flow_size_view_is_opencvs_uint8_area_resize_to_the_byte(source, size):
    """The shared flow-size view (a float32 resize where that is faster) gives the bytes the
    flow analyzers were tuned on, on noise (every rounding case) and on a real frame."""
    import av
    import cv2
    import numpy as np

    from tests.conftest import TESTDATA
    from transforms.frames import AnalysisFrame

    with av.open(str(TESTDATA / "real" / "bikes.mp4")) as container:
        real = next(container.decode(video=0)).to_ndarray(format="bgr24")
    noise = np.random.default_rng(12).integers(0, 256, (*source, 3), dtype=np.uint8)
    for image in (noise, cv2.resize(real, source[::-1], interpolation=cv2.INTER_AREA)):
        expected = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        assert np.array_equal(AnalysisFrame(image).resized(size), expected)
        # a crop (the picture inside bars) is a strided view
        crop = np.pad(image, ((3, 3), (5, 5), (0, 0)))[3:-3, 5:-5]
        assert np.array_equal(AnalysisFrame(crop).resized(size), expected)
