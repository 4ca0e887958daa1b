"""Reference frames a smart cut's re-encode does not decode (transforms/h264.py `skippable_refs`).

A re-encoded head or tail decodes from the IDR before it. In x264's B-pyramid with one
reference (veryfast and faster presets) the B-references are needed only by the B-frames
around them, so those shown before the wanted frames are skipped, but where libavcodec's
stand-in for a skipped one would enter a wanted frame's reference lists. The decoded frames
must be the ones a decode of every packet gives, bit for bit.
"""

import io
from fractions import Fraction

import av
import numpy as np
import pytest

import transforms.smartcut as smartcut
from tests.conftest import make_video
from transforms.h264 import avcc_parameter_sets, skippable_refs
from transforms.smartcut import CutSettings, DecodeSession, cut_clip

SETTINGS = CutSettings(
    max_long_side=1920, max_fps=30.0, preset="ultrafast", crf=15, max_early_start_s=0.0
)


def pyramid_source(path, preset: str, x264_params: str):
    """6 s of moving testsrc2 at 320x240 30 fps, one IDR (no scene-cut keyframes)."""
    return make_video(
        path,
        *("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=6", "-pix_fmt", "yuv420p"),
        *("-c:v", "libx264", "-preset", preset, "-threads", "1", "-g", "300"),
        *("-x264-params", f"scenecut=0:{x264_params}"),
    )


def decoded(stream, packets, wanted, skip=frozenset()) -> dict[int, np.ndarray]:
    """The frames with pts in `wanted` (planes), decoded from `packets` with those shown
    before them skipped where they are no reference or in `skip` (indices)."""
    first = min(wanted)
    decoder = av.CodecContext.create("h264", "r")
    decoder.extradata = stream.codec_context.extradata
    decoder.thread_count = 1
    frames = {}
    for k, p in enumerate(packets):
        if (p.ref or p.pts >= first) and k not in skip:
            frames.update((f.pts, f) for f in decoder.decode(p.packet))
    frames.update((f.pts, f) for f in decoder.decode(None))
    assert not any(f.is_corrupt for f in frames.values())
    return {t: f.to_ndarray(format="yuv420p") for t, f in frames.items() if t in wanted}


@pytest.mark.parametrize(
    ("preset", "x264_params", "skips"),
    [
        pytest.param("veryfast", "bframes=3:b-pyramid=normal:ref=1", True, id="pyramid-1-ref"),
        pytest.param("veryfast", "bframes=5:b-pyramid=strict:ref=1", True, id="strict-pyramid"),
        pytest.param("veryfast", "bframes=3:b-pyramid=normal:ref=1:cabac=0", True, id="cavlc"),
        # P-frames refer to the B-references: none is skipped
        pytest.param("medium", "bframes=3:b-pyramid=normal:ref=3", False, id="pyramid-3-refs"),
    ],
)
def test_wanted_frames_decode_as_from_every_packet(tmp_path, preset, x264_params, skips):
    from transforms.smartcut import _demux_span, _parameter_table

    source = pyramid_source(tmp_path / "pyramid.mp4", preset, x264_params)
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        frame = round(1 / (Fraction(stream.average_rate) * stream.time_base))
        size, _ = avcc_parameter_sets(bytes(stream.codec_context.extradata))
        skipped = 0
        for start in (23, 50, 91, 130):  # frames: wanted are 12 from there
            span = _demux_span(container, stream, 0, (start + 12) * frame, frame, size)
            wanted = {p.pts for p in span if start * frame <= p.pts < (start + 12) * frame}
            table = _parameter_table(stream, span)
            skip = skippable_refs(span, start * frame, table, size)
            shown_before = [span[k].pts < start * frame for k in skip]
            assert all(span[k].ref and not span[k].idr for k in skip) and all(shown_before)
            fed, every = decoded(stream, span, wanted, skip), decoded(stream, span, wanted)
            assert fed.keys() == every.keys() == wanted
            differ = [t // frame for t in sorted(wanted) if not np.array_equal(fed[t], every[t])]
            assert differ == [], start
            skipped += len(skip)
    assert (skipped > 0) == skips


@pytest.mark.parametrize("container", ["mp4", "ts"])  # avcC, Annex B (sets in-band)
def test_cuts_that_skip_references_write_a_full_decodes_bytes(tmp_path, monkeypatch, container):
    """Two clips with no keyframe inside, re-encoded whole by one session (the second goes on
    from the first's decoder): the bytes of a decode of every reference frame."""
    source = pyramid_source(tmp_path / "pyramid.mp4", "veryfast", "bframes=3:b-pyramid=normal")
    if container == "ts":
        source = make_video(tmp_path / "pyramid.ts", "-i", str(source), "-c", "copy")
    spans = [(2.0, 3.0), (3.0, 4.5)]
    fed = []
    decode_encode = smartcut._decode_encode

    def recorded(*args):
        fed.append((args[-2], len(args[-1])))  # resumed, packets skipped
        return decode_encode(*args)

    monkeypatch.setattr(smartcut, "_decode_encode", recorded)

    def cuts() -> list[bytes]:
        session, out = DecodeSession(), []
        with av.open(str(source)) as container:
            for a, b in spans:
                cut = cut_clip(str(source), a, b, a, SETTINGS, True, container, None, session)
                assert cut.mode == "reencode" and cut.frames == round((b - a) * 30)
                out.append(cut.mp4)
        return out

    skipping = cuts()
    assert fed == [(False, fed[0][1]), (True, 0)] and fed[0][1] > 0
    monkeypatch.setattr(smartcut, "skippable_refs", lambda *args: frozenset())
    assert cuts() == skipping
    for mp4 in skipping:
        with av.open(io.BytesIO(mp4)) as container:
            assert not any(f.is_corrupt for f in container.decode(video=0))


def test_a_decode_that_loses_a_frame_after_skipping_decodes_every_reference(tmp_path, monkeypatch):
    """Output order is not followed from the headers: where the decoder that skipped frames
    comes short of a wanted frame, the frames are decoded again from every reference."""
    from transforms.h264 import NotCopyable

    source = pyramid_source(tmp_path / "pyramid.mp4", "veryfast", "bframes=3:b-pyramid=normal")
    skips = []
    decode_encode = smartcut._decode_encode

    def short_of_a_frame(*args):
        skips.append(len(args[-1]))
        if args[-1]:
            raise NotCopyable("frames_missing", "decoded 29 of 30 frames")
        return decode_encode(*args)

    monkeypatch.setattr(smartcut, "_decode_encode", short_of_a_frame)
    cut = cut_clip(str(source), 2.0, 3.0, 2.0, SETTINGS, True)
    monkeypatch.setattr(smartcut, "skippable_refs", lambda *args: frozenset())
    assert skips[0] > 0 and skips[1:] == [0]
    assert cut.mp4 == cut_clip(str(source), 2.0, 3.0, 2.0, SETTINGS, True).mp4
