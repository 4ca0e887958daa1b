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


def test_raw_elementary_stream_is_named_not_too_short(tmp_path, config):
    # A 10 s raw H.264 stream has no timestamps and no duration: it was probed as 0 s long
    # and dropped as video_too_short.
    raw = make_video(
        tmp_path / "bikes.h264",
        *("-i", str(TESTDATA / "real/bikes.mp4"), "-c:v", "copy", "-an"),
        *("-bsf:v", "h264_mp4toannexb", "-f", "h264"),
    )
    with pytest.raises(MediaError) as caught:
        probe(raw, config)
    assert caught.value.error == "no_timestamps"
    # The remux the message suggests gives it back its times.
    mp4 = make_video(tmp_path / "bikes.mp4", "-r", "25", "-i", str(raw), "-c", "copy")
    assert probe(mp4, config).duration_s == pytest.approx(10.0, abs=0.1)


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


def sar_video(tmp_path, size: str, sar: str, seconds: int = 1):
    """A clip stored at `size` whose pixels are `sar` wide (ffmpeg setsar)."""
    src = f"testsrc2=s={size}:d={seconds}:r=25"
    return make_video(tmp_path / "sar.mp4", "-f", "lavfi", "-i", src, "-vf", f"setsar={sar}",
                      "-c:v", "libx264", "-pix_fmt", "yuv420p")  # fmt: skip


@pytest.mark.parametrize(
    "size, sar, rotate, display",
    [
        pytest.param("720x576", "64/45", None, (1024, 576), id="pal-16:9"),
        pytest.param("720x480", "32/27", None, (853, 480), id="ntsc-16:9"),
        pytest.param("720x480", "8/9", None, (640, 480), id="ntsc-4:3"),
        pytest.param("720x576", "64/45", "90", (576, 1024), id="pal-16:9-quarter-turn"),
        pytest.param("320x240", "1", None, (320, 240), id="square"),
    ],
)
def test_display_shape_applies_sar_then_rotation(tmp_path, config, size, sar, rotate, display):
    video = sar_video(tmp_path, size, sar)
    if rotate:
        video = make_video(tmp_path / "rot.mp4", "-display_rotation", rotate, "-i", str(video),
                           "-c", "copy")  # fmt: skip
    warnings = []
    info = probe_file(str(video), str(video), config.probe, warnings)
    num, den = (int(x) for x in (sar + "/1").split("/")[:2])
    assert info.sample_aspect_ratio == pytest.approx(num / den, abs=1e-4)
    assert (info.display_width, info.display_height) == display
    stored = tuple(int(x) for x in size.split("x"))
    assert (info.width, info.height) == (stored[::-1] if rotate else stored)
    assert warnings == [] and not info.vfr


@pytest.mark.parametrize(
    "sar, warned",
    [
        pytest.param("0", [], id="zero-is-unknown"),  # ffmpeg writes 0:1, read as no SAR
        pytest.param("100", ["bad_sar"], id="absurd-wide"),
        pytest.param("1/100", ["bad_sar"], id="absurd-narrow"),
    ],
)
def test_missing_or_absurd_sar_is_square(tmp_path, config, sar, warned):
    video = sar_video(tmp_path, "320x240", sar)
    warnings = []
    info = probe_file(str(video), str(video), config.probe, warnings)
    assert info.sample_aspect_ratio == 1.0 and (info.display_width, info.display_height) == (
        320,
        240,
    )
    assert warnings == warned


def test_bad_sar_is_counted_by_the_stage(tmp_path, config):
    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    from transforms.probe import ProbeVideos

    video = sar_video(tmp_path, "320x240", "100")
    p = TestPipeline()
    infos = p | beam.Create([str(video)]) | ProbeVideos(config.probe)
    shapes = infos.videos | beam.Map(lambda i: (i.sample_aspect_ratio, i.display_width))
    assert_that(shapes, equal_to([(1.0, 320)]))
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query()["counters"]
    bad = [c.committed for c in counters if c.key.metric.name == "bad_sar"]
    assert bad == [1]


def test_variable_frame_rate_from_packet_timestamps(tmp_path, config):
    """A 30 fps clip with a 0.2 s gap is VFR; its average rate is below 30; CFR is not VFR."""
    src = ("-f", "lavfi", "-i", "testsrc2=s=320x240:d=3:r=30")
    encode = ("-c:v", "libx264", "-pix_fmt", "yuv420p")
    gap = make_video(tmp_path / "gap.mp4", *src, "-vf", "select='not(between(t,1,1.2))'",
                     "-fps_mode", "passthrough", *encode)  # fmt: skip
    cfr = make_video(tmp_path / "cfr.mp4", *src, *encode)
    info = probe(gap, config)
    assert info.vfr and 26 < info.fps < 29.5
    assert not probe(cfr, config).vfr
    # Real phone footage with irregular timestamps; millisecond WebM timestamps are not VFR.
    assert probe(TESTDATA / "real" / "fire2.mp4", config).vfr
    assert not probe(TESTDATA / "real" / "big_buck_bunny_0_30.webm", config).vfr
    assert not probe(TESTDATA / "real" / "bikes.mp4", config).vfr


def test_clips_carry_the_display_shape_and_timing(tmp_path, config):
    from transforms.scenes import analyze_video, build_clips

    video = sar_video(tmp_path, "720x576", "64/45", seconds=3)
    info = probe(video, config)
    analysis = analyze_video(str(video), info, config.scenes)
    (sampled,) = build_clips(info, analysis, config.scenes, config.clips)
    clip = sampled.clip
    assert (clip.display_width, clip.display_height, clip.rotation) == (1024, 576, 0)
    assert clip.sample_aspect_ratio == pytest.approx(64 / 45, abs=1e-4)
    assert clip.source_fps_avg == pytest.approx(25.0) and clip.vfr is False


def test_bframes_at_the_window_end_are_not_vfr(tmp_path, config):
    """A CFR H.264 stream with B-frames longer than the packets read: in decode order the last
    packets read are shown after frames not read yet, which is no gap (issue 12's bench input
    was re-encoded whole for it)."""
    import dataclasses

    video = make_video(
        tmp_path / "bframes.mp4",
        *("-f", "lavfi", "-i", "testsrc2=s=320x240:d=4:r=30"),
        *("-c:v", "libx264", "-bf", "3", "-pix_fmt", "yuv420p"),
    )
    for packets in (20, 37, 50, 100):
        probe_config = dataclasses.replace(config.probe, vfr_packets=packets)
        assert not probe_file(str(video), str(video), probe_config).vfr, packets


@pytest.mark.parametrize("container", ["mp4", "mpegts"])
def test_a_video_starting_after_its_audio_ends_its_offset_later(tmp_path, config, container):
    # Source times count from the container's start (the audio's, here): the video's end is
    # its 0.7 s offset plus its 10 s. Taken as 10 s, the last shot (9.08-10.38 s) was cut at
    # 9.9 s and dropped as too short.
    path = make_video(
        tmp_path / f"late.{'ts' if container == 'mpegts' else 'mp4'}",
        *("-itsoffset", "0.7", "-i", str(TESTDATA / "real/bikes.mp4")),
        *("-f", "lavfi", "-i", "sine=d=11", "-map", "0:v", "-map", "1:a", "-c:v", "copy"),
        *("-c:a", "aac", "-f", container),
    )
    info = probe_file(str(path), str(path), config.probe)
    assert info.duration_s == pytest.approx(10.7, abs=0.03)
