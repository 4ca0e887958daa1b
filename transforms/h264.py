"""H.264 bitstream of the smart cut: NAL units (length-prefixed and Annex B), parameter sets
and avcC records, slice headers, a decoder's short-term references (H.264 8.2.4-8.2.5), and
the rewrite of a scene-cut non-IDR I-frame as an IDR so that a copy can start at it
(`i_frame_plan` checks that it decodes as the source, `copy_from_i` rewrites the packets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# NAL unit types
IDR, SPS, PPS, AUD, FILLER = 5, 7, 8, 9, 12
# NAL length size of the clips written from an Annex B source (the avcC record built for them)
ANNEXB_LENGTH_SIZE = 4


class NotCopyable(Exception):
    """The source or this clip's span cannot be copied; `reason` is a snake_case counter name."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass
class Packet:
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
    if not any(u and u[0] & 0x1F == SPS for u in units):
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
    return [u for u in annexb_units(extradata.rstrip(b"\x00")) if u[0] & 0x1F in (SPS, PPS)]


class _Bits:
    """A reader of an RBSP's bits (emulation prevention bytes removed), for ue(v) fields."""

    def __init__(self, unit: bytes):
        self.rbsp = unescaped(unit)
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


def _chroma_format(bits: _Bits) -> tuple[int, bool, int, int]:
    """A High profile SPS's chroma_format_idc, separate_colour_plane_flag and luma and chroma
    bit depths (H.264 7.3.2.1.1), read on from after seq_parameter_set_id."""
    chroma_format = bits.ue()
    separate = bool(bits.bit()) if chroma_format == 3 else False
    return chroma_format, separate, 8 + bits.ue(), 8 + bits.ue()


def parameter_set_key(unit: bytes) -> tuple[int, int]:
    """(NAL type, id) of an SPS or PPS: one with the same key replaces it in a decoder."""
    kind = unit[0] & 0x1F
    # An SPS's id follows profile_idc, the constraint flags and level_idc; a PPS's comes first.
    return kind, _Bits(unit[4:] if kind == SPS else unit[1:]).ue()


def avcc_record(parameter_sets: list[bytes], length_size: int = ANNEXB_LENGTH_SIZE) -> bytes:
    """The avcC record (ISO/IEC 14496-15 5.3.3.1) of SPS and PPS NAL units, laid out as
    libavformat's `ff_isom_write_avcc` writes it (an MP4 of the same stream gets the same)."""
    sps = [u for u in parameter_sets if u[0] & 0x1F == SPS]
    pps = [u for u in parameter_sets if u[0] & 0x1F == PPS]
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
            chroma, _, luma_bits, chroma_bits = _chroma_format(bits)
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


def starts_picture(units: list[bytes]) -> bool:
    """Whether the first slice is the picture's first (first_mb_in_slice 0)."""
    first = next((u for u in units if u[0] & 0x1F in (1, 5)), None)
    return first is not None and len(first) > 1 and _slice_header(first).ue() == 0


def slice_flags(units: list[bytes]) -> tuple[bool, bool, bool]:
    """(holds an IDR slice, holds a slice that is a reference, is a non-IDR reference
    picture whose first slice is an I slice)."""
    idr = ref = False
    first = None
    for unit in units:
        kind = unit[0] & 0x1F
        if kind in (1, 5):
            idr |= kind == IDR
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
    gaps_allowed: bool = False  # gaps_in_frame_num_value_allowed_flag


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
        chroma_format, separate, _, _ = _chroma_format(bits)
        bits.bit()  # qpprime_y_zero_transform_bypass_flag
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
    gaps_allowed = bool(bits.bit())
    bits.ue(), bits.ue()  # size in MBs
    frame_mbs_only = bool(bits.bit())
    chroma = not separate and chroma_format != 0
    return sps_id, _Sps(
        frame_num_bits,
        poc_type,
        lsb_bits,
        always_zero,
        max_refs,
        frame_mbs_only,
        separate,
        chroma,
        gaps_allowed,
    )


def parameter_set_table(units: list[bytes]) -> dict[int, _Pps]:
    """PPS id -> its fields and its SPS's, for the slice headers of a copy."""
    sps = dict(_parse_sps(u) for u in units if u[0] & 0x1F == SPS)
    table = {}
    for unit in units:
        if unit[0] & 0x1F != PPS:
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


def parse_slice(unit: bytes, table: dict[int, _Pps]) -> _SliceHeader:
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
    idr_pic_id = bits.ue() if nal_type == IDR else None
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
    if ref_idc and nal_type == IDR:
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


def _slice_units(packet: Packet, length_size: int) -> list[bytes]:
    return [u for u in nal_units(packet.data, length_size) if u[0] & 0x1F in (1, IDR)]


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
            for op in mmco:
                if op[0] != 1:
                    raise NotCopyable("i_frame_long_term", "long-term marking or MMCO 5")
                gone = self.target(header, op)
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
    packets: list[Packet], i: int, table: dict[int, _Pps], length_size: int
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
    slices = [parse_slice(u, table) for u in _slice_units(packets[i], length_size)]
    if any(h.kind != _I_SLICE for h in slices):
        raise NotCopyable("i_frame_not_intra", "a slice of the I-frame is not an I slice")
    sps = slices[0].pps.sps
    if sps.poc_type == 1:
        raise NotCopyable("i_frame_poc_type", "POC type 1 counts from frame_num's cycle")
    source = _Dpb(sps.max_refs, sps.frame_num_bits)
    for k, p in enumerate(packets[: i + 1]):
        header = slices[0] if k == i else parse_slice(_slice_units(p, length_size)[0], table)
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
        headers = [parse_slice(u, table) for u in _slice_units(p, length_size)]
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


# --- reference frames a decode from an IDR can skip ------------------------------------------


class _Unsure(Exception):
    """The stream uses what `_LibavDpb` does not follow: decode every reference frame."""


@dataclass
class _Picture:
    key: int  # packet index; a frame_num gap's stand-in gets a negative one
    frame_num: int
    poc: int
    pixels: int  # key of the picture whose pixels it holds (a stand-in: the one before it)
    gap: bool = False  # a stand-in dropped once max_num_ref_frames behind (libav's invalid_gap)


class _LibavDpb:
    """libavcodec's short-term reference frames (h264_refs.c, h264_slice.c of the FFmpeg 8
    PyAV bundles; tests/test_smartcut_refs.py decodes against it), followed from the slice
    headers of the pictures fed to it: the sliding window and MMCO 1,
    the frame_num gap's stand-ins (a picture that refers to the previous reference's pixels,
    POC that one's + 2, marked by the sliding window, dropped once max_num_ref_frames behind),
    initial reference lists (P: newest first; B: POC order, list 1 swapped where it equals
    list 0 picture for picture, stand-ins counting as the picture whose pixels they hold) and
    their modifications. `_Unsure` for what is not followed (long-term references, MMCO 2-6,
    POC type 1, field coding)."""

    def __init__(self, sps: _Sps):
        self.sps, self.modulo = sps, 1 << sps.frame_num_bits
        self.short: list[_Picture] = []  # newest first
        self.prev_frame_num = self.prev_offset = 0
        self.prev_msb, self.prev_lsb = 1 << 16, -1
        self.stand_ins = 0

    def _find(self, frame_num: int) -> int | None:
        return next((i for i, p in enumerate(self.short) if p.frame_num == frame_num), None)

    def _remove(self, frame_num: int) -> None:
        at = self._find(frame_num)
        if at is not None:
            del self.short[at]

    def _mark(self, picture: _Picture, mmco: tuple[tuple[int, ...], ...] | None) -> None:
        """ff_h264_execute_ref_pic_marking for `picture` (a reference): `mmco` None is the
        sliding window."""
        refs = self.sps.max_refs
        if mmco is None:
            if self.short and len(self.short) >= refs:
                self._remove(self.short[-1].frame_num)
        else:
            for op in mmco:
                if op[0] != 1:
                    raise _Unsure("long-term marking or MMCO 5")
                self._remove((picture.frame_num - op[1] - 1) % self.modulo)
        self._remove(picture.frame_num)
        self.short.insert(0, picture)
        if len(self.short) > max(refs, 1):
            self._remove(self.short[-1].frame_num)
        i = 0
        while i < len(self.short):  # libavcodec's loop steps past the one after a removal
            old = self.short[i]
            if old.gap and (picture.frame_num - old.frame_num) % self.modulo > refs:
                self._remove(old.frame_num)
            i += 1

    def _fill_gap(self, frame_num: int) -> None:
        """Stand-ins for the frame_num values skipped before `frame_num`."""
        prev = self.prev_frame_num
        if frame_num != prev:
            unwrapped = prev - self.modulo if prev > frame_num else prev
            if frame_num - unwrapped > self.sps.max_refs:
                self.prev_frame_num = (frame_num - self.sps.max_refs - 1) % self.modulo
        while frame_num not in (self.prev_frame_num, (self.prev_frame_num + 1) % self.modulo):
            before = self.short[0] if self.short else None
            if before is None:
                raise _Unsure("a frame_num gap with no reference before it")
            self.prev_frame_num = (self.prev_frame_num + 1) % self.modulo
            self.stand_ins += 1
            stand_in = _Picture(
                -self.stand_ins,
                self.prev_frame_num,
                before.poc + 2,
                before.pixels,
                not self.sps.gaps_allowed,
            )
            self._mark(stand_in, None)

    def _poc(self, header: _SliceHeader, idr: bool, ref: bool) -> tuple[int, int]:
        """(POC, FrameNumOffset) as ff_h264_init_poc computes them."""
        offset = self.prev_offset + (self.modulo if header.frame_num < self.prev_frame_num else 0)
        if self.sps.poc_type == 0:
            lsb, size = header.poc_lsb, 1 << self.sps.poc_lsb_bits
            msb = self.prev_msb
            if lsb < self.prev_lsb and self.prev_lsb - lsb >= size // 2:
                msb += size
            elif lsb > self.prev_lsb and self.prev_lsb - lsb < -(size // 2):
                msb -= size
            return msb + lsb, offset
        if self.sps.poc_type == 2:
            return 2 * (offset + header.frame_num) - (not ref), offset
        raise _Unsure("POC type 1")

    def _lists(self, header: _SliceHeader, poc: int) -> tuple[tuple[int, ...], ...]:
        """The slice's reference lists (keys), cut to its active references."""
        if header.kind == _B_SLICE:
            initial = [
                _by_poc(self.short, poc, True) + _by_poc(self.short, poc, False),
                _by_poc(self.short, poc, False) + _by_poc(self.short, poc, True),
            ]
            a, b = initial
            if len(a) == len(b) > 1 and all(
                x.pixels == y.pixels for x, y in zip(a, b, strict=True)
            ):
                b[0], b[1] = b[1], b[0]
        elif header.kind in (_P_SLICE, _SP_SLICE):
            initial = [list(self.short), []]
        else:
            return ((), ())
        lists = []
        for lx, refs in enumerate(header.refs):
            entries: list[_Picture | None] = (initial[lx] + [None] * refs)[:refs]
            pred = header.frame_num
            for index, (idc, value) in enumerate(header.modifications[lx]):
                if idc not in (0, 1) or value + 1 > self.modulo:
                    raise _Unsure("a long-term reference is listed")
                pred = (pred + (value + 1 if idc else -(value + 1))) % self.modulo
                picked = next((p for p in reversed(self.short) if p.frame_num == pred), None)
                if picked is None:
                    entries[index] = None
                    continue
                at = index
                while at + 1 < refs:
                    if entries[at] is not None and entries[at].frame_num == pred:
                        break
                    at += 1
                entries[index + 1 : at + 1] = entries[index:at]
                entries[index] = picked
            if any(e is None for e in entries):
                raise _Unsure("a listed picture is missing")
            lists.append(tuple(e.key for e in entries))
        return tuple(lists)

    def feed(self, index: int, headers: list[_SliceHeader], idr: bool, ref: bool):
        """Decode packet `index` (its slice headers): (its POC, its slices' reference lists)."""
        first = headers[0]
        if idr:
            if first.long_term:
                raise _Unsure("a long-term IDR")
            self.short.clear()
            self.prev_frame_num = self.prev_offset = 0
            self.prev_msb, self.prev_lsb = 1 << 16, -1
        self._fill_gap(first.frame_num)
        poc, offset = self._poc(first, idr, ref)
        lists = tuple(self._lists(h, poc) for h in headers)
        if ref:
            picture = _Picture(index, first.frame_num, poc, index)
            self._mark(picture, () if idr else first.mmco if first.adaptive else None)
            if first.poc_lsb is not None:
                self.prev_msb, self.prev_lsb = poc - first.poc_lsb, first.poc_lsb
        self.prev_frame_num, self.prev_offset = first.frame_num, offset
        return poc, lists


def _by_poc(short: list[_Picture], limit: int, down: bool) -> list[_Picture]:
    """libavcodec's add_sorted: POC at most `limit` descending (`down`), else above it
    ascending; of two with one POC, one is listed (the later one in `short` going down)."""
    out = []
    while True:
        best = None
        for p in short:
            if (p.poc <= limit if down else p.poc > limit) and (
                best is None or (p.poc >= best.poc if down else p.poc < best.poc)
            ):
                best = p
        if best is None:
            return out
        out.append(best)
        limit = best.poc - 1 if down else best.poc


# The frames fed only for the state they leave in the decoder (`skippable_refs`) at most: each
# try costs a pass over the span's slice headers (~3 ms at 250 packets).
MAX_STATE_FRAMES = 6


def skippable_refs(
    packets: list[Packet],
    first_pts: int,
    table: dict[int, _Pps] | None,
    length_size: int,
    fed_before: frozenset[int] = frozenset(),
) -> frozenset[int] | None:
    """Indices of the reference packets (not IDRs) shown before `first_pts` that a decoder
    fed `packets` (decode order, an IDR first) can skip, the frames from `first_pts` on
    decoding as in a decode of them all.

    Needed are the frames shown from `first_pts` on and, back to the IDR, every frame in the
    active part of a reference list of a slice of a needed frame. Non-reference frames shown
    before `first_pts` are not fed (`_reencode` skipped those already), nor are the reference
    frames not needed, but where `_LibavDpb` finds a needed frame whose POC or reference lists
    would differ from the decode of them all. libavcodec fills the frame_num gap a skipped
    frame leaves with a stand-in, the previous reference's pixels at its POC + 2: in x264's
    B-pyramid, a B-frame's lists (POC order) take the stand-in of the B-reference before it in
    place of the P-frame it holds the pixels of, and implicit weights differ. The last skipped
    frame before it is fed then, for the references it marks (its pixels may be wrong: no
    needed frame refers to it), and the check runs again, up to MAX_STATE_FRAMES times;
    otherwise nothing more is skipped (an empty set).

    `table`: the PPS table in force (None where unknown: nothing more is skipped).
    `fed_before`: for a decoder that goes on, the indices it was fed up to the last of them
    (the others were skipped). None where it cannot go on and decode the needed frames as a
    decode of them all does.
    """
    done = max(fed_before, default=-1)
    skipped_before = any(packets[k].ref and k not in fed_before for k in range(done + 1))
    unsure = None if skipped_before else frozenset()
    if table is None:
        return unsure
    try:
        units = [nal_units(p.data, length_size) for p in packets]
        if any(u[0] & 0x1F in (SPS, PPS) for us in units for u in us):
            return unsure  # parameter sets in-band: `table` may not be the ones in force
        headers = [[parse_slice(u, table) for u in us if u[0] & 0x1F in (1, IDR)] for us in units]
        sps = headers[0][0].pps.sps
        if not packets[0].idr or any(h.pps.sps is not sps for hs in headers for h in hs):
            return unsure
        everything = _LibavDpb(sps)
        truth = [
            everything.feed(k, hs, p.idr, p.ref)
            for k, (p, hs) in enumerate(zip(packets, headers, strict=True))
        ]
    except (NotCopyable, _Unsure):
        return unsure
    if everything.stand_ins:
        return unsure  # frame_num gaps in the source itself
    needed: set[int] = set()
    for k in range(len(packets) - 1, -1, -1):
        if k in needed or (k > done and packets[k].pts >= first_pts):
            needed.add(k)
            needed.update(key for lists in truth[k][1] for lx in lists for key in lx)
    if any(k <= done and k not in fed_before for k in needed):
        return unsure
    kept = {k for k, p in enumerate(packets) if k > done and p.ref and (p.idr or k in needed)}
    for _ in range(MAX_STATE_FRAMES + 1):
        skip = frozenset(k for k, p in enumerate(packets) if k > done and p.ref and k not in kept)
        if not skip and not skipped_before:
            return skip
        fed = sorted(fed_before | kept | {k for k in needed if k > done})
        wrong = _first_difference(packets, headers, fed, truth, needed)
        if wrong is None:
            return skip
        last = max((k for k in skip if k < wrong), default=None)
        if last is None:
            return unsure
        kept.add(last)
    return unsure


def _first_difference(packets, headers, fed, truth, needed) -> int | None:
    """The first of the `needed` packets whose POC or reference lists differ from `truth`'s
    when only the `fed` ones are decoded (or where the decoder is not followed); None where
    none does."""
    decoder = _LibavDpb(headers[0][0].pps.sps)
    for k in fed:
        try:
            got = decoder.feed(k, headers[k], packets[k].idr, packets[k].ref)
        except _Unsure:
            return k
        if k in needed and got != truth[k]:
            return k
    return None


def unescaped(payload: bytes) -> bytes:
    return payload.replace(b"\x00\x00\x03", b"\x00\x00")


def escaped(rbsp: bytes) -> bytes:
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
    rbsp = unescaped(unit[1:])
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
    nal = bytes([unit[0] & 0xE0 | IDR]) if idr_pic_id is not None else unit[:1]
    if len(new) == end:
        head = int(new, 2) << (total - end) | value & ((1 << (total - end)) - 1)
        return nal + escaped(head.to_bytes(len(rbsp), "big"))
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
    return nal + escaped(body)


def copy_from_i(
    packets: list[Packet], i: int, stop: int, table: dict[int, _Pps], length_size: int
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
    first = parse_slice(_slice_units(packets[i], length_size)[0], table)
    sps = first.pps.sps
    # Two IDRs in a row need different idr_pic_id: the re-encoded head's first is 0.
    used = {0}
    if i + 1 < stop and packets[i + 1].idr:
        used.add(parse_slice(_slice_units(packets[i + 1], length_size)[0], table).idr_pic_id)
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
            header = parse_slice(unit, table)
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
