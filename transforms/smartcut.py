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
costs a decode of the reference frames its frames need from the last IDR (~0.15 CPU s at
720p for 2-3 frames; `skippable_refs`). Head and tail are encoded in-process with libx264
without B-frames, each starting with its own IDR and parameter sets in-band; the copied part
starts with the source's parameter sets in-band, so every decoder sees the right SPS/PPS at
each splice.

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
import tempfile
from dataclasses import dataclass
from fractions import Fraction

from transforms.h264 import (
    ANNEXB_LENGTH_SIZE,
    AUD,
    FILLER,
    PPS,
    SPS,
    NotCopyable,
    Packet,
    annexb_parameter_sets,
    annexb_units,
    avcc_parameter_sets,
    avcc_record,
    copy_from_i,
    length_prefixed,
    nal_units,
    parameter_set_key,
    parameter_set_table,
    skippable_refs,
    slice_flags,
    starts_picture,
)
from transforms.hdr import hdr_transfer
from transforms.media import SEEK_BACK_S, is_interlaced, open_video, start_time_s

COPY = "copy"
SMART = "smart"
REENCODE = "reencode"

# A byte-seeking demuxer (MPEG-TS, PS) is seeked back 1 s, 2 s, 4 s... until the first IDR
# demuxed is at or before the clip (a parser's keyframe may be a recovery point, not an IDR);
# an IDR further back than this is not looked for (the packets in between would all be held).
IDR_SEARCH_MAX_S = 32.0


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
# after. These come after `CutSettings.x264_params`, so no setting there can undo them. x264
# writes its NAL units with 4-byte lengths (annexb=0), as an MP4 sample holds them: the same
# units as its Annex B output, with no start codes to split on in Python.
X264_LENGTH_SIZE = 4  # x264's NAL length field without Annex B start codes
SPLICE_X264_PARAMS = "bframes=0:threads=1:keyint=infinite:scenecut=0:annexb=0"


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


@dataclass(frozen=True)
class Crop:
    """The picture inside a clip's black bars: libavfilter filters (name, arguments) each
    decoded frame goes through, and the size they give (`encode.clip_crop`)."""

    filters: tuple[tuple[str, str], ...]
    width: int
    height: int


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
    packets: list[Packet],
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
    sets = tuple(u for u in units if u[0] & 0x1F in (SPS, PPS))
    body = [u for u in units if u[0] & 0x1F not in (SPS, PPS, AUD, FILLER)]
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
) -> list[Packet]:
    """Packets from the first IDR demuxed until one decoded after `stop_dts`; none when that
    IDR is shown after `late_pts` (or is decoded after a frame shown then). With `late_pts`,
    from the last IDR shown at or before it."""
    packets: list[Packet] = []
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
        idr, ref, intra = slice_flags(units)
        if not packets and not idr:
            continue  # seek landed on a non-IDR keyframe: wait for an IDR
        if not packets and annexb and not starts_picture(units):
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
        packets.append(Packet(packet, data, packet.pts, packet.dts, idr, ref, sets, corrupt, intra))
        dated = dated or packet.dts is not None
        if packet.dts is not None and packet.dts > stop_dts:
            break
    return packets


def _leading_dts(packets: list[Packet], frame: int) -> None:
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


def _parameter_set_change(packets: list[Packet], copy_from: int, copy_to: int) -> int | None:
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


def _span_parameter_sets(packets: list[Packet], copy_from: int) -> list[bytes]:
    """The SPS and PPS in force at the first copied IDR of an Annex B span (in-band before it,
    from the IDR the span was demuxed from, later ones replacing earlier ones of the same id);
    NotCopyable where there are none."""
    sets: dict[tuple[int, int], bytes] = {}
    for p in packets[: copy_from + 1]:
        sets.update((parameter_set_key(u), u) for u in p.parameter_sets)
    if {kind for kind, _ in sets} != {SPS, PPS}:
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
    after every frame already taken, and (where reference frames were skipped) when the frames
    it wants decode as in a decode of them all (`skippable_refs` with the packets fed so far);
    otherwise it starts over. Decoded frames are the same either way (one thread, from the same
    IDR), so are the bytes written.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.decoder = None
        self.idr_dts: int | None = None  # dts of the IDR the decoder started from
        self.fed_dts: int | None = None  # dts of the last packet fed
        self.fed: set[int] = set()  # dts of every packet fed
        self.done_pts: int | None = None  # every frame at or before this pts was used up
        self.pending: list = []  # frames decoded past the last re-encode's wanted ones

    def resumable(self, packets: list[Packet], first: int) -> bool:
        return (
            self.decoder is not None
            and packets[0].dts == self.idr_dts
            and self.done_pts is not None
            and first > self.done_pts
        )


def _parameter_table(stream, packets: list[Packet]) -> dict | None:
    """The PPS table of `packets` (the avcC record's, or an Annex B stream's sets, in-band
    included); None where a set changes among them or none can be read."""
    extradata = bytes(stream.codec_context.extradata or b"")
    try:
        if extradata[:1] == b"\x01":
            units = avcc_parameter_sets(extradata)[1]
        else:
            units = annexb_parameter_sets(extradata) + [
                u for p in packets for u in p.parameter_sets
            ]
        sets: dict[tuple[int, int], bytes] = {}
        for unit in units:
            if sets.setdefault(parameter_set_key(unit), unit) != unit:
                return None
        return parameter_set_table(list(sets.values()))
    except NotCopyable:
        return None


def _skipped(
    packets: list[Packet], first: int, table: dict | None, size: int, session
) -> frozenset | None:
    """dts of the reference packets a decode of the frames from `first` on skips
    (`skippable_refs`, `table` the packets' `_parameter_table`), for a fresh decoder or (with
    `session`) the session's going on; None where the session's decoder cannot go on (it
    skipped a frame this decode needs)."""
    fed_before: frozenset[int] = frozenset()
    if session is not None:
        fed_before = frozenset(
            k for k, p in enumerate(packets) if p.dts <= session.fed_dts and p.dts in session.fed
        )
    skip = skippable_refs(packets, first, table, size, fed_before)
    return None if skip is None else frozenset(packets[k].dts for k in skip)


def _reencode(
    stream,
    packets: list[Packet],
    wanted: set[int],
    origin: int,
    settings,
    size: int,
    session: DecodeSession | None = None,
    crop: Crop | None = None,
):
    """(pts, data, is_keyframe) of the frames with pts in `wanted` (consecutive frames),
    decoded from `packets` (decode order, an IDR first) and re-encoded with libx264: no
    B-frames, one IDR first, parameter sets in-band. Frames go to the encoder as they are
    decoded, so memory stays at a few frames; non-reference packets shown before the wanted
    frames are not decoded, nor are the reference ones the wanted frames do not need
    (`skippable_refs`: the bench input's B-references, ~20 % of the packets decoded). With a
    `session`, the decoder of the previous re-encode goes on where it stopped when it can (see
    DecodeSession). With a `crop`, each wanted frame goes through its filters first; one the
    decoder concealed damage in is refused (`damaged_frame`: ffmpeg's re-encode decodes such
    spans again from the stream's start).
    """
    session = session or DecodeSession()
    first = min(wanted)
    resume = session.resumable(packets, first)
    table = _parameter_table(stream, packets)
    skip = _skipped(packets, first, table, size, session if resume else None)
    if skip is None:
        resume, skip = False, _skipped(packets, first, table, size, None)
    try:
        return _decode_encode(
            stream, packets, wanted, origin, settings, size, session, crop, resume, skip
        )
    except NotCopyable as e:
        if not skip or e.reason not in ("frames_missing", "frame_order", "damaged_frame"):
            raise
        # What `_LibavDpb` does not follow (output order, concealment flags): a decoder that
        # skipped frames and lost or flagged a wanted one decodes them all again.
        return _decode_encode(
            stream, packets, wanted, origin, settings, size, session, crop, False, frozenset()
        )


def _decode_encode(stream, packets, wanted, origin, settings, size, session, crop, resume, skip):
    """`_reencode` with a resumed session's decoder or a new one, not feeding the packets
    whose dts are in `skip`."""
    import av

    first, final = min(wanted), max(wanted)
    if resume:
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
    encoder = _encoder(stream, settings, crop)
    graph = _filter_graph(stream, crop.filters) if crop else None
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
            if graph is not None:
                if frame.is_corrupt:
                    raise NotCopyable("damaged_frame", "the decoder concealed damage")
                graph.push(frame)
                frame = graph.pull()
            frame.pts -= origin
            frame.time_base = stream.time_base
            frame.pict_type = av.video.frame.PictureType.NONE
            encoded.extend(encoder.encode(frame))

    try:
        take(backlog)
        for p in packets:
            if seen == len(wanted):
                break
            # Skipped only when shown before the wanted frames: a later clip may want it.
            if (not p.ref and p.pts < first) or p.dts in skip:
                continue
            session.fed_dts = p.dts
            session.fed.add(p.dts)
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
    if size == X264_LENGTH_SIZE:
        return [(p.pts, bytes(p), p.is_keyframe) for p in encoded]
    return [
        (p.pts, length_prefixed(nal_units(bytes(p), X264_LENGTH_SIZE), size), p.is_keyframe)
        for p in encoded
    ]


def _encoder(stream, settings: CutSettings, crop: Crop | None = None):
    import av

    ctx = stream.codec_context
    encoder = av.CodecContext.create("libx264", "w")
    encoder.width, encoder.height = (crop.width, crop.height) if crop else (ctx.width, ctx.height)
    encoder.pix_fmt = "yuv420p"
    if crop:  # square pixels in the SPS, as ffmpeg's re-encode (setsar=1) writes them
        encoder.sample_aspect_ratio = Fraction(1, 1)
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


def _filter_graph(stream, filters: tuple[tuple[str, str], ...]):
    """A libavfilter graph from the stream's decoded frames through `filters` (one frame out
    per frame in, its timestamp kept)."""
    import av

    graph = av.filter.Graph()
    nodes = [graph.add_buffer(template=stream)]
    nodes += [graph.add(name, args) for name, args in filters]
    nodes.append(graph.add("buffersink"))
    for a, b in itertools.pairwise(nodes):
        a.link_to(b)
    graph.configure()
    return graph


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
    crop: Crop | None = None,
) -> CutResult:
    """Cut [start_s, end_s) (source seconds from the file's start) by copy or smart cut.

    A copy may start at a keyframe from `earliest_s` and show frames before `latest_s` (one
    frame past `end_s` at most) where that spares a re-encode. Clips cut in time order from
    one `container` may share a `session` (one decoder carried on between them). With a
    `crop`, every frame of the span is re-encoded through it (`_cropped`).

    Raises NotCopyable when the source does not meet the output contract or the span cannot
    be spliced; the caller re-encodes then.
    """
    import av

    own = container is None
    if own:
        container = open_video(path, settings.allowed_formats)
    try:
        return _cut(
            container, start_s, end_s, earliest_s, settings, square_upright, latest_s, session, crop
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
    crop: Crop | None = None,
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
    if crop is not None:
        return _cropped(
            stream, packets, (start, end), origin_s, rate, settings, length_size, session, crop
        )
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
        avcc = avcc_record([u for u in first if u[0] & 0x1F in (SPS, PPS)], length_size)
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


def _cropped(stream, packets, span, origin_s, rate, settings, size, session, crop: Crop):
    """Every frame with pts in `span` (start, end) decoded, put through `crop` and re-encoded
    with the spliced frames' settings: a source that meets the output contract but for its
    black bars. The same frames and filters as ffmpeg's re-encode of the clip, in this process
    (no second demuxer, probe and seek; a decoder shared with the clips around it)."""
    start, end = span
    frames = sorted(p.pts for p in packets if start <= p.pts < end)
    if not frames:
        raise NotCopyable("empty_span", "no frame inside the clip's span")
    encoded = _reencode(stream, packets, set(frames), frames[0], settings, size, session, crop)
    muxed = [(pts, pts, data, key) for pts, data, key in encoded]
    sets = [u for u in nal_units(muxed[0][2], size) if u[0] & 0x1F in (SPS, PPS)]
    mp4 = _mux(stream, muxed, avcc_record(sets, size), (crop.width, crop.height))
    tb = stream.time_base
    return CutResult(
        mp4=mp4,
        mode=REENCODE,
        first_frame_s=round(_seconds(frames[0], tb, origin_s), 6),
        last_frame_s=round(_seconds(frames[-1], tb, origin_s), 6),
        frames=len(frames),
        fps=float(rate),
        width=crop.width,
        height=crop.height,
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
            table = parameter_set_table(sets)
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


def _mux(stream, muxed, avcc: bytes | None = None, size: tuple[int, int] | None = None) -> bytes:
    """An MP4 of `muxed` (pts, dts, length-prefixed data, keyframe) with the source stream's
    parameters; `avcc`: the record for an Annex B source (whose own extradata is Annex B) or
    for frames of another `size` (width, height) than the source's."""
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
            if size is not None:
                out_stream.codec_context.width, out_stream.codec_context.height = size
            for pts, dts, data, key in muxed:
                packet = av.Packet(data)
                packet.pts, packet.dts = pts, dts
                packet.time_base = stream.time_base
                packet.is_keyframe = key
                packet.stream = out_stream
                out.mux(packet)
        with open(out_path, "rb") as f:
            return f.read()
