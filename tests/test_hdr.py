"""HDR sources (BT.2020, PQ or HLG): seen by the decode pass and written as SDR BT.709.

The inputs are real footage (cockatoo.mp4) turned into HDR10-style PQ and into HLG by the
bundled ffmpeg's zscale, so the SDR original is the reference both ways."""

import itertools

import av
import numpy as np
import pytest
from av.video.reformatter import VideoReformatter

from tests.conftest import TESTDATA, make_video
from tests.test_encode import clip_of, decoded
from transforms.encode import encode_clip
from transforms.hdr import sdr_chain, sdr_frame
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips

SDR = (
    "format=yuv420p,scale=640:360,"
    "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"
)
TRANSFERS = ["smpte2084", "arib-std-b67"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """(SDR original, {transfer: HDR version}) of 3 s of cockatoo.mp4 at 640x360."""
    work = tmp_path_factory.mktemp("hdr")
    sdr = make_video(
        work / "sdr.mp4",
        *["-i", str(TESTDATA / "real/cockatoo.mp4"), "-t", "3", "-vf", SDR],
        *["-c:v", "libx264", "-crf", "12", "-an"],
    )
    hdr = {}
    for transfer in TRANSFERS:
        to_hdr = (
            "zscale=t=linear:npl=100,format=gbrpf32le,"
            f"zscale=p=bt2020:t={transfer}:m=bt2020nc:r=tv:npl=100,format=yuv420p10le"
        )
        hdr[transfer] = make_video(
            work / f"{transfer}.mp4",
            *["-i", str(sdr), "-vf", to_hdr, "-c:v", "libx265", "-crf", "12"],
            *["-x265-params", f"log-level=error:colorprim=bt2020:transfer={transfer}"],
        )
    return sdr, hdr


def frames_bgr(path, size=(320, 180), count=20) -> np.ndarray:
    with av.open(str(path)) as container:
        frames = itertools.islice(container.decode(video=0), count)
        return np.stack(
            [f.to_ndarray(format="bgr24", width=size[0], height=size[1]) for f in frames]
        ).astype(np.float32)


@pytest.mark.parametrize("transfer", TRANSFERS)
def test_decode_pass_tone_map_matches_ffmpegs(sources, tmp_path, transfer):
    """The pass's numpy tone map gives the re-encode's zscale + tonemap picture, and both are
    near the SDR original (the HDR signal read as SDR is ~35 levels off)."""
    sdr, hdr = sources[0], sources[1][transfer]
    with av.open(str(hdr)) as container:
        reformatter = VideoReformatter()
        mine = np.stack(
            [
                sdr_frame(reformatter, f, 320, 180, transfer)
                for f in itertools.islice(container.decode(video=0), 20)
            ]
        ).astype(np.float32)
    ffmpeg = make_video(
        tmp_path / "sdr.mkv",
        *["-i", str(hdr), "-frames:v", "20", "-vf", f"{sdr_chain(transfer)},format=yuv444p"],
        *["-c:v", "ffv1"],
    )
    original = frames_bgr(sdr)
    assert np.abs(mine - frames_bgr(ffmpeg)).mean() < 2.0
    assert np.abs(mine - original).mean() < 8.0
    assert np.abs(frames_bgr(hdr) - original).mean() > 25.0  # what reading it as SDR gives


@pytest.mark.parametrize("transfer", TRANSFERS)
def test_hdr_source_is_scored_and_written_as_sdr(sources, config, transfer):
    sdr, hdr = sources[0], sources[1][transfer]
    info = probe_file(str(hdr), str(hdr), config.probe)
    assert info.hdr == transfer and probe_file(str(sdr), str(sdr), config.probe).hdr is None
    luma = {}
    for name, path in (("sdr", sdr), ("hdr", hdr)):
        source = probe_file(str(path), str(path), config.probe)
        analysis = analyze_video(str(path), source, config.scenes)
        (clip,) = [s.clip for s in build_clips(source, analysis, config.scenes, config.clips)]
        luma[name] = clip.luma_mean
    assert luma["hdr"] == pytest.approx(luma["sdr"], abs=6.0)
    media = encode_clip(clip_of(hdr, 0.5, 2.5, config, hdr=transfer), str(hdr), config.encode)
    assert media.clip.encode_mode == "reencode"
    _, pix_fmt, frames = decoded(media.mp4)
    assert pix_fmt == "yuv420p" and frames[0].color_trc in (1, 2)  # BT.709 or unspecified
    written = np.stack(
        [f.to_ndarray(format="bgr24", width=320, height=180) for f in frames[:20]]
    ).astype(np.float32)
    original = frames_bgr(sdr, count=len(frames) + 10)[10 : 10 + 20]
    assert np.abs(written - original).mean() < 8.0
