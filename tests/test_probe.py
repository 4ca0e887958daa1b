import pytest

from tests.conftest import TESTDATA, make_video
from transforms.media import MediaError
from transforms.probe import probe_file


def probe(path, config):
    return probe_file(str(path), str(path), config.probe)


@pytest.mark.parametrize(
    "name, error",
    [
        pytest.param("empty.mp4", "empty_file", id="empty"),
        pytest.param("garbage.mp4", "corrupt_container", id="garbage"),
        pytest.param("notes.mp4", "corrupt_container", id="text-named-mp4"),
        pytest.param("audio_only.mp4", "no_video_stream", id="audio-only"),
        pytest.param("playlist.m3u8", "playlist", id="playlist"),
    ],
)
def test_bad_inputs_raise_named_errors(name, error, config, truth):
    assert name in truth["bad"]["must_fail_cleanly"]
    with pytest.raises(MediaError) as caught:
        probe(TESTDATA / "synthetic" / "bad" / name, config)
    assert caught.value.error == error


@pytest.mark.parametrize("name", ["rotated.mp4", "vp9.webm", "vfr.mp4", "测试 视频.mp4"])
def test_odd_but_valid_inputs_probe(name, config):
    info = probe(TESTDATA / "synthetic" / "bad" / name, config)
    assert info.duration_s > 2 and info.width == 640 and info.height == 360
    assert len(info.source_sha256) == 64


def test_real_footage_metadata(config):
    info = probe(TESTDATA / "real" / "bikes.mp4", config)
    assert (info.width, info.height, info.codec) == (640, 272, "h264")
    assert info.fps == pytest.approx(25.0)
    assert info.duration_s == pytest.approx(10.0, abs=0.05)
    assert not info.has_audio
    cockatoo = probe(TESTDATA / "real" / "cockatoo.mp4", config)
    assert cockatoo.pix_fmt == "yuv444p" and cockatoo.fps == pytest.approx(20.0)


def test_display_matrix_rotation_is_read(config):
    info = probe(TESTDATA / "real" / "fire2.mp4", config)
    assert info.rotation_deg == 180
    assert info.fps < info.fps_real  # variable frame rate: average below the timestamp rate


def test_quarter_turn_swaps_dimensions(rotated_video, config):
    rotated = rotated_video
    info = probe(rotated, config)
    assert info.rotation_deg in (90, 270)
    assert (info.width, info.height) == (240, 320)


def test_concat_script_is_refused(tmp_path, config):
    script = tmp_path / "list.mp4"
    script.write_text("ffconcat version 1.0\nfile '/etc/passwd'\n")
    with pytest.raises(MediaError) as caught:
        probe(script, config)
    assert caught.value.error == "playlist"


def test_demuxer_outside_allowlist_is_refused(tmp_path, config):
    y4m = make_video(
        tmp_path / "raw.mp4", "-f", "lavfi", "-i", "testsrc2=s=64x48:d=1", "-f", "yuv4mpegpipe"
    )
    with pytest.raises(MediaError) as caught:
        probe(y4m, config)
    assert caught.value.error == "unsupported_format"
