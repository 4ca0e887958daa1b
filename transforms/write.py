"""Write: WebDataset shards of kept clips, and the manifest and failures tables.

Shard membership is decided from the global list of kept clips sorted by id, packed to the
target size, so it does not depend on the runner or on arrival order. Each shard is one group
of a GroupByKey, written by `TarWriter` with a fixed mtime to a temporary name and renamed when
complete, so a retried bundle never leaves half a shard under a final name.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from dataclasses import dataclass

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from schemas import Clip, Failure, arrow_schema, record_to_row
from transforms.common import StageCounters

STAGE = "write"
TAR_MTIME = 946684800.0  # 2000-01-01: fixed so a re-run gives byte-identical tars
MANIFEST = "manifest.parquet"
FAILURES = "failures.parquet"


@dataclass(frozen=True)
class WriteConfig:
    shard_prefix: str = "clips"
    target_shard_mb: float = 512.0

    def __post_init__(self):
        if not self.shard_prefix or any(c in self.shard_prefix for c in "/\\{}"):
            raise ValueError(f"write.shard_prefix is not a plain name: {self.shard_prefix!r}")
        if self.target_shard_mb <= 0:
            raise ValueError("write.target_shard_mb must be > 0")


def shard_name(prefix: str, index: int) -> str:
    return f"{prefix}-{index:06d}.tar"


def assign_shards(sizes: list[tuple[str, int]], target_bytes: float, prefix: str) -> dict[str, str]:
    """clip_id -> shard file name: clips sorted by id, packed until a shard reaches the target."""
    assignment, index, filled = {}, 0, 0
    for clip_id, size in sorted(sizes):
        if filled and filled + size > target_bytes:
            index, filled = index + 1, 0
        assignment[clip_id] = shard_name(prefix, index)
        filled += size
    return assignment


def clip_json(clip: Clip) -> bytes:
    return json.dumps(record_to_row(clip), ensure_ascii=False, sort_keys=True).encode()


def write_atomically(path: str, data_writer) -> None:
    """Write through `data_writer(stream)` to a temporary name, then rename to `path`."""
    directory, name = path.rsplit("/", 1) if "/" in path else (".", path)
    tmp = FileSystems.join(directory, f".tmp-{uuid.uuid4().hex}-{name}")
    with FileSystems.create(tmp) as stream:
        data_writer(stream)
    if FileSystems.exists(path):
        FileSystems.delete([path])
    FileSystems.rename([tmp], [path])


class _WriteShardFn(beam.DoFn):
    def __init__(self, shards_dir: str):
        self.shards_dir = shards_dir

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, keyed):
        import webdataset as wds

        name, media = keyed
        media = sorted(media, key=lambda m: m.clip.clip_id)

        def write(stream):
            # TarWriter streams (tar mode "w|"): no seeking, so any Beam filesystem works.
            with wds.TarWriter(stream, mtime=TAR_MTIME, encoder=False) as tar:
                for m in media:
                    clip = dataclasses.replace(m.clip, shard=name)
                    sample = {"__key__": clip.clip_id, "mp4": m.mp4, "jpg": m.jpg}
                    if clip.caption_en:
                        sample["en.txt"] = clip.caption_en.encode()
                    if clip.caption_zh:
                        sample["zh.txt"] = clip.caption_zh.encode()
                    tar.write({**sample, "json": clip_json(clip)})

        write_atomically(FileSystems.join(self.shards_dir, name), write)
        self.counters.inc("shards")
        self.counters.inc("clips", len(media))
        yield name


def _with_shard(clip: Clip, assignment: dict[str, str]) -> Clip:
    return dataclasses.replace(clip, shard=assignment.get(clip.clip_id)) if clip.kept else clip


class WriteShards(beam.PTransform):
    """ClipMedia -> shards under `out/shards`; returns the kept Clips with their shard set."""

    def __init__(self, out_dir: str, config: WriteConfig):
        super().__init__()
        self.shards_dir = FileSystems.join(out_dir, "shards")
        self.config = config

    def expand(self, media):
        target = self.config.target_shard_mb * 1e6
        prefix = self.config.shard_prefix
        assignment = (
            media
            | "Sizes" >> beam.Map(lambda m: (m.clip.clip_id, len(m.mp4) + len(m.jpg)))
            | "AllSizes" >> beam.combiners.ToList()
            | "Assign" >> beam.Map(assign_shards, target, prefix)
        )
        side = beam.pvalue.AsSingleton(assignment)
        _ = (
            media
            | "KeyByShard" >> beam.Map(lambda m, a: (a[m.clip.clip_id], m), side)
            | "GroupByShard" >> beam.GroupByKey()
            | "WriteTar" >> beam.ParDo(_WriteShardFn(self.shards_dir))
        )
        return media | "Clips" >> beam.Map(lambda m, a: _with_shard(m.clip, a), side)


def rows_table(records: list, cls: type, sort_keys: tuple[str, ...]) -> pa.Table:
    rows = sorted(
        (record_to_row(r) for r in records),
        key=lambda row: tuple(
            (row[k] is None, row[k] if row[k] is not None else 0) for k in sort_keys
        ),
    )
    return pa.Table.from_pylist(rows, schema=arrow_schema(cls))


def write_table(table: pa.Table, path: str) -> None:
    write_atomically(path, lambda stream: pq.write_table(table, stream, compression="zstd"))


class WriteTable(beam.PTransform):
    """Records -> one Parquet file at `path`, rows sorted by `sort_keys` (deterministic)."""

    def __init__(self, path: str, cls: type, sort_keys: tuple[str, ...]):
        super().__init__()
        self.path, self.cls, self.sort_keys = path, cls, sort_keys

    def expand(self, records):
        path, cls, keys = self.path, self.cls, self.sort_keys
        return (
            records
            | "All" >> beam.combiners.ToList()
            | "Write" >> beam.Map(lambda rows: write_table(rows_table(rows, cls, keys), path))
        )


def manifest_transform(out_dir: str) -> WriteTable:
    return WriteTable(FileSystems.join(out_dir, MANIFEST), Clip, ("source", "start_s", "clip_id"))


def failures_transform(out_dir: str) -> WriteTable:
    return WriteTable(
        FileSystems.join(out_dir, FAILURES), Failure, ("source", "stage", "error", "detail")
    )
