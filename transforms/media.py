"""Safe access to untrusted video files: local copies, streams, sniffing, ffmpeg and PyAV options.

Untrusted input may be a playlist or concat script that makes ffmpeg open other files or URLs,
so every open restricts protocols to `file` and demuxers to the configured allowlist, and
paths are passed as `file:` URLs so a name like `concat:a|b` or `-i` is only a name.

Remote sources (gs://, s3://, anything Beam's FileSystems reads) are fetched once per worker
machine: `local_copy` keeps one copy per source in a cache directory shared by the worker's SDK
processes (file locks), reused by probe, the scene pass and every encode chunk that lands on that
worker, and evicted least-recently-used beyond a byte budget. `open_stream` reads a source
as a seekable stream without any copy, for readers that need only part of it. Storage errors
that are not the input's fault (network, throttling, a full disk) are retried, then raised as
`TransientIOError` so the runner retries the bundle; only a missing or unusable input becomes a
`MediaError` (a failures row).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from typing import BinaryIO

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20
CACHE_DIR_ENV = "CLIPLOOM_CACHE_DIR"  # default: $TMPDIR/cliploom-cache
CACHE_MB_ENV = "CLIPLOOM_CACHE_MB"  # default: 40% of the cache disk's size
# Retries after the first try (backoff 1 s, 2 s), on top of the storage client's own (Beam retries
# S3 and GCS server errors for minutes): these catch what the clients do not (a reset mid-copy).
RETRIES = 2
BACKOFF_S = 1.0
DISK_RESERVE_BYTES = 512 << 20  # kept free beside a new copy (encode writes clips there too)

# Text signatures of playlists and scripts that ffmpeg would follow to other files.
_PLAYLIST_MAGIC = (b"#EXTM3U", b"#EXTINF", b"ffconcat", b"[playlist]", b"<?xml", b"<smil")


class MediaError(Exception):
    """An input that cannot be used; `error` is the snake_case failure kind."""

    def __init__(self, error: str, detail: str):
        super().__init__(f"{error}: {detail}")
        self.error = error
        self.detail = detail


class TransientIOError(Exception):
    """Storage failed for a reason that is not the input's (network, throttling, a full disk),
    after retries. Not an OSError, so stages do not turn it into a failures row: it fails the
    bundle and the runner retries it (Dataflow: 4 times, then the job fails)."""


def ffmpeg_exe() -> str:
    """CLIPLOOM_FFMPEG, else the imageio-ffmpeg static build, else ffmpeg on PATH."""
    explicit = os.environ.get("CLIPLOOM_FFMPEG")
    if explicit:
        return explicit
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        found = shutil.which("ffmpeg")
        if not found:
            raise
        return found


def file_url(path: str) -> str:
    return "file:" + os.path.abspath(path)


def open_options(allowed_formats: list[str]) -> dict[str, str]:
    """AVFormatContext options for PyAV and the ffmpeg CLI alike."""
    return {"protocol_whitelist": "file", "format_whitelist": ",".join(allowed_formats)}


def open_video(path: str, allowed_formats) -> object:
    """A PyAV container of the local file `path`, demuxers limited to `allowed_formats`;
    MediaError `corrupt_container` when libav cannot open it."""
    import av

    try:
        return av.open(file_url(path), options=open_options(list(allowed_formats)))
    except av.FFmpegError as e:
        raise MediaError("corrupt_container", str(e)) from e


def start_time_s(container) -> float:
    """The container's start time: source times (probe, decode pass, cuts) count from it."""
    return container.start_time / 1e6 if container.start_time else 0.0


# How far past the wanted time a keyframe may be searched for after a seek before the landing
# counts as late (seconds), and the first step back (doubled each time).
SEEK_SCAN_S = 1.0
SEEK_BACK_S = 1.0


def seek_before(container, stream, t_s: float, origin_s: float) -> float:
    """Seek so that demuxing `stream` reaches a keyframe at or before `t_s` (seconds from the
    source's start) before any later one; returns the time sought (`t_s` or earlier, 0 for the
    start).

    Demuxers with an index (MP4, Matroska) land on the keyframe before `t_s`. MPEG-TS and PS
    seek by bytes and land on any packet with a time before it: the decoder then drops the
    frames up to the next keyframe, which may be after `t_s` (a broadcast capture's clip began
    a GOP late, or in the next shot). Such a landing is seen from the packets (demuxed, not
    decoded), and the seek moves back 1 s, 2 s, 4 s... or to the start.
    """
    import av

    base = stream.time_base
    back = 0.0
    try:
        while t_s - back > 0:
            target = int((t_s - back + origin_s) / base)
            container.seek(target, stream=stream)
            if _key_in_time(container, stream, t_s + origin_s, base):
                container.seek(target, stream=stream)
                return t_s - back
            back = SEEK_BACK_S if not back else 2 * back
        container.seek(0)
    except av.FFmpegError as e:
        raise MediaError("unseekable", f"seeking to {t_s:.3f}s: {e}") from e
    return 0.0


def _key_in_time(container, stream, until_s: float, base) -> bool:
    """Whether the first keyframe demuxed from here is at or before `until_s` (container time;
    also true when the stream ends first, nothing later could be shown, or breaks: the reader
    meets the damage itself) and starts a clean decode there (`clean_entry`), or else the
    decoder shows a frame by `until_s` when decoding from it."""
    import av

    packets = container.demux(stream)
    try:
        for packet in packets:
            if packet.pts is None:
                continue
            if packet.is_keyframe:
                if float(packet.pts * base) > until_s + 1e-6:
                    return False
                return clean_entry(stream, packet) or _shown_by(stream, packet, packets, until_s)
            if float(packet.pts * base) > until_s + SEEK_SCAN_S:
                return False
    except av.FFmpegError:
        pass
    return True


def clean_entry(stream, packet) -> bool:
    """Whether decoding can start at this keyframe packet with every frame shown. An H.264
    recovery point (the P-frames of an intra-refresh stream, which MP4 muxers and the MPEG-TS
    parser flag as keyframes) is not one: libav shows no frame until the refresh has swept the
    picture, up to a GOP later, so a clip seeked to one began late and ran past its cut. An IDR
    or an I slice (an open GOP's I-frame) is; other codecs' keyframes are taken as they are."""
    if stream.codec_context.name != "h264":
        return True
    from transforms.h264 import NotCopyable, annexb_units, nal_units, slice_type

    extradata = bytes(stream.codec_context.extradata or b"")
    data = bytes(packet)
    try:  # avcC extradata: length-prefixed units; else an Annex B stream (MPEG-TS, raw)
        units = (
            nal_units(data, (extradata[4] & 3) + 1)
            if extradata[:1] == b"\x01" and len(extradata) > 4
            else annexb_units(data)
        )
        for unit in units:
            kind = unit[0] & 0x1F
            if kind == 5:
                return True
            if kind == 1:  # the first slice's type: I (2, 7) or SI (4, 9)
                return slice_type(unit) % 5 in (2, 4)
    except NotCopyable:
        pass  # unreadable: the decoder meets it
    return True


def _shown_by(stream, packet, packets, until_s: float) -> bool:
    """Whether a decoder started at `packet` (then fed `packets`) shows its first frame by
    `until_s` (container time); it stops SEEK_SCAN_S past it."""
    import av

    base = stream.time_base
    decoder = av.CodecContext.create(stream.codec_context.name, "r")
    decoder.extradata = stream.codec_context.extradata
    decoder.thread_count = 1
    try:
        for p in (packet, *_until(packets, until_s + SEEK_SCAN_S, base), None):
            for frame in decoder.decode(p):
                if frame.pts is not None:
                    return float(frame.pts * base) <= until_s + 1e-6
    except av.FFmpegError:
        return True  # damage: the reader meets it
    return False


def _until(packets, end_s: float, base) -> Iterator:
    for packet in packets:
        if packet.pts is not None and float(packet.pts * base) > end_s:
            return
        yield packet


def sniff_head(head: bytes, size: int) -> None:
    """Reject empty files and text playlists (from their first bytes) before a demuxer sees them."""
    if size == 0:
        raise MediaError("empty_file", "file has 0 bytes")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(head.startswith(magic) for magic in _PLAYLIST_MAGIC):
        raise MediaError("playlist", "playlists and concat scripts are not accepted as input")


def sniff(path: str) -> None:
    with open(path, "rb") as f:
        sniff_head(f.read(512), os.path.getsize(path))


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def is_local(uri: str) -> bool:
    return FileSystems.get_scheme(uri) in (None, "file")


# ----------------------------------------------------------------------------- storage errors


def _not_found(e: BaseException) -> bool:
    if isinstance(e, FileNotFoundError):
        return True
    code = getattr(e, "code", None) or getattr(e, "status_code", None)
    if code in (404, "404", "NoSuchKey", "NotFound"):
        return True
    details = getattr(e, "exception_details", None)  # BeamIOError
    if isinstance(details, dict) and details:
        return all(_not_found(d) for d in details.values() if isinstance(d, BaseException))
    return type(e).__name__ in ("NotFound", "NoSuchKey")


def _disk_full(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)


def with_retries(what: str, uri: str, attempt_fn, retries: int | None = None):
    """`attempt_fn()`, retried on storage errors; a missing object is the input's MediaError,
    anything else left after the retries a TransientIOError."""
    retries = RETRIES if retries is None else retries
    for attempt in range(retries + 1):
        try:
            return attempt_fn()
        except MediaError:
            raise
        except Exception as e:
            if _not_found(e):
                raise MediaError("not_found", f"{uri}: {type(e).__name__}") from e
            if attempt == retries:
                raise TransientIOError(
                    f"{what} {uri} failed {retries + 1} times: {type(e).__name__}: {e}"
                ) from e
            log.warning("%s %s failed (%s: %s); retrying", what, uri, type(e).__name__, e)
            time.sleep(BACKOFF_S * 2**attempt)
    raise AssertionError("unreachable")


def source_size(uri: str) -> tuple[int, float]:
    """(size in bytes, last modified) of a remote source; MediaError when it does not exist."""

    def stat():
        matched = FileSystems.match([uri])[0].metadata_list
        if not matched:
            raise MediaError("not_found", f"no such object: {uri}")
        meta = matched[0]
        return meta.size_in_bytes, float(getattr(meta, "last_updated_in_seconds", 0) or 0)

    return with_retries("stat", uri, stat)


def open_stream(uri: str) -> BinaryIO:
    """A seekable binary stream of `uri` (no local copy; remote objects read by ranges).

    PyAV takes it as `av.open(stream, options=open_options(...))`. Read errors later in the
    stream are the caller's to classify (`with_retries` around a whole read pass).
    """
    if is_local(uri):
        if not os.path.isfile(uri):
            raise MediaError("not_a_file", f"no such file: {uri}")
        return open(uri, "rb")
    return with_retries(
        "open",
        uri,
        lambda: FileSystems.open(uri, compression_type=CompressionTypes.UNCOMPRESSED),
    )


# ----------------------------------------------------------------------------- the copy cache


def cache_dir() -> str:
    path = os.environ.get(CACHE_DIR_ENV) or os.path.join(tempfile.gettempdir(), "cliploom-cache")
    os.makedirs(path, exist_ok=True)
    return path


def cache_budget_bytes(directory: str) -> int:
    explicit = os.environ.get(CACHE_MB_ENV)
    if explicit:
        return int(float(explicit) * 1e6)
    return int(shutil.disk_usage(directory).total * 0.4)


def _cached_files(directory: str) -> list[os.DirEntry]:
    with os.scandir(directory) as entries:
        return [e for e in entries if e.is_file() and e.name.endswith(".copy")]


def evict(directory: str, budget_bytes: int, need_bytes: int = 0) -> int:
    """Delete least-recently-used copies no process is reading until the cache holds at most
    `budget_bytes` and the disk has `need_bytes` free; returns the bytes freed."""
    freed = 0
    entries = sorted(_cached_files(directory), key=lambda e: e.stat().st_mtime)
    total = sum(e.stat().st_size for e in entries)
    for entry in entries:
        if total <= budget_bytes and shutil.disk_usage(directory).free >= need_bytes:
            break
        with open(entry.path + ".lock", "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # in use by a reader on this worker
            size = entry.stat().st_size
            os.unlink(entry.path)
        total, freed = total - size, freed + size
    return freed


def _download(uri: str, path: str, size: int) -> None:
    part = f"{path}.{os.getpid()}.part"

    def attempt():
        try:
            raw = CompressionTypes.UNCOMPRESSED
            with FileSystems.open(uri, compression_type=raw) as src, open(part, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK_BYTES)
            got = os.path.getsize(part)
            if got != size:
                raise OSError(errno.EIO, f"short read: {got} of {size} bytes")
            os.replace(part, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)

    with_retries("copy", uri, attempt)


@contextlib.contextmanager
def local_copy(uri: str) -> Iterator[str]:
    """A local path for `uri`: the file itself, or this worker's cached copy of a remote object.

    The first caller on a worker fetches the object (one full read); later callers on that worker
    (probe, the scene pass, encode chunks, other SDK processes) reuse the copy while it is in the
    cache. A copy is never deleted while a caller holds it. The copy's name is a hash of the URI,
    size and modification time, never the (possibly hostile) source name.
    """
    if is_local(uri):
        if not os.path.isfile(uri):
            raise MediaError("not_a_file", f"no such file: {uri}")
        yield uri
        return
    size, modified = source_size(uri)
    directory = cache_dir()
    key = hashlib.sha256(f"{uri}\0{size}\0{modified}".encode()).hexdigest()[:32]
    path = os.path.join(directory, key + ".copy")
    with open(path + ".lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)  # held while the caller reads: never evicted
        if os.path.exists(path):
            os.utime(path)  # recently used: evicted last
        else:
            # Released first: two callers converting shared locks to exclusive would deadlock.
            fcntl.flock(lock, fcntl.LOCK_UN)
            fcntl.flock(lock, fcntl.LOCK_EX)  # one fetch per worker; other callers wait for it
            try:
                if not os.path.exists(path):
                    budget = cache_budget_bytes(directory)
                    evict(directory, max(budget - size, 0), need_bytes=size + DISK_RESERVE_BYTES)
                    _download(uri, path, size)
            finally:
                fcntl.flock(lock, fcntl.LOCK_SH)
        try:
            yield path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    evict(directory, cache_budget_bytes(directory))


# AVFieldOrder: 0 unknown, 1 progressive, 2-5 the four orders of two fields (tt, bb, tb, bt)
INTERLACED_ORDERS = {2, 3, 4, 5, "tt", "bb", "tb", "bt"}


def is_interlaced(field_order) -> bool:
    """Whether a codec context's field order (PyAV gives an int or a name) is two fields."""
    return field_order in INTERLACED_ORDERS


def first_field(field_order) -> str:
    """The field shown first ("top" or "bottom") of a codec context's field order (tt and bt
    show the top field first, bb and tb the bottom; unknown: top, the common order)."""
    return "bottom" if field_order in (3, 4, "bb", "tb") else "top"


def upright_rotation(display_rotation: float) -> int:
    """Clockwise degrees that make a frame upright, from a display-matrix angle.

    ffmpeg's display matrix angle is counter-clockwise; autorotation turns by its negative.
    """
    return round(-display_rotation / 90.0) % 4 * 90


def rotate_image(image, rotation_deg: int):
    """Rotate an HxWxC array clockwise by 0/90/180/270 degrees."""
    import numpy as np

    if rotation_deg == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=-(rotation_deg // 90)))
