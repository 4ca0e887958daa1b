"""Safe access to untrusted video files: local copies, sniffing, ffmpeg and PyAV options.

Untrusted input may be a playlist or concat script that makes ffmpeg open other files or URLs,
so every open restricts protocols to `file` and demuxers to the configured allowlist, and
paths are passed as `file:` URLs so a name like `concat:a|b` or `-i` is only a name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator

from apache_beam.io.filesystems import FileSystems

CHUNK_BYTES = 1 << 20

# Text signatures of playlists and scripts that ffmpeg would follow to other files.
_PLAYLIST_MAGIC = (b"#EXTM3U", b"#EXTINF", b"ffconcat", b"[playlist]", b"<?xml", b"<smil")


class MediaError(Exception):
    """An input that cannot be used; `error` is the snake_case failure kind."""

    def __init__(self, error: str, detail: str):
        super().__init__(f"{error}: {detail}")
        self.error = error
        self.detail = detail


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


def sniff(path: str) -> None:
    """Reject empty files and text playlists before any demuxer sees them."""
    size = os.path.getsize(path)
    if size == 0:
        raise MediaError("empty_file", "file has 0 bytes")
    with open(path, "rb") as f:
        head = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(head.startswith(magic) for magic in _PLAYLIST_MAGIC):
        raise MediaError("playlist", "playlists and concat scripts are not accepted as input")


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def is_local(uri: str) -> bool:
    return FileSystems.get_scheme(uri) in (None, "file")


@contextlib.contextmanager
def local_copy(uri: str) -> Iterator[str]:
    """A local path for `uri`: the file itself, or a temporary copy of a remote object.

    The copy's name is a hash, never the (possibly hostile) source name.
    """
    if is_local(uri):
        if not os.path.isfile(uri):
            raise MediaError("not_a_file", f"no such file: {uri}")
        yield uri
        return
    suffix = os.path.splitext(uri)[1][:8]
    name = hashlib.sha256(uri.encode()).hexdigest()[:16] + suffix
    with tempfile.TemporaryDirectory(prefix="cliploom-") as tmp:
        path = os.path.join(tmp, name)
        with FileSystems.open(uri) as src, open(path, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK_BYTES)
        yield path


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
