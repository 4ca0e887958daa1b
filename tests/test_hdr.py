"""HDR sources (BT.2020, PQ or HLG): seen by the decode pass and written as SDR BT.709.

The inputs are real footage (cockatoo.mp4) turned into HDR10-style PQ and into HLG by the
bundled ffmpeg's zscale, so the SDR original is the reference both ways."""

import itertools
import struct
import subprocess

import av
import numpy as np
import pytest
from av.video.reformatter import VideoReformatter

from tests.conftest import TESTDATA, make_video
from tests.test_encode import clip_of, decoded
from transforms import dovi
from transforms.encode import encode_clip
from transforms.hdr import sdr_chain, sdr_frame
from transforms.media import MediaError, ffmpeg_exe
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


def dovi_record(profile: int, compatibility_id: int, level: int = 6) -> bytes:
    """A Dolby Vision configuration record (24 bytes): RPU and base layer present, no EL."""
    b2 = (profile << 1) | (level >> 5)
    b3 = ((level & 31) << 3) | 0b101
    return bytes([1, 0, b2, b3, compatibility_id << 4]) + bytes(19)


def with_dovi_box(mp4: bytes, record: bytes, entry: bytes | None = None) -> bytes:
    """`mp4` (moov after mdat, as ffmpeg writes it) with a `dvcC` box at the end of its first
    video sample entry, renamed to `entry` if given; the ancestors' sizes grow to match."""
    data = bytearray(mp4)
    chain, start, end = [], 0, len(data)
    for name in (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd"):
        at = start
        while data[at + 4 : at + 8] != name:
            at += struct.unpack(">I", data[at : at + 4])[0]
            assert at < end, name
        chain.append(at)
        start, end = at + 8, at + struct.unpack(">I", data[at : at + 4])[0]
    sample_entry = chain[-1] + 16  # stsd: header, version and flags, entry count
    chain.append(sample_entry)
    box = struct.pack(">I4s", 8 + len(record), b"dvcC") + record
    at = sample_entry + struct.unpack(">I", data[sample_entry : sample_entry + 4])[0]
    data[at:at] = box
    for at in chain:
        data[at : at + 4] = struct.pack(">I", struct.unpack(">I", data[at : at + 4])[0] + len(box))
    if entry is not None:
        data[sample_entry + 4 : sample_entry + 8] = entry
    return bytes(data)


def test_dolby_vision_without_a_compatible_base_layer_fails_in_the_probe(tmp_path, config):
    """Profile 5 (IPTPQc2) has no base layer that libav's chain can show: the probe fails it
    with a reason instead of reading it as SDR; profile 8.1's HDR10 base layer is probed as
    usual. libav parses the same records (ffmpeg prints 'DOVI configuration record ...
    profile: 5 ... compatibility id: 0'). No RPU in the stream: no encoder here writes one, so
    the pixels are plain HEVC and only the signalling is Dolby Vision."""
    hevc = make_video(
        tmp_path / "h.mp4",
        *["-f", "lavfi", "-i", "testsrc2=s=320x180:d=1:r=25", "-c:v", "libx265"],
        *["-tag:v", "hvc1", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error"],
    )
    plain = hevc.read_bytes()
    profile5 = tmp_path / "dv5.mp4"
    profile5.write_bytes(with_dovi_box(plain, dovi_record(5, 0), b"dvh1"))
    profile81 = tmp_path / "dv81.mp4"
    profile81.write_bytes(with_dovi_box(plain, dovi_record(8, 1)))
    # Matroska keeps the record in its BlockAdditionMapping (ffmpeg copies it over); it has
    # no dvh1 entry, so the record alone decides
    profile5_hvc1 = tmp_path / "dv5h.mp4"
    profile5_hvc1.write_bytes(with_dovi_box(plain, dovi_record(5, 0)))
    in_mkv = make_video(tmp_path / "dv5.mkv", "-i", str(profile5_hvc1), "-c", "copy")
    for path in (profile5, in_mkv):
        with pytest.raises(MediaError, match="profile 5") as raised:
            probe_file(str(path), str(path), config.probe)
        assert raised.value.error == "dolby_vision_unsupported"
    assert probe_file(str(profile81), str(profile81), config.probe).codec == "hevc"
    # the stage: a failures row with the reason, the compatible source probed
    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    from transforms.probe import ProbeVideos

    with TestPipeline() as p:
        probed = p | beam.Create([str(profile5), str(profile81)]) | ProbeVideos(config.probe)
        rows = probed.failed | beam.Map(lambda f: (f.source, f.stage, f.error))
        assert_that(
            rows, equal_to([(str(profile5), "probe", "dolby_vision_unsupported")]), "failed"
        )
        kept = probed.videos | beam.Map(lambda v: v.source)
        assert_that(kept, equal_to([str(profile81)]), "videos")


def crc32_mpeg2(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
    return crc


def with_ts_descriptor(ts: bytes, descriptor: bytes) -> bytes:
    """`ts` with `descriptor` added to the first elementary stream's entry in every program
    map section (single-packet sections, as ffmpeg writes them), lengths and CRC redone."""
    data = bytearray(ts)
    pat = next(at for at in range(0, len(data), 188) if data[at + 1 : at + 3] == b"\x40\x00")
    pmt_pid = int.from_bytes(data[pat + 15 : pat + 17], "big") & 0x1FFF  # its first program's
    for at in range(0, len(data), 188):
        head = data[at : at + 4]
        if (int.from_bytes(head[1:3], "big") & 0x1FFF) != pmt_pid or not head[1] & 0x40:
            continue
        start = at + 5 + data[at + 4]
        length = int.from_bytes(data[start + 1 : start + 3], "big") & 0xFFF
        section = bytearray(data[start : start + 3 + length - 4])  # less the CRC
        es = 12 + (int.from_bytes(section[10:12], "big") & 0xFFF)
        info = (int.from_bytes(section[es + 3 : es + 5], "big") & 0xFFF) + len(descriptor)
        section[es + 3 : es + 5] = (0xF000 | info).to_bytes(2, "big")
        section[es + 5 : es + 5] = descriptor
        size = len(section) + 4 - 3
        section[1:3] = ((int.from_bytes(section[1:3], "big") & 0xF000) | size).to_bytes(2, "big")
        section += crc32_mpeg2(section).to_bytes(4, "big")
        assert start + len(section) <= at + 188
        data[start : start + len(section)] = section
    return bytes(data)


def test_dolby_vision_in_mpegts_is_found_in_the_program_map(tmp_path, config):
    """MPEG-TS signals Dolby Vision in a DOVI video stream descriptor (tag 0xB0) of the video's
    program map entry; ffmpeg's TS muxer does not write one, so it is added here, and libav's
    own reading of it is checked before the probe's."""
    hevc = make_video(
        tmp_path / "h.ts",
        *["-f", "lavfi", "-i", "testsrc2=s=320x180:d=1:r=25", "-c:v", "libx265"],
        *["-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error", "-f", "mpegts"],
    )
    for profile, compatibility_id, fails in ((5, 0, True), (8, 1, False)):
        path = tmp_path / f"dv{profile}.ts"
        descriptor = bytes([0xB0, 5]) + dovi_record(profile, compatibility_id)[:5]
        path.write_bytes(with_ts_descriptor(hevc.read_bytes(), descriptor))
        shown = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
        ).stderr
        assert f"profile: {profile}" in shown and f"compatibility id: {compatibility_id}" in shown
        if fails:
            with pytest.raises(MediaError, match=f"profile {profile}") as raised:
                probe_file(str(path), str(path), config.probe)
            assert raised.value.error == "dolby_vision_unsupported"
        else:
            assert probe_file(str(path), str(path), config.probe).codec == "hevc"
    assert probe_file(str(hevc), str(hevc), config.probe).codec == "hevc"


@pytest.mark.parametrize(
    ("record", "tag", "fails"),
    [
        pytest.param(dovi_record(5, 0), "hvc1", True, id="profile-5"),
        pytest.param(dovi_record(10, 0), "av01", True, id="profile-10.0"),
        pytest.param(dovi_record(8, 1), "hvc1", False, id="profile-8.1-hdr10"),
        pytest.param(dovi_record(8, 2), "hvc1", False, id="profile-8.2-sdr"),
        pytest.param(dovi_record(8, 4), "hev1", False, id="profile-8.4-hlg"),
        pytest.param(None, "dvhe", True, id="dvhe-entry-alone"),
        pytest.param(None, "hvc1", False, id="no-dolby-vision"),
    ],
)
def test_dolby_vision_decision(record, tag, fails):
    config = dovi.find_record(b"\x00\x00\x00\x20dvcC" + record) if record else None
    assert (dovi.unsupported_reason(config, tag) is not None) == fails


def rpu_nal(vdr_rpu_profile: int, full_range: bool) -> bytes:
    """A Dolby Vision RPU NAL unit (HEVC type 62) that libav parses: rpu_type 2, format 18,
    10-bit base layer, no residual (so no NLQ), an identity mapping (one linear piece per
    component), no display-management data, CRC-32 and the 0x80 terminator.

    Field order from libavcodec/dovi_rpudec.c (`ff_dovi_rpu_parse`). `vdr_rpu_profile` 0 with
    a full-range base layer is what libav takes for profile 5, 1 without residual for 8."""
    bits = []

    def u(n: int, value: int) -> None:
        bits.append(format(value, f"0{n}b") if n else "")

    def ue(value: int) -> None:
        code = format(value + 1, "b")
        bits.append("0" * (len(code) - 1) + code)

    u(6, 2), u(11, 18), u(4, vdr_rpu_profile), u(4, 0)  # rpu_type, rpu_format, profile, level
    u(1, 1), u(1, 0), u(2, 0), ue(23)  # sequence info: fixed-point coefficients, 2^-23
    u(2, 1), u(1, int(full_range))  # vdr_rpu_normalized_idc, bl_video_full_range_flag
    ue(2), ue(2), ue(4)  # base, enhancement, VDR bit depths less 8
    u(1, 0), u(3, 0), u(1, 0), u(1, 1)  # resampling flags, reserved, disable_residual_flag
    u(1, 0), u(1, 0), ue(0), ue(0), ue(0)  # no DM data, no previous RPU; id, colour, chroma
    for _ in range(3):
        ue(0), u(10, 0), u(10, 1023)  # two pivots: one piece over the 10-bit range
    ue(0), ue(0)  # one partition each way
    for _ in range(3):
        ue(0), ue(0), u(1, 0)  # polynomial of order 1, no linear interpolation
        ue(0), u(23, 0), ue(1), u(23, 0)  # coefficients se(0) + 0, se(1) + 0: y = x
    text = "".join(bits)
    text += "0" * (-len(text) % 8)
    payload = int(text, 2).to_bytes(len(text) // 8, "big")
    payload += crc32_mpeg2(payload).to_bytes(4, "big")
    rbsp, escaped, zeros = b"\x19" + payload + b"\x80", bytearray(), 0
    for byte in rbsp:  # emulation prevention: no 00 00 0x (x <= 3) in the NAL unit
        if zeros >= 2 and byte <= 3:
            escaped.append(3)
            zeros = 0
        escaped.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return b"\x7c\x01" + bytes(escaped)  # NAL header: type 62, layer 0, temporal id 0


def with_rpus(hevc, out, rpu: bytes):
    """An HEVC elementary stream with `rpu` after each access unit's last NAL unit (where
    libav's decoder looks for it): each packet of libav's HEVC parser is one access unit."""
    with av.open(str(hevc)) as container, open(out, "wb") as f:
        for packet in container.demux(video=0):
            if packet.size:
                f.write(bytes(packet) + b"\x00\x00\x00\x01" + rpu)
    return out


def dovi_side_data(path) -> bool:
    """Whether libav's HEVC decoder parsed an RPU on the first frame (DOVI metadata)."""
    from av.sidedata.sidedata import Type

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.side_data.get(Type.DOVI_METADATA) is not None


def test_dolby_vision_rpus_without_a_record_are_found(tmp_path, config):
    """HEVC carrying Dolby Vision RPUs but no configuration record or descriptor (a raw
    stream; an MP4, Matroska or TS muxed from it: ffmpeg writes none without one). x265 here
    writes RPUs only from an RPU file (`--dolby-vision-rpu`), which no encoder here makes, so
    they are added by `rpu_nal`. Profile 5 was read as plain SDR (a raw stream as
    `no_timestamps`): it fails as `dolby_vision_unsupported`; profile 8 with a PQ base layer
    is 8.1, probed as the HDR10 source it is."""
    base = {}
    for name, params in (("ipt", ""), ("pq", ":colorprim=bt2020:transfer=smpte2084")):
        base[name] = make_video(
            tmp_path / f"{name}.hevc",
            *["-i", str(TESTDATA / "real/bikes.mp4"), "-t", "1", "-an", "-c:v", "libx265"],
            *["-preset", "ultrafast", "-pix_fmt", "yuv420p10le"],
            *["-x265-params", f"log-level=error:keyint=25{params}", "-f", "hevc"],
        )
    assert not dovi_side_data(base["ipt"])
    for profile, name, rpu, fails in (
        (5, "ipt", rpu_nal(0, full_range=True), True),
        (8, "pq", rpu_nal(1, full_range=False), False),
    ):
        raw = with_rpus(base[name], tmp_path / f"dv{profile}.hevc", rpu)
        mp4 = make_video(tmp_path / f"dv{profile}.mp4", "-r", "25", "-i", str(raw), "-c", "copy")
        muxed = [mp4] + [
            make_video(tmp_path / f"dv{profile}.{ext}", "-i", str(mp4), "-c", "copy")
            for ext in ("mkv", "ts")
        ]
        for path in muxed:
            with av.open(str(path)) as container:
                assert dovi.record_of(str(path), container.format.name) is None
        for path in [raw, *muxed]:
            assert dovi_side_data(path)  # libav parses the RPUs
            if fails:
                with pytest.raises(MediaError, match="profile 5") as raised:
                    probe_file(str(path), str(path), config.probe)
                assert raised.value.error == "dolby_vision_unsupported", path.name
            elif path.suffix == ".hevc":
                with pytest.raises(MediaError) as raised:
                    probe_file(str(path), str(path), config.probe)
                assert raised.value.error == "no_timestamps"
            else:
                info = probe_file(str(path), str(path), config.probe)
                assert info.hdr == "smpte2084" and info.codec == "hevc", path.name


@pytest.mark.parametrize(
    ("vdr_rpu_profile", "full_range", "transfer", "profile", "compatibility_id"),
    [
        pytest.param(0, True, None, 5, 0, id="profile-5"),
        pytest.param(0, False, "smpte2084", 5, 0, id="rpu-profile-0-limited-range"),
        pytest.param(1, False, "smpte2084", 8, 1, id="profile-8.1"),
        pytest.param(1, False, "arib-std-b67", 8, 4, id="profile-8.4"),
        pytest.param(1, False, None, 8, 2, id="profile-8.2"),
    ],
)
def test_rpu_config(vdr_rpu_profile, full_range, transfer, profile, compatibility_id):
    config = dovi.rpu_config(rpu_nal(vdr_rpu_profile, full_range), transfer)
    assert (config.profile, config.compatibility_id) == (profile, compatibility_id)
    assert (dovi.unsupported_reason(config, None) is not None) == (profile == 5)
