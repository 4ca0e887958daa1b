import dataclasses

from schemas import VideoInfo
from transforms.gate import GateConfig, check_video, video_row

INFO = VideoInfo(
    source="a.mp4",
    source_sha256="0" * 64,
    size_bytes=1,
    container="mov",
    codec="h264",
    pix_fmt="yuv420p",
    width=1280,
    height=720,
    rotation_deg=0,
    duration_s=30.0,
    fps=30.0,
    fps_real=30.0,
    bit_rate=2_000_000,
    frame_count=900,
    has_audio=False,
)
CONFIG = GateConfig(
    min_duration_s=2,
    max_duration_s=3600,
    min_fps=10,
    max_fps=120,
    min_short_side=240,
    aspect_min=0.4,
    aspect_max=2.5,
    min_bits_per_pixel=0.02,
)


def test_good_video_passes():
    assert check_video(INFO, CONFIG) == []


def test_every_failed_check_is_a_reason():
    bad = dataclasses.replace(
        INFO, duration_s=1.0, fps=5.0, width=3000, height=200, bit_rate=10_000
    )
    assert set(check_video(bad, CONFIG)) == {
        "video_too_short",
        "low_fps",
        "low_resolution",
        "bad_aspect_ratio",
        "low_bitrate",
    }


def test_none_turns_a_check_off():
    short = dataclasses.replace(INFO, duration_s=0.5)
    assert check_video(short, dataclasses.replace(CONFIG, min_duration_s=None)) == []


def test_gated_row_is_dropped_with_null_scene():
    row = video_row(INFO, ["low_fps"])
    assert row.status == "dropped" and row.drop_reasons == ["low_fps"]
    assert row.scene_index is None and row.shard is None
