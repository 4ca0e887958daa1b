"""A smart cut copied from a scene-cut non-IDR I-frame made an IDR (transforms/smartcut.py).

x264 puts an I-frame, not an IDR, at a scene cut within min-keyint of the last IDR. The sources
here cut between three lavfi patterns every 2 s with min-keyint 150: I-frames at 2.0 and 4.0 s
and no IDR after the first frame, so a clip from 1.5 s had its whole span re-encoded before.
"""

import dataclasses
import io
import subprocess

import av
import numpy as np
import pytest

from tests.conftest import make_video
from tests.test_encode import RecordedCounters, clip_of
from transforms.encode import encode_clips
from transforms.media import ffmpeg_exe
from transforms.smartcut import CutSettings, avcc_parameter_sets, cut_clip, nal_units

SETTINGS = CutSettings(
    max_long_side=1920, max_fps=30.0, preset="ultrafast", crf=15, max_early_start_s=0.0
)
SCENES = (
    "testsrc2=s=320x240:r=30:d=2",
    "mandelbrot=s=320x240:r=30",
    "testsrc=s=320x240:r=30:d=2",
)


def scene_cut_source(path, x264_params: str = ""):
    """6 s of three 2 s scenes, x264 veryfast (CABAC, B-pyramid, 1 reference) by default."""
    inputs = [arg for scene in SCENES for arg in ("-f", "lavfi", "-i", scene)]
    graph = "[1:v]trim=duration=2,setpts=PTS-STARTPTS[m];[0:v][m][2:v]concat=n=3:v=1,"
    graph += "format=yuv420p[out]"
    params = ("-x264-params", x264_params) if x264_params else ()
    return make_video(
        path,
        *inputs,
        *("-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast"),
        *("-g", "250", "-keyint_min", "150", *params),
    )


def source_frames(path) -> dict[float, np.ndarray]:
    """Every frame (Y, U, V planes) by time, decoded from the file's first IDR."""
    with av.open(str(path)) as container:
        return {
            round(float(f.pts * f.time_base), 3): f.to_ndarray(format="yuv420p")
            for f in container.decode(video=0)
        }


def clean_in_ffmpeg(mp4: bytes, tmp_path) -> str:
    """ffmpeg's errors and warnings decoding the clip, errors fatal ('' when clean)."""
    path = tmp_path / "cut.mp4"
    path.write_bytes(mp4)
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "warning", "-xerror", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    return f"rc {done.returncode}: {done.stderr}" if done.returncode else done.stderr.strip()


@pytest.mark.parametrize(
    "x264_params",
    [
        pytest.param("", id="cabac-bpyramid"),
        pytest.param("cabac=0", id="cavlc"),  # slice data shifted after the longer header
        pytest.param("bframes=0", id="poc-type-2"),  # POC counted from frame_num
    ],
)
def test_copy_starts_at_the_scene_cut_i_frame(tmp_path, x264_params):
    source = scene_cut_source(tmp_path / "cuts.mp4", x264_params)
    cut = cut_clip(str(source), 1.5, 3.5, 1.5, SETTINGS, True)
    # Before: no IDR in the span, all 60 frames re-encoded. Now 15 are (1.5-2.0 s).
    assert cut.notes == ("copied_from_i",)
    assert cut.mode == "smart" and cut.frames == 60 and cut.first_frame_s == pytest.approx(1.5)
    assert clean_in_ffmpeg(cut.mp4, tmp_path) == ""
    frames = source_frames(source)
    with av.open(io.BytesIO(cut.mp4)) as container:
        stream = container.streams.video[0]
        keys = [float(p.pts * stream.time_base) for p in container.demux(stream) if p.is_keyframe]
        container.seek(0)
        written = list(container.decode(stream))
        # A reader that seeks to the sync sample before a time lands on the rewritten I.
        container.seek(round(0.6 / stream.time_base), stream=stream)
        sought = next(iter(container.decode(stream)))
    assert keys == [0.0, pytest.approx(0.5)]  # the head's IDR and the copy's
    times = [float(f.pts * f.time_base) for f in written]
    assert len(written) == 60 and times[0] == 0 and np.allclose(np.diff(times), 1 / 30, atol=1e-3)
    assert written[0].key_frame and written[15].key_frame
    assert not any(f.is_corrupt for f in written)
    # From the I on, the frames are the source's decoded from its IDR at 0, bit for bit.
    for frame, t in zip(written[15:], times[15:], strict=True):
        assert np.array_equal(frame.to_ndarray(format="yuv420p"), frames[round(1.5 + t, 3)]), t
    assert float(sought.pts * sought.time_base) == pytest.approx(0.5)
    assert np.array_equal(sought.to_ndarray(format="yuv420p"), frames[2.0])
    # The copy's IDR: frame_num 0 and POC 0 (H.264 8.2.1), as an encoder writes one.
    from transforms.h264 import parameter_set_table, parse_slice

    with av.open(io.BytesIO(cut.mp4)) as container:
        stream = container.streams.video[0]
        size, sets = avcc_parameter_sets(bytes(stream.codec_context.extradata))
        idr = [p for p in container.demux(stream) if p.is_keyframe][1]
        unit = next(u for u in nal_units(bytes(idr), size) if u[0] & 0x1F in (1, 5))
    header = parse_slice(unit, parameter_set_table(sets))
    assert unit[0] & 0x1F == 5 and header.frame_num == 0 and header.poc_lsb in (0, None)


def test_a_copy_from_the_i_frame_reads_in_decord(tmp_path):
    decord = pytest.importorskip("decord")  # seeks to the sync sample before a frame
    source = scene_cut_source(tmp_path / "cuts.mp4")
    cut = cut_clip(str(source), 1.5, 3.5, 1.5, SETTINGS, True)
    assert cut.notes == ("copied_from_i",)
    path = tmp_path / "cut.mp4"
    path.write_bytes(cut.mp4)
    with av.open(io.BytesIO(cut.mp4)) as container:
        rgb = [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]
    reader = decord.VideoReader(str(path))
    assert len(reader) == 60
    for i in (40, 15, 59, 0):  # random access, the copy's IDR first
        assert np.abs(reader[i].asnumpy().astype(int) - rgb[i]).mean() < 1, i


def test_i_frame_whose_followers_may_refer_before_it_is_not_copied_from(tmp_path):
    # With 4 references, x264's first P-frames after the I list pictures from before it.
    source = scene_cut_source(tmp_path / "refs.mp4", "ref=4")
    cut = cut_clip(str(source), 1.5, 3.5, 1.5, SETTINGS, True)
    assert cut.notes == ("i_frame_refs_before",)
    assert cut.mode == "reencode" and cut.frames == 60  # as before: no IDR in the span
    assert clean_in_ffmpeg(cut.mp4, tmp_path) == ""


def test_open_gop_i_frame_is_not_copied_from(tmp_path):
    # An open-GOP keyframe: B-frames decoded after the I are shown before it.
    source = make_video(
        tmp_path / "open.mp4",
        *("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=6", "-c:v", "libx264"),
        *("-preset", "veryfast", "-g", "60", "-sc_threshold", "0", "-x264-params", "open-gop=1"),
    )
    cut = cut_clip(str(source), 1.5, 3.5, 1.5, SETTINGS, True)
    assert cut.notes == ("i_frame_open_gop",) and cut.mode == "reencode"
    assert clean_in_ffmpeg(cut.mp4, tmp_path) == ""


def test_encode_counts_copies_from_an_i_frame_and_the_setting_turns_them_off(tmp_path, config):
    source = scene_cut_source(tmp_path / "cuts.mp4")
    clip = clip_of(source, 1.5, 3.5, config)
    counters = RecordedCounters()
    media = encode_clips([(clip, None)], str(source), config.encode, counters)[0]
    assert media.clip.encode_mode == "smart" and counters.counted.get("copied_from_i") == 1
    off = dataclasses.replace(config.encode, copy_from_i=False)
    counters = RecordedCounters()
    media = encode_clips([(clip, None)], str(source), off, counters)[0]
    assert "copied_from_i" not in counters.counted
    assert media.clip.encode_mode == "reencode"  # the smart cut's head is the whole clip


def test_emulation_prevention_round_trips():
    from transforms.h264 import escaped, unescaped

    rbsp = b"\x00\x00\x00\x00\x01\x00\x00\x02\x05\x00\x00\x03\x00\x00"
    escaped = escaped(rbsp)
    assert (
        escaped == b"\x00\x00\x03\x00\x00\x03\x01\x00\x00\x03\x02\x05\x00\x00\x03\x03\x00\x00\x03"
    )
    assert b"\x00\x00\x00" not in escaped and b"\x00\x00\x01" not in escaped
    assert unescaped(escaped) == rbsp  # the final 0x03 follows a trailing zero word


def test_mpegts_copy_starts_at_the_i_frame(tmp_path):
    # Annex B: the I-frame's NAL units come with start codes, the sets in force from in-band.
    source = make_video(
        tmp_path / "cuts.ts",
        *("-i", str(scene_cut_source(tmp_path / "cuts.mp4")), "-c", "copy", "-f", "mpegts"),
    )
    settings = dataclasses.replace(SETTINGS, allowed_formats=("mpegts",))
    cut = cut_clip(str(source), 1.5, 3.5, 1.5, settings, True)
    assert cut.notes == ("copied_from_i",) and cut.mode == "smart" and cut.frames == 60
    assert clean_in_ffmpeg(cut.mp4, tmp_path) == ""
    with av.open(str(source)) as container:
        origin_s = container.start_time / 1e6
        frames = {
            round(float(f.pts * f.time_base) - origin_s, 3): f.to_ndarray(format="yuv420p")
            for f in container.decode(video=0)
        }
    with av.open(io.BytesIO(cut.mp4)) as container:
        written = list(container.decode(video=0))
    assert len(written) == 60
    for frame in written[15:]:
        t = round(1.5 + float(frame.pts * frame.time_base), 3)
        assert np.array_equal(frame.to_ndarray(format="yuv420p"), frames[t]), t
