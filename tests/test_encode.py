import io

import av
import pytest

from tests.conftest import TESTDATA, make_video
from transforms.encode import encode_clip, encode_clips, output_fps, output_size
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips


def first_kept_clip(path, config):
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    candidates = build_clips(info, analysis, config.scenes, config.clips)
    return next(s.clip for s in candidates if s.clip.kept)


def decoded(data: bytes):
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        return stream.codec_context.name, stream.codec_context.pix_fmt, frames


def test_clip_is_h264_with_exact_span(config):
    clip = first_kept_clip(TESTDATA / "real/bikes.mp4", config)
    media = encode_clip(clip, str(TESTDATA / "real/bikes.mp4"), config.encode)
    codec, pix_fmt, frames = decoded(media.mp4)
    assert (codec, pix_fmt) == ("h264", "yuv420p")
    assert len(frames) == pytest.approx(clip.duration_s * 25, abs=1)
    assert (frames[0].width, frames[0].height) == (640, 272)
    assert media.jpg.startswith(b"\xff\xd8") and len(media.jpg) > 1000
    assert media.mp4[4:8] == b"ftyp"
    # +faststart: the moov atom comes before the media data.
    assert media.mp4.index(b"moov") < media.mp4.index(b"mdat")


def test_long_side_and_fps_are_capped(tmp_path, config):
    src = make_video(
        tmp_path / "big.mp4",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=1920x1080:d=3:r=60",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
    )
    clip = first_kept_clip(src, config)
    media = encode_clip(clip, str(src), config.encode)
    _, _, frames = decoded(media.mp4)
    assert (frames[0].width, frames[0].height) == (1080, 608)
    assert len(frames) == pytest.approx(clip.duration_s * 30, abs=1)
    assert (media.clip.out_width, media.clip.out_height, media.clip.out_fps) == (1080, 608, 30.0)


def test_rotated_source_is_encoded_upright(rotated_video, config):
    rotated = rotated_video
    clip = first_kept_clip(rotated, config)
    media = encode_clip(clip, str(rotated), config.encode)
    _, _, frames = decoded(media.mp4)
    assert (frames[0].width, frames[0].height) == (240, 320)


def test_reencode_is_byte_identical(config):
    # H.264 4:4:4 in, 4:2:0 out; its second scene has damaged macroblocks that a
    # frame-threaded decoder conceals differently run to run.
    path = TESTDATA / "real/cockatoo.mp4"
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    candidates = build_clips(info, analysis, config.scenes, config.clips)
    clip = [s.clip for s in candidates if s.clip.kept][-1]
    assert clip.start_s > 7
    runs = [encode_clip(clip, str(path), config.encode) for _ in range(3)]
    assert all(r.mp4 == runs[0].mp4 and r.jpg == runs[0].jpg for r in runs)


def test_output_geometry():
    assert output_size(1280, 720, 1080) == (1080, 608)
    assert output_size(720, 1280, 1080) == (608, 1080)
    assert output_size(640, 360, 1080) == (640, 360)
    assert output_fps(59.94, 30) == 30 and output_fps(25, 30) == 25


def test_chunk_of_clips_cut_from_one_decode(config):
    path = TESTDATA / "synthetic/cuts/hard_cuts.mp4"
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    kept = [s.clip for s in build_clips(info, analysis, config.scenes, config.clips)]
    media = encode_clips(kept, str(path), config.encode)
    assert [m.clip.clip_id for m in media] == [c.clip_id for c in kept]
    for clip, m in zip(kept, media, strict=True):
        _, _, frames = decoded(m.mp4)
        assert len(frames) == pytest.approx(clip.duration_s * 30, abs=1)


def test_bad_span_costs_one_clip_not_the_chunk(config):
    import dataclasses

    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    from schemas import SampledClip
    from transforms.common import FAILED
    from transforms.encode import DROPPED, EncodeClips

    path = TESTDATA / "synthetic/cuts/hard_cuts.mp4"
    good = first_kept_clip(path, config)
    beyond = dataclasses.replace(good, clip_id="beyond", start_s=100.0, end_s=103.0)
    with TestPipeline() as p:
        result = (
            p | beam.Create([SampledClip(good), SampledClip(beyond)]) | EncodeClips(config.encode)
        )
        assert_that(result.media | beam.Map(lambda m: m.clip.clip_id), equal_to([good.clip_id]))
        assert_that(
            result[DROPPED] | beam.Map(lambda c: (c.clip_id, c.drop_reasons)),
            equal_to([("beyond", ["encode_failed"])]),
            label="dropped",
        )
        assert_that(
            result[FAILED] | beam.Map(lambda f: (f.stage, f.error)),
            equal_to([("encode", "encode_error")]),
            label="failed",
        )
