"""Read a run's manifest and failures tables as DuckDB views, with bounded memory.

One reader for both layouts: a directory of Parquet files with one schema (`OUT/manifest/`,
`OUT/failures/`) and the older single files (`OUT/manifest.parquet`, `OUT/failures.parquet`).
DuckDB scans the files with column projection and spills past its memory limit, so a query over
a manifest of millions of rows never holds it in Python objects, and memory does not grow with
the number of parts. Remote outputs (gs://, s3://)
are copied to a local temporary directory first, through Beam's FileSystems.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from schemas import Clip, Failure, arrow_schema

MANIFEST = "manifest"
FAILURES = "failures"
MEMORY_LIMIT = "1GB"
_SCHEMAS = {MANIFEST: Clip, FAILURES: Failure}


def table_files(out_dir: str, name: str) -> list[str]:
    """The Parquet files of table `name`: `OUT/name/*.parquet`, else `OUT/name.parquet`."""
    pattern = FileSystems.join(out_dir, name, "*.parquet")
    try:
        found = FileSystems.match([pattern])[0].metadata_list
    except OSError:  # BeamIOError for a missing directory on some filesystems
        found = []
    # skip temporaries of an unfinished atomic write (`.tmp-...`)
    files = sorted(m.path for m in found if not m.path.rsplit("/", 1)[-1].startswith("."))
    if files:
        return files
    single = FileSystems.join(out_dir, f"{name}.parquet")
    return [single] if FileSystems.exists(single) else []


def has_manifest(out_dir: str) -> bool:
    return bool(table_files(out_dir, MANIFEST))


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _localize(files: list[str], tmp: str) -> list[str]:
    local = []
    for i, path in enumerate(files):
        if _is_local(path):
            local.append(path.removeprefix("file://"))
            continue
        target = f"{tmp}/{i:06d}.parquet"
        with FileSystems.open(path) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        local.append(target)
    return local


def _create_view(con, name: str, files: list[str]) -> None:
    """View `name` over local Parquet `files`: one scan per schema, the scans unioned by name.

    Not `read_parquet(files, union_by_name=True)`: that keeps every file's reader state for
    the query's life (~175 kB a part, 270 MB for the 1,563 parts of a million-row manifest).
    A run writes one schema, so this is one scan; an older run's parts add one each.
    """
    by_schema: dict[pa.Schema, list[str]] = {}
    for path in files:
        by_schema.setdefault(pq.read_schema(path), []).append(path)
    scans = []
    for i, paths in enumerate(by_schema.values()):
        con.read_parquet(paths).create_view(f"_{name}_{i}")
        scans.append(f"SELECT * FROM _{name}_{i}")
    con.execute(f"CREATE VIEW {name} AS {' UNION ALL BY NAME '.join(scans)}")


@contextlib.contextmanager
def open_tables(out_dir: str, memory_limit: str = MEMORY_LIMIT) -> Iterator:
    """A DuckDB connection with views `manifest` and `failures` over `out_dir`'s tables.

    A missing table is an empty one (a run whose every input failed has no manifest part);
    the commands check `has_manifest` first.
    """
    import duckdb

    out_dir = out_dir.rstrip("/")
    with tempfile.TemporaryDirectory(prefix="cliploom-tables-") as tmp:
        con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": tmp})
        try:
            for name, cls in _SCHEMAS.items():
                files = _localize(table_files(out_dir, name), tmp)
                if files:
                    _create_view(con, name, files)
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
