"""Smart cut: a clip of an H.264 source that already meets the output contract, mostly copied.

Re-encoding every clip is where a default run spent most of its time (x264 60 % of the CPU,
issue 12). A source that is already what we would write (H.264 4:2:0, square pixels, upright,
constant frame rate, within the size and rate caps) does not need it: its packets are copied
from a keyframe inside the clip's span, and only the frames that cannot be copied are
re-encoded: the head before that keyframe, and a tail of at most a few frames after the last
point where the copied packets close (B-frames shown before the clip's end can depend on a
frame shown after it, so they cannot be copied without it). A tail of one frame is dropped
(the clip ends one frame short); where the frame after the last B-frames is the one at the
clip's end and the scene goes on past it, the copy ends on it (one frame late) instead: a tail
costs a decode of every reference frame from the last IDR (~0.2 CPU s at 720p for 2-3
frames). Head and tail are encoded in-process with libx264 without B-frames,
each starting with its own IDR and parameter sets in-band; the copied part starts with the
source's parameter sets in-band, so every decoder sees the right SPS/PPS at each splice.

Annex B sources (MPEG-TS broadcast captures and HLS segments, MPEG-PS, raw H.264 in any
container: extradata that is not an avcC record) are written as the same MP4: NAL units
length-prefixed (4 bytes), access unit delimiters and filler dropped, and an avcC record built
from the SPS and PPS in force at the first copied IDR (in-band before it). Where they change
inside the copy (two encodes joined: concatenated HLS segments, a broadcast capture), the copy
starts at the first IDR the new ones are in force at and the frames before it join the
re-encoded head, so the copied packets see the one set the avcC record holds; a change with
no IDR after it in the clip is refused (`parameter_sets_changed`). The first copied IDR is
decoded as the clip's reader will (fresh decoder, that record): a picture other than the
header's (size, format, SAR, interlace, transfer: the contract checked) is refused
(`parameter_sets_changed`), a damaged one (`damaged_idr`: a lost TS packet is flagged on the
packet before it, 16 lost ones nowhere) too. A copy with no SPS and PPS before its IDR
(`no_parameter_sets`) and a span with a packet the demuxer flagged damaged (`corrupt_packet`,
an MPEG-TS continuity error) are refused: those clips are re-encoded whole. Such demuxers
seek by bytes and land anywhere before the time, and their keyframe flags are the parser's (a
recovery-point I-frame counts): the cut seeks back until the first IDR, read from the NAL
units, is in time. Their timestamps (90 kHz) count from the stream's start time, as every
clip time does.

Where a non-IDR I-frame comes before the first IDR inside the clip (x264 puts one at a scene
cut within min-keyint of the last IDR), the copy may start at it instead, rewritten as an IDR:
nal_unit_type 5, frame_num and POC counted from it until the next IDR, and the MMCOs that
unmark pictures before it dropped. x264 keeps its references across such an I, so this holds
only where both decoders, followed from the slice headers, list the same pictures in every
slice until the source's references hold none from before the I (`i_frame_plan`); otherwise
the copy starts at the IDR as before (`encode.copy_from_i`).

Timestamps: the first frame of the clip is at 0; copied packets keep their source spacing;
re-encoded packets get decode times `pts - delay`, with `delay` the source's reorder delay at
the splice, so decode times rise strictly through the splices (checked, else the clip is
re-encoded whole). Everything runs on packets demuxed from a seek to the keyframe before the
clip: a clip never costs a decode of its neighbours' spans or of the gaps between clips.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from dataclasses import dataclass
from fractions import Fraction

from transforms.hdr import hdr_transfer
from transforms.media import SEEK_BACK_S, is_interlaced, open_video, start_time_s

COPY = "copy"
SMART = "smart"
REENCODE = "reencode"

_IDR, _SEI, _SPS, _PPS, _AUD, _FILLER = 5, 6, 7, 8, 9, 12
# NAL length size of the clips written from an Annex B source (the avcC record built for them)
ANNEXB_LENGTH_SIZE = 4
# A byte-seeking demuxer (MPEG-TS, PS) is seeked back 1 s, 2 s, 4 s... until the first IDR
# demuxed is at or before the clip (a parser's keyframe may be a recovery point, not an IDR);
# an IDR further back than this is not looked for (the packets in between would all be held).
IDR_SEARCH_MAX_S = 32.0


class NotCopyable(Exception):
    """The source or this clip's span cannot be copied; `reason` is a snake_case counter name."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class CutSettings:
    """What the smart cut needs from the encode config."""

    max_long_side: int
    max_fps: float
    preset: str
    crf: int  # of the re-encoded head and tail
    max_early_start_s: float  # a copy may start at a keyframe this much before the clip
    copy_only: bool = False  # never re-encode a frame: span the whole copyable packets only
    allowed_formats: tuple[str, ...] = ("mov", "mp4", "matroska", "webm")
    x264_params: str = ""  # more x264 options (key=value:...) for the re-encoded frames
    copy_from_i: bool = True  # a copy may start at a non-IDR I-frame, rewritten as an IDR


# The re-encoded frames must splice next to copied ones: no B-frames, one IDR first and none
# after. These come after `CutSettings.x264_params`, so no setting there can undo them.
SPLICE_X264_PARAMS = "bframes=0:threads=1:keyint=infinite:scenecut=0"


@dataclass(frozen=True)
class CutResult:
    mp4: bytes
    mode: str  # copy | smart | reencode
    first_frame_s: float  # source time of the first and last frame written
    last_frame_s: float
    frames: int
    fps: float
    width: int
    height: int
    # counter names of how the copy started: copied_from_i, or i_frame_<why not> where a
    # non-IDR I-frame before the first IDR could not start it
    notes: tuple[str, ...] = ()


@dataclass
class _Packet:
    packet: object  # av.Packet, kept for decoding
    data: bytes
    pts: int
    dts: int
    idr: bool
    ref: bool
    parameter_sets: tuple[bytes, ...] = ()  # SPS/PPS taken out of an Annex B packet
    corrupt: bool = False  # the demuxer saw damage (an MPEG-TS continuity error)
    intra: bool = False  # a non-IDR reference picture whose first slice is an I slice


# --- H.264 bitstream helpers -------------------------------------------------------------


def avcc_parameter_sets(extradata: bytes) -> tuple[int, list[bytes]]:
    """(NAL length size, SPS and PPS NAL units) of an avcC record; raises NotCopyable."""
    if len(extradata) < 7 or extradata[0] != 1:
        raise NotCopyable("not_avcc", "the stream's extradata is not an avcC record")
    length_size = (extradata[4] & 3) + 1
    units, pos = [], 6
    for count_mask in (0x1F, 0xFF):
        count = extradata[pos - 1] & count_mask
        for _ in range(count):
            size = int.from_bytes(extradata[pos : pos + 2], "big")
            units.append(extradata[pos + 2 : pos + 2 + size])
            pos += 2 + size
        pos += 1
        if pos - 1 >= len(extradata):
            break
    if not any(u and u[0] & 0x1F == _SPS for u in units):
        raise NotCopyable("not_avcc", "avcC holds no SPS")
    return length_size, units


def nal_units(data: bytes, length_size: int) -> list[bytes]:
    units, pos = [], 0
    while pos + length_size <= len(data):
        size = int.from_bytes(data[pos : pos + length_size], "big")
        pos += length_size
        if size == 0 or pos + size > len(data):
            raise NotCopyable("bad_packet", "a NAL length runs past its packet")
        units.append(data[pos : pos + size])
        pos += size
    return units


def length_prefixed(units: list[bytes], length_size: int) -> bytes:
    return b"".join(len(u).to_bytes(length_size, "big") + u for u in units)


def annexb_units(data: bytes) -> list[bytes]:
    """NAL units of an Annex B byte stream (start codes 00 00 01 / 00 00 00 01)."""
    starts, at = [], data.find(b"\x00\x00\x01")
    while at >= 0:
        starts.append(at + 3)
        at = data.find(b"\x00\x00\x01", at + 3)
    units = []
    for k, start in enumerate(starts):
        # Zeros before the next start code are its leading byte or trailing_zero_8bits.
        unit = (
            data[start : starts[k + 1] - 3].rstrip(b"\x00") if k + 1 < len(starts) else data[start:]
        )
        if unit:
            units.append(unit)
    return units


def annexb_parameter_sets(extradata: bytes) -> list[bytes]:
    """SPS and PPS NAL units of an Annex B header (a byte-stream source's extradata; may be
    empty: such streams carry them in-band); raises NotCopyable for another kind of header."""
    if extradata and not extradata.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")):
        raise NotCopyable("not_avcc", "the stream's extradata is neither avcC nor Annex B")
    return [u for u in annexb_units(extradata.rstrip(b"\x00")) if u[0] & 0x1F in (_SPS, _PPS)]


class _Bits:
    """A reader of an RBSP's bits (emulation prevention bytes removed), for ue(v) fields."""

    def __init__(self, unit: bytes, rbsp: bool = False):
        self.rbsp = unit if rbsp else unit.replace(b"\x00\x00\x03", b"\x00\x00")
        self.pos = 0

    def bit(self) -> int:
        byte = self.pos >> 3
        if byte >= len(self.rbsp):
            raise NotCopyable("bad_parameter_set", "a parameter set ends early")
        self.pos += 1
        return (self.rbsp[byte] >> (7 - ((self.pos - 1) & 7))) & 1

    def ue(self) -> int:
        zeros = 0
        while not self.bit():
            zeros += 1
            if zeros > 31:
                raise NotCopyable("bad_parameter_set", "an exp-Golomb code runs over 32 bits")
        return (1 << zeros) - 1 + sum(self.bit() << (zeros - 1 - k) for k in range(zeros))

    def u(self, n: int) -> int:
        value = 0
        for _ in range(n):
            value = value << 1 | self.bit()
        return value

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code & 1 else -(code // 2)


# profile_idc values whose SPS carries chroma_format_idc and bit depths (H.264 7.3.2.1.1)
_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


def parameter_set_key(unit: bytes) -> tuple[int, int]:
    """(NAL type, id) of an SPS or PPS: one with the same key replaces it in a decoder."""
    kind = unit[0] & 0x1F
    # An SPS's id follows profile_idc, the constraint flags and level_idc; a PPS's comes first.
    return kind, _Bits(unit[4:] if kind == _SPS else unit[1:]).ue()


def avcc_record(parameter_sets: list[bytes], length_size: int = ANNEXB_LENGTH_SIZE) -> bytes:
    """The avcC record (ISO/IEC 14496-15 5.3.3.1) of SPS and PPS NAL units, laid out as
    libavformat's `ff_isom_write_avcc` writes it (an MP4 of the same stream gets the same)."""
    sps = [u for u in parameter_sets if u[0] & 0x1F == _SPS]
    pps = [u for u in parameter_sets if u[0] & 0x1F == _PPS]
    if not sps or not pps or len(sps) > 31 or len(pps) > 255 or len(sps[0]) < 4:
        raise NotCopyable("no_parameter_sets", "an avcC record needs an SPS and a PPS")
    first = sps[0]
    record = bytes([1, first[1], first[2], first[3], 0xFC | (length_size - 1), 0xE0 | len(sps)])
    record += b"".join(len(u).to_bytes(2, "big") + u for u in sps)
    record += bytes([len(pps)]) + b"".join(len(u).to_bytes(2, "big") + u for u in pps)
    if first[1] not in (66, 77, 88):  # the High profiles' extension
        chroma, luma_bits, chroma_bits = 1, 8, 8
        if first[1] in _HIGH_PROFILES:
            bits = _Bits(first[4:])
            bits.ue()  # seq_parameter_set_id
            chroma = bits.ue()
            if chroma == 3:
                bits.bit()  # separate_colour_plane_flag
            luma_bits, chroma_bits = 8 + bits.ue(), 8 + bits.ue()
        record += bytes([0xFC | chroma, 0xF8 | (luma_bits - 8), 0xF8 | (chroma_bits - 8), 0])
    return record


# A slice header's first fields (first_mb_in_slice, slice_type) lie within its first bytes.
_SLICE_HEADER_BYTES = 32


def _slice_header(unit: bytes) -> _Bits:
    """A reader at the start of an H.264 slice NAL unit's header."""
    return _Bits(unit[1:_SLICE_HEADER_BYTES])


def slice_type(unit: bytes) -> int:
    """slice_type of an H.264 slice NAL unit (modulo 5: 0 P, 1 B, 2 I, 3 SP, 4 SI);
    NotCopyable where the header ends early."""
    header = _slice_header(unit)
    header.ue()  # first_mb_in_slice
    return header.ue()


def _starts_picture(units: list[bytes]) -> bool:
    """Whether the first slice is the picture's first (first_mb_in_slice 0)."""
    first = next((u for u in units if u[0] & 0x1F in (1, 5)), None)
    return first is not None and len(first) > 1 and _slice_header(first).ue() == 0


def _slice_flags(units: list[bytes]) -> tuple[bool, bool, bool]:
    """(holds an IDR slice, holds a slice that is a reference, is a non-IDR reference
    picture whose first slice is an I slice)."""
    idr = ref = False
    first = None
    for unit in units:
        kind = unit[0] & 0x1F
        if kind in (1, 5):
            idr |= kind == _IDR
            ref |= bool(unit[0] & 0x60)
            first = first or unit
    try:
        intra = ref and not idr and first is not None and slice_type(first) % 5 == 2
    except NotCopyable:
        intra = False  # not a copy's start, whatever else it is
    return idr, ref, intra


# --- a non-IDR I-frame as the copy's IDR ---------------------------------------------------

# slice_type modulo 5 (H.264 7.4.3)
_P_SLICE, _B_SLICE, _I_SLICE, _SP_SLICE, _SI_SLICE = 0, 1, 2, 3, 4
# A slice header (pred_weight_table of 32 references included) lies within its first bytes
# (one that runs past them is refused: the copy starts at the IDR).
_SLICE_PARSE_BYTES = 160


@dataclass(frozen=True)
class _Sps:
    frame_num_bits: int
    poc_type: int
    poc_lsb_bits: int
    poc_always_zero: bool  # delta_pic_order_always_zero_flag (POC type 1)
    max_refs: int  # max_num_ref_frames: the sliding window's length
    frame_mbs_only: bool
    colour_planes: bool  # separate_colour_plane_flag
    chroma: bool  # ChromaArrayType != 0


@dataclass(frozen=True)
class _Pps:
    sps: _Sps
    cabac: bool
    bottom_poc: bool  # bottom_field_pic_order_in_frame_present_flag
    slice_groups: int
    refs_l0: int  # num_ref_idx_l0/l1_default_active
    refs_l1: int
    weighted_p: bool
    weighted_b: int  # weighted_bipred_idc
    deblocking_control: bool
    redundant_pic_cnt: bool


def _parse_sps(unit: bytes) -> tuple[int, _Sps]:
    bits = _Bits(unit[1:])
    profile = bits.u(8)
    bits.u(16)  # constraint flags, level_idc
    sps_id = bits.ue()
    chroma_format, separate = 1, False
    if profile in _HIGH_PROFILES:
        chroma_format = bits.ue()
        if chroma_format == 3:
            separate = bool(bits.bit())
        bits.ue(), bits.ue(), bits.bit()  # bit depths, qpprime_y_zero_transform_bypass_flag
        if bits.bit():  # seq_scaling_matrix_present_flag: skip the lists (7.3.2.1.1.1)
            for i in range(12 if chroma_format == 3 else 8):
                if bits.bit():
                    last = following = 8
                    for _ in range(16 if i < 6 else 64):
                        if following:
                            following = (last + bits.se() + 256) % 256
                        last = following or last
    frame_num_bits = bits.ue() + 4
    poc_type = bits.ue()
    lsb_bits, always_zero = 0, False
    if poc_type == 0:
        lsb_bits = bits.ue() + 4
    elif poc_type == 1:
        always_zero = bool(bits.bit())
        bits.se(), bits.se()
        for _ in range(bits.ue()):
            bits.se()
    max_refs = bits.ue()
    bits.bit(), bits.ue(), bits.ue()  # gaps_in_frame_num_value_allowed_flag, size in MBs
    frame_mbs_only = bool(bits.bit())
    chroma = not separate and chroma_format != 0
    return sps_id, _Sps(
        frame_num_bits, poc_type, lsb_bits, always_zero, max_refs, frame_mbs_only, separate, chroma
    )


def _parameter_set_table(units: list[bytes]) -> dict[int, _Pps]:
    """PPS id -> its fields and its SPS's, for the slice headers of a copy."""
    sps = dict(_parse_sps(u) for u in units if u[0] & 0x1F == _SPS)
    table = {}
    for unit in units:
        if unit[0] & 0x1F != _PPS:
            continue
        bits = _Bits(unit[1:])
        pps_id, sps_id = bits.ue(), bits.ue()
        if sps_id not in sps:
            raise NotCopyable("bad_parameter_set", "a PPS refers to no SPS")
        cabac, bottom_poc, groups = bool(bits.bit()), bool(bits.bit()), bits.ue()
        if groups:
            continue  # slice groups (Baseline FMO): not rewritten
        refs_l0, refs_l1 = bits.ue() + 1, bits.ue() + 1
        weighted_p, weighted_b = bool(bits.bit()), bits.u(2)
        bits.se(), bits.se(), bits.se()  # pic_init_qp/qs, chroma_qp_index_offset
        deblocking, _, redundant = bits.bit(), bits.bit(), bits.bit()
        table[pps_id] = _Pps(
            sps[sps_id],
            cabac,
            bottom_poc,
            groups,
            refs_l0,
            refs_l1,
            weighted_p,
            weighted_b,
            bool(deblocking),
            bool(redundant),
        )
    return table


@dataclass(frozen=True)
class _SliceHeader:
    """The fields of a slice header (H.264 7.3.3) that a rewrite as an IDR, or past one,
    reads or changes; positions are bit offsets in the RBSP after the NAL header byte."""

    kind: int  # slice_type modulo 5
    pps: _Pps
    frame_num: int
    frame_num_at: int
    poc_at: int  # where an IDR's idr_pic_id goes: after frame_num
    idr_pic_id: int | None
    poc_lsb: int | None  # pic_order_cnt_lsb (POC type 0) and where it is
    poc_lsb_at: int
    refs: tuple[int, int]  # num_ref_idx_l0/l1_active
    # ref_pic_list_modification of lists 0 and 1: (modification_of_pic_nums_idc, value)
    modifications: tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]
    long_term: bool  # an IDR's long_term_reference_flag
    adaptive: bool  # adaptive_ref_pic_marking_mode_flag
    mmco: tuple[tuple[int, ...], ...]  # (memory_management_control_operation, its values)
    marking_at: int  # dec_ref_pic_marking, [marking_at, marking_end)
    marking_end: int
    header_end: int


def _parse_slice(unit: bytes, table: dict[int, _Pps]) -> _SliceHeader:
    nal_type, ref_idc = unit[0] & 0x1F, unit[0] & 0x60
    bits = _Bits(unit[1:_SLICE_PARSE_BYTES])
    bits.ue()  # first_mb_in_slice
    kind = bits.ue() % 5
    pps = table.get(bits.ue())
    if pps is None:
        raise NotCopyable("i_frame_parameter_sets", "a slice refers to a PPS not in force")
    sps = pps.sps
    if not sps.frame_mbs_only:
        raise NotCopyable("i_frame_fields", "field or MBAFF coding")
    if sps.colour_planes:
        bits.u(2)
    frame_num_at = bits.pos
    frame_num = bits.u(sps.frame_num_bits)
    poc_at = bits.pos
    idr_pic_id = bits.ue() if nal_type == _IDR else None
    poc_lsb, poc_lsb_at = None, bits.pos
    if pps.bottom_poc:
        raise NotCopyable("i_frame_fields", "a bottom field's POC in the slice header")
    if sps.poc_type == 0:
        poc_lsb = bits.u(sps.poc_lsb_bits)
    elif sps.poc_type == 1 and not sps.poc_always_zero:
        bits.se()
        if pps.bottom_poc:
            bits.se()
    if pps.redundant_pic_cnt:
        bits.ue()
    if kind == _B_SLICE:
        bits.bit()  # direct_spatial_mv_pred_flag
    refs = [0, 0]
    if kind in (_P_SLICE, _SP_SLICE, _B_SLICE):
        refs = [pps.refs_l0, pps.refs_l1 if kind == _B_SLICE else 0]
        if bits.bit():  # num_ref_idx_active_override_flag
            refs[0] = bits.ue() + 1
            if kind == _B_SLICE:
                refs[1] = bits.ue() + 1
    modifications: list[tuple[tuple[int, int], ...]] = [(), ()]
    for lx in range((kind not in (_I_SLICE, _SI_SLICE)) + (kind == _B_SLICE)):
        if bits.bit():  # ref_pic_list_modification_flag_lX
            ops = []
            while (idc := bits.ue()) != 3:
                if idc > 5:
                    raise NotCopyable("bad_slice_header", "a list modification out of range")
                ops.append((idc, bits.ue()))
            modifications[lx] = tuple(ops)
    if (pps.weighted_p and kind in (_P_SLICE, _SP_SLICE)) or (
        pps.weighted_b == 1 and kind == _B_SLICE
    ):
        bits.ue()  # luma_log2_weight_denom
        if sps.chroma:
            bits.ue()
        for count in refs:
            for _ in range(count):
                if bits.bit():
                    bits.se(), bits.se()
                if sps.chroma and bits.bit():
                    bits.se(), bits.se(), bits.se(), bits.se()
    marking_at, long_term, adaptive, mmco = bits.pos, False, False, []
    if ref_idc and nal_type == _IDR:
        bits.bit()  # no_output_of_prior_pics_flag
        long_term = bool(bits.bit())
    elif ref_idc and bits.bit():  # adaptive_ref_pic_marking_mode_flag
        adaptive = True
        while op := bits.ue():
            if op > 6:
                raise NotCopyable("bad_slice_header", "an MMCO out of range")
            # difference_of_pic_nums_minus1, long_term_pic_num or frame idx; 3 has both
            values = () if op == 5 else (bits.ue(), bits.ue()) if op == 3 else (bits.ue(),)
            mmco.append((op, *values))
    marking_end = bits.pos
    if pps.cabac and kind not in (_I_SLICE, _SI_SLICE):
        bits.ue()  # cabac_init_idc
    bits.se()  # slice_qp_delta
    if kind in (_SP_SLICE, _SI_SLICE):
        if kind == _SP_SLICE:
            bits.bit()
        bits.se()
    if pps.deblocking_control and bits.ue() != 1:
        bits.se(), bits.se()
    return _SliceHeader(
        kind,
        pps,
        frame_num,
        frame_num_at,
        poc_at,
        idr_pic_id,
        poc_lsb,
        poc_lsb_at,
        (refs[0], refs[1]),
        (modifications[0], modifications[1]),
        long_term,
        adaptive,
        tuple(mmco),
        marking_at,
        marking_end,
        bits.pos,
    )


def _slice_units(packet: _Packet, length_size: int) -> list[bytes]:
    return [u for u in nal_units(packet.data, length_size) if u[0] & 0x1F in (1, _IDR)]


class _Dpb:
    """The short-term reference frames of a decoder (H.264 8.2.4, 8.2.5): packet index ->
    frame_num, pts (output order stands for POC order)."""

    def __init__(self, size: int, frame_num_bits: int, base: int = 0):
        self.size, self.modulo, self.base = max(size, 1), 1 << frame_num_bits, base
        self.frames: dict[int, tuple[int, int]] = {}
        self.previous: int | None = None  # PrevRefFrameNum

    def follows(self, header: _SliceHeader) -> None:
        """NotCopyable where a picture's frame_num skips (the decoder would insert frames
        for the gap, which is not followed here)."""
        if self.previous is not None and header.frame_num != (self.previous + 1) % self.modulo:
            raise NotCopyable("i_frame_frame_num_gap", "frame_num skips a value")

    def _num(self, frame_num: int) -> int:
        return (frame_num - self.base) % self.modulo  # as this stream numbers it

    def pic_nums(self, frame_num: int) -> dict[int, int]:
        """PicNum (FrameNumWrap) of each frame, seen from a picture with `frame_num`."""
        current = self._num(frame_num)
        return {
            k: n - self.modulo * (n > current)
            for k, n in ((k, self._num(f)) for k, (f, _) in self.frames.items())
        }

    def lists(self, header: _SliceHeader, pts: int) -> tuple[list, list]:
        """The slice's reference lists 0 and 1 (packet indices, None for no picture), cut to
        its active references."""
        nums = self.pic_nums(header.frame_num)
        if header.kind == _B_SLICE:
            before = sorted(
                (k for k, (_, t) in self.frames.items() if t < pts),
                key=lambda k: -self.frames[k][1],
            )
            after = sorted(
                (k for k, (_, t) in self.frames.items() if t > pts), key=lambda k: self.frames[k][1]
            )
            initial = [before + after, after + before]
            if len(initial[1]) > 1 and initial[0] == initial[1]:
                initial[1][:2] = initial[1][1::-1]
        else:
            initial = [sorted(self.frames, key=lambda k: -nums[k]), []]
        current = self._num(header.frame_num)
        result = []
        for lx, (refs, ops) in enumerate(zip(header.refs, header.modifications, strict=True)):
            entries: list = (initial[lx] + [None] * refs)[:refs]
            predicted, at = current, 0
            for idc, value in ops:
                if idc == 2:
                    raise NotCopyable("i_frame_long_term", "a long-term reference is listed")
                if idc > 2:
                    continue
                step = value + 1 if idc == 1 else -(value + 1)
                no_wrap = (predicted + step) % self.modulo
                predicted = no_wrap
                pic_num = no_wrap - self.modulo * (no_wrap > current)
                picked = next((k for k, n in nums.items() if n == pic_num), None)
                if picked is None:
                    raise NotCopyable("i_frame_refs_before", "a listed picture is gone")
                entries = [*entries[:at], picked, *(e for e in entries[at:] if e != picked)]
                entries, at = entries[:refs], at + 1
            result.append(entries)
        return result[0], result[1]

    def mark(self, index: int, header: _SliceHeader, pts: int, mmco=None) -> None:
        """Mark the picture (a reference) after decoding it, with `mmco` in place of its own."""
        mmco = header.mmco if mmco is None else mmco
        if header.adaptive:
            nums = self.pic_nums(header.frame_num)
            current = self._num(header.frame_num)
            for op, *values in mmco:
                if op != 1:
                    raise NotCopyable("i_frame_long_term", "long-term marking or MMCO 5")
                gone = next((k for k, n in nums.items() if n == current - values[0] - 1), None)
                if gone is None:
                    raise NotCopyable("i_frame_refs_before", "an MMCO unmarks no picture")
                del self.frames[gone]
        elif len(self.frames) >= self.size:
            nums = self.pic_nums(header.frame_num)
            del self.frames[min(self.frames, key=nums.__getitem__)]
        self.frames[index] = (header.frame_num, pts)
        self.previous = header.frame_num

    def target(self, header: _SliceHeader, op: tuple[int, ...]) -> int | None:
        """The frame an MMCO 1 unmarks."""
        current = self._num(header.frame_num)
        nums = self.pic_nums(header.frame_num)
        return next((k for k, n in nums.items() if n == current - op[1] - 1), None)


def i_frame_plan(
    packets: list[_Packet], i: int, table: dict[int, _Pps], length_size: int
) -> dict[int, tuple[tuple[int, ...], ...]]:
    """Packet index -> the MMCO commands it keeps (where some unmark pictures before the I)
    for a copy from the non-IDR I-frame `packets[i]` made an IDR; NotCopyable `i_frame_*`
    where that copy would not decode as the source.

    An IDR empties the decoder's references; a non-IDR I does not (x264 keeps its DPB across
    a scene-cut I: `reference_hierarchy_reset` flushes nothing at closed-GOP defaults, and
    its B-pyramid unmarks old B-refs with MMCO 1). Both decoders are followed from the slice
    headers, the source's from its last IDR: every slice's reference lists (initial order
    and modifications, cut to the active count) must name the same pictures, and an MMCO
    that unmarks a picture before the I is dropped, until the source's references hold no
    picture from before the I (x264's 4 references: ~10 pictures). From there the two
    decoders hold the same pictures. Slice headers only; no decode.
    """
    pts = packets[i].pts
    if any(p.pts > pts for p in packets[:i]) or any(p.pts < pts for p in packets[i + 1 :]):
        raise NotCopyable("i_frame_reordered", "a frame on one side of the I is shown on the other")
    slices = [_parse_slice(u, table) for u in _slice_units(packets[i], length_size)]
    if any(h.kind != _I_SLICE for h in slices):
        raise NotCopyable("i_frame_not_intra", "a slice of the I-frame is not an I slice")
    sps = slices[0].pps.sps
    if sps.poc_type == 1:
        raise NotCopyable("i_frame_poc_type", "POC type 1 counts from frame_num's cycle")
    source = _Dpb(sps.max_refs, sps.frame_num_bits)
    for k, p in enumerate(packets[: i + 1]):
        header = slices[0] if k == i else _parse_slice(_slice_units(p, length_size)[0], table)
        if header.pps.sps is not sps:
            raise NotCopyable("i_frame_parameter_sets", "another SPS before the I")
        if p.idr:
            if header.long_term:
                raise NotCopyable("i_frame_long_term", "a long-term IDR before the I")
            source.frames.clear()
            source.previous = None
        source.follows(header)
        if p.ref:
            source.mark(k, header, p.pts)
    copy = _Dpb(sps.max_refs, sps.frame_num_bits, slices[0].frame_num)
    copy.frames[i], copy.previous = source.frames[i], slices[0].frame_num
    kept = {}
    for j in range(i + 1, len(packets)):
        p = packets[j]
        if p.idr or all(k >= i for k in source.frames):
            break
        headers = [_parse_slice(u, table) for u in _slice_units(p, length_size)]
        source.follows(headers[0])
        for header in headers:
            if header.pps.sps is not sps:
                raise NotCopyable("i_frame_parameter_sets", "another SPS after the I")
            if source.lists(header, p.pts) != copy.lists(header, p.pts):
                raise NotCopyable("i_frame_refs_before", "a picture refers to one before the I")
        if not p.ref:
            continue
        ops = []
        for op in headers[0].mmco:
            target = source.target(headers[0], op) if op[0] == 1 else i
            if target is None:
                raise NotCopyable("i_frame_refs_before", "an MMCO unmarks no picture")
            if target >= i:  # one before the I is not in the copy: the command goes
                ops.append(op)
        ops = tuple(ops)
        if ops != headers[0].mmco:
            kept[j] = ops
        source.mark(j, headers[0], p.pts)
        copy.mark(j, headers[0], p.pts, ops)
        if {k for k in source.frames if k >= i} != set(copy.frames):
            raise NotCopyable("i_frame_refs_before", "the references differ past the I")
    return kept


def _unescaped(payload: bytes) -> bytes:
    return payload.replace(b"\x00\x00\x03", b"\x00\x00")


def _escaped(rbsp: bytes) -> bytes:
    """Emulation prevention (H.264 7.4.1): 0x03 after two zero bytes before a byte <= 3."""
    out = re.sub(b"\x00\x00(?=[\x00-\x03])", b"\x00\x00\x03", rbsp)
    return out + b"\x03" if out.endswith(b"\x00") else out


def _ue_bits(value: int) -> str:
    code = format(value + 1, "b")
    return "0" * (len(code) - 1) + code


def _rewritten_slice(
    unit: bytes,
    header: _SliceHeader,
    frame_num: int,
    poc_lsb: int | None = None,
    idr_pic_id: int | None = None,
    mmco: tuple[tuple[int, ...], ...] | None = None,
) -> bytes:
    """`unit` with frame_num (and pic_order_cnt_lsb) set; with `idr_pic_id` made an IDR slice
    (nal_unit_type 5, the idr_pic_id inserted, IDR reference marking: no_output_of_prior_pics_flag
    and long_term_reference_flag 0); with `mmco` those MMCO commands in place of its own. The
    rest of the header stays. Where the header's length changes, CABAC slice data starts
    byte-aligned again (cabac_alignment_one_bit re-padded) and CAVLC data is shifted."""
    rbsp = _unescaped(unit[1:])
    total, end = 8 * len(rbsp), header.header_end
    value = int.from_bytes(rbsp, "big")
    old = format(value >> (total - end), f"0{end}b")
    at, bits = header.frame_num_at, header.pps.sps.frame_num_bits
    old = old[:at] + format(frame_num, f"0{bits}b") + old[at + bits :]
    if poc_lsb is not None:
        lsb_at, lsb_bits = header.poc_lsb_at, header.pps.sps.poc_lsb_bits
        old = old[:lsb_at] + format(poc_lsb, f"0{lsb_bits}b") + old[lsb_at + lsb_bits :]
    marking = old[header.marking_at : header.marking_end]
    middle = old[at + bits : header.poc_at]
    if idr_pic_id is not None:
        middle += _ue_bits(idr_pic_id)
        marking = "00"
    elif mmco is not None:
        marking = "1" + "".join("".join(map(_ue_bits, op)) for op in mmco) + _ue_bits(0)
    new = (
        old[: at + bits]
        + middle
        + old[header.poc_at : header.marking_at]
        + marking
        + old[header.marking_end :]
    )
    nal = bytes([unit[0] & 0xE0 | _IDR]) if idr_pic_id is not None else unit[:1]
    if len(new) == end:
        head = int(new, 2) << (total - end) | value & ((1 << (total - end)) - 1)
        return nal + _escaped(head.to_bytes(len(rbsp), "big"))
    if header.pps.cabac:
        aligned = -end % 8
        if (value >> (total - end - aligned)) & ((1 << aligned) - 1) != (1 << aligned) - 1:
            raise NotCopyable("i_frame_rewrite", "no cabac_alignment_one_bit after the header")
        new += "1" * (-len(new) % 8)
        body = int(new, 2).to_bytes(len(new) // 8, "big") + rbsp[(end + aligned) // 8 :]
    else:
        trimmed = rbsp.rstrip(b"\x00")
        if not trimmed:
            raise NotCopyable("i_frame_rewrite", "a slice with no stop bit")
        size = 8 * len(trimmed)
        stop = size - (trimmed[-1] & -trimmed[-1]).bit_length()  # rbsp_stop_one_bit
        data_bits = stop - end
        data = (value >> (total - stop)) & ((1 << data_bits) - 1)
        length = len(new) + data_bits + 1
        pad = -length % 8
        merged = (((int(new, 2) << data_bits | data) << 1) | 1) << pad
        body = merged.to_bytes((length + pad) // 8, "big")
    return nal + _escaped(body)


def copy_from_i(
    packets: list[_Packet], i: int, stop: int, table: dict[int, _Pps], length_size: int
) -> dict[int, bytes]:
    """Packet index -> new data for the copied packets [i, stop) when the copy starts at the
    non-IDR I-frame `packets[i]`: the I as an IDR, frame_num counted from it in every packet
    until the source's next IDR (mod MaxFrameNum), and the MMCO commands that unmark pictures
    before the I dropped (`i_frame_plan`, which raises NotCopyable where the copy would not
    decode as the source). POC type 0: pic_order_cnt_lsb is counted from the I's as well, so
    the IDR's POC is 0 (H.264 8.2.1) and every POC until the next IDR moves by the same
    amount (output order, temporal direct and implicit weights unchanged); type 2 counts
    from frame_num."""
    kept = i_frame_plan(packets, i, table, length_size)
    first = _parse_slice(_slice_units(packets[i], length_size)[0], table)
    sps = first.pps.sps
    # Two IDRs in a row need different idr_pic_id: the re-encoded head's first is 0.
    used = {0}
    if i + 1 < stop and packets[i + 1].idr:
        used.add(_parse_slice(_slice_units(packets[i + 1], length_size)[0], table).idr_pic_id)
    idr_pic_id = min({1, 2, 3} - used)
    rewritten = {}
    for j in range(i, stop):
        if j > i and packets[j].idr:
            break
        units = []
        for unit in nal_units(packets[j].data, length_size):
            if unit[0] & 0x1F != 1:
                units.append(unit)
                continue
            header = _parse_slice(unit, table)
            if j > i and {op[0] for op in header.mmco} - {1}:
                raise NotCopyable("i_frame_long_term", "long-term marking or MMCO 5 after the I")
            number = (header.frame_num - first.frame_num) % (1 << sps.frame_num_bits)
            lsb = None
            if header.poc_lsb is not None:
                lsb = (header.poc_lsb - first.poc_lsb) % (1 << sps.poc_lsb_bits)
            if j == i:
                units.append(_rewritten_slice(unit, header, 0, lsb, idr_pic_id))
            else:
                units.append(_rewritten_slice(unit, header, number, lsb, mmco=kept.get(j)))
        rewritten[j] = length_prefixed(units, length_size)
    return rewritten


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Which source frames a clip gets, and how: pts values in the source's time base."""

    frames: tuple[int, ...]  # every frame written, in display order
    head: tuple[int, ...]  # re-encoded before the copied part
    copied: tuple[int, ...]  # copied packets' pts (display order)
    tail: tuple[int, ...]  # re-encoded after it
    copy_from: int | None  # index in the packet list of the first copied packet
    copy_to: int | None  # one past the last copied packet (decode order)

    @property
    def mode(self) -> str:
        if not self.copied:
            return REENCODE
        return COPY if not self.head and not self.tail else SMART


def plan_cut(
    packets: list[_Packet],
    start: int,
    end: int,
    earliest: int,
    frame: int,
    copy_only: bool = False,
    latest: int | None = None,
    starts: frozenset[int] = frozenset(),
) -> Plan:
    """Split the frames with pts in [start, end) into head, copied and tail.

    The copied part starts at the first IDR at or after `earliest` (<= start) and before `end`;
    it ends where every packet so far in decode order is shown before every later one, at most
    one frame short of `end` (a tail re-encodes the rest). Where frames before `latest` may be
    shown (the scene goes on after `end`) and the copy closes on the one frame at `end`, it ends
    there, one frame late, instead of re-encoding a tail. `copy_only` drops head and tail.
    `starts`: indices of more packets a copy may start at (non-IDR I-frames made IDRs).
    """
    in_clip = sorted(p.pts for p in packets if start <= p.pts < end)
    if not in_clip:
        raise NotCopyable("empty_span", "no frame inside the clip's span")
    key = next(
        (i for i, p in enumerate(packets) if (p.idr or i in starts) and earliest <= p.pts < end),
        None,
    )
    if key is None:
        if copy_only:
            raise NotCopyable("no_keyframe", "no keyframe inside the clip's span")
        return Plan(tuple(in_clip), tuple(in_clip), (), (), None, None)
    key_pts = packets[key].pts
    after = packets[key:]
    if any(p.pts < key_pts for p in after):
        raise NotCopyable("open_gop", "a frame after the keyframe is shown before it")
    # Suffix minimum of pts: the copied prefix [key, key + j) closes when its largest pts is
    # below every later packet's pts.
    suffix_min = [0] * (len(after) + 1)
    suffix_min[-1] = 1 << 62
    for j in range(len(after) - 1, -1, -1):
        suffix_min[j] = min(after[j].pts, suffix_min[j + 1])

    def closing(bound: int) -> int:
        """Packets in the longest copyable prefix that shows only frames before `bound`."""
        best, largest = 0, -1
        for j, p in enumerate(after, start=1):
            largest = max(largest, p.pts)
            if largest >= bound:
                break
            if largest < suffix_min[j]:
                best = j
        return best

    best = closing(end)
    copied = sorted(p.pts for p in after[:best])
    head = tuple(t for t in in_clip if t < key_pts) if key_pts > start else ()
    tail_from = copied[-1] if copied else key_pts - 1
    tail = tuple(t for t in in_clip if t > tail_from)
    if len(tail) > 1 and latest is not None and latest > end and not copy_only:
        # The copy may close on the frame at the end (B-frames before it depend on it): one
        # frame late instead of a tail that costs a decode from the last IDR.
        late = closing(min(latest, end + frame))
        if late > best and max(p.pts for p in after[:late]) >= in_clip[-1]:
            best, tail = late, ()
            copied = sorted(p.pts for p in after[:best])
    # Ending one frame short is within the accuracy rule; a tail is re-encoded otherwise.
    if len(tail) == 1 or copy_only:
        tail = ()
    if copy_only:
        head = ()
    if not copied:
        if copy_only:
            raise NotCopyable("no_closed_gop", "no copyable run of packets inside the span")
        return Plan(tuple(in_clip), tuple(in_clip), (), (), None, None)
    frames = tuple(sorted({*head, *copied, *tail}))
    return Plan(frames, head, tuple(copied), tail, key, key + best)


# --- reading, decoding, encoding -----------------------------------------------------------


def _seconds(pts: int, time_base: Fraction, origin_s: float) -> float:
    return float(pts * time_base) - origin_s


def _demux_span(
    container,
    stream,
    seek_pts: int,
    end_pts: int,
    frame: int,
    length_size: int,
    annexb: bool = False,
):
    """Packets in decode order from the IDR at or before `seek_pts` until past `end_pts`.

    An indexed demuxer (MP4, Matroska) seeks to the keyframe before `seek_pts`. A byte-seeking
    one (MPEG-TS, PS: the Annex B sources) lands on any packet before it, and its keyframes are
    its parser's (a recovery-point I-frame counts): it is seeked back 1 s, 2 s, 4 s... (as
    `media.seek_before`, but until the first IDR is in time) or to the stream's start.
    """
    if not annexb:
        container.seek(seek_pts, backward=True, any_frame=False, stream=stream)
        packets = _demux_from_idr(container, stream, end_pts + 16 * frame, length_size)
        if packets and packets[0].pts > seek_pts:
            raise NotCopyable("seek_late", "no IDR at or before the clip's start")
        _leading_dts(packets, frame)
        return packets
    tb = stream.time_base
    first_pts = round(start_time_s(container) / tb)
    back, step = 0, max(1, round(SEEK_BACK_S / tb))
    while True:
        target = seek_pts - back
        if target <= first_pts:
            container.seek(0)
        else:
            container.seek(target, stream=stream)
        packets = _demux_from_idr(
            container, stream, end_pts + 16 * frame, length_size, annexb, seek_pts
        )
        if packets:
            return packets
        if target <= first_pts:
            raise NotCopyable("seek_late", "no IDR at or before the clip's start")
        if back * tb >= IDR_SEARCH_MAX_S:
            raise NotCopyable("no_idr_near", f"no IDR within {IDR_SEARCH_MAX_S:g}s before")
        back = step if not back else 2 * back


def _annexb_packet(data: bytes) -> tuple[list[bytes], tuple[bytes, ...]]:
    """(NAL units to write, SPS/PPS units) of an Annex B packet: access unit delimiters and
    filler data are dropped (an MP4 sample needs neither), parameter sets go to the avcC record
    and in-band before the first copied IDR."""
    if not data.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")):
        raise NotCopyable("bad_packet", "an Annex B packet does not start with a start code")
    units = annexb_units(data.rstrip(b"\x00"))
    sets = tuple(u for u in units if u[0] & 0x1F in (_SPS, _PPS))
    body = [u for u in units if u[0] & 0x1F not in (_SPS, _PPS, _AUD, _FILLER)]
    if not any(u[0] & 0x1F in (1, 5) for u in body):
        raise NotCopyable("bad_packet", "a packet holds no slice")
    return body, sets


def _demux_from_idr(
    container,
    stream,
    stop_dts: int,
    length_size: int,
    annexb: bool = False,
    late_pts: int | None = None,
) -> list[_Packet]:
    """Packets from the first IDR demuxed until one decoded after `stop_dts`; none when that
    IDR is shown after `late_pts` (or is decoded after a frame shown then). With `late_pts`,
    from the last IDR shown at or before it."""
    packets: list[_Packet] = []
    dated = False  # a packet kept had a dts: every later one must
    for packet in container.demux(stream):
        if packet.size == 0:
            continue
        if not packets and late_pts is not None and (packet.dts or 0) > late_pts:
            return []  # every IDR from here on is shown after `late_pts`
        timed = packet.pts is not None and packet.dts is not None
        # A seek's landing may be untimed (Annex B); in Matroska the first packets after a
        # seek have a pts and no dts (filled in by `_leading_dts`).
        if (packet.pts is None and (packets or not annexb)) or (
            packet.dts is None and (dated or (annexb and packets))
        ):
            raise NotCopyable("no_timestamps", "a packet has no pts or dts")
        data, sets = bytes(packet), ()
        if annexb:
            try:
                units, sets = _annexb_packet(data)
            except NotCopyable:
                if not packets:
                    continue  # a seek may land inside an access unit
                raise
            data = length_prefixed(units, length_size)
        else:
            units = nal_units(data, length_size)
        idr, ref, intra = _slice_flags(units)
        if not packets and not idr:
            continue  # seek landed on a non-IDR keyframe: wait for an IDR
        if not packets and annexb and not _starts_picture(units):
            continue  # the rest of a picture whose first slices were before the landing
        if annexb and not timed:
            raise NotCopyable("no_timestamps", "an IDR has no pts or dts")
        if idr and packets and late_pts is not None and packet.pts <= late_pts:
            # A later IDR still in time: decode from it (as an index would have sought), with
            # the parameter sets sent before it.
            sets = tuple(u for p in packets for u in p.parameter_sets) + sets
            packets = []
        if not packets and late_pts is not None and packet.pts > late_pts:
            return []
        corrupt = bool(packet.is_corrupt)
        packets.append(
            _Packet(packet, data, packet.pts, packet.dts, idr, ref, sets, corrupt, intra)
        )
        dated = dated or packet.dts is not None
        if packet.dts is not None and packet.dts > stop_dts:
            break
    return packets


def _leading_dts(packets: list[_Packet], frame: int) -> None:
    """Decode times for the first packets after a seek where the demuxer gave none.

    Matroska stores presentation times only; libav derives decode times from them once it has
    seen the stream's reorder delay, so the first packets after every seek (as many as the
    delay) come without, and every Matroska source with B-frames was re-encoded whole. They get
    the first known decode time less a frame per packet, as libav would have derived them."""
    known = next((i for i, p in enumerate(packets) if p.dts is not None), None)
    if known is None:
        if packets:
            raise NotCopyable("no_timestamps", "no packet has a dts")
        return
    for i in range(known):
        packets[i].dts = packets[known].dts - (known - i) * frame
        if packets[i].dts > packets[i].pts:
            raise NotCopyable("no_timestamps", "a packet has no dts and none fits")


def _parameter_set_change(packets: list[_Packet], copy_from: int, copy_to: int) -> int | None:
    """Index of the last copied packet of an Annex B span that brings an SPS or PPS other than
    the one in force (a new id, or new content under an id): None where the copied packets
    see one set of parameter sets (repeats of the sets in force are no change)."""
    sets: dict[tuple[int, int], bytes] = {}
    change = None
    for i, p in enumerate(packets[:copy_to]):
        for unit in p.parameter_sets:
            key = parameter_set_key(unit)
            if i > copy_from and sets.get(key) != unit:
                change = i
            sets[key] = unit
    return change


def _span_parameter_sets(packets: list[_Packet], copy_from: int) -> list[bytes]:
    """The SPS and PPS in force at the first copied IDR of an Annex B span (in-band before it,
    from the IDR the span was demuxed from, later ones replacing earlier ones of the same id);
    NotCopyable where there are none."""
    sets: dict[tuple[int, int], bytes] = {}
    for p in packets[: copy_from + 1]:
        sets.update((parameter_set_key(u), u) for u in p.parameter_sets)
    if {kind for kind, _ in sets} != {_SPS, _PPS}:
        raise NotCopyable("no_parameter_sets", "no SPS and PPS in-band before the copied IDR")
    return [sets[key] for key in sorted(sets)]


def check_first_copied(stream, avcc: bytes, data: bytes) -> None:
    """Decode the copied span's first IDR as a reader of the clip will (a fresh decoder, the
    clip's avcC record, the IDR with its parameter sets in-band): NotCopyable `damaged_idr`
    where libav finds it damaged, and `parameter_sets_changed` where the parameter sets in
    force give another picture than the stream header's, whose contract was checked.

    A TS packet lost inside an IDR is flagged on the packet before it (the parser's one frame
    of latency), which a span demuxed from that IDR never sees; 16 lost in a row (the
    continuity counter wraps) or damaged bytes are flagged nowhere. Either way the copy would
    show a concealed picture, and every frame after it refers to that picture. One IDR's
    decode: ~5 CPU ms at 720p.
    """
    import av

    decoder = av.CodecContext.create("h264", "r")
    decoder.extradata = avcc
    decoder.thread_count = 1
    try:
        frames = [*decoder.decode(av.Packet(data)), *decoder.decode(None)]
    except av.FFmpegError as e:
        raise NotCopyable("damaged_idr", str(e)) from e
    if len(frames) != 1 or frames[0].is_corrupt:
        raise NotCopyable("damaged_idr", "the first copied IDR decodes with errors")
    frame, ctx = frames[0], stream.codec_context
    sar = decoder.sample_aspect_ratio  # the SPS's; the container's may override both alike
    if (
        (frame.width, frame.height, frame.format.name) != (ctx.width, ctx.height, ctx.pix_fmt)
        or (sar or 1) != (ctx.sample_aspect_ratio or 1)
        or frame.interlaced_frame
        or hdr_transfer(frame.color_trc)
    ):
        raise NotCopyable(
            "parameter_sets_changed",
            f"the copy's parameter sets give {frame.width}x{frame.height} {frame.format.name},"
            f" SAR {sar}, interlaced {frame.interlaced_frame}, transfer {frame.color_trc}",
        )


class DecodeSession:
    """One H.264 decoder carried from clip to clip of a run (one thread, clips in time order).

    Adjacent clips often decode from the same IDR: a whole re-encode or a tail reaches the
    frames the next clip's head needs, and the next head would decode them all again (the
    bench input: a quarter of the frames decoded for re-encoding). The session resumes where the
    last re-encode stopped when the new one decodes from the same IDR and wants only frames
    after every frame already taken; otherwise it starts over. Decoded frames are the same
    either way (one thread, from the same IDR), so are the bytes written.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.decoder = None
        self.idr_dts: int | None = None  # dts of the IDR the decoder started from
        self.fed_dts: int | None = None  # dts of the last packet fed
        self.done_pts: int | None = None  # every frame at or before this pts was used up
        self.pending: list = []  # frames decoded past the last re-encode's wanted ones

    def resumable(self, packets: list[_Packet], first: int) -> bool:
        return (
            self.decoder is not None
            and packets[0].dts == self.idr_dts
            and self.done_pts is not None
            and first > self.done_pts
        )


def _reencode(
    stream,
    packets: list[_Packet],
    wanted: set[int],
    origin: int,
    settings,
    size: int,
    session: DecodeSession | None = None,
):
    """(pts, data, is_keyframe) of the frames with pts in `wanted` (consecutive frames),
    decoded from `packets` (decode order, an IDR first) and re-encoded with libx264: no
    B-frames, one IDR first, parameter sets in-band. Frames go to the encoder as they are
    decoded, so memory stays at a few frames; non-reference packets shown before the wanted
    frames are not decoded. With a `session`, the decoder of the previous re-encode goes on
    where it stopped when it can (see DecodeSession).
    """
    import av

    session = session or DecodeSession()
    first, final = min(wanted), max(wanted)
    if session.resumable(packets, first):
        decoder, backlog = session.decoder, session.pending
        packets = [p for p in packets if p.dts > session.fed_dts]
    else:
        decoder = av.CodecContext.create("h264", "r")
        decoder.extradata = stream.codec_context.extradata
        decoder.thread_count = 1  # frame threads conceal errors differently run to run
        backlog = []
        session.reset()
        session.decoder, session.idr_dts = decoder, packets[0].dts
    session.pending = []
    encoder = _encoder(stream, settings)
    encoded, seen, last = [], 0, None

    def take(frames) -> None:
        nonlocal seen, last
        for frame in frames:
            if frame.pts > final:
                session.pending.append(frame)  # the next clip's, maybe
                continue
            if frame.pts not in wanted:
                continue
            if last is not None and frame.pts <= last:
                raise NotCopyable("frame_order", "decoded frames out of order")
            seen, last = seen + 1, frame.pts
            frame.pts -= origin
            frame.time_base = stream.time_base
            frame.pict_type = av.video.frame.PictureType.NONE
            encoded.extend(encoder.encode(frame))

    try:
        take(backlog)
        for p in packets:
            if seen == len(wanted):
                break
            session.fed_dts = p.dts
            # Skipped only when shown before the wanted frames: a later clip may want it.
            if not p.ref and p.pts < first:
                continue
            take(decoder.decode(p.packet))
        if seen < len(wanted):
            session.decoder = None  # flushed: it cannot go on
            take(decoder.decode(None))
    except av.FFmpegError as e:
        session.reset()
        raise NotCopyable("undecodable", str(e)) from e
    except NotCopyable:
        session.reset()
        raise
    if seen != len(wanted):
        session.reset()
        raise NotCopyable("frames_missing", f"decoded {seen} of {len(wanted)} frames")
    session.done_pts = final
    encoded.extend(encoder.encode(None))
    return [(p.pts, length_prefixed(annexb_units(bytes(p)), size), p.is_keyframe) for p in encoded]


def _encoder(stream, settings: CutSettings):
    import av

    ctx = stream.codec_context
    encoder = av.CodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = ctx.width, ctx.height, "yuv420p"
    encoder.time_base = stream.time_base
    encoder.framerate = stream.average_rate or stream.guessed_rate
    encoder.thread_count = 1
    encoder.options = {
        "preset": settings.preset,
        "crf": str(settings.crf),
        "x264-params": ":".join(p for p in (settings.x264_params, SPLICE_X264_PARAMS) if p),
    }
    for attr in ("color_range", "colorspace", "color_primaries", "color_trc"):
        value = getattr(ctx, attr, None)
        if value is not None:
            setattr(encoder, attr, value)
    return encoder


def cut_clip(
    path: str,
    start_s: float,
    end_s: float,
    earliest_s: float,
    settings: CutSettings,
    square_upright: bool,
    container=None,
    latest_s: float | None = None,
    session: DecodeSession | None = None,
) -> CutResult:
    """Cut [start_s, end_s) (source seconds from the file's start) by copy or smart cut.

    A copy may start at a keyframe from `earliest_s` and show frames before `latest_s` (one
    frame past `end_s` at most) where that spares a re-encode. Clips cut in time order from
    one `container` may share a `session` (one decoder carried on between them).

    Raises NotCopyable when the source does not meet the output contract or the span cannot
    be spliced; the caller re-encodes then.
    """
    import av

    own = container is None
    if own:
        container = open_video(path, settings.allowed_formats)
    try:
        return _cut(
            container, start_s, end_s, earliest_s, settings, square_upright, latest_s, session
        )
    except av.FFmpegError as e:
        raise NotCopyable("libav_error", str(e)) from e
    finally:
        if own:
            container.close()


def frame_rotation(container) -> int:
    """The display matrix's turn of the first frame (PyAV shows it on decoded frames only)."""
    import av

    stream = container.streams.video[0]
    try:
        frame = next(container.decode(stream), None)
    except av.FFmpegError as e:
        raise NotCopyable("undecodable", str(e)) from e
    finally:
        stream.codec_context.flush_buffers()
    return round(frame.rotation or 0) if frame is not None else 0


def keyframe_before(container, t_s: float) -> float | None:
    """Source time (s from the file's start) of the keyframe an indexed demuxer (MP4,
    Matroska) seeks to for `t_s`, from one packet demuxed: not decoded. None where the seek
    does not land on a keyframe (a byte-seeking demuxer: MPEG-TS, PS) or fails."""
    import av

    stream = container.streams.video[0]
    origin_s = start_time_s(container)
    try:
        container.seek(round((t_s + origin_s) / stream.time_base), stream=stream)
        packet = next((p for p in container.demux(stream) if p.size), None)
    except av.FFmpegError:
        return None
    if packet is None or packet.pts is None or not packet.is_keyframe:
        return None
    return float(packet.pts * stream.time_base) - origin_s


def source_contract(stream, settings: CutSettings, square_upright: bool) -> None:
    """Raise NotCopyable unless the stream is what re-encoding would write anyway."""
    ctx = stream.codec_context
    if ctx.name != "h264":
        raise NotCopyable("codec", ctx.name)
    if ctx.pix_fmt != "yuv420p":
        raise NotCopyable("pix_fmt", str(ctx.pix_fmt))
    sar = stream.sample_aspect_ratio or ctx.sample_aspect_ratio
    if not square_upright or (sar and sar != 1):
        raise NotCopyable("display_shape", "non-square pixels or a rotation")
    if max(ctx.width, ctx.height) > settings.max_long_side or ctx.width % 2 or ctx.height % 2:
        raise NotCopyable("size", f"{ctx.width}x{ctx.height}")
    rate = stream.average_rate or stream.guessed_rate
    if not rate or float(rate) > settings.max_fps + 1e-3:
        raise NotCopyable("fps", str(rate))
    if "rotate" in stream.metadata and int(float(stream.metadata["rotate"])) % 360:
        raise NotCopyable("display_shape", "rotate tag")
    if is_interlaced(ctx.field_order):
        raise NotCopyable("interlaced", str(ctx.field_order))
    if hdr_transfer(ctx.color_trc):
        raise NotCopyable("hdr", hdr_transfer(ctx.color_trc))


def _cut(
    container,
    start_s,
    end_s,
    earliest_s,
    settings: CutSettings,
    square_upright: bool,
    latest_s: float | None = None,
    session: DecodeSession | None = None,
):
    stream = container.streams.video[0]
    source_contract(stream, settings, square_upright)
    extradata = bytes(stream.codec_context.extradata or b"")
    # Length-prefixed NAL units with an avcC record (MP4, Matroska), or an Annex B byte stream
    # (MPEG-TS, PS, raw .h264) with its parameter sets in-band: written length-prefixed.
    annexb = extradata[:1] != b"\x01"
    if annexb:
        length_size, parameter_sets = ANNEXB_LENGTH_SIZE, annexb_parameter_sets(extradata)
    else:
        length_size, parameter_sets = avcc_parameter_sets(extradata)
    tb = stream.time_base
    origin_s = start_time_s(container)
    rate = Fraction(stream.average_rate or stream.guessed_rate)
    frame = max(1, round(1 / (rate * tb)))
    # Clip times are rounded to the millisecond: a frame that far before a bound is at it.
    eps = max(1, min(frame // 4, round(Fraction(11, 10000) / tb)))

    def to_pts(t_s: float) -> int:
        return round((t_s + origin_s) / tb) - eps

    start, end, earliest = to_pts(start_s), to_pts(end_s), to_pts(min(earliest_s, start_s))
    packets = _demux_span(container, stream, earliest + eps, end, frame, length_size, annexb)
    if not packets:
        raise NotCopyable("empty_span", "nothing demuxed")
    if any(p.corrupt for p in packets):
        raise NotCopyable("corrupt_packet", "the demuxer flagged a damaged packet in the span")
    # Frames shown up to the clip's end are all demuxed (later ones may not be yet).
    shown = sorted(p.pts for p in packets if p.pts <= end + 4 * frame)
    steps = {b - a for a, b in itertools.pairwise(shown)}
    if steps and (max(steps) - min(steps) > 1 or abs(min(steps) - frame) > 1):
        raise NotCopyable("vfr", "frame durations vary inside the span")
    latest = to_pts(latest_s) if latest_s is not None else None
    plan = plan_cut(packets, start, end, earliest, frame, settings.copy_only, latest)
    rewritten: dict[int, bytes] = {}
    notes: tuple[str, ...] = ()
    if settings.copy_from_i:
        plan, rewritten, notes = _plan_from_i(
            plan,
            packets,
            (start, end, earliest, frame, latest),
            settings,
            parameter_sets,
            length_size,
            annexb,
        )
    while annexb and plan.copied:
        # Sets that change inside the copy (two encodes joined: HLS segments, a broadcast
        # capture): the copy starts at the first IDR the new ones are in force at, and the
        # frames before it are the re-encoded head; one avcC record describes what is copied.
        change = _parameter_set_change(packets, plan.copy_from, plan.copy_to)
        if change is None:
            break
        idr = next((p.pts for p in packets[change : plan.copy_to] if p.idr), None)
        if idr is None:
            raise NotCopyable("parameter_sets_changed", "an SPS or PPS changes after an IDR")
        plan = plan_cut(packets, start, end, idr, frame, settings.copy_only, latest)
        rewritten, notes = {}, ()
        if not plan.copied:
            raise NotCopyable("parameter_sets_changed", "no copy closes after the change")
    avcc = None
    if annexb and plan.copied:
        parameter_sets = _span_parameter_sets(packets, plan.copy_from)
        avcc = avcc_record(parameter_sets, length_size)
    if plan.copied:
        first = rewritten.get(plan.copy_from, packets[plan.copy_from].data)
        check_first_copied(
            stream, avcc or extradata, length_prefixed(parameter_sets, length_size) + first
        )
    origin = plan.frames[0]
    muxed: list[tuple[int, int, bytes, bool]] = []  # (pts, dts, data, keyframe)
    delay = 0
    if plan.copy_from is not None:
        delay = packets[plan.copy_from].pts - packets[plan.copy_from].dts
    if plan.head:
        upto = plan.copy_from if plan.copy_from is not None else len(packets)
        head = _reencode(
            stream, packets[:upto], set(plan.head), origin, settings, length_size, session
        )
        for pts, data, key in head:
            muxed.append((pts, pts - delay, data, key))
    if plan.copied:
        inband = length_prefixed(parameter_sets, length_size)
        for i, p in enumerate(packets[plan.copy_from : plan.copy_to], start=plan.copy_from):
            data = rewritten.get(i, p.data)
            if i == plan.copy_from:
                data = inband + data
            muxed.append((p.pts - origin, p.dts - origin, data, p.idr or i == plan.copy_from))
    if plan.tail:
        last_idr = max(i for i in range(plan.copy_to) if packets[i].idr)
        tail = _reencode(
            stream, packets[last_idr:], set(plan.tail), origin, settings, length_size, session
        )
        for pts, data, key in tail:
            muxed.append((pts, pts - delay, data, key))
    dts = [m[1] for m in muxed]
    if any(b <= a for a, b in itertools.pairwise(dts)) or any(m[1] > m[0] for m in muxed):
        raise NotCopyable("timestamps", "decode times would not rise through the splice")
    if annexb and avcc is None:  # all re-encoded: x264's parameter sets, in-band first
        first = nal_units(muxed[0][2], length_size)
        avcc = avcc_record([u for u in first if u[0] & 0x1F in (_SPS, _PPS)], length_size)
    mp4 = _mux(stream, muxed, avcc)
    ctx = stream.codec_context
    return CutResult(
        mp4=mp4,
        mode=plan.mode,
        first_frame_s=round(_seconds(plan.frames[0], tb, origin_s), 6),
        last_frame_s=round(_seconds(plan.frames[-1], tb, origin_s), 6),
        frames=len(plan.frames),
        fps=float(rate),
        width=ctx.width,
        height=ctx.height,
        notes=notes,
    )


def _plan_from_i(plan, packets, span, settings, parameter_sets, length_size, annexb):
    """(plan, packet index -> rewritten data, counter notes): the copy starts at the first
    non-IDR I-frame inside the span that comes before the planned copy's first frame (x264
    puts one at a scene cut within min-keyint of the last IDR) and can be made an IDR;
    otherwise `plan` as it was."""
    start, end, earliest, frame, latest = span
    first = packets[plan.copy_from].pts if plan.copied else end
    candidates = [i for i, p in enumerate(packets) if p.intra and earliest <= p.pts < first]
    if not candidates:
        return plan, {}, ()
    reason = "i_frame_refused"
    for i in candidates:
        try:
            sets = _span_parameter_sets(packets, i) if annexb else parameter_sets
            table = _parameter_set_table(sets)
            new = plan_cut(
                packets, start, end, earliest, frame, settings.copy_only, latest, frozenset({i})
            )
            if new.copy_from != i:
                reason = "i_frame_no_copy"
                continue
            return new, copy_from_i(packets, i, new.copy_to, table, length_size), ("copied_from_i",)
        except NotCopyable as e:
            reason = e.reason if e.reason.startswith("i_frame") else f"i_frame_{e.reason}"
    return plan, {}, (reason,)


def _mux(stream, muxed, avcc: bytes | None = None) -> bytes:
    """An MP4 of `muxed` (pts, dts, length-prefixed data, keyframe) with the source stream's
    parameters; `avcc`: the record for an Annex B source (whose own extradata is Annex B)."""
    import av

    with tempfile.TemporaryDirectory(prefix="cliploom-cut-") as tmp:
        out_path = os.path.join(tmp, "clip.mp4")
        with av.open(
            out_path,
            "w",
            format="mp4",
            container_options={"movflags": "+faststart", "fflags": "+bitexact"},
        ) as out:
            out_stream = out.add_stream_from_template(stream)
            out_stream.time_base = stream.time_base
            out_stream.metadata.clear()
            if avcc is not None:
                out_stream.codec_context.extradata = avcc
            for pts, dts, data, key in muxed:
                packet = av.Packet(data)
                packet.pts, packet.dts = pts, dts
                packet.time_base = stream.time_base
                packet.is_keyframe = key
                packet.stream = out_stream
                out.mux(packet)
        with open(out_path, "rb") as f:
            return f.read()
