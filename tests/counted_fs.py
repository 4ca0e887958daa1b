"""`counted:///abs/path`: a Beam filesystem over the local `/abs/path` that stands for a remote
store in the launcher's tests. DuckDB cannot open these paths itself, and every byte read through
Beam is counted per file, so a test can say what a command fetched of each object."""

from __future__ import annotations

import io
from collections import Counter

from apache_beam.io.filesystem import FileMetadata
from apache_beam.io.localfilesystem import LocalFileSystem

SCHEME = "counted"
PREFIX = f"{SCHEME}://"
BYTES_READ: Counter[str] = Counter()  # local path -> bytes read


def remote(path) -> str:
    return f"{PREFIX}{path}"


def _local(path: str) -> str:
    return path.removeprefix(PREFIX)


class _CountedReader(io.RawIOBase):
    def __init__(self, f, path: str):
        self._f, self._path = f, path

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self._f.readinto(b)
        BYTES_READ[self._path] += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._f.seek(offset, whence)

    def tell(self) -> int:
        return self._f.tell()

    def close(self) -> None:
        self._f.close()
        super().close()


class CountedFileSystem(LocalFileSystem):
    @classmethod
    def scheme(cls) -> str:
        return SCHEME

    def split(self, path: str) -> tuple[str, str]:
        head, tail = super().split(_local(path))
        return remote(head), tail

    def mkdirs(self, path: str) -> None:
        super().mkdirs(_local(path))

    def _list(self, dir_or_prefix: str):
        for m in super()._list(_local(dir_or_prefix)):
            yield FileMetadata(remote(m.path), m.size_in_bytes, m.last_updated_in_seconds)

    def _path_open(self, path, mode, *args, **kwargs):
        f = super()._path_open(_local(path), mode, *args, **kwargs)
        return _CountedReader(f, _local(path)) if "r" in mode else f

    def exists(self, path: str) -> bool:
        return super().exists(_local(path))

    def size(self, path: str) -> int:
        return super().size(_local(path))

    def last_updated(self, path: str) -> float:
        return super().last_updated(_local(path))

    def metadata(self, path: str) -> FileMetadata:
        m = super().metadata(_local(path))
        return FileMetadata(path, m.size_in_bytes, m.last_updated_in_seconds)

    def rename(self, sources: list[str], destinations: list[str]) -> None:
        super().rename([_local(p) for p in sources], [_local(p) for p in destinations])

    def delete(self, paths: list[str]) -> None:
        super().delete([_local(p) for p in paths])
