"""Dolby Vision sources the pipeline cannot show true: found in the probe, failed with a reason.

A Dolby Vision stream carries a base layer and an RPU (reshaping metadata). Where the base layer
is itself HDR10, SDR or HLG (`dv_bl_signal_compatibility_id` 1, 2, 4 or 6: profiles 8.1, 8.2,
8.4, 7, 9) it decodes as that, and the HDR path (transforms/hdr.py) handles it. Profile 5 (and
AV1's 10.0) has no compatible base layer: its pixels are IPTPQc2, a Dolby colour space that only
the RPU maps back to RGB (libplacebo does; libav's zscale/tonemap chain, and this pipeline's,
do not), and its stream often signals no transfer at all, so read as SDR it comes out green and
purple. Such a source is failed in the probe (`dolby_vision_unsupported`), never analysed or
written with wrong colours.

The configuration record (`dvcC`/`dvvC`/`dvwC`, the same 24 bytes in MP4 and Matroska) is found
in the container's header: the `moov` box, or the Matroska header before the first cluster. PyAV
does not expose stream side data, where libav puts it (ffprobe: "DOVI configuration record").
An MP4 sample entry `dvh1`/`dvhe` (HEVC), `dav1` (AV1) or `dvav`/`dva1` (AVC) without a record
is a stream without a compatible base layer too (the Dolby ISOBMFF spec keeps those entries for
such streams; compatible ones use `hvc1`/`hev1`/`av01`/`avc1` with the record beside).
MPEG-TS carries the same fields in a DOVI video stream descriptor (tag 0xB0) of the video's
entry in the program map table (`ts_record`).

A stream may carry Dolby Vision without any of these: an HEVC elementary stream, or one muxed
by a tool that wrote no record or descriptor, with its RPUs in-band (NAL unit type 62, one
per picture). Read as plain HEVC a profile 5 stream comes out green and purple, so the RPU of
the first packets decoded decides instead (`hevc_rpus`, `rpu_config`): its header's profile
as libav guesses it (`ff_dovi_guess_profile_hevc`), the base layer's compatibility from the
stream's own transfer where the profile leaves it open (8: HDR10, HLG or SDR).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

RECORD_TYPES = (b"dvcC", b"dvvC", b"dvwC")
RECORD_BYTES = 24
# dv_bl_signal_compatibility_id: the base layer is HDR10 (1), SDR (2), HLG (4), BT.2020 HDR10 (6)
COMPATIBLE_BASE_IDS = frozenset({1, 2, 4, 6})
# MP4 sample entries kept for Dolby Vision streams without a compatible base layer
INCOMPATIBLE_ENTRIES = frozenset({"dvh1", "dvhe", "dav1", "dvav", "dva1"})
MATROSKA_EXTRA_DATA_ID = b"\x41\xed"  # BlockAddIDExtraData, after BlockAddIDType 'dvcC'
MATROSKA_CLUSTER_ID = b"\x1f\x43\xb6\x75"
# The sample entries open an MP4 track's tables and Matroska's Tracks precede its clusters:
# a record lies well within this of the moov box's or the file's start.
HEADER_MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class DoviConfig:
    """A Dolby Vision configuration record (ETSI / Dolby 'dvcC')."""

    version_major: int
    profile: int
    level: int
    rpu: bool
    enhancement_layer: bool
    base_layer: bool
    compatibility_id: int


def parse_record(data: bytes) -> DoviConfig | None:
    """The record at the start of `data`, or None when it is not one (a chance match)."""
    if len(data) < 5:
        return None
    major, _minor, b2, b3, b4 = data[:5]
    profile = b2 >> 1
    if not 1 <= major <= 3 or profile > 10:
        return None
    return DoviConfig(
        version_major=major,
        profile=profile,
        level=((b2 & 1) << 5) | (b3 >> 3),
        rpu=bool(b3 & 4),
        enhancement_layer=bool(b3 & 2),
        base_layer=bool(b3 & 1),
        compatibility_id=b4 >> 4,
    )


def find_record(header: bytes) -> DoviConfig | None:
    """The first configuration record in a container's header bytes: an MP4 box (size, type,
    record) or a Matroska BlockAddIDType 'dvcC' followed by its BlockAddIDExtraData."""
    for kind in RECORD_TYPES:
        at = header.find(kind)
        while at >= 0:
            body = header[at + 4 : at + 4 + 16 + RECORD_BYTES]
            if body.startswith(MATROSKA_EXTRA_DATA_ID) and len(body) > 2:
                size_bytes = 9 - body[2].bit_length()  # EBML vint: leading zeros + 1
                body = body[2 + size_bytes :]
            elif at < 4 or struct.unpack(">I", header[at - 4 : at])[0] < 8 + 5:
                body = b""  # not a box of a record's size
            config = parse_record(body)
            if config is not None:
                return config
            at = header.find(kind, at + 1)
    return None


TS_PACKET = 188
TS_SYNC = 0x47
DOVI_DESCRIPTOR = 0xB0  # DOVI_video_stream_descriptor (Dolby's MPEG-2 TS spec)


def record_of(path: str, format_name: str) -> DoviConfig | None:
    """The stream's Dolby Vision configuration, from wherever its container keeps it."""
    header = header_bytes(path, format_name)
    return ts_record(header) if format_name == "mpegts" else find_record(header)


def ts_record(data: bytes) -> DoviConfig | None:
    """The DOVI video stream descriptor of the first program's elementary streams, from the
    program map table in the first TS packets of `data` (None: no descriptor)."""
    sections = _ts_sections(data)
    pat = sections.get(0)
    if pat is None or len(pat) < 12:
        return None
    pmt = sections.get(_pmt_pid(pat))
    if pmt is None or pmt[0] != 0x02 or len(pmt) < 12:
        return None
    end = min(len(pmt), 3 + (int.from_bytes(pmt[1:3], "big") & 0xFFF)) - 4  # less the CRC
    at = 12 + (int.from_bytes(pmt[10:12], "big") & 0xFFF)  # past the program's descriptors
    while at + 5 <= end:
        info_end = at + 5 + (int.from_bytes(pmt[at + 3 : at + 5], "big") & 0xFFF)
        at += 5
        while at + 2 <= min(info_end, end):
            tag, size = pmt[at], pmt[at + 1]
            if tag == DOVI_DESCRIPTOR:
                return _descriptor_record(pmt[at + 2 : at + 2 + size])
            at += 2 + size
        at = info_end
    return None


def _descriptor_record(body: bytes) -> DoviConfig | None:
    """The descriptor's fields: the record's first four bytes, then (without a base layer) a
    13-bit dependency PID, then the compatibility id."""
    if len(body) < 5:
        return None
    if not body[3] & 1:  # bl_present_flag 0: dependency_pid comes first
        body = body[:4] + body[6:]
    return parse_record(body)


def _ts_sections(data: bytes) -> dict[int, bytes]:
    """The first PSI section starting in the packets of each PID, keyed by PID."""
    sections: dict[int, bytes] = {}
    for at in range(0, len(data) - TS_PACKET + 1, TS_PACKET):
        packet = data[at : at + TS_PACKET]
        if packet[0] != TS_SYNC or not packet[1] & 0x40:  # payload_unit_start only
            continue
        pid = int.from_bytes(packet[1:3], "big") & 0x1FFF
        if pid in sections:
            continue
        payload = 4
        if packet[3] & 0x20:  # an adaptation field first
            payload += 1 + packet[4]
        if not packet[3] & 0x10 or payload >= TS_PACKET:
            continue
        pointer = packet[payload]
        section = packet[payload + 1 + pointer :]
        if pid == 0 or (section and section[0] == 0x02):  # the PAT, or a program map
            sections[pid] = section
        if 0 in sections and _pmt_pid(sections[0]) in sections:
            break
    return sections


def _pmt_pid(pat: bytes) -> int:
    """The PID of the first program's map in a program association section."""
    return int.from_bytes(pat[10:12], "big") & 0x1FFF


def header_bytes(path: str, format_name: str) -> bytes:
    """Where a record can be: the `moov` box of an MP4/MOV file (walked box by box, wherever it
    lies), else the file's start up to its first Matroska cluster (at most HEADER_MAX_BYTES)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if "mp4" in format_name or "mov" in format_name:
            at = 0
            while at + 8 <= size:
                f.seek(at)
                box_size, kind = struct.unpack(">I4s", f.read(8))
                header = 8
                if box_size == 1:
                    box_size, header = struct.unpack(">Q", f.read(8))[0], 16
                elif box_size == 0:
                    box_size = size - at
                if kind == b"moov":
                    return f.read(min(box_size - header, HEADER_MAX_BYTES))
                if box_size < header:
                    break
                at += box_size
            return b""
        head = f.read(HEADER_MAX_BYTES)
    cluster = head.find(MATROSKA_CLUSTER_ID)
    return head[:cluster] if cluster > 0 else head


def unsupported_reason(config: DoviConfig | None, codec_tag: str | None) -> str | None:
    """Why a stream cannot be shown true (None: it can, as its base layer), from its record
    or, without one, its MP4 sample entry."""
    if config is not None:
        if config.base_layer and config.compatibility_id in COMPATIBLE_BASE_IDS:
            return None
        return (
            f"Dolby Vision profile {config.profile} (compatibility id {config.compatibility_id}):"
            " IPTPQc2 without an HDR10/SDR/HLG base layer, which only libplacebo maps to RGB"
        )
    if codec_tag in INCOMPATIBLE_ENTRIES:
        return (
            f"Dolby Vision sample entry {codec_tag} (no compatible base layer, no record):"
            " IPTPQc2, which only libplacebo maps to RGB"
        )
    return None


RPU_NAL_TYPE = 62  # HEVC NAL unit type of a Dolby Vision RPU (unspecified in HEVC itself)
RPU_PREFIX = 0x19  # the RPU's first byte after the NAL header (rpu_nal_prefix)


def hevc_rpus(data: bytes, extradata: bytes) -> list[bytes]:
    """The Dolby Vision RPU NAL units of an HEVC packet: length-prefixed where the stream's
    extradata is an hvcC record (MP4, Matroska; its length size in byte 21), else Annex B."""
    from transforms.h264 import NotCopyable, annexb_units, nal_units

    if extradata[:1] == b"\x01" and len(extradata) > 21:
        try:
            units = nal_units(data, (extradata[21] & 3) + 1)
        except NotCopyable:
            return []
    else:
        units = annexb_units(data)
    return [u for u in units if len(u) > 3 and (u[0] >> 1) & 0x3F == RPU_NAL_TYPE]


class _Fields:
    """Fixed-width and ue(v) fields of an RBSP's first bytes; ValueError past its end."""

    def __init__(self, rbsp: bytes):
        self.text = "".join(f"{byte:08b}" for byte in rbsp[:32])
        self.pos = 0

    def u(self, n: int) -> int:
        field = self.text[self.pos : self.pos + n]
        if len(field) < n:
            raise ValueError("the RPU header ends early")
        self.pos += n
        return int(field, 2) if n else 0

    def ue(self) -> int:
        zeros = self.text.index("1", self.pos) - self.pos
        self.pos += zeros
        return self.u(zeros + 1) - 1


def rpu_config(unit: bytes, transfer: str | None) -> DoviConfig | None:
    """The configuration an RPU NAL unit implies (None: not an RPU header read here).

    `vdr_rpu_profile` 0 is the non-backward-compatible kind (profile 5: IPTPQc2 base layer,
    compatibility id 0); 1 is profile 7, 4 or 8 by libav's rule (an enhancement layer with
    residuals: 7 at 12 bits, else 4; none: 8), whose base layer is BT.2020 HDR10 (7), SDR (4),
    or for 8 what the stream signals: PQ (8.1), HLG (8.4), else SDR (8.2).
    """
    rbsp = unit[2:].replace(b"\x00\x00\x03", b"\x00\x00")
    if not rbsp or rbsp[0] != RPU_PREFIX:
        return None
    try:
        fields = _Fields(rbsp[1:])
        if fields.u(6) != 2:  # rpu_type: only type 2 carries a profile
            return None
        rpu_format = fields.u(11)
        vdr_rpu_profile, _level = fields.u(4), fields.u(4)
        if not fields.u(1):  # vdr_seq_info_present_flag
            return None
        fields.u(1)  # chroma_resampling_explicit_filter_flag
        if fields.u(2) == 0:  # coefficient_data_type: fixed point
            fields.ue()  # coefficient_log2_denom
        fields.u(2)  # vdr_rpu_normalized_idc
        fields.u(1)  # bl_video_full_range_flag
        el_resampling = residual = False
        vdr_bits = 0
        if rpu_format & 0x700 == 0:
            fields.ue()  # bl_bit_depth_minus8
            fields.ue()  # el_bit_depth_minus8
            vdr_bits = fields.ue() + 8
            fields.u(4)  # spatial_resampling_filter_flag, reserved_zero_3bits
            el_resampling, residual = bool(fields.u(1)), not fields.u(1)
    except ValueError:
        return None
    if vdr_rpu_profile == 0:
        profile, compatibility_id = 5, 0
    elif vdr_rpu_profile == 1 and el_resampling and residual:
        profile, compatibility_id = (7, 6) if vdr_bits == 12 else (4, 2)
    elif vdr_rpu_profile == 1:
        profile = 8
        compatibility_id = {"smpte2084": 1, "arib-std-b67": 4}.get(transfer or "", 2)
    else:
        return None
    return DoviConfig(
        version_major=0,  # no record: what the RPU says
        profile=profile,
        level=0,
        rpu=True,
        enhancement_layer=profile in (4, 7),
        base_layer=True,
        compatibility_id=compatibility_id,
    )
