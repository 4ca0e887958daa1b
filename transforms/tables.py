"""The output layout and how files get into it: committed whole or not at all, read as tables.

A run writes `OUT/shards/*.tar`, `OUT/manifest/*.parquet`, `OUT/failures/*.parquet` (one
schema per table, derived from `schemas`), `OUT/stats.json`, `OUT/report.html` and, last,
`OUT/_SUCCESS`. Readers take the directory as one table with pyarrow datasets (or DuckDB
`read_parquet('OUT/manifest/*.parquet')`), and still accept an older run's single
`OUT/manifest.parquet`.

Committing follows the object store, not a rename habit: on an object store (gs://, s3://, ...)
an object becomes visible only when its upload completes, so a file is written straight to its
final name; its name is a function of its content's key, so a retried or speculative bundle
rewrites the same bytes. Elsewhere (local disk, HDFS) a file is written under `OUT/.tmp/` and
renamed into place, which is atomic there. Either way nothing half-written ever matches
`*.tar` or `*.parquet`, and `OUT/.tmp/` is removed when the run ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from schemas import Clip, Failure, arrow_schema, record_to_row

MANIFEST = "manifest"
FAILURES = "failures"
SHARDS = "shards"
TMP = ".tmp"
SUCCESS = "_SUCCESS"
LEGACY = {MANIFEST: "manifest.parquet", FAILURES: "failures.parquet"}
SCHEMAS = {MANIFEST: Clip, FAILURES: Failure}
SORT_KEYS = {MANIFEST: ("source", "start_s", "clip_id"), FAILURES: ("source", "stage", "error")}
# Object stores: uploads are atomic, and a rename is a copy plus a delete.
_ATOMIC_UPLOAD_SCHEMES = ("gs", "s3", "az", "abfs", "abfss")


def join(*parts: str) -> str:
    return FileSystems.join(*parts)


def parent(path: str) -> str:
    return FileSystems.split(path)[0]


def ensure_dir(path: str) -> None:
    """Create a local directory (object stores have none); another worker may race us to it."""
    if FileSystems.get_scheme(path) in _ATOMIC_UPLOAD_SCHEMES or FileSystems.exists(path):
        return
    try:
        FileSystems.mkdirs(path)
    except OSError:
        if not FileSystems.exists(path):
            raise


def commit(path: str, data_writer: Callable, tmp_dir: str | None = None) -> None:
    """Write `path` through `data_writer(stream)` so that it appears whole or not at all.

    `tmp_dir` (default: `.tmp` beside `path`'s directory) must be on the same filesystem; it is
    not used on object stores, where the upload itself is atomic.
    """
    if FileSystems.get_scheme(path) in _ATOMIC_UPLOAD_SCHEMES:
        with FileSystems.create(path) as stream:
            data_writer(stream)
        return
    tmp_dir = tmp_dir or join(parent(path), TMP)
    ensure_dir(tmp_dir)
    tmp = join(tmp_dir, f"{uuid.uuid4().hex}-{FileSystems.split(path)[1]}")
    try:
        with FileSystems.create(tmp) as stream:
            data_writer(stream)
        FileSystems.rename([tmp], [path])  # atomic replace on POSIX filesystems
    except BaseException:
        if FileSystems.exists(tmp):
            FileSystems.delete([tmp])
        raise


def write_atomically(path: str, data_writer: Callable) -> None:
    """A top-level output file (stats.json, report.html, config.yaml), committed whole."""
    commit(path, data_writer, join(parent(path), TMP))


def remove_tmp(out_dir: str, *more: str) -> None:
    """Drop what dead workers left under OUT/.tmp (never matched by an output glob), and the
    folders `more` of OUT (what only a resumed run would have read)."""
    for name in (TMP, *more):
        path = join(out_dir, name)
        if FileSystems.exists(path):
            FileSystems.delete([path])


def _sort_key(keys: tuple[str, ...]):
    return lambda row: tuple((row[k] is None, row[k] if row[k] is not None else 0) for k in keys)


def rows_table(records, name: str) -> pa.Table:
    """Records of table `name` as an Arrow table in its fixed schema and deterministic order."""
    rows = sorted((record_to_row(r) for r in records), key=_sort_key(SORT_KEYS[name]))
    return pa.Table.from_pylist(rows, schema=arrow_schema(SCHEMAS[name]))


def parquet_bytes_writer(table: pa.Table) -> Callable:
    return lambda stream: pq.write_table(table, stream, compression="zstd")


def part_name(index: int) -> str:
    return f"part-{index:06d}.parquet"


def table_files(out_dir: str, name: str) -> list[str]:
    """The Parquet files of table `name` under OUT: the directory's parts, else the old file."""
    found = [
        m.path
        for r in FileSystems.match([join(out_dir, name, "*.parquet")])
        for m in r.metadata_list
    ]
    if found:
        return sorted(found)
    legacy = join(out_dir, LEGACY[name])
    return [legacy] if FileSystems.exists(legacy) else []


def has_table(out_dir: str, name: str) -> bool:
    """Whether OUT holds table `name` (either layout); lists at most one file."""
    match = FileSystems.match([join(out_dir, name, "*.parquet")], limits=[1])
    return bool(match[0].metadata_list) or FileSystems.exists(join(out_dir, LEGACY[name]))


def read_file(path: str, columns: list[str] | None = None) -> pa.Table:
    with FileSystems.open(path) as f:
        return pq.read_table(f, columns=columns)


def iter_tables(out_dir: str, name: str, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """Table `name` one file at a time, only `columns`: memory bounded by the largest part."""
    schema = arrow_schema(SCHEMAS[name])
    for path in table_files(out_dir, name):
        table = read_file(path, columns)
        yield table.cast(pa.schema([schema.field(c) for c in table.column_names]))


def read_table(out_dir: str, name: str, columns: list[str] | None = None) -> pa.Table:
    """Table `name` of OUT as one Arrow table (only `columns`; its fixed schema when empty)."""
    schema = arrow_schema(SCHEMAS[name])
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    tables = list(iter_tables(out_dir, name, columns))
    if not tables:
        return schema.empty_table()
    return pa.concat_tables(tables, promote_options="default")


def mark_success(out_dir: str) -> None:
    """OUT/_SUCCESS, the last file a run writes (empty: there is no half-written state)."""
    with FileSystems.create(join(out_dir, SUCCESS)):
        pass
