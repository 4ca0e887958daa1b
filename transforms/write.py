"""Write: WebDataset shards of kept clips, manifest and failures parts, and completion records.

Every output is keyed by its source's group, `hash(source) mod groups`, with `groups` from the
number of listed sources (`write.sources_per_group` per group), so nothing waits on a global
list and a source's group is the same on a re-run. One CoGroupByKey brings a group's encoded
clips (the mp4 bytes cross the shuffle once, here), its dropped rows and its failures to one
worker, which:
  1. spills the media to local disk (memory holds only the rows), packs the kept clips sorted by
     id into shards of `target_shard_mb`, named `{prefix}-{group:06d}-{part:03d}.tar`, each
     written by `TarWriter` with a fixed mtime and committed whole (`tables.commit`);
  2. then commits `manifest/part-{group:06d}.parquet` (kept rows carry their shard) and
     `failures/part-{group:06d}.parquet`, rows sorted, so a re-run gives identical files;
  3. commits `strips/part-{group:06d}-of-{groups:06d}.parquet`: the report's example strips of
     the group's picks (transforms/strips.py), made from the decode pass's sampled frames;
  4. last, commits `_progress/part-{group:06d}.json`: the group's sources and its stats summary.
A resumed run skips the sources named in those records (`SkipCompleted`) and adds their
summaries to the stats, so an interrupted run finishes with the corpus an uninterrupted one has.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import os
import tarfile
import tempfile
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from schemas import Clip, ClipMedia, record_to_row
from transforms import stats, strips, tables
from transforms.buckets import BucketConfig, bucket, bucket_name
from transforms.checkpoint import CHECKPOINT, remove_checkpoints
from transforms.common import StageCounters, by_tag
from transforms.dedup_previous import SIGNATURES_DIR

STAGE = "write"
TAR_MTIME = 946684800.0  # 2000-01-01: fixed so a re-run gives byte-identical tars
PROGRESS = "_progress"


@dataclass(frozen=True)
class WriteConfig:
    shard_prefix: str = "clips"
    target_shard_mb: float = 512.0
    # Sources written (and resumed) together: a group's shards, manifest and failures parts are
    # committed by one worker; more per group gives fewer, fuller shards, fewer per group a
    # finer resume. The group's media is spilled to that worker's disk, its rows held in memory.
    sources_per_group: int = 64

    def __post_init__(self):
        if not self.shard_prefix or any(c in self.shard_prefix for c in "/\\{}"):
            raise ValueError(f"write.shard_prefix is not a plain name: {self.shard_prefix!r}")
        if self.target_shard_mb <= 0:
            raise ValueError("write.target_shard_mb must be > 0")
        if self.sources_per_group < 1:
            raise ValueError("write.sources_per_group must be >= 1")


def group_count(sources: int, sources_per_group: int) -> int:
    return max(1, math.ceil(sources / sources_per_group))


def group_of(source: str, groups: int) -> int:
    """A source's group: a stable hash (not Python's salted `hash`) of its URI."""
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % groups


def shard_name(prefix: str, group: int, part: int) -> str:
    return f"{prefix}-{group:06d}-{part:03d}.tar"


def pack(sizes: list[tuple[str, int]], target_bytes: float) -> list[list[str]]:
    """Clip ids sorted, packed into shards until one reaches the target (an oversized clip
    gets a shard of its own)."""
    shards: list[list[str]] = []
    filled = 0
    for clip_id, size in sorted(sizes):
        if not shards or (filled and filled + size > target_bytes):
            shards.append([])
            filled = 0
        shards[-1].append(clip_id)
        filled += size
    return shards


def clip_json(clip: Clip) -> bytes:
    return json.dumps(record_to_row(clip), ensure_ascii=False, sort_keys=True).encode()


def progress_name(group: int) -> str:
    return f"part-{group:06d}.json"


class _Spill:
    """ClipMedia bytes on local disk, the Clip records in memory: one group's media. A staged
    mp4 (`ClipMedia.mp4_path`) stays in its file until read."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(prefix="cliploom-spill-")  # noqa: SIM115 (closed by close())
        self.index: dict[str, tuple[Clip, int, int, int, str | None]] = {}

    def add(self, media: ClipMedia) -> None:
        offset = self.file.seek(0, os.SEEK_END)
        path = media.mp4_path
        if path is None:
            mp4_len = self.file.write(media.mp4)
        else:
            mp4_len = FileSystems.match([path])[0].metadata_list[0].size_in_bytes
        self.file.write(media.jpg)
        self.index[media.clip.clip_id] = (media.clip, offset, mp4_len, len(media.jpg), path)

    def read(self, clip_id: str) -> tuple[Clip, bytes, bytes]:
        clip, offset, mp4_len, jpg_len, path = self.index[clip_id]
        self.file.seek(offset)
        if path is None:
            mp4 = self.file.read(mp4_len)
        else:
            with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
                mp4 = f.read()
        return clip, mp4, self.file.read(jpg_len)

    def staged(self) -> list[str]:
        return [entry[4] for entry in self.index.values() if entry[4] is not None]

    def close(self) -> None:
        self.file.close()


def box_rows(sampled) -> list[dict]:
    """A kept SampledClip's boxes as the row `WriteCorpus` joins by group (none without)."""
    if not sampled.boxes_json:
        return []
    clip = sampled.clip
    return [{"source": clip.source, "clip_id": clip.clip_id, "boxes_json": sampled.boxes_json}]


def boxes_for_shard(clip: Clip, boxes_json: str | None) -> bytes | None:
    """`{clip_id}.boxes.json` with the encoded frame's size (boxes are fractions of it)."""
    if not boxes_json:
        return None
    doc = json.loads(boxes_json)
    doc["width"] = clip.out_width or doc.get("width")
    doc["height"] = clip.out_height or doc.get("height")
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()


def write_tar(stream, samples, boxes: dict[str, str] | None = None) -> None:
    """A WebDataset shard: members `{clip_id}.{ext}`, each sample's in sorted order, as
    webdataset's `TarWriter(mtime=TAR_MTIME, encoder=False)` writes them (same bytes). Written
    with tarfile: importing webdataset imports torch (3.4 s of a run's start-up)."""
    boxes = boxes or {}
    # Streamed (tar mode "w|"): no seeking, so any Beam filesystem works.
    with tarfile.open(fileobj=stream, mode="w|") as tar:
        for clip, mp4, jpg in samples:
            sample = {"mp4": mp4, "jpg": jpg, "json": clip_json(clip)}
            if clip.caption_en:
                sample["en.txt"] = clip.caption_en.encode()
            if clip.caption_zh:
                sample["zh.txt"] = clip.caption_zh.encode()
            box_doc = boxes_for_shard(clip, boxes.get(clip.clip_id))
            if box_doc is not None:
                sample["boxes.json"] = box_doc
            for ext in sorted(sample):
                member = tarfile.TarInfo(f"{clip.clip_id}.{ext}")
                member.size, member.mtime, member.mode = len(sample[ext]), TAR_MTIME, 0o444
                member.uname = member.gname = "bigdata"
                tar.addfile(member, io.BytesIO(sample[ext]))


class _WriteGroupFn(beam.DoFn):
    """(group, {media, rows, failures}) -> the group's committed files; yields its summary."""

    def __init__(
        self,
        out_dir: str,
        config: WriteConfig,
        buckets: BucketConfig | None = None,
        strip_config: strips.StripConfig | None = None,
    ):
        self.out_dir, self.config, self.buckets = out_dir, config, buckets
        self.strip_config = strip_config

    def setup(self):
        self.counters = StageCounters(STAGE)
        self.tmp_dir = tables.join(self.out_dir, tables.TMP)
        for name in (tables.SHARDS, tables.MANIFEST, tables.FAILURES, SIGNATURES_DIR, PROGRESS,
                     strips.STRIPS, tables.TMP):  # fmt: skip
            tables.ensure_dir(tables.join(self.out_dir, name))

    def process(self, keyed, groups: int):
        group, values = keyed
        grouped = by_tag(values)
        done = self._committed(group, grouped.get("media", ()))
        if done is not None:
            yield done
            return
        spill = _Spill()
        try:
            for media in grouped.get("media", ()):
                spill.add(media)
            boxes = {r["clip_id"]: r["boxes_json"] for r in grouped.get("boxes", ())}
            kept = self._write_shards(group, spill, boxes)
            staged = spill.staged()
        finally:
            spill.close()
        rows = kept + grouped.get("rows", [])
        failures = grouped.get("failures", [])
        part = tables.part_name(group)
        for name, records in ((tables.MANIFEST, rows), (tables.FAILURES, failures)):
            if records:
                table = tables.rows_table(records, name)
                path = tables.join(self.out_dir, name, part)
                tables.commit(path, tables.parquet_bytes_writer(table), self.tmp_dir)
        self._write_signatures(part, {c.clip_id for c in kept}, grouped.get("signatures", ()))
        self._write_strips(group, groups, rows, grouped.get("stills", ()))
        summary = stats.summarize(
            [record_to_row(r) for r in rows], [record_to_row(f) for f in failures]
        )
        sources = sorted({r.source for r in rows} | {f.source for f in failures})
        record = json.dumps(
            {"group": group, "sources": sources, "summary": summary}, ensure_ascii=False
        ).encode()
        path = tables.join(self.out_dir, PROGRESS, progress_name(group))
        tables.commit(path, lambda stream: stream.write(record + b"\n"), self.tmp_dir)
        remove_checkpoints(self.out_dir, sources)  # the record now stands for them
        if staged:  # in the shards now
            FileSystems.delete(staged)
        self.counters.inc("groups")
        self.counters.inc("rows", len(rows))
        yield summary

    def _committed(self, group: int, media) -> dict | None:
        """The summary of this group's completion record when an earlier attempt of this bundle
        committed it and removed its staged mp4s (a retried bundle has none to read); else None."""
        if not any(m.mp4_path and not FileSystems.exists(m.mp4_path) for m in media):
            return None
        path = tables.join(self.out_dir, PROGRESS, progress_name(group))
        if not FileSystems.exists(path):
            return None  # reading the missing file fails the bundle, naming it
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            return read_progress(f.read().decode())["summary"]

    def _write_signatures(self, part: str, published: set[str], rows) -> None:
        """OUT/signatures/part-*.parquet: what a refresh dedups against, for the clips of this
        group that were published (committed with the group, so a resumed run keeps them)."""
        import pyarrow as pa

        from transforms.dedup_previous import SIGNATURE_SCHEMA

        rows = sorted((r for r in rows if r["clip_id"] in published), key=lambda r: r["clip_id"])
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=SIGNATURE_SCHEMA)
        path = tables.join(self.out_dir, SIGNATURES_DIR, part)
        tables.commit(path, tables.parquet_bytes_writer(table), self.tmp_dir)

    def _write_strips(self, group: int, groups: int, rows: list[Clip], stills) -> None:
        """OUT/strips/: the report's example strips of this group's picks (bounded per group)."""
        if self.strip_config is None:
            return
        made = strips.make_strips(rows, stills, self.strip_config)
        if not made:
            return
        table = strips.strips_table(made)
        path = tables.join(self.out_dir, strips.STRIPS, strips.strips_name(group, groups))
        tables.commit(path, tables.parquet_bytes_writer(table), self.tmp_dir)
        self.counters.inc("strips", sum(r["jpeg"] is not None for r in made))

    def _write_shards(self, group: int, spill: _Spill, boxes: dict[str, str]) -> list[Clip]:
        clips = {cid: self._bucketed(clip) for cid, (clip, *_) in spill.index.items()}
        sizes = [(cid, mp4 + jpg) for cid, (_, _, mp4, jpg, _) in spill.index.items()]
        # One shard never mixes buckets when shards are grouped by bucket.
        by_bucket: dict[str, list] = {}
        for cid, size in sizes:
            key = (
                bucket_name(clips[cid].aspect_bucket, clips[cid].resolution_bucket)
                if (self.buckets and self.buckets.group_shards and clips[cid].aspect_bucket)
                else ""
            )
            by_bucket.setdefault(key, []).append((cid, size))
        kept = []
        for bucket_key, bucket_sizes in sorted(by_bucket.items()):
            prefix = (
                f"{self.config.shard_prefix}-{bucket_key}"
                if bucket_key
                else (self.config.shard_prefix)
            )
            for part, ids in enumerate(pack(bucket_sizes, self.config.target_shard_mb * 1e6)):
                name = shard_name(prefix, group, part)

                def samples(ids=ids, name=name):
                    for clip_id in ids:
                        _, mp4, jpg = spill.read(clip_id)
                        clip = dataclasses.replace(clips[clip_id], shard=name)
                        kept.append(clip)
                        yield clip, mp4, jpg

                path = tables.join(self.out_dir, tables.SHARDS, name)
                tables.commit(
                    path, lambda stream, s=samples: write_tar(stream, s(), boxes), self.tmp_dir
                )
                self.counters.inc("shards")
                self.counters.inc("clips", len(ids))
        return kept

    def _bucketed(self, clip: Clip) -> Clip:
        if self.buckets is None or not clip.out_width or not clip.out_height:
            return clip
        aspect, resolution = bucket(clip.out_width, clip.out_height, self.buckets)
        return dataclasses.replace(clip, aspect_bucket=aspect, resolution_bucket=resolution)


# Each WriteCorpus input's source, by its tag.
SOURCE_OF = {
    "media": lambda m: m.clip.source,
    "rows": lambda c: c.source,
    "failures": lambda f: f.source,
    "boxes": lambda r: r["source"],
    "signatures": lambda r: r["source"],
    "stills": lambda s: s.source,
}


def _key_by_group(tag: str, source_of, groups_side):
    return beam.Map(lambda x, n: (group_of(source_of(x), n), (tag, x)), groups_side)


class WriteCorpus(beam.PTransform):
    """{media: ClipMedia, rows: dropped Clips, failures: Failures, signatures: dedup's signature
    rows, boxes: {source, clip_id, boxes_json}, stills: ClipStills (the last three optional)}
    -> OUT's shards (with `{clip_id}.boxes.json`), manifest, failures, signatures and strips
    parts and completion records, grouped by source; returns each group's summary. Kept clips
    get their aspect and resolution bucket (`buckets`), and with `buckets.group_shards` a shard
    holds one bucket. Strips are written with `strip_config` and stills.

    `sources` (every listed source URI, completed ones included) sets the number of groups.
    """

    def __init__(
        self,
        out_dir: str,
        config: WriteConfig,
        sources,
        buckets: BucketConfig | None = None,
        strip_config: strips.StripConfig | None = None,
    ):
        super().__init__()
        self.out_dir, self.config, self.sources = out_dir, config, sources
        self.buckets, self.strip_config = buckets, strip_config

    def expand(self, pcolls):
        spg = self.config.sources_per_group
        groups = beam.pvalue.AsSingleton(  # no source: the groups of a count of 0
            self.sources
            | "CountSources" >> beam.combiners.Count.Globally().without_defaults()
            | "Groups" >> beam.Map(group_count, spg),
            default_value=group_count(0, spg),
        )
        # media, rows and failures always come; boxes ({source, clip_id, boxes_json} of the
        # survivors), signatures (dedup's rows of the survivors) and stills (ClipStills the
        # group's strips are made from) when the pipeline has them
        keyed = [
            pcolls[tag] | f"Key{tag.title()}" >> _key_by_group(tag, source_of, groups)
            for tag, source_of in SOURCE_OF.items()
            if tag in pcolls or tag in ("media", "rows", "failures")
        ]
        strip_config = self.strip_config if "stills" in pcolls else None
        return (
            keyed
            | "Inputs" >> beam.Flatten()
            | "ByGroup" >> beam.GroupByKey()
            | "WriteGroup"
            >> beam.ParDo(
                _WriteGroupFn(self.out_dir, self.config, self.buckets, strip_config), groups
            )
        )


def read_progress(line: str) -> dict:
    return json.loads(line)


class ReadProgress(beam.PTransform):
    """The completion records an earlier attempt left in OUT/_progress (none on a fresh run)."""

    def __init__(self, out_dir: str):
        super().__init__()
        self.pattern = tables.join(out_dir, PROGRESS, "part-*.json")

    def expand(self, p):
        return (
            p
            | "Pattern" >> beam.Create([self.pattern])
            | "Read" >> beam.io.ReadAllFromText()
            | "Parse" >> beam.Map(read_progress)
        )


class SkipCompleted(beam.PTransform):
    """Elements (source URIs, or records with `source_of`) minus those of sources a completion
    record names: a keyed join, no list in memory."""

    def __init__(self, progress, source_of=lambda uri: uri):
        super().__init__()
        self.progress, self.source_of = progress, source_of

    def expand(self, uris):
        done = self.progress | "DoneSources" >> beam.FlatMap(
            lambda record: [(s, True) for s in record["sources"]]
        )
        source_of = self.source_of
        todo = uris | "KeyBySource" >> beam.Map(lambda x: (source_of(x), x))
        return (
            {"todo": todo, "done": done}
            | "Join" >> beam.CoGroupByKey()
            | "NotDone" >> beam.FlatMap(lambda kv: [] if kv[1]["done"] else kv[1]["todo"])
        )


class WriteStats(beam.PTransform):
    """Group summaries (this run's and completed ones') -> OUT/stats.json without counters;
    the launcher adds Beam's counters once the run has finished."""

    def __init__(self, out_dir: str):
        super().__init__()
        self.path = tables.join(out_dir, stats.STATS)

    def expand(self, summaries):
        path = self.path
        return (
            summaries
            | "Combine" >> beam.CombineGlobally(stats.CombineSummaries())
            | "Write" >> beam.Map(lambda s: stats.write_stats(path, stats.stats_json(s, {})))
        )


def cleanup_incomplete(out_dir: str, prefix: str) -> int:
    """Before a resumed run: remove the files of groups with no completion record (an attempt
    that died mid-group), so neither stale shards nor stale rows survive. Lists names only."""

    def names(pattern: str) -> list[str]:
        return [m.path for r in FileSystems.match([pattern]) for m in r.metadata_list]

    def group(path: str) -> int:
        named = strips.parse_strips_name(path)
        if named is not None:
            return named[0]
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return int(stem.split("-")[-2 if path.endswith(".tar") else -1])

    done = {group(p) for p in names(tables.join(out_dir, PROGRESS, "part-*.json"))}
    stale = [
        path
        for pattern in (
            tables.join(out_dir, tables.SHARDS, f"{prefix}-*.tar"),
            tables.join(out_dir, tables.MANIFEST, "part-*.parquet"),
            tables.join(out_dir, tables.FAILURES, "part-*.parquet"),
            tables.join(out_dir, SIGNATURES_DIR, "part-*.parquet"),
            tables.join(out_dir, strips.STRIPS, "part-*.parquet"),
        )
        for path in names(pattern)
        if group(path) not in done
    ]
    if stale:
        FileSystems.delete(stale)
    return len(stale)


RUN = "run.json"


def start_or_resume(out_dir: str, command: dict, config: WriteConfig) -> bool:
    """Prepare OUT for a run; True when it resumes an earlier attempt of the same command.

    The command (inputs and merged config) is recorded in OUT/_progress/run.json; a run into
    an OUT that holds completion records or checkpoints of a different command is refused,
    since skipping sources done under other settings would mix two corpora.
    """
    tables.ensure_dir(out_dir)
    for name in (tables.SUCCESS, stats.STATS):  # OUT is about to change
        path = tables.join(out_dir, name)
        if FileSystems.exists(path):
            FileSystems.delete([path])
    record = tables.join(out_dir, PROGRESS, RUN)
    payload = json.dumps(command, sort_keys=True, ensure_ascii=False, default=str)
    done = FileSystems.match(
        [tables.join(out_dir, PROGRESS, "part-*.json"), tables.join(out_dir, CHECKPOINT, "*.pkl")],
        limits=[1, 1],
    )
    resume = any(r.metadata_list for r in done)  # completed groups or checkpointed sources
    if resume:
        earlier = None
        if FileSystems.exists(record):
            with FileSystems.open(record) as f:
                earlier = f.read().decode()
        if earlier != payload:
            raise ValueError(
                f"{out_dir} holds part of a run with other inputs or settings: use a new --out, "
                f"or delete {tables.join(out_dir, PROGRESS)} and "
                f"{tables.join(out_dir, CHECKPOINT)} to start over"
            )
        cleanup_incomplete(out_dir, config.shard_prefix)
        return True
    cleanup_incomplete(out_dir, config.shard_prefix)  # an attempt that died before any record
    tables.ensure_dir(tables.join(out_dir, PROGRESS))
    tables.commit(
        record, lambda stream: stream.write(payload.encode()), tables.join(out_dir, tables.TMP)
    )
    return False
