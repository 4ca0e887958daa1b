"""Read a run's manifest and failures tables as DuckDB views, with bounded memory.

One reader for both layouts: a directory of Parquet files with one schema (`OUT/manifest/`,
`OUT/failures/`) and the older single files (`OUT/manifest.parquet`, `OUT/failures.parquet`).
DuckDB scans the files with column projection and spills past its memory limit, so a query over
a manifest of millions of rows never holds it in Python objects, and memory does not grow with
the number of parts. Remote outputs (gs://, s3://, any Beam filesystem) are read in place:
DuckDB reads each part's footer and the column chunks a query needs by range, through
Beam's FileSystems, and nothing is copied to local disk.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import io
import tempfile
import threading
from collections.abc import Iterator

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes, FileMetadata
from apache_beam.io.filesystems import FileSystems

from schemas import Clip, Failure, arrow_schema

MANIFEST = "manifest"
FAILURES = "failures"
MEMORY_LIMIT = "1GB"
# Remote parts are read in blocks kept in memory, least recently used out: each query of the
# report reads every part's footer and some of its column chunks again, from memory while they
# fit (a 1M-clip run's manifest and failures, ~50 MB in 1,563 parts of 640 rows, do). A block
# is small next to a bigger part, so a query of one column does not read all of it.
BLOCK_BYTES = 16 << 10
CACHE_BYTES = 64 << 20
_SCHEMAS = {MANIFEST: Clip, FAILURES: Failure}


def table_files(out_dir: str, name: str) -> list[str]:
    """The Parquet files of table `name`: `OUT/name/*.parquet`, else `OUT/name.parquet`."""
    return [m.path for m in _table_metadata(out_dir, name)]


def _table_metadata(out_dir: str, name: str) -> list[FileMetadata]:
    def match(pattern: str) -> list[FileMetadata]:
        try:
            return FileSystems.match([pattern])[0].metadata_list
        except OSError:  # BeamIOError for a missing directory on some filesystems
            return []

    found = match(FileSystems.join(out_dir, name, "*.parquet"))
    # skip temporaries of an unfinished atomic write (`.tmp-...`)
    found = [m for m in found if not m.path.rsplit("/", 1)[-1].startswith(".")]
    if found:
        return sorted(found, key=lambda m: m.path)
    single = FileSystems.join(out_dir, f"{name}.parquet")
    return match(single) if FileSystems.exists(single) else []


def has_manifest(out_dir: str) -> bool:
    return bool(table_files(out_dir, MANIFEST))


def _is_local(path: str) -> bool:
    return FileSystems.get_scheme(path) in (None, "file")


class _BlockCache:
    """Blocks read of remote files, up to `budget` bytes, least recently used out."""

    def __init__(self, budget: int):
        self._budget, self._held = budget, 0
        self._ranges: collections.OrderedDict[tuple, bytes] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            data = self._ranges.get(key)
            if data is not None:
                self._ranges.move_to_end(key)
            return data

    def put(self, key: tuple, data: bytes) -> None:
        if len(data) > self._budget:
            return
        with self._lock:
            if key in self._ranges:
                return
            self._ranges[key] = data
            self._held += len(data)
            while self._held > self._budget:
                _, dropped = self._ranges.popitem(last=False)
                self._held -= len(dropped)


class _BeamFile(io.RawIOBase):
    """One part, read by exact ranges through Beam's FileSystems.

    DuckDB's scan threads share one handle of a file and send each read as a seek, then a read:
    the position is kept per thread, and a lock keeps one range read of the stream at a time.
    """

    def __init__(self, url: str, size: int, cache: _BlockCache):
        super().__init__()
        self._url, self._size, self._cache = url, size, cache
        self._at = threading.local()
        self._lock = threading.Lock()
        self._opened = self._stream = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return getattr(self._at, "pos", 0)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.tell(), io.SEEK_END: self._size}[whence]
        self._at.pos = max(0, base + offset)
        return self._at.pos

    def read(self, size: int = -1) -> bytes:
        start = self.tell()
        end = self._size if size is None or size < 0 else min(start + size, self._size)
        if end <= start:
            return b""
        first, last = start // BLOCK_BYTES, (end - 1) // BLOCK_BYTES
        blocks = {b: self._cache.get((self._url, b)) for b in range(first, last + 1)}
        missing = [b for b, data in blocks.items() if data is None]
        runs: list[list[int]] = []  # one read per run of adjacent missing blocks
        for b in missing:
            if runs and runs[-1][-1] == b - 1:
                runs[-1].append(b)
            else:
                runs.append([b])
        for run in runs:
            lo, hi = run[0] * BLOCK_BYTES, min((run[-1] + 1) * BLOCK_BYTES, self._size)
            with self._lock:
                got = self._read_range(lo, hi)
            for b in run:
                block = got[(b - run[0]) * BLOCK_BYTES : (b - run[0] + 1) * BLOCK_BYTES]
                blocks[b] = block
                self._cache.put((self._url, b), block)
        offset = start - first * BLOCK_BYTES
        data = b"".join(blocks[b] for b in range(first, last + 1))[offset : offset + end - start]
        self._at.pos = start + len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _read_range(self, start: int, end: int) -> bytes:
        if self._stream is None:
            raw = CompressionTypes.UNCOMPRESSED
            self._opened = FileSystems.open(self._url, compression_type=raw)
            # Beam's S3 reader is a BufferedReader that fills 16 MB per read, which for a part
            # is the rest of it: read its raw stream, one request per range DuckDB asks for.
            buffered = isinstance(self._opened, io.BufferedReader)
            self._stream = self._opened.raw if buffered else self._opened
        self._stream.seek(start)
        chunks, left = [], end - start
        while left > 0:
            chunk = self._stream.read(left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.close()
                self._opened = self._stream = None
        super().close()


class BeamFiles(fsspec.AbstractFileSystem):
    """Beam's FileSystems as a read-only fsspec filesystem, for DuckDB's `register_filesystem`.

    `cliploom-beam://s3/bucket/key` is Beam's `s3://bucket/key`: a protocol of our own, so
    DuckDB never hands these paths to its httpfs extension. It keeps the metadata that listing
    the table returned, so DuckDB's stat of a part costs no second request.
    """

    protocol = PROTOCOL = "cliploom-beam"
    cachable = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._known: dict[str, FileMetadata] = {}
        self._cache = _BlockCache(CACHE_BYTES)

    @classmethod
    def path(cls, url: str) -> str:
        scheme, rest = url.split("://", 1)
        return f"{cls.PROTOCOL}://{scheme}/{rest}"

    def readable(self, meta: FileMetadata) -> str:
        """A path DuckDB can read `meta.path` by: local as it is, else one of this filesystem."""
        if _is_local(meta.path):
            return meta.path.removeprefix("file://")
        self._known[meta.path] = meta
        return self.path(meta.path)

    def url(self, path: str) -> str:
        scheme, rest = self._strip_protocol(path).split("/", 1)
        return f"{scheme}://{rest}"

    def _metadata(self, path: str) -> FileMetadata:
        url = self.url(path)
        if url not in self._known:
            found = FileSystems.match([url])[0].metadata_list
            if not found:
                raise FileNotFoundError(url)
            self._known[url] = found[0]
        return self._known[url]

    def info(self, path: str, **kwargs) -> dict:
        meta = self._metadata(path)
        return {"name": self._strip_protocol(path), "size": meta.size_in_bytes, "type": "file"}

    def modified(self, path: str) -> datetime.datetime:
        seconds = self._metadata(path).last_updated_in_seconds or 0
        return datetime.datetime.fromtimestamp(seconds, datetime.UTC)

    def ls(self, path: str, detail: bool = True, **kwargs) -> list:
        pattern = FileSystems.join(self.url(path).rstrip("/"), "*")
        found = FileSystems.match([pattern])[0].metadata_list
        self._known.update((m.path, m) for m in found)
        infos = [self.info(self.path(m.path)) for m in found]
        return infos if detail else [i["name"] for i in infos]

    def _open(self, path: str, mode: str = "rb", **kwargs) -> _BeamFile:
        if mode != "rb":
            raise NotImplementedError(f"{self.PROTOCOL} is read-only")
        return _BeamFile(self.url(path), self._metadata(path).size_in_bytes, self._cache)


def _create_view(con, name: str, files: list[str], fs: BeamFiles) -> None:
    """View `name` over Parquet `files` (local, or paths of `fs`): one scan per schema, the
    scans unioned by name.

    Not `read_parquet(files, union_by_name=True)`: that keeps every file's reader state for
    the query's life (~175 kB a part, 270 MB for the 1,563 parts of a million-row manifest).
    A run writes one schema, so this is one scan; an older run's parts add one each.
    """
    by_schema: dict[pa.Schema, list[str]] = {}
    for path in files:
        if path.startswith(f"{fs.PROTOCOL}://"):
            with fs.open(path) as f:
                schema = pq.read_schema(f)
        else:
            schema = pq.read_schema(path)
        by_schema.setdefault(schema, []).append(path)
    scans = []
    for i, paths in enumerate(by_schema.values()):
        con.read_parquet(paths).create_view(f"_{name}_{i}")
        scans.append(f"SELECT * FROM _{name}_{i}")
    con.execute(f"CREATE VIEW {name} AS {' UNION ALL BY NAME '.join(scans)}")


@contextlib.contextmanager
def open_tables(out_dir: str, memory_limit: str = MEMORY_LIMIT) -> Iterator:
    """A DuckDB connection with views `manifest` and `failures` over `out_dir`'s tables.

    A missing table is an empty one (a run whose every input failed has no manifest part);
    the commands check `has_manifest` first. The temporary directory only takes DuckDB's
    spills.
    """
    import duckdb

    out_dir = out_dir.rstrip("/")
    with tempfile.TemporaryDirectory(prefix="cliploom-tables-") as tmp:
        con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": tmp})
        fs = BeamFiles()
        con.register_filesystem(fs)
        try:
            for name, cls in _SCHEMAS.items():
                files = [fs.readable(m) for m in _table_metadata(out_dir, name)]
                if files:
                    _create_view(con, name, files, fs)
                else:
                    empty = pa.Table.from_pylist([], schema=arrow_schema(cls))
                    con.register(f"_{name}_empty", empty)
                    con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")
            yield con
        finally:
            con.close()


def columns(con, view: str = MANIFEST) -> dict[str, str]:
    """Column name -> DuckDB type of `view`."""
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE {view}").fetchall()}
